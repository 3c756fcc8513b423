// Soak run: starts Moodbox in demo mode (its own data folder, a free port) and samples the
// daemon's memory (RSS, JS heap, external), open file descriptors, the database's size, what it
// wrote to disk (/proc/<pid>/io write_bytes: SQLite's pages, its log and the backups) and the bytes
// it logged, and mpv's RSS, at a fixed interval; at the end it prints the first and last samples,
// the peak, the growth per hour and the writes per hour, and what a listener heard: the songs
// played, those cut for the room (and in their first minute), and the room moods they were picked for.
//
// `--speed N` accelerates it: the demo clip is re-encoded N times faster (ffmpeg, frames kept) and
// analysed at N times the rate, so the room changes mood N times as often and the vision loop sees
// N times the frames; one core allows about N = 6 (10 ms a frame). An hour at --speed 6 is then six
// hours of a box's camera (songs still play in real time).
//
//   npm run build && node --import tsx scripts/soak.ts [--minutes 30] [--every 30] [--speed 1] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../src/daemon/config/paths.js';
import { childNamed, mib, openFiles, rssKiB } from '../src/daemon/ops/process-stats.js';
import { median } from '../src/daemon/testing/room-simulator.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    every: { type: 'string', default: '30' },
    speed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const everyS = Number(values.every);
const speed = Number(values.speed);
if (!(minutes > 0) || !(everyS > 0)) throw new RangeError('Expected --minutes and --every to be positive numbers');
if (!(speed >= 1 && speed <= 12)) throw new RangeError(`Expected \`--speed\` to be 1–12, got \`${values.speed}\``);

const root = new URL('../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-soak-'));
// The built daemon, as systemd runs it; the sources through tsx when it is not built.
const built = join(root, 'dist/daemon/cli.js');
const entry = existsSync(built) ? [built] : ['--import', 'tsx', join(root, 'src/daemon/cli.ts')];
/** The demo clip `speed` times faster: every frame kept, at `speed` times the frame rate. */
function fasterClip(): string {
  const clip = join(dataDir, `camera-x${speed}.mp4`);
  const made = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', join(root, 'demo/camera.mp4'), '-vf', `setpts=PTS/${speed}`, '-r', String(10 * speed), '-an', '-y', clip],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`ffmpeg could not speed up the demo clip: ${made.stderr}`);
  return clip;
}
// Accelerated: a configuration file (demo mode otherwise) with the faster clip, analysed at its rate.
const config =
  speed === 1
    ? undefined
    : join(
        dataDir,
        (() => {
          writeFileSync(
            join(dataDir, 'config.json'),
            JSON.stringify({ camera: { source: fasterClip() }, vision: { analysisFps: Math.min(10 * speed, 120) } }),
          );
          return 'config.json';
        })(),
      );
const child = spawn(process.execPath, [...entry, 'start'], {
  env: {
    // The allocator as the systemd unit and `setup.sh start` set it, unless the caller chose otherwise.
    MALLOC_ARENA_MAX: '2',
    ...process.env,
    MOODBOX_DATA_DIR: dataDir,
    MOODBOX_PORT: '0',
    HOME: dataDir,
    ...(config ? { MOODBOX_CONFIG: config } : {}),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let base = '';
const problems: string[] = [];
let buffer = '';
/** Bytes the daemon logged (stdout): what journald would write. */
let logBytes = 0;
child.stdout.on('data', (chunk: Buffer) => {
  logBytes += chunk.length;
  buffer += chunk.toString();
  const lines = buffer.split('\n');
  buffer = lines.pop() ?? '';
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as { msg?: string; kiosk?: string; level?: number };
      if (entry.msg === 'moodbox ready' && entry.kiosk) base = entry.kiosk.replace(/\/$/, '');
      if ((entry.level ?? 0) >= 50) problems.push(line);
    } catch {
      // not a log line
    }
  }
});
child.stderr.resume();

interface Sample {
  minute: number;
  rssMiB: number;
  fds: number;
  mpvRssMiB: number;
  heapMiB: number;
  externalMiB: number;
  dbMiB: number;
  /** Bytes the daemon had written to disk so far (/proc/<pid>/io write_bytes), MiB. */
  writtenMiB: number;
  logMiB: number;
  /** Frames analysed a second (the camera's health line). */
  fps: number;
  mood: string | null;
  playing: string | null;
}

/** Bytes `pid` has caused to be written to storage (0 when it cannot be read). */
function writeBytes(pid: number): number {
  try {
    return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
const fileMiB = (path: string): number => (existsSync(path) ? statSync(path).size : 0) / 1024 / 1024;
const round = (n: number): number => Math.round(n * 100) / 100;
const samples: Sample[] = [];
const started = Date.now();
const pid = child.pid ?? 0;
while (base === '') {
  if (child.exitCode !== null) throw new Error('the daemon stopped before it was ready');
  await new Promise((r) => setTimeout(r, 200));
}
for (;;) {
  const state = (await (await fetch(`${base}/api/state`)).json()) as {
    data: { mood: { current: string | null }; player: { nowPlaying: { title: string } | null } };
  };
  const health = (await (await fetch(`${base}/api/health`)).json()) as {
    memory: { heapUsedMiB: number; externalMiB: number };
    services: Array<{ name: string; detail?: string }>;
  };
  const camera = health.services.find((svc) => svc.name === 'camera')?.detail ?? '';
  const mpv = childNamed(pid, 'mpv');
  const sample: Sample = {
    minute: Math.round(((Date.now() - started) / 60_000) * 10) / 10,
    rssMiB: mib(rssKiB(pid)),
    fds: openFiles(pid),
    mpvRssMiB: mpv === undefined ? 0 : mib(rssKiB(mpv)),
    heapMiB: health.memory.heapUsedMiB,
    externalMiB: health.memory.externalMiB,
    dbMiB: round(fileMiB(join(dataDir, DATABASE_FILE)) + fileMiB(join(dataDir, `${DATABASE_FILE}-wal`))),
    writtenMiB: round(writeBytes(pid) / 1024 / 1024),
    logMiB: round(logBytes / 1024 / 1024),
    fps: Number(/([\d.]+) frames\/s analysed/.exec(camera)?.[1] ?? 0),
    mood: state.data.mood.current,
    playing: state.data.player.nowPlaying?.title ?? null,
  };
  samples.push(sample);
  if (!values.json) process.stdout.write(`${JSON.stringify(sample)}\n`);
  if (Date.now() - started >= minutes * 60_000) break;
  await new Promise((r) => setTimeout(r, everyS * 1000));
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
const heard = playsHeard();
rmSync(dataDir, { recursive: true, force: true });

const first = samples[0] as Sample;
const last = samples.at(-1) as Sample;
// Growth after the first five minutes (start-up, caches and the first loop of the clip settle).
const settled = samples.find((s) => s.minute >= Math.min(5, minutes / 2)) ?? first;
const hours = Math.max((last.minute - settled.minute) / 60, 1 / 60);
const perHour = (a: number, b: number): number => round((b - a) / hours);
const summary = {
  minutes,
  speed,
  samples: samples.length,
  rssMiB: { first: first.rssMiB, settled: settled.rssMiB, last: last.rssMiB, peak: Math.max(...samples.map((s) => s.rssMiB)) },
  heapMiB: { settled: settled.heapMiB, last: last.heapMiB },
  rssGrowthMiBPerHour: Math.round(((last.rssMiB - settled.rssMiB) / hours) * 10) / 10,
  fds: { first: first.fds, last: last.fds, max: Math.max(...samples.map((s) => s.fds)) },
  mpvRssMiB: { first: first.mpvRssMiB, last: last.mpvRssMiB },
  externalMiB: { settled: settled.externalMiB, last: last.externalMiB },
  dbMiB: { first: first.dbMiB, last: last.dbMiB },
  // After settling: what an SD card sees an hour (at this speed; divide by it for an hour of a real box's camera).
  writtenMiBPerHour: perHour(settled.writtenMiB, last.writtenMiB),
  logMiBPerHour: perHour(settled.logMiB, last.logMiB),
  fps: { settled: settled.fps, last: last.fps },
  moodsSeen: [...new Set(samples.map((s) => s.mood))],
  errorsLogged: problems.length,
  heard,
};
process.stdout.write(values.json ? `${JSON.stringify({ samples, summary })}\n` : `summary ${JSON.stringify(summary, null, 2)}\n`);

/**
 * What a listener heard, from the plays the daemon recorded (read before the data folder goes):
 * songs started, how each ended, the songs cut for the room (`switched`) and those cut in their
 * first 60 s, and the room mood each was picked for.
 */
function playsHeard(): {
  songs: number;
  outcomes: Record<string, number>;
  cutForTheRoom: number;
  cutInFirstMinute: number;
  medianSecondsPlayed: number;
  pickedFor: Record<string, number>;
} {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const plays = db.prepare('SELECT mood, started_at AS startedAt, ended_at AS endedAt, outcome FROM plays ORDER BY id').all() as Array<{
      mood: string | null;
      startedAt: number;
      endedAt: number | null;
      outcome: string | null;
    }>;
    const count = (keys: string[]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const key of keys) out[key] = (out[key] ?? 0) + 1;
      return out;
    };
    const cuts = plays.filter((p) => p.outcome === 'switched');
    const played = plays.filter((p) => p.endedAt !== null).map((p) => ((p.endedAt ?? 0) - p.startedAt) / 1000);
    return {
      songs: plays.length,
      outcomes: count(plays.map((p) => p.outcome ?? 'playing')),
      cutForTheRoom: cuts.length,
      cutInFirstMinute: cuts.filter((p) => (p.endedAt ?? 0) - p.startedAt < 60_000).length,
      medianSecondsPlayed: played.length === 0 ? 0 : round(median(played)),
      pickedFor: count(plays.map((p) => p.mood ?? 'nobody read yet')),
    };
  } finally {
    db.close();
  }
}
