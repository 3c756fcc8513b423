import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { audioOutputArgs, SNAPCAST } from './audio-output.js';
import { MpvPlayer, type MpvPlayerOptions } from './mpv-player.js';
import type { QueueEntry } from './play-queue.js';
import { PlayRecorder } from './play-recorder.js';
import { MemoryPlayHistory, nextEvent } from './testing/player-contract.js';
import { Snapserver } from './testing/snapserver.js';
import { makeTone } from './testing/tones.js';

// Issue 38: a failed output is not a finished song.

const run = promisify(execFile);
const silent = { info() {}, warn() {}, error() {}, debug() {} };

let dir: string;
let long: string;
const players: MpvPlayer[] = [];
const recorders: PlayRecorder[] = [];
const servers: Snapserver[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-mpv-output-'));
  long = await makeTone(dir, { file: 'long.flac', hz: 660, seconds: 40 });
});

afterEach(async () => {
  await Promise.all(players.splice(0).map((p) => p.stop()));
  await Promise.all(recorders.splice(0).map((r) => r.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startPlayer(options: MpvPlayerOptions): Promise<{ player: MpvPlayer; history: MemoryPlayHistory; log: string[] }> {
  const history = new MemoryPlayHistory();
  const socketPath = join(dir, `mpv-${players.length}.sock`);
  const player = new MpvPlayer({ clock: systemClock, log: silent }, { socketPath, ...options });
  players.push(player);
  const recorder = new PlayRecorder({ player, history, clock: systemClock, log: silent });
  recorders.push(recorder);
  await recorder.start();
  const log: string[] = [];
  player.events.on('trackStarted', ({ item }) => log.push(`started ${item.track.id}`));
  player.events.on('trackEnded', ({ item, outcome }) => log.push(`ended ${item.track.id} ${outcome}`));
  player.events.on('queueEnded', () => log.push('queue ended'));
  await player.start(AbortSignal.timeout(10_000));
  return { player, history, log };
}

const entry = (id: number, uri: string): QueueEntry => ({ track: { id, uri }, reason: 'mood', mood: 'calm', note: `fits calm (${id})` });

describe('MpvPlayer when its output fails (real mpv)', () => {
  it('stops when a song makes no progress (a Snapcast pipe nobody reads, where mpv blocks), says why, and plays once snapserver reads it', async () => {
    const fifo = join(dir, 'unread.fifo');
    await run('mkfifo', [fifo]);
    const { player, history, log } = await startPlayer({
      audioOutput: 'pcm',
      extraArgs: audioOutputArgs(SNAPCAST, fifo),
      pcmPipe: fifo,
      outputStallMs: 3000,
      outputRetryMs: 100,
    });
    const started = nextEvent(player, 'trackStarted');
    const faulted = nextEvent(player, 'playerFaulted', undefined, 60_000);
    await player.play([entry(1, long)]);
    await started;
    const { error } = await faulted;
    expect(error).toMatch(/^the audio output is not playing: nothing went through it for \d+\.\d s \(does snapserver read .+\?\)$/);
    expect(error).toContain(`(does snapserver read ${fifo}?)`);
    expect(player.health()).toEqual({
      status: 'degraded',
      detail: expect.stringMatching(
        /^the audio output is not playing: nothing went through it for \d+\.\d s \(does snapserver read .+\?\); the music is stopped and tried again in/,
      ) as string,
    });
    expect(player.state()).toMatchObject({ current: { track: { id: 1 } }, positionMs: 0 });

    const restored = nextEvent(player, 'outputRestored', undefined, 60_000);
    servers.push(await Snapserver.start(dir, fifo, { mode: 'read' }));
    await restored;
    expect(player.health()).toEqual({ status: 'ready' });
    expect(player.state().positionMs).toBeGreaterThanOrEqual(8000);
    expect(log).toEqual(['started 1']);
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[1, undefined]]);
  }, 120_000);

  it('does not start mpv while the Snapcast pipe is missing, says so, keeps what it is asked to play, and plays it once snapserver makes the pipe', async () => {
    const fifo = join(dir, 'snapfifo');
    const { player, log } = await startPlayer({
      audioOutput: 'pcm',
      extraArgs: audioOutputArgs(SNAPCAST, fifo),
      pcmPipe: fifo,
      restartDelayMs: 100,
      restartMaxDelayMs: 400,
    });
    expect(player.pid).toBeUndefined();
    expect(player.health()).toEqual({
      status: 'degraded',
      detail: expect.stringContaining(`the Snapcast pipe ${fifo} does not exist`) as string,
    });
    // The music asks for a song while mpv waits for its output (as it does at start with a library): kept, not refused.
    await player.play([entry(1, long)]);
    await player.setVolume(60);
    expect(player.state()).toMatchObject({ current: { track: { id: 1 } }, volume: 60 });
    expect(log).toEqual([]);

    const started = nextEvent(player, 'trackStarted', undefined, 60_000);
    servers.push(await Snapserver.start(dir, fifo, { mode: 'create' }));
    expect((await started).item.track.id).toBe(1);
    await nextEvent(player, 'positionChanged', (p) => p.positionMs >= 1000, 30_000);
    expect(player.health()).toEqual({ status: 'ready' });
  }, 120_000);
});
