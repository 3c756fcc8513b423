import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { PlayableTrack, QueueEntry } from '../play-queue.js';
import { PlayRecorder, type PlayHistory } from '../play-recorder.js';
import type { Player, PlayerEvents, PlayOutcome, PlayReason } from '../player.js';

/** Keeps plays in memory, for asserting on what a `PlayRecorder` wrote for a player. */
export class MemoryPlayHistory implements PlayHistory {
  readonly plays: Array<{ id: number; trackId: number; reason: PlayReason; mood: string | null; outcome?: PlayOutcome; note?: string }> =
    [];

  start(input: { trackId: number; reason: PlayReason; mood?: string | null }): { id: number } {
    const play = { id: this.plays.length + 1, trackId: input.trackId, reason: input.reason, mood: input.mood ?? null };
    this.plays.push(play);
    return play;
  }

  finish(id: number, outcome: PlayOutcome): void {
    const play = this.plays[id - 1];
    if (play) play.outcome = outcome;
  }

  annotate(id: number, note: string): void {
    const play = this.plays[id - 1];
    if (play) play.note = note;
  }
}

export interface PlayerFixture {
  player: Player & Service;
  /** Two short playable tracks. */
  tracks: readonly [PlayableTrack, PlayableTrack];
  /** A track that cannot be played (missing or broken file). */
  broken: PlayableTrack;
}

/** Resolves on the first `event` whose payload passes `test`; rejects after `ms`. */
export function nextEvent<K extends keyof PlayerEvents>(
  player: Player,
  event: K,
  test: (payload: PlayerEvents[K]) => boolean = () => true,
  ms = 15_000,
): Promise<PlayerEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const off = player.events.on(
      event,
      (payload) => {
        if (!test(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      },
      'player contract',
    );
  });
}

/**
 * What every `Player` must do, run against each implementation: the fake in unit tests, mpv with
 * real files. `make` builds a started player with a maximum volume of 70 and a volume at or above
 * 30. Each test records the player's plays with a `PlayRecorder` into a `MemoryPlayHistory`, as
 * the daemon does into its store.
 */
export function describePlayerContract(name: string, make: () => Promise<PlayerFixture>): void {
  describe(`${name} (Player contract)`, () => {
    const started: Service[] = [];
    afterEach(async () => {
      // Players first, so that the recorders see how their plays ended.
      for (const service of started.splice(0)) await service.stop();
    });

    const setUp = async (): Promise<PlayerFixture & { history: MemoryPlayHistory; log: string[] }> => {
      const fixture = await make();
      const history = new MemoryPlayHistory();
      const recorder = new PlayRecorder({ player: fixture.player, history, clock: systemClock, log: { error() {} } });
      await recorder.start();
      started.push(fixture.player, recorder);
      const log: string[] = [];
      fixture.player.events.on('trackStarted', ({ item }) => log.push(`started ${item.track.id}`), 'player contract');
      fixture.player.events.on('trackFailed', ({ item }) => log.push(`failed ${item.track.id}`), 'player contract');
      fixture.player.events.on('trackEnded', ({ item, outcome }) => log.push(`ended ${item.track.id} ${outcome}`), 'player contract');
      fixture.player.events.on('queueEnded', () => log.push('queue ended'), 'player contract');
      return { ...fixture, history, log };
    };
    const entry = (track: PlayableTrack, reason: PlayReason = 'mood'): QueueEntry => ({ track, reason, mood: 'calm', note: 'fits calm' });

    it('plays the queue in order to its end and records each play with its reason', async () => {
      const { player, history, tracks, log } = await setUp();
      const ended = nextEvent(player, 'queueEnded');
      await player.play([entry(tracks[0]), entry(tracks[1], 'tap')]);
      await ended;
      expect(log).toEqual([
        `started ${tracks[0].id}`,
        `ended ${tracks[0].id} completed`,
        `started ${tracks[1].id}`,
        `ended ${tracks[1].id} completed`,
        'queue ended',
      ]);
      expect(history.plays.map((p) => [p.trackId, p.reason, p.outcome, p.note])).toEqual([
        [tracks[0].id, 'mood', 'completed', 'fits calm'],
        [tracks[1].id, 'tap', 'completed', 'fits calm'],
      ]);
      expect(player.state().current).toBeUndefined();
    });

    it('skips a track it cannot play, with an event, and plays on', async () => {
      const { player, history, tracks, broken, log } = await setUp();
      const ended = nextEvent(player, 'queueEnded');
      await player.play([entry(broken), entry(tracks[1])]);
      await ended;
      expect(log).toEqual([
        `started ${broken.id}`,
        `failed ${broken.id}`,
        `ended ${broken.id} failed`,
        `started ${tracks[1].id}`,
        `ended ${tracks[1].id} completed`,
        'queue ended',
      ]);
      expect(history.plays.map((p) => p.outcome)).toEqual(['failed', 'completed']);
    });

    it('starts playing what is enqueued while idle', async () => {
      const { player, tracks } = await setUp();
      const started = nextEvent(player, 'trackStarted');
      await player.enqueue([entry(tracks[0])]);
      expect((await started).item.track.id).toBe(tracks[0].id);
    });

    it('caps the volume at the maximum and refuses values outside 0–100', async () => {
      const { player } = await setUp();
      expect(await player.setVolume(95)).toBe(70);
      expect(await player.setVolume(30)).toBe(30);
      await expect(player.setVolume(140)).rejects.toThrow('Expected `volume` to be 0–100, got `140` (number)');
    });

    it('applies a lowered maximum at once: the volume above it comes down, with an event', async () => {
      const { player } = await setUp();
      expect(await player.setVolume(60)).toBe(60);
      const lowered = nextEvent(player, 'volumeChanged', (v) => v.volume === 40);
      expect(await player.setMaxVolume(40)).toBe(40);
      await lowered;
      expect(player.state()).toMatchObject({ volume: 40, maxVolume: 40 });
      expect(await player.setVolume(95)).toBe(40);
    });

    it('keeps the volume when the maximum is raised, and lets it go up to the new maximum', async () => {
      const { player } = await setUp();
      expect(await player.setVolume(30)).toBe(30);
      expect(await player.setMaxVolume(90)).toBe(30);
      expect(player.state()).toMatchObject({ volume: 30, maxVolume: 90 });
      expect(await player.setVolume(95)).toBe(90);
      expect(await player.setMaxVolume(90)).toBe(90);
    });

    it('refuses a maximum outside 0–100 and keeps the one it had', async () => {
      const { player } = await setUp();
      await expect(player.setMaxVolume(101)).rejects.toThrow('Expected `maxVolume` to be 0–100, got `101` (number)');
      await expect(player.setMaxVolume(-1)).rejects.toThrow(RangeError);
      await expect(player.setMaxVolume(Number.NaN)).rejects.toThrow(RangeError);
      expect(player.state().maxVolume).toBe(70);
    });

    it('ends the current play as interrupted when it stops', async () => {
      const { player, history, tracks, log } = await setUp();
      const started = nextEvent(player, 'trackStarted');
      await player.play([entry(tracks[0]), entry(tracks[1])]);
      await started;
      await player.stop();
      expect(log).toEqual([`started ${tracks[0].id}`, `ended ${tracks[0].id} interrupted`]);
      expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[tracks[0].id, 'interrupted']]);
    });
  });
}
