import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { percentiles, type Percentiles } from '../../vision/lab/bench.js';
import type { Clock } from '../../kernel/clock.js';
import { DEMO_LIBRARY, installPath } from '../config/paths.js';
import { childNamed, cpuSeconds, mib, peakRssKiB, rssKiB } from './process-stats.js';
import { NOBODY } from '../../kernel/room-mood.js';
import { parseJson } from '../../kernel/json.js';

/** The clip: a happy face for 8 s, then a sad one for 12 s, looped. */
const CLIP = 'src/vision/testing/fixtures/happy-then-sad.mp4';
const DWELL_MS = 2000;

export interface E2eBenchOptions {
  installDir: string;
  /** How long the daemon runs on the looping clip (s). */
  seconds: number;
  /**
   * After `seconds`, run on until this many settled mood changes have each been followed by a track
   * for the new mood, for up to `seconds` more: a busy machine reads the clip late. @default 0
   */
  minMoodChanges?: number;
  /** The CLI to start: node arguments that run `moodbox` (this process's own entry by default). */
  entry: readonly string[];
  clock: Clock;
}

export interface E2eBenchReport {
  benchmark: string;
  /** From spawning `moodbox start` to its "ready" line (ms), and the daemon's own figure. */
  startupMs: { wall: number; reported: number };
  /** From each settled room-mood change to a track picked for the new mood starting in mpv (ms). */
  moodToTrackMs: Percentiles & { samples: number };
  /** From a room-mood change in the daemon to its arrival on a WebSocket client (ms). */
  pushMs: Percentiles & { samples: number };
  /** Resident memory: the daemon, mpv and the ffmpeg child that decodes the camera, at the end. */
  rssMiB: { daemon: number; daemonPeak: number; mpv: number; camera: number };
  /**
   * CPU in % of one core (100 is one core busy all along) from "ready" to the end of the run: the
   * daemon (the vision loop is most of it), and its camera's ffmpeg over the same span.
   */
  cpuPercent: { daemon: number; camera: number };
  /** From SIGTERM to the daemon's exit with a screen connected (ms), and its exit code (0: a clean stop). */
  stop: { ms: number; code: number | null };
  dwellMs: number;
  seconds: number;
}

interface LogLine {
  time: number;
  msg?: string;
  mood?: string | null;
  kiosk?: string;
  ms?: number;
}

/**
 * Runs the whole appliance on a clip that flips between a happy and a sad face, with the demo
 * library and mpv on the null audio output, and measures what a person would notice: start-up,
 * how soon the music follows a settled mood change, how soon the screens hear of changes, and
 * memory. The sound device's own latency (tens of ms with ALSA) is not included.
 */
export async function benchE2e(options: E2eBenchOptions): Promise<E2eBenchReport> {
  const { clock } = options;
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-bench-e2e-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      server: { port: 0 },
      rfid: { enabled: false },
      camera: { source: join(options.installDir, CLIP) },
      mood: { dwellMs: DWELL_MS },
      library: { folders: [installPath(DEMO_LIBRARY, options.installDir)] },
      // The clip flips every 8–12 s: songs change at once, to measure how fast a change of song can be, not the hold that keeps them.
      player: { audioOutput: 'null', transitions: { cutDistance: 0, cutHoldMs: 0, fadeMs: 300, fadeBars: 0 } },
    }),
  );
  const spawnedAt = clock.now();
  const child = spawn(process.execPath, [...options.entry, 'start', '--config', config], {
    env: { ...process.env, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(parseJson(part) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pid = child.pid ?? 0;
  try {
    const ready = await waitFor(
      clock,
      () => lines.find((l) => l.msg === 'moodbox ready'),
      60_000,
      () => `the daemon did not start:\n${stderr}`,
    );
    const readyAt = clock.now();
    const cpuAtReady = cpuSeconds(pid);
    const cameraAtReady = cameraCpu(pid);
    const base = (ready.kiosk ?? '').replace(/\/$/, '');
    const pushes: number[] = [];
    const seen = new Set<number>();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    ws.on('message', (raw) => {
      const at = clock.now();
      const message = parseJson((raw as Buffer).toString('utf8')) as { type: string; data: { since?: number | null } };
      // A mood change carries the daemon's time of the change (same machine, same clock).
      if (message.type === 'mood/changed' && typeof message.data.since === 'number' && !seen.has(message.data.since)) {
        seen.add(message.data.since);
        pushes.push(at - message.data.since);
      }
    });
    await clock.sleep(options.seconds * 1000);
    const wanted = options.minMoodChanges ?? 0;
    if (moodToTrack(lines).length < wanted) {
      await waitFor(
        clock,
        () => (moodToTrack(lines).length >= wanted ? true : undefined),
        options.seconds * 1000,
        () =>
          `Expected ${wanted} settled mood changes each followed by a track for it in ${2 * options.seconds} s, got ${moodToTrack(lines).length}`,
      );
    }
    const ranS = (clock.now() - readyAt) / 1000;
    const percent = (used: number): number => (ranS > 0 ? Math.round((Math.max(0, used) / ranS) * 1000) / 10 : 0);
    const cpuPercent = { daemon: percent(cpuSeconds(pid) - cpuAtReady), camera: percent(cameraCpu(pid) - cameraAtReady) };
    const flips = moodToTrack(lines);
    const mpv = childNamed(pid, 'mpv');
    const camera = childNamed(pid, 'ffmpeg');
    const rss = {
      daemon: mib(rssKiB(pid)),
      daemonPeak: mib(peakRssKiB(pid)),
      mpv: mpv === undefined ? 0 : mib(rssKiB(mpv)),
      camera: camera === undefined ? 0 : mib(rssKiB(camera)),
    };
    // How long a stop takes, with a screen still connected, as systemd's stop would see it.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stopAt = clock.now();
    child.kill('SIGTERM');
    const code = await exited;
    const stop = { ms: clock.now() - stopAt, code };
    ws.terminate();
    return {
      benchmark: 'the whole appliance: mood flip to music, pushes to the screens, start-up, memory',
      startupMs: { wall: readyAt - spawnedAt, reported: ready.ms ?? 0 },
      moodToTrackMs: { ...percentiles(flips), samples: flips.length },
      pushMs: { ...percentiles(pushes), samples: pushes.length },
      rssMiB: rss,
      cpuPercent,
      stop,
      dwellMs: DWELL_MS,
      seconds: options.seconds,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time (s) of the daemon's camera ffmpeg so far; 0 while none runs. */
function cameraCpu(pid: number): number {
  const camera = childNamed(pid, 'ffmpeg');
  return camera === undefined ? 0 : cpuSeconds(camera);
}

/** For each settled mood change, the time to the first track started for that mood (ms). */
function moodToTrack(lines: readonly LogLine[]): number[] {
  const flips: number[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.msg !== 'room mood changed' || line.mood === NOBODY) continue;
    const started = lines.slice(i + 1).find((l) => l.msg === 'track started' && l.mood === line.mood);
    if (started !== undefined) flips.push(started.time - line.time);
  }
  return flips;
}

export function formatE2eBench(r: E2eBenchReport): string {
  const p = (x: Percentiles & { samples: number }): string =>
    x.samples === 0 ? 'no samples' : `p50 ${x.p50.toFixed(0)} ms, p95 ${x.p95.toFixed(0)} ms (${x.samples} samples)`;
  return [
    `start-up: ready ${r.startupMs.wall} ms after launch (${r.startupMs.reported} ms by the daemon's own count)`,
    `settled mood change → fitting track playing: ${p(r.moodToTrackMs)} (beyond the ${r.dwellMs} ms dwell)`,
    `mood change → on a screen: ${p(r.pushMs)}`,
    `daemon: ${r.cpuPercent.daemon}% of one core over the run, ${r.rssMiB.daemon} MiB (peak ${r.rssMiB.daemonPeak} MiB); ` +
      `the camera's ffmpeg ${r.cpuPercent.camera}% of one core, ${r.rssMiB.camera} MiB; mpv ${r.rssMiB.mpv} MiB`,
    `stop: exited ${r.stop.ms} ms after SIGTERM with a screen connected (${r.stop.code === 0 ? 'cleanly, code 0' : `code ${String(r.stop.code)}`})`,
  ].join('\n');
}

async function waitFor<T>(clock: Clock, get: () => T | undefined, timeoutMs: number, why: () => string): Promise<T> {
  const start = clock.now();
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (clock.now() - start > timeoutMs) throw new Error(why());
    await clock.sleep(50);
  }
}
