import { describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { PlayRecorder } from '../play-recorder.js';
import { FakePlayer } from './fake-player.js';
import { describePlayerContract, MemoryPlayHistory, nextEvent } from './player-contract.js';

describePlayerContract('FakePlayer', async () => {
  // Tracks last their `durationMs` (a short one 5 ms), on the real clock as mpv's do.
  const player = new FakePlayer({ clock: systemClock }, { trackMs: 5, useTrackDurations: true, maxVolume: 70 });
  player.markBroken('/music/broken.flac');
  await player.start();
  return {
    player,
    tracks: [
      { id: 1, uri: '/music/one.flac' },
      { id: 2, uri: '/music/two.flac' },
    ],
    long: { id: 3, uri: '/music/long.flac', durationMs: 30_000 },
    broken: { id: 9, uri: '/music/broken.flac' },
    crash: () => player.crash(),
  };
});

describe('FakePlayer controls', () => {
  it('ends the current track on demand and reports a skip', async () => {
    const history = new MemoryPlayHistory();
    const player = new FakePlayer({ clock: systemClock }, { trackMs: 60_000 });
    const recorder = new PlayRecorder({ player, history, clock: systemClock, log: { error() {} } });
    await recorder.start();
    await player.play([
      { track: { id: 1, uri: '/a' }, reason: 'mood' },
      { track: { id: 2, uri: '/b' }, reason: 'mood' },
      { track: { id: 3, uri: '/c' }, reason: 'mood' },
    ]);
    player.endCurrent();
    const ended = nextEvent(player, 'trackEnded');
    await player.next();
    expect((await ended).outcome).toBe('skipped');
    expect(history.plays.map((p) => p.outcome)).toEqual(['completed', 'skipped', undefined]);
    await player.stop();
    expect(history.plays.map((p) => p.outcome)).toEqual(['completed', 'skipped', 'interrupted']);
    await recorder.stop();
  });

  it('emits nothing when a raised maximum leaves the volume as it was', async () => {
    const player = new FakePlayer({ clock: systemClock }, { maxVolume: 50, volume: 40 });
    const volumes: number[] = [];
    player.events.on('volumeChanged', ({ volume }) => volumes.push(volume), 'test');
    expect(await player.setMaxVolume(80)).toBe(40);
    expect(await player.setMaxVolume(40)).toBe(40);
    expect(volumes).toEqual([]);
    expect(await player.setMaxVolume(10)).toBe(10);
    expect(volumes).toEqual([10]);
  });
});
