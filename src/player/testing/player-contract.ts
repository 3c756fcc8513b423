import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { PlayableTrack, QueueEntry, QueueItem } from '../play-queue.js';
import { PlayRecorder, type PlayHistory } from '../play-recorder.js';
import type { Player, PlayerEvents, PlayOptions, PlayOutcome, PlayReason } from '../player.js';

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
  /** A track long enough (30 s) to be playing still when the test acts on it. */
  long: PlayableTrack;
  /** A track that cannot be played (missing or broken file). */
  broken: PlayableTrack;
  /** Makes the player process die at once, as a crash does (it comes back by itself). */
  crash(): void;
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
 * real files. It covers each behaviour the music (`MusicDirector`, its queue, limits and staff
 * picks, the stations, the guests) relies on: the commands it calls and the events it follows.
 * `make` builds one started player for the whole run (one mpv per file), with a maximum volume of
 * 70 and a volume at or above 30; after each test it is left idle, unpaused, at 70 and 50. Each
 * test records the player's plays with a `PlayRecorder` into a `MemoryPlayHistory`, as the daemon
 * does into its store.
 */
export function describePlayerContract(name: string, make: () => Promise<PlayerFixture>): void {
  describe(`${name} (Player contract)`, () => {
    let fixture: PlayerFixture;
    let recorder: PlayRecorder | undefined;
    /** The plays started and not yet ended, by key. */
    const open = new Set<number>();
    const owner = { name: 'player contract test' };

    beforeAll(async () => {
      fixture = await make();
    }, 30_000);
    afterAll(async () => {
      await fixture.player.stop();
    });
    afterEach(async () => {
      // Back to idle: the play left open ends (as skipped), then the listeners of the test go.
      const { player } = fixture;
      if (player.state().current !== undefined) {
        const left = new Set(open);
        const ended = left.size === 0 ? Promise.resolve() : nextEvent(player, 'trackEnded', ({ item }) => left.has(item.key));
        await player.play([]);
        await ended;
      }
      if (player.state().isPaused) await player.resume();
      await player.setMaxVolume(70);
      await player.setVolume(50);
      player.events.removeListeners(owner);
      open.clear();
      await recorder?.stop();
      recorder = undefined;
    });

    const setUp = async (): Promise<PlayerFixture & { history: MemoryPlayHistory; log: string[] }> => {
      const { player } = fixture;
      const history = new MemoryPlayHistory();
      recorder = new PlayRecorder({ player, history, clock: systemClock, log: { error() {} } });
      await recorder.start();
      const log: string[] = [];
      player.events.on('trackStarted', ({ item }) => (open.add(item.key), log.push(`started ${item.track.id}`)), owner);
      player.events.on('trackFailed', ({ item }) => log.push(`failed ${item.track.id}`), owner);
      player.events.on('trackEnded', ({ item, outcome }) => (open.delete(item.key), log.push(`ended ${item.track.id} ${outcome}`)), owner);
      player.events.on('queueEnded', () => log.push('queue ended'), owner);
      return { ...fixture, history, log };
    };
    const entry = (track: PlayableTrack, reason: PlayReason = 'mood'): QueueEntry => ({ track, reason, mood: 'calm', note: 'fits calm' });
    /** Plays `entries` and resolves once the first has started. */
    const playing = async (player: Player, entries: readonly QueueEntry[], options?: PlayOptions): Promise<QueueItem> => {
      const first = entries[0]?.track.id;
      const started = nextEvent(player, 'trackStarted', ({ item }) => item.track.id === first);
      await player.play(entries, options);
      return (await started).item;
    };

    it('plays the queue in order to its end and records each play with its reason', async () => {
      const { player, history, tracks, log } = await setUp();
      const ended = nextEvent(player, 'queueEnded');
      const changed = nextEvent(player, 'queueChanged', ({ current }) => current?.track.id === tracks[0].id);
      await player.play([entry(tracks[0]), entry(tracks[1], 'tap')]);
      // The queue as the screens show it: the first playing, the second next, each with its reason.
      const queue = await changed;
      expect([queue.current, ...queue.upcoming].map((i) => [i?.track.id, i?.reason, i?.mood, i?.note])).toEqual([
        [tracks[0].id, 'mood', 'calm', 'fits calm'],
        [tracks[1].id, 'tap', 'calm', 'fits calm'],
      ]);
      const { lastKey } = await ended;
      expect(log).toEqual([
        `started ${tracks[0].id}`,
        `ended ${tracks[0].id} completed`,
        `started ${tracks[1].id}`,
        `ended ${tracks[1].id} completed`,
        'queue ended',
      ]);
      expect(lastKey).toBe(queue.upcoming[0]?.key);
      expect(history.plays.map((p) => [p.trackId, p.reason, p.outcome, p.note])).toEqual([
        [tracks[0].id, 'mood', 'completed', 'fits calm'],
        [tracks[1].id, 'tap', 'completed', 'fits calm'],
      ]);
      expect(player.state()).toMatchObject({ current: undefined, upcoming: [] });
    });

    it('skips a track it cannot play, with an event, and plays on', async () => {
      const { player, history, tracks, broken, log } = await setUp();
      const ended = nextEvent(player, 'queueEnded');
      const failed = nextEvent(player, 'trackFailed');
      await player.play([entry(broken), entry(tracks[1])]);
      await ended;
      expect((await failed).item.track.id).toBe(broken.id);
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

    it('skips to the next song: the current play ends as skipped and the next starts', async () => {
      const { player, history, long, tracks, log } = await setUp();
      await playing(player, [entry(long), entry(tracks[0])]);
      const ended = nextEvent(player, 'queueEnded');
      await player.next();
      await ended;
      expect(log).toEqual([
        `started ${long.id}`,
        `ended ${long.id} skipped`,
        `started ${tracks[0].id}`,
        `ended ${tracks[0].id} completed`,
        'queue ended',
      ]);
      expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([
        [long.id, 'skipped'],
        [tracks[0].id, 'completed'],
      ]);
    });

    it('ends a play replaced by a person as skipped, and one replaced for the room as switched', async () => {
      const { player, history, long } = await setUp();
      await playing(player, [entry(long)]);
      await playing(player, [entry(long, 'tap')]);
      await playing(player, [entry(long, 'staff')], { replacedAs: 'switched' });
      expect(history.plays.map((p) => [p.reason, p.outcome])).toEqual([
        ['mood', 'skipped'],
        ['tap', 'switched'],
        ['staff', undefined],
      ]);
      expect(player.state().current?.reason).toBe('staff');
    });

    it('replaces what comes next and leaves the current song playing', async () => {
      const { player, long, tracks, log } = await setUp();
      const current = await playing(player, [entry(long), entry(tracks[0])]);
      const changed = nextEvent(player, 'queueChanged', ({ upcoming }) => upcoming[0]?.track.id === tracks[1].id);
      await player.replaceUpcoming([entry(tracks[1], 'staff')]);
      expect((await changed).current?.key).toBe(current.key);
      expect(player.state().current?.key).toBe(current.key);
      expect(player.state().upcoming.map((i) => [i.track.id, i.reason])).toEqual([[tracks[1].id, 'staff']]);
      expect(log).toEqual([`started ${long.id}`]);
      const ended = nextEvent(player, 'queueEnded');
      await player.next();
      await ended;
      expect(log).toEqual([
        `started ${long.id}`,
        `ended ${long.id} skipped`,
        `started ${tracks[1].id}`,
        `ended ${tracks[1].id} completed`,
        'queue ended',
      ]);
    });

    it('pauses and resumes the song playing, with an event each, the play going on', async () => {
      const { player, long, log } = await setUp();
      const current = await playing(player, [entry(long)]);
      const paused = nextEvent(player, 'pausedChanged');
      await player.pause();
      expect(await paused).toEqual({ isPaused: true });
      expect(player.state()).toMatchObject({ isPaused: true, current: { key: current.key } });
      const resumed = nextEvent(player, 'pausedChanged');
      await player.resume();
      expect(await resumed).toEqual({ isPaused: false });
      expect(player.state()).toMatchObject({ isPaused: false, current: { key: current.key } });
      expect(log).toEqual([`started ${long.id}`]);
    });

    it('reports where the song playing is, each second, for the song playing', async () => {
      const { player, long } = await setUp();
      const position = nextEvent(player, 'positionChanged', ({ positionMs }) => positionMs >= 1000);
      const current = await playing(player, [entry(long)]);
      const reported = await position;
      expect(reported.item.key).toBe(current.key);
      expect(reported.positionMs).toBeLessThan(long.durationMs ?? 30_000);
      expect(player.state().positionMs).toBeGreaterThanOrEqual(1000);
    });

    it('starts a resumed play where it was', async () => {
      const { player, long, log } = await setUp();
      const position = nextEvent(player, 'positionChanged');
      const current = await playing(player, [entry(long)], { startAtMs: 12_000 });
      const first = await position;
      expect(first.item.key).toBe(current.key);
      expect(first.positionMs).toBeGreaterThanOrEqual(12_000);
      expect(first.positionMs).toBeLessThan(14_000);
      expect(player.state().positionMs).toBeGreaterThanOrEqual(12_000);
      expect(log).toEqual([`started ${long.id}`]);
    });

    it('says it is stalled while its process is down after a crash, then goes on with the same play', async () => {
      const { player, long, tracks, history, log } = await setUp();
      const current = await playing(player, [entry(long), entry(tracks[0])]);
      const stalled = nextEvent(player, 'stalledChanged', ({ stalled }) => stalled !== null);
      const faulted = nextEvent(player, 'playerFaulted');
      const restarted = nextEvent(player, 'playerRestarted');
      const flows = nextEvent(player, 'stalledChanged', ({ stalled }) => stalled === null, 30_000);
      // Awaited below; a failure before then is not left unhandled meanwhile.
      flows.catch(() => undefined);
      fixture.crash();
      expect((await stalled).stalled).toMatchObject({ cause: 'player' });
      expect((await faulted).retryInMs).toBeGreaterThanOrEqual(0);
      await restarted;
      await flows;
      expect(player.state().stalled).toBeUndefined();
      expect(player.state().current?.key).toBe(current.key);
      expect(player.state().upcoming.map((i) => i.track.id)).toEqual([tracks[0].id]);
      // The same play: no second start, no end.
      expect(log).toEqual([`started ${long.id}`]);
      expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[long.id, undefined]]);
    });

    it('applies the volume asked for under the maximum, with an event', async () => {
      const { player } = await setUp();
      const changed = nextEvent(player, 'volumeChanged', ({ volume }) => volume === 35);
      expect(await player.setVolume(35)).toBe(35);
      await changed;
      expect(player.state().volume).toBe(35);
    });

    it('caps the volume at the maximum and refuses values outside 0–100', async () => {
      const { player } = await setUp();
      expect(await player.setVolume(95)).toBe(70);
      expect(await player.setVolume(30)).toBe(30);
      await expect(player.setVolume(140)).rejects.toThrow('Expected `volume` to be 0–100, got `140` (number)');
      expect(player.state().volume).toBe(30);
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

    it('takes a crossfade of 0–12000 ms and refuses any other', async () => {
      const { player } = await setUp();
      expect(typeof player.setCrossfade).toBe('function');
      await player.setCrossfade?.(12_000);
      await player.setCrossfade?.(0);
      await expect(player.setCrossfade?.(12_001)).rejects.toThrow(
        'Expected `crossfadeMs` to be an integer from 0 to 12000, got `12001` (number)',
      );
      await expect(player.setCrossfade?.(1.5)).rejects.toThrow(RangeError);
    });

    it('ends the current play as interrupted when it stops, and plays again once started', async () => {
      const { player, history, tracks, long, log } = await setUp();
      await playing(player, [entry(long), entry(tracks[1])]);
      await player.stop();
      expect(log).toEqual([`started ${long.id}`, `ended ${long.id} interrupted`]);
      expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[long.id, 'interrupted']]);
      await player.start(AbortSignal.timeout(10_000));
      const ended = nextEvent(player, 'queueEnded');
      await player.play([entry(tracks[0])]);
      await ended;
      expect(log.slice(2)).toEqual([`started ${tracks[0].id}`, `ended ${tracks[0].id} completed`, 'queue ended']);
    });
  });
}
