import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { connectSocket, MpvIpcClient } from './mpv/mpv-ipc-client.js';
import { planCrossfade } from './mpv/crossfade.js';
import { MpvPlayer } from './mpv-player.js';
import type { PlayableTrack, QueueEntry } from './play-queue.js';
import { PlayRecorder } from './play-recorder.js';
import { MemoryPlayHistory, nextEvent } from './testing/player-contract.js';
import { readWav, toneLevels } from './testing/pcm.js';
import { makeTone } from './testing/tones.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
/** Analysis windows (ms): the overlap is measured to about this. */
const WINDOW_MS = 50;
/** A tone counts as heard in a window at this share of the loudest window of either. */
const HEARD = 0.05;
const SONG_MS = 6000;

let dir: string;
let low: PlayableTrack;
let high: PlayableTrack;
const players: MpvPlayer[] = [];
const recorders: PlayRecorder[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-crossfade-'));
  // A name with every character libavfilter and mpv treat specially: the crossfade reads this file itself.
  const [lowPath, highPath] = await Promise.all([
    makeTone(dir, { file: "it's [live], a:b;c%.flac", hz: 440, seconds: SONG_MS / 1000 }),
    makeTone(dir, { file: 'high.flac', hz: 1760, seconds: SONG_MS / 1000 }),
  ]);
  low = { id: 1, uri: lowPath, durationMs: SONG_MS };
  high = { id: 2, uri: highPath, durationMs: SONG_MS };
});

afterEach(async () => {
  await Promise.all(players.splice(0).map((p) => p.stop()));
  await Promise.all(recorders.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (track: PlayableTrack): QueueEntry => ({ track, reason: 'mood', mood: 'calm', note: '' });

async function startPlayer(
  crossfadeMs: number,
  pcm: string,
): Promise<{ player: MpvPlayer; history: MemoryPlayHistory; socketPath: string }> {
  const socketPath = join(dir, `mpv-${players.length}.sock`);
  const player = new MpvPlayer(
    { clock: systemClock, log: silent },
    { socketPath, audioOutput: 'pcm', extraArgs: [`--ao-pcm-file=${pcm}`], crossfadeMs },
  );
  players.push(player);
  const history = new MemoryPlayHistory();
  const recorder = new PlayRecorder({ player, history, clock: systemClock, log: silent });
  recorders.push(recorder);
  await recorder.start();
  await player.start(AbortSignal.timeout(10_000));
  return { player, history, socketPath };
}

/**
 * Queues `tracks` while mpv is paused and waits until mpv holds all of them: mpv writes a PCM file
 * faster than real time, so it must not run before the next song (and its crossfade) is in place.
 */
async function queuePaused(player: MpvPlayer, socketPath: string, tracks: readonly PlayableTrack[]): Promise<void> {
  const paused = nextEvent(player, 'pausedChanged', (p) => p.isPaused);
  await player.pause();
  await paused;
  await player.play(tracks.map(entry));
  const client = new MpvIpcClient({ log: silent });
  client.attach(await connectSocket(socketPath));
  try {
    for (let tries = 0; (await client.command(['get_property', 'playlist-count'])) !== tracks.length; tries++) {
      // As long as the other waits here (15 s): a busy machine is slow, not wrong.
      if (tries > 1500) throw new Error(`mpv never held the ${tracks.length} songs`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    client.detach(new Error('done'));
  }
}

async function playToTheEnd(player: MpvPlayer): Promise<void> {
  const ended = nextEvent(player, 'queueEnded');
  await player.resume();
  await ended;
  await player.stop();
}

/** What the file holds: its length and the spans (ms) where each tone, and both together, are heard. */
async function listen(
  pcm: string,
): Promise<{ lengthMs: number; lowMs: number; highMs: number; bothMs: number; bothFromMs: number | undefined }> {
  const audio = await readWav(pcm);
  const lowLevels = toneLevels(audio, 440, WINDOW_MS);
  const highLevels = toneLevels(audio, 1760, WINDOW_MS);
  const loudest = Math.max(...lowLevels, ...highLevels);
  const heard = (levels: number[]): boolean[] => levels.map((level) => level > HEARD * loudest);
  const lows = heard(lowLevels);
  const highs = heard(highLevels);
  const both = lows.map((isLow, i) => isLow && highs[i] === true);
  return {
    lengthMs: (audio.samples.length / audio.sampleRate) * 1000,
    lowMs: lows.filter(Boolean).length * WINDOW_MS,
    highMs: highs.filter(Boolean).length * WINDOW_MS,
    bothMs: both.filter(Boolean).length * WINDOW_MS,
    bothFromMs: both.includes(true) ? both.indexOf(true) * WINDOW_MS : undefined,
  };
}

describe('crossfade in MpvPlayer, heard in what real mpv writes', () => {
  it('overlaps the end of a song with the start of the next for the crossfade set, both tones at once', async () => {
    const pcm = join(dir, 'crossfade-2000.wav');
    const { player, history, socketPath } = await startPlayer(2000, pcm);
    await queuePaused(player, socketPath, [low, high]);
    await playToTheEnd(player);

    const heard = await listen(pcm);
    // Equal-power fades (quarter sines) are above 5 % of full level for 94 % of their length: 1873
    // ms of 2000, to a window either way.
    expect(heard.bothMs).toBeGreaterThanOrEqual(1750);
    expect(heard.bothMs).toBeLessThanOrEqual(2050);
    // The overlap is where the first song ends: at 4 s of its 6.
    expect(heard.bothFromMs).toBeGreaterThanOrEqual(3900);
    expect(heard.bothFromMs).toBeLessThanOrEqual(4200);
    // Each song is played whole, once: 6 + 6 s less the 2 s they share.
    expect(heard.lengthMs).toBeGreaterThan(9900);
    expect(heard.lengthMs).toBeLessThan(10_100);
    expect(heard.lowMs).toBeGreaterThan(5700);
    expect(heard.highMs).toBeGreaterThan(5700);
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([
      [1, 'completed'],
      [2, 'completed'],
    ]);
  });

  it('plays the songs one after the other, never together, with no crossfade (gapless)', async () => {
    const pcm = join(dir, 'crossfade-0.wav');
    const { player, history, socketPath } = await startPlayer(0, pcm);
    await queuePaused(player, socketPath, [low, high]);
    await playToTheEnd(player);

    const heard = await listen(pcm);
    // The one window that straddles the change of song may hold both.
    expect(heard.bothMs).toBeLessThanOrEqual(WINDOW_MS);
    expect(heard.lengthMs).toBeGreaterThan(11_900);
    expect(heard.lengthMs).toBeLessThan(12_100);
    expect(history.plays.map((p) => p.outcome)).toEqual(['completed', 'completed']);
  });

  it('takes a crossfade turned off while a song plays at once, for the song already queued next', async () => {
    const pcm = join(dir, 'crossfade-off-live.wav');
    const { player, socketPath } = await startPlayer(2000, pcm);
    const pid = player.pid;
    await queuePaused(player, socketPath, [low, high]);
    await player.setCrossfade(0);
    expect(player.pid).toBe(pid);
    await playToTheEnd(player);

    const heard = await listen(pcm);
    expect(heard.bothMs).toBeLessThanOrEqual(WINDOW_MS);
    expect(heard.lengthMs).toBeGreaterThan(11_900);
  });

  it('cuts to the next song on a skip, without playing the end of the skipped one under it', async () => {
    const pcm = join(dir, 'crossfade-skip.wav');
    const { player, history, socketPath } = await startPlayer(2000, pcm);
    await queuePaused(player, socketPath, [low, high]);
    const next = nextEvent(player, 'trackStarted', (s) => s.item.track.id === 2);
    await player.next();
    await next;
    await playToTheEnd(player);

    const heard = await listen(pcm);
    expect(heard.bothMs).toBeLessThanOrEqual(WINDOW_MS);
    expect(heard.highMs).toBeGreaterThan(5700);
    expect(heard.lowMs).toBeLessThanOrEqual(WINDOW_MS);
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([
      [1, 'skipped'],
      [2, 'completed'],
    ]);
  });

  it('refuses a crossfade outside 0–12000 ms, naming the setting', async () => {
    const { player } = await startPlayer(0, join(dir, 'unused.wav'));
    await expect(player.setCrossfade(12_001)).rejects.toThrow(
      'Expected `crossfadeMs` to be an integer from 0 to 12000, got `12001` (number)',
    );
    expect(() => new MpvPlayer({ clock: systemClock, log: silent }, { crossfadeMs: -1 })).toThrow(RangeError);
  });
});

describe('planCrossfade', () => {
  const settings = { crossfadeMs: 3000, replayGain: 'track' as const, positionMs: 0 };
  const song = (id: number, extra: Partial<PlayableTrack> = {}): PlayableTrack => ({
    id,
    uri: `/music/${id}.flac`,
    durationMs: 180_000,
    ...extra,
  });

  it('stops the song 3 s early and mixes its last 3 s, at its own ReplayGain, under the next', () => {
    const plan = planCrossfade(song(1, { replayGainDb: -6 }), song(2, { replayGainDb: -12 }), settings);
    expect(plan?.endS).toBe(177);
    expect(plan?.af).toContain('seek_point=177.000');
    // −6 dB under a song played at −12 dB: 6 dB up, twice the amplitude.
    expect(plan?.af).toContain('volume=1.995262');
  });

  it('keeps songs gapless where a crossfade would be wrong or impossible', () => {
    expect(planCrossfade(song(1), song(2), { ...settings, crossfadeMs: 0 })).toBeUndefined();
    // Two songs of one album run into each other as the album does.
    expect(planCrossfade(song(1, { album: 'Live at the Roxy' }), song(2, { album: 'Live at the Roxy' }), settings)).toBeUndefined();
    // A stream has no end to fade out; a stream after a song fades in.
    expect(planCrossfade(song(1, { durationMs: null }), song(2), settings)).toBeUndefined();
    expect(planCrossfade(song(1), song(2, { durationMs: null }), settings)).toBeDefined();
    expect(planCrossfade(song(1, { uri: 'https://radio.example/live.mp3' }), song(2), settings)).toBeUndefined();
    // Too short a song, or too late to stop it early.
    expect(planCrossfade(song(1, { durationMs: 5000 }), song(2), settings)).toBeUndefined();
    expect(planCrossfade(song(1), song(2), { ...settings, positionMs: 176_500 })).toBeUndefined();
  });
});
