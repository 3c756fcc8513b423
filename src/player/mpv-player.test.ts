import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { connectSocket, MpvIpcClient } from './mpv/mpv-ipc-client.js';
import { MpvPlayer } from './mpv-player.js';
import type { QueueEntry } from './play-queue.js';
import type { PlayerEvents, PlayReason } from './player.js';
import { MpvRig } from './testing/mpv-rig.js';
import { describePlayerContract, nextEvent } from './testing/player-contract.js';
import { makeCorruptFile, makeTone } from './testing/tones.js';

const run = promisify(execFile);
const silent = { info() {}, warn() {}, error() {}, debug() {} };

const rig = new MpvRig('moodbox-mpv-');
let low: string;
let high: string;
let long: string;
let quiet: string;
const clients: MpvIpcClient[] = [];

beforeAll(async () => {
  await rig.open();
  const dir = rig.dir;
  [low, high, long] = await Promise.all([
    makeTone(dir, { file: 'low.flac', hz: 440, seconds: 1 }),
    makeTone(dir, { file: 'high.flac', hz: 1760, seconds: 1 }),
    makeTone(dir, { file: 'long.flac', hz: 660, seconds: 30 }),
  ]);
  await makeCorruptFile(dir, 'broken.flac');
  // The same tone as `low`, tagged to be played 12 dB quieter.
  quiet = await makeTone(dir, {
    file: 'quiet.flac',
    hz: 440,
    seconds: 1,
    tags: { REPLAYGAIN_TRACK_GAIN: '-12.00 dB', REPLAYGAIN_TRACK_PEAK: '1.0' },
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.detach(new Error('test over'));
  await rig.stopAll();
});

afterAll(async () => {
  await rig.close();
});

/** mpv's own value of `property`, asked over a second IPC connection of our own. */
async function mpvProperty(socketPath: string, property: string): Promise<unknown> {
  const client = new MpvIpcClient({ log: silent });
  clients.push(client);
  client.attach(await connectSocket(socketPath));
  try {
    return await client.command(['get_property', property]);
  } finally {
    client.detach(new Error('done'));
  }
}

const once = <K extends keyof PlayerEvents>(player: MpvPlayer, event: K, test?: (p: PlayerEvents[K]) => boolean) =>
  nextEvent(player, event, test);

const entry = (id: number, uri: string, reason: PlayReason = 'mood'): QueueEntry => ({
  track: { id, uri },
  reason,
  mood: 'calm',
  note: `fits calm (${id})`,
});

/** Within 5 %: sox's figure for what mpv wrote against its figure for the source file. */
function expectClose(played: number, source: number): void {
  expect(source).toBeGreaterThan(0);
  expect(Math.abs(played - source) / source).toBeLessThan(0.05);
}

/**
 * Where mpv writes what it plays: raw samples of a fixed format, appended. A busy machine may
 * have mpv open its output again between two files; appended, nothing written before is lost.
 */
function pcmOut(name: string): { file: string; args: string[] } {
  const file = join(rig.dir, `${name}.raw`);
  return {
    file,
    args: [
      `--ao-pcm-file=${file}`,
      '--ao-pcm-waveheader=no',
      '--ao-pcm-append=yes',
      '--audio-format=s16',
      '--audio-samplerate=44100',
      '--audio-channels=stereo',
    ],
  };
}

/** How sox reads `file`: the raw samples `pcmOut` has mpv write, or a file that says its format. */
const soxIn = (file: string): string[] =>
  file.endsWith('.raw') ? ['-t', 'raw', '-e', 'signed', '-b', '16', '-c', '2', '-r', '44100', file] : [file];

/** sox's rough frequency (Hz) of `seconds` of audio starting at `from`. */
async function frequency(file: string, from: number, seconds: number): Promise<number> {
  const { stderr } = await run('sox', [...soxIn(file), '-n', 'trim', String(from), String(seconds), 'stat']);
  return Number(/Rough\s+frequency:\s+(\d+)/.exec(stderr)?.[1]);
}

async function rms(file: string, from: number, seconds: number): Promise<number> {
  const { stderr } = await run('sox', [...soxIn(file), '-n', 'trim', String(from), String(seconds), 'stat']);
  return Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(stderr)?.[1]);
}

async function length(file: string): Promise<number> {
  const { stderr } = await run('sox', [...soxIn(file), '-n', 'stat']);
  return Number(/Length \(seconds\):\s+([\d.]+)/.exec(stderr)?.[1]);
}

describe('MpvPlayer with real mpv', () => {
  it('plays the queued files in order, advancing at the end of each, and records every play with its reason', async () => {
    const { file: pcm, args } = pcmOut('in-order');
    const { player, history, log } = await rig.start({ audioOutput: 'pcm', extraArgs: args });
    const ended = once(player, 'queueEnded');
    await player.play([entry(1, low), entry(2, high, 'tap')]);
    await ended;
    expect(log).toEqual(['started 1', 'ended 1 completed', 'started 2', 'ended 2 completed', 'queue ended']);
    expect(history.plays).toEqual([
      { id: 1, trackId: 1, reason: 'mood', mood: 'calm', outcome: 'completed', note: 'fits calm (1)' },
      { id: 2, trackId: 2, reason: 'tap', mood: 'calm', outcome: 'completed', note: 'fits calm (2)' },
    ]);
    await player.stop();
    // What mpv wrote is the low file, then the high one, and nothing else.
    expect(await length(pcm)).toBeCloseTo(2, 1);
    expectClose(await frequency(pcm, 0.1, 0.8), await frequency(low, 0.1, 0.8));
    expectClose(await frequency(pcm, 1.1, 0.8), await frequency(high, 0.1, 0.8));
  });

  it("applies the file's ReplayGain", async () => {
    const { file: pcm, args } = pcmOut('replaygain');
    const { player } = await rig.start({ audioOutput: 'pcm', extraArgs: args });
    const ended = once(player, 'queueEnded');
    await player.play([entry(1, low), entry(2, quiet)]);
    await ended;
    await player.stop();
    // −12 dB is a quarter of the amplitude.
    expect((await rms(pcm, 1.1, 0.8)) / (await rms(pcm, 0.1, 0.8))).toBeCloseTo(0.25, 1);
  });

  it('skips a missing or broken file with an event and plays on', async () => {
    const { file: pcm, args } = pcmOut('skip-broken');
    const { player, history, log } = await rig.start({ audioOutput: 'pcm', extraArgs: args });
    const failed = once(player, 'trackFailed');
    const ended = once(player, 'queueEnded');
    await player.play([entry(1, join(rig.dir, 'no-such-file.flac')), entry(2, high)]);
    expect((await failed).item.track.id).toBe(1);
    await ended;
    expect(log).toEqual(['started 1', 'failed 1', 'ended 1 failed', 'started 2', 'ended 2 completed', 'queue ended']);
    expect(history.plays.map((p) => p.outcome)).toEqual(['failed', 'completed']);
    await player.stop();
    expect(await length(pcm)).toBeCloseTo(1, 1);
    expectClose(await frequency(pcm, 0.1, 0.8), await frequency(high, 0.1, 0.8));
  });

  it('restarts a killed mpv and resumes the same track with the queue intact', async () => {
    const { player, history, log } = await rig.start({ audioOutput: 'null', restartDelayMs: 50 });
    await player.play([entry(1, long), entry(2, low)]);
    await once(player, 'positionChanged', (p) => p.positionMs >= 1000);
    const before = player.state();
    const pid = player.pid;
    const faulted = once(player, 'playerFaulted');
    const restarted = once(player, 'playerRestarted');
    process.kill(pid ?? 0, 'SIGKILL');
    expect((await faulted).error).toBe('mpv was killed by SIGKILL');
    await restarted;
    expect(player.pid).not.toBe(pid);
    expect(player.health()).toEqual({ status: 'ready' });
    const resumed = await once(player, 'positionChanged', (p) => p.item.track.id === 1);
    // It goes on from where it was, not from the start.
    expect(resumed.positionMs).toBeGreaterThanOrEqual(1000);
    expect(player.state().current?.key).toBe(before.current?.key);
    expect(player.state().upcoming.map((i) => i.track.id)).toEqual([2]);
    // Still one play of track 1: the crash did not start a second.
    expect(history.plays.map((p) => p.trackId)).toEqual([1]);

    const ended = once(player, 'queueEnded');
    await player.next();
    await ended;
    expect(log).toEqual(['started 1', 'ended 1 skipped', 'started 2', 'ended 2 completed', 'queue ended']);
  });

  it('keeps retrying with a growing backoff while mpv cannot be started again, and reports itself degraded', async () => {
    const flag = join(rig.dir, 'mpv-allowed');
    const wrapper = join(rig.dir, 'flaky-mpv.sh');
    await writeFile(flag, '');
    await writeFile(wrapper, `#!/bin/sh\n[ -f '${flag}' ] || exit 3\nexec mpv "$@"\n`, { mode: 0o755 });
    const { player } = await rig.start({ mpvPath: wrapper, audioOutput: 'null', restartDelayMs: 50 });
    const started = once(player, 'trackStarted');
    await player.play([entry(1, long)]);
    await started;
    const faults: number[] = [];
    player.events.on('playerFaulted', (f) => faults.push(f.retryInMs), 'test');
    const thirdFault = once(player, 'playerFaulted', () => faults.length >= 3);
    await rm(flag);
    process.kill(player.pid ?? 0, 'SIGKILL');
    await thirdFault;
    expect(faults.slice(0, 3)).toEqual([50, 100, 200]);
    expect(player.health()).toEqual({ status: 'degraded', detail: 'mpv stopped unexpectedly; restarting' });
    const restarted = once(player, 'playerRestarted');
    await writeFile(flag, '');
    expect((await restarted).attempt).toBeGreaterThanOrEqual(3);
    expect(player.state().current?.track.id).toBe(1);
  });

  it("lowers mpv's own volume at once when the maximum is lowered, with no restart", async () => {
    const { player, socketPath } = await rig.start({ audioOutput: 'null', maxVolume: 90, volume: 80 });
    const started = once(player, 'trackStarted');
    await player.play([entry(1, long)]);
    await started;
    const pid = player.pid;
    expect(await mpvProperty(socketPath, 'volume')).toBe(80);
    const lowered = once(player, 'volumeChanged', (v) => v.volume === 35);
    expect(await player.setMaxVolume(35)).toBe(35);
    await lowered;
    expect(await mpvProperty(socketPath, 'volume')).toBe(35);
    expect(player.state()).toMatchObject({ volume: 35, maxVolume: 35 });
    expect(await player.setVolume(80)).toBe(35);
    expect(await mpvProperty(socketPath, 'volume')).toBe(35);
    // A raised maximum leaves mpv where it is, and lets the volume go up to it.
    expect(await player.setMaxVolume(60)).toBe(35);
    expect(await mpvProperty(socketPath, 'volume')).toBe(35);
    expect(await player.setVolume(80)).toBe(60);
    expect(await mpvProperty(socketPath, 'volume')).toBe(60);
    expect(player.pid).toBe(pid);
  });

  it('keeps a maximum lowered while mpv is down, and the restarted mpv plays under it', async () => {
    const { player, socketPath } = await rig.start({ audioOutput: 'null', restartDelayMs: 300, volume: 80 });
    const started = once(player, 'trackStarted');
    await player.play([entry(1, long)]);
    await started;
    const faulted = once(player, 'playerFaulted');
    const restarted = once(player, 'playerRestarted');
    process.kill(player.pid ?? 0, 'SIGKILL');
    await faulted;
    const lowered = once(player, 'volumeChanged', (v) => v.volume === 25);
    expect(await player.setMaxVolume(25)).toBe(25);
    await lowered;
    await restarted;
    expect(await mpvProperty(socketPath, 'volume')).toBe(25);
    expect(player.state()).toMatchObject({ volume: 25, maxVolume: 25 });
  });

  it('dies with the daemon, even one killed by SIGKILL, and a later start removes the socket it left', async () => {
    const script = join(rig.dir, 'owner.mts');
    const socketDir = await mkdtemp(join(tmpdir(), 'moodbox-owner-'));
    await writeFile(
      script,
      `import { MpvPlayer } from ${JSON.stringify(join(import.meta.dirname, 'mpv-player.ts'))};
       import { systemClock } from ${JSON.stringify(join(import.meta.dirname, '..', 'kernel', 'clock.ts'))};
       const player = new MpvPlayer({ clock: systemClock, log: { info() {}, warn() {}, error() {}, debug() {} } },
         { audioOutput: 'null', socketPath: ${JSON.stringify(join(socketDir, `moodbox-mpv-`))} + process.pid + '-0badf00d.sock' });
       await player.start();
       console.log('started');`,
    );
    const { spawn } = await import('node:child_process');
    const owner = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => owner.stdout.on('data', (b: Buffer) => b.toString().includes('started') && resolve()));
    const { stdout } = await run('pgrep', ['-P', String(owner.pid), 'mpv']);
    const mpv = Number(stdout.trim());
    expect(mpv).toBeGreaterThan(0);
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    const gone = async (): Promise<boolean> => {
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(mpv, 0);
        } catch {
          return true;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };
    expect(await gone()).toBe(true);
    const { readdirSync } = await import('node:fs');
    const { removeStaleSockets } = await import('./mpv-player.js');
    expect(readdirSync(socketDir)).toEqual([`moodbox-mpv-${owner.pid}-0badf00d.sock`]);
    removeStaleSockets(socketDir);
    expect(readdirSync(socketDir)).toEqual([]);
  });

  it('refuses to start when mpv cannot be run, saying why', async () => {
    const player = new MpvPlayer(
      { clock: systemClock, log: silent },
      { mpvPath: join(rig.dir, 'no-mpv-here'), socketPath: join(rig.dir, 'x.sock') },
    );
    await expect(player.start()).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_START',
      message: expect.stringMatching(/ENOENT|No such file or directory/) as string,
    });
    await player.stop();
    expect(existsSync(join(rig.dir, 'x.sock'))).toBe(false);
  });
});

describePlayerContract('MpvPlayer', async () => {
  // Played in real time (no audio device), as the daemon plays: the long track is still playing
  // when a test acts on it. The short ones are short, to keep the run brief.
  const [a, b] = await Promise.all([
    makeTone(rig.dir, { file: 'contract-a.flac', hz: 440, seconds: 0.3 }),
    makeTone(rig.dir, { file: 'contract-b.flac', hz: 1760, seconds: 0.3 }),
  ]);
  const player = new MpvPlayer(
    { clock: systemClock, log: silent },
    { audioOutput: 'null', socketPath: join(rig.dir, 'contract.sock'), maxVolume: 70, restartDelayMs: 50 },
  );
  await player.start();
  return {
    player,
    tracks: [
      { id: 1, uri: a },
      { id: 2, uri: b },
    ],
    long: { id: 3, uri: long, durationMs: 30_000 },
    broken: { id: 9, uri: join(rig.dir, 'broken.flac') },
    crash: () => process.kill(player.pid ?? 0, 'SIGKILL'),
  };
});
