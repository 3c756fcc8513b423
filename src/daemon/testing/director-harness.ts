import { EventBus } from '../../kernel/event-bus.js';
import { seededRandom } from '../../kernel/random.js';
import { PlayRecorder } from '../../player/play-recorder.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { StateHub } from '../http/state-hub.js';
import { StateProjector } from '../http/state-projector.js';
import type { MusicDirector, PlayerSettings } from '../music/music-director.js';
import { buildMusicPart } from '../music-part.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { FakeClock } from './fake-clock.js';
import { initialSnapshot } from './state.js';

/**
 * Lets queued work and fades run on the fake clock until `promise` settles (or, with none, for a
 * while): resolves with its value or rethrows its error. For tests of the music director.
 */
export function settler(clock: FakeClock): <T>(promise?: Promise<T>) => Promise<T | undefined> {
  return async <T>(promise?: Promise<T>): Promise<T | undefined> => {
    let done = false;
    let value: T | undefined;
    let error: Error | undefined;
    void promise?.then(
      (v) => {
        done = true;
        value = v;
      },
      (err: unknown) => {
        done = true;
        error = err instanceof Error ? err : new Error(String(err));
      },
    );
    for (let i = 0; i < 200 && !(promise !== undefined && done); i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(50);
      if (promise === undefined && i > 40) break;
    }
    if (error !== undefined) throw error;
    return value;
  };
}

/**
 * Three tracks per mood, each by its own artist (`<mood> artist <n>`), tagged by the admin.
 * Returns the track ids by mood.
 */
export function seedMoodLibrary<M extends string>(store: Pick<Store, 'tracks'>, moods: readonly M[]): Record<M, number[]> {
  const byMood = Object.fromEntries(moods.map((m) => [m, [] as number[]])) as Record<M, number[]>;
  for (const mood of moods) {
    for (let i = 1; i <= 3; i++) {
      const track = store.tracks.upsert({ uri: `/music/${mood}-${i}.flac`, title: `${mood} ${i}`, artist: `${mood} artist ${i}` });
      store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
      byMood[mood].push(track.id);
    }
  }
  return byMood;
}

/** The music director as the daemon wires it, on a fake clock, an in-memory store and a fake player. */
export interface DirectorHarness<M extends string> {
  clock: FakeClock;
  store: SqliteStore;
  player: FakePlayer;
  bus: MoodboxBus;
  /** The screens' state, projected from the director's events as in the daemon. */
  hub: StateHub;
  /** Listener failures the bus reported: the event and the listener's owner. */
  failures: Array<{ event: string; owner: string | undefined }>;
  director: MusicDirector;
  /** What the director reads as its settings; a test may change them. */
  settings: PlayerSettings;
  /** Who is signed in at the kiosk; a test may change it. */
  listener: { id: number; name: string } | null;
  /** Track ids by mood. */
  byMood: Record<M, number[]>;
  moodOf: (trackId: number | undefined) => M | undefined;
  /** Lets the director's queued work and fades run on the fake clock until `promise` settles. */
  settle: <T>(promise?: Promise<T>) => Promise<T | undefined>;
  /** Stops the director and closes the store. */
  close: () => Promise<void>;
}

/**
 * The rule of a box that follows every change of the room at once: a song that no longer fits is
 * switched as soon as the mood changes, with a short fade. For tests of what a change of song does;
 * `music-transitions.test.ts` tests when, with the rule as shipped.
 */
export const SWITCH_AT_ONCE: PlayerSettings['transitions'] = Object.freeze({ cutDistance: 0, cutHoldMs: 0, fadeMs: 300, fadeBars: 0 });

/** The player settings as shipped, with a 30 idle volume, and songs switched at once (`SWITCH_AT_ONCE`). */
export const DIRECTOR_DEFAULTS: PlayerSettings = {
  ...loadConfig({ env: {} }).config.player,
  idle: { behaviour: 'quiet', volume: 30 },
  transitions: SWITCH_AT_ONCE,
};

/**
 * A started music director: three tracks per mood of `moods` (none with `tracks: false`), songs of
 * three minutes, plays written by a recorder and the screens' state by a projector, as in the
 * daemon. Starts at 12:00 UTC on 1 June 2026 unless told `start`, which keeps schedules predictable.
 */
export async function directorHarness<M extends string>(options: {
  moods: readonly M[];
  settings?: Partial<PlayerSettings>;
  tracks?: boolean;
  start?: number;
  /** Each track plays for its own `durationMs` (when it has one), not three minutes. */
  trackDurations?: boolean;
}): Promise<DirectorHarness<M>> {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const clock = new FakeClock(options.start ?? Date.UTC(2026, 5, 1, 12, 0));
  const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
  const byMood =
    options.tracks === false
      ? (Object.fromEntries(options.moods.map((m) => [m, [] as number[]])) as Record<M, number[]>)
      : seedMoodLibrary(store, options.moods);
  const player = new FakePlayer({ clock }, { trackMs: 180_000, volume: 70, useTrackDurations: options.trackDurations ?? false });
  await new PlayRecorder({ player, history: store.plays, clock, log: silent }).start();
  const hub = new StateHub(initialSnapshot(), { log: { error() {} } });
  const failures: DirectorHarness<M>['failures'] = [];
  const bus: MoodboxBus = new EventBus((_, event, owner) => void failures.push({ event, owner }));
  await new StateProjector({ bus, hub, clock, store, services: () => [] }).start();
  const h = {
    clock,
    store,
    player,
    bus,
    hub,
    failures,
    settings: { ...DIRECTOR_DEFAULTS, ...options.settings },
    listener: null,
    byMood,
    moodOf: (trackId: number | undefined) => options.moods.find((m) => trackId !== undefined && byMood[m].includes(trackId)),
    settle: settler(clock),
  } as Omit<DirectorHarness<M>, 'director' | 'close'> as DirectorHarness<M>;
  h.director = buildMusicPart({
    clock,
    random: seededRandom(7),
    log: silent,
    store,
    player,
    bus,
    listener: () => h.listener,
    settings: () => h.settings,
  }).music;
  h.close = async () => {
    await h.settle(h.director.stop());
    store.close();
  };
  await h.settle(h.director.start());
  return h;
}
