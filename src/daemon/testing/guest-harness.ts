import type { InjectOptions } from 'fastify';
import { PlayRecorder } from '../../player/play-recorder.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { MoodboxBus } from '../events.js';
import type { GuestService } from '../guests/guest-service.js';
import { buildMusicPart } from '../music-part.js';
import { BlockedMusic } from '../music/blocked-music.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import type { MusicDirector, PlayerSettings } from '../music/music-director.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { settler, seedMoodLibrary } from './director-harness.js';
import { FakeClock } from './fake-clock.js';
import { buildTestServer, type TestServer } from './server.js';
import { initialSnapshot } from './state.js';
import { StateHub } from '../http/state-hub.js';
import { StateProjector } from '../http/state-projector.js';
import { stopService } from '../../kernel/lifecycle.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
/** The moods of the guests' library: calm and mellow are near each other; upbeat and energetic are far from calm. */
export const GUEST_MOODS = ['calm', 'mellow', 'upbeat', 'energetic'] as const;

export interface GuestHarness {
  clock: FakeClock;
  store: SqliteStore;
  player: FakePlayer;
  director: MusicDirector;
  guests: GuestService;
  /** The owner's blocked songs and artists, as the director and the guests follow them. */
  blocks: BlockedMusic;
  server: TestServer;
  bus: MoodboxBus;
  hub: StateHub;
  byMood: Record<(typeof GUEST_MOODS)[number], number[]>;
  /** Lets the music's queued work run on the fake clock. */
  settle: <T>(promise?: Promise<T>) => Promise<T | undefined>;
  /** A call from phone `n` (its own cookie, and address 192.168.1.`n` unless `address` is given), from the guest page. */
  as(n: number, request: InjectOptions, options?: { address?: string; cookie?: string | null }): InjectOptions;
  close(): Promise<void>;
}

/**
 * The real music director, guest service and server on an in-memory database: three songs per
 * mood, the room calm (neutral), music playing. `config` is saved as from the admin panel; the
 * daemon runs in demo mode unless `isDemo` is false.
 */
export async function guestHarness(
  options: {
    config?: Record<string, unknown>;
    isDemo?: boolean;
    network?: Parameters<typeof buildTestServer>[0];
    /** The database file. @default `:memory:` */
    dbPath?: string;
    /** How long each song plays (ms). @default 180000 */
    trackMs?: number;
  } = {},
): Promise<GuestHarness> {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0));
  const store = openSqliteStore({ clock, log: silent }, { path: options.dbPath ?? ':memory:' });
  const byMood = seedMoodLibrary(store, GUEST_MOODS);
  const player = new FakePlayer({ clock }, { trackMs: options.trackMs ?? 180_000, volume: 70 });
  const recorder = new PlayRecorder({ player, history: store.plays, clock, log: silent });
  await recorder.start();
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const defaults = loadConfig({ env: {} }).config;
  const playerSettings: PlayerSettings = { ...defaults.player, idle: { behaviour: 'quiet', volume: 30 } };
  let settings: () => Config = () => defaults;
  const blocks = new BlockedMusic({ clock, log: silent, bus, store, explicit: () => settings().music.explicit });
  await blocks.start();
  const { music: director, guests } = buildMusicPart({
    clock,
    random: seededRandom(7),
    log: silent,
    store,
    player,
    bus,
    listener: () => null,
    settings: () => playerSettings,
    blocked: (track) => blocks.reasonFor(track),
    guests: { log: silent, settings: () => settings(), isDemo: options.isDemo ?? true },
  });
  const hub = new StateHub(initialSnapshot(), { log: { error() {} } });
  const projector = new StateProjector({ bus, hub, clock, store, services: () => [] });
  await projector.start();
  const server = await buildTestServer({
    clock,
    store,
    guests,
    blocks,
    hub,
    kiosk: director,
    ...options.network,
    ...(options.config === undefined ? {} : { config: options.config }),
  });
  settings = () => server.settings.current;
  const settle = settler(clock);
  await settle(director.start());
  await guests.start();
  bus.emit('roomMoodChanged', { mood: roomMoodOf('neutral', clock.now()), previous: null });
  await settle();
  let cookies = 0;
  const phones = new Map<number, string>();
  return {
    clock,
    store,
    player,
    director,
    guests,
    blocks,
    server,
    bus,
    hub,
    byMood,
    settle,
    as(n, request, as = {}) {
      if (!phones.has(n)) phones.set(n, `p${String(++cookies).padStart(21, '0')}`);
      const cookie = as.cookie === undefined ? phones.get(n) : as.cookie;
      return {
        ...request,
        remoteAddress: as.address ?? `192.168.1.${n}`,
        // A header given as undefined is left out (a call without an Origin).
        headers: Object.fromEntries(
          Object.entries({
            host: 'moodbox.local',
            origin: 'http://moodbox.local',
            ...(cookie === null || cookie === undefined ? {} : { cookie: `mb_guest=${cookie}` }),
            ...request.headers,
          }).filter(([, value]) => value !== undefined),
        ),
      };
    },
    async close() {
      // As the daemon stops them: each one's subscriptions ended, then its own stop.
      await stopService(guests, [bus, player.events]);
      await stopService(blocks, [bus]);
      await settle(stopService(director, [bus, player.events]));
      await server.app.close();
      await recorder.stop();
      await projector.stop();
      store.close();
    },
  };
}
