import type { LightMyRequestResponse } from 'fastify';
import type { Clock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { PlayRecorder } from '../../player/play-recorder.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import type { BlockedMusic } from '../music/blocked-music.js';
import type { MusicDirector } from '../music/music-director.js';
import { buildMusicPart } from '../music-part.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { buildTestServer, signInNewAdmin, type TestServer } from './server.js';
import type { Actor } from '../store/audit.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };

/** The real server with the real music director over a fake player, and an admin signed in. */
export interface StaffServer {
  readonly server: TestServer;
  readonly director: MusicDirector;
  readonly player: FakePlayer;
  readonly store: SqliteStore;
  readonly clock: Clock;
  readonly bus: MoodboxBus;
  /** A call of the signed-in admin. */
  readonly call: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => Promise<LightMyRequestResponse>;
  /** Closes the server, then stops the director (the store is the caller's). */
  readonly close: () => Promise<void>;
}

/**
 * Staff's music as the daemon wires it: the director picks from `store`'s library for a room nobody
 * is in, plays through a `FakePlayer` (3-minute songs, volume 70) whose plays a recorder writes, and
 * the admin routes reach it through `director.staff`.
 */
export async function startStaffServer(options: {
  store: SqliteStore;
  clock: Clock;
  /** The kind of place (`site.kind`), as saved from the panel. @default home */
  siteKind?: 'home' | 'business';
  /** @default 100 */
  maxVolume?: number;
  /** What "Restart Moodbox now" calls. @default none: the route is not offered */
  restart?: (actor: Actor) => void;
}): Promise<StaffServer> {
  const { store, clock } = options;
  const config = options.siteKind === undefined ? undefined : { site: { kind: options.siteKind } };
  const player = new FakePlayer({ clock }, { trackMs: 180_000, volume: 70 });
  await new PlayRecorder({ player, history: store.plays, clock, log: silent }).start();
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const settings = { ...loadConfig({ env: {}, overlay: config }).config.player, maxVolume: options.maxVolume ?? 100 };
  const { music: director } = buildMusicPart({
    clock,
    random: seededRandom(3),
    log: silent,
    store,
    player,
    bus,
    listener: () => null,
    settings: () => settings,
  });
  await director.start();
  const { server, call } = await serveToStaff({ clock, store, director, restart: options.restart, config });
  return {
    server,
    director,
    player,
    store,
    clock,
    bus,
    call,
    close: async () => {
      await server.app.close();
      await director.stop();
    },
  };
}

/** An admin's call to the routes: session cookie and CSRF token included. */
export type StaffCall = StaffServer['call'];

/** The admin routes over `director`'s staff commands, with a new admin signed in, and that admin's calls. */
export async function serveToStaff(options: {
  store: SqliteStore;
  clock: Clock;
  director: MusicDirector;
  blocks?: BlockedMusic;
  restart?: (actor: Actor) => void;
  config?: Record<string, unknown>;
}): Promise<{ server: TestServer; call: StaffCall }> {
  const { store, clock, director, blocks, restart, config } = options;
  const server = await buildTestServer({
    clock,
    store,
    staff: director,
    restart,
    config,
    ...(blocks === undefined ? {} : { blocks }),
  });
  const { headers } = await signInNewAdmin(server);
  return {
    server,
    call: (method, url, payload) => server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) }),
  };
}
