import { pino } from 'pino';
import { AuthService, authOptionsFrom } from '../people/auth-service.js';
import { FirstRun } from '../people/first-run.js';
import { KioskPresence, type KioskUser } from '../people/kiosk-presence.js';
import { PeopleService } from '../people/people-service.js';
import { SignInThrottle } from '../people/throttle.js';
import { LiveConfig, OVERRIDES_KEY } from '../config/live-config.js';
import { loadConfig } from '../config/load-config.js';
import { panelChecks } from '../config/panel-checks.js';
import { INSTALL_DIR } from '../version.js';
import { buildServer, type MoodboxServer, type ServerDeps } from '../http/build-server.js';
import type { ServiceHealthView } from '../http/contract.js';
import { StateHub } from '../http/state-hub.js';
import type { MoodboxBus } from '../events.js';
import type { Clock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import type { RfidReader } from '../rfid/rfid-reader.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { LibraryService } from '../music/library-service.js';
import type { KioskControls, StaffControls } from '../music/music-director.js';
import { FakeClock } from './fake-clock.js';
import { auditedMusic, FakeMusicControls, type KioskMusic } from './fake-music-controls.js';
import { initialSnapshot } from './state.js';
import { actors } from '../store/audit.js';

export interface TestServer {
  app: MoodboxServer;
  store: SqliteStore;
  auth: AuthService;
  presence: KioskPresence;
  /** The first admin's screen (`/api/first-run`). */
  firstRun: FirstRun;
  settings: LiveConfig;
  hub: StateHub;
  clock: Clock;
  /** The app's bus the server's services announce on. */
  bus: MoodboxBus;
  kioskChanges: Array<KioskUser | null>;
}

/** The real server on an in-memory database, with every dependency a test may reach for. */
export async function buildTestServer(
  options: {
    clock?: Clock;
    store?: SqliteStore;
    /** Settings saved as if from the admin panel: they pass the panel's door at the start, as saved ones do. */
    config?: Record<string, unknown>;
    /** The configuration file (JSON) the settings lie over, as `--config FILE`: for what only the file may set. @default none */
    configFile?: string;
    /** The data folder, as the environment names it (`MOODBOX_DATA_DIR`): never a saved setting. @default none */
    dataDir?: string;
    services?: ServiceHealthView[];
    uiDir?: string;
    /** A stand-in for the music's answers to the kiosk, audited as the music does. @default a `FakeMusicControls` */
    music?: KioskMusic;
    /** The music itself for the kiosk's requests (it audits them), in place of a stand-in. */
    kiosk?: KioskControls;
    library?: ServerDeps['library'];
    modelPath?: string;
    preview?: ServerDeps['preview'];
    faces?: ServerDeps['faces'];
    hub?: StateHub;
    /** The music's commands and state for staff (the music director, which audits them). */
    staff?: StaffControls;
    restart?: ServerDeps['restart'];
    spotify?: ServerDeps['spotify'];
    metrics?: ServerDeps['metrics'];
    /** The card reader the kiosk presence listens to (start `presence` to hear it); none: card reading is off. */
    cards?: RfidReader;
    stations?: ServerDeps['stations'];
    blocks?: ServerDeps['blocks'];
    guests?: ServerDeps['guests'];
    /** The staff's backups (build a `BackupService` on the test's data directory); none: only the newest backup's download. */
    backups?: ServerDeps['backups'];
    guestNetwork?: ServerDeps['guestNetwork'];
    /** The box's display, which the kiosk screen on the box darkens in the quiet hours; none: left alone. */
    screen?: ServerDeps['screen'];
    /** Builds the personal calibrations from the server's own store and kiosk presence; none: the camera is off. */
    calibration?: (deps: { store: SqliteStore; presence: KioskPresence; clock: Clock; bus: MoodboxBus }) => ServerDeps['calibration'];
  } = {},
): Promise<TestServer> {
  const clock = options.clock ?? new FakeClock();
  const log = pino({ level: 'silent' });
  const store = options.store ?? openSqliteStore({ clock, log }, { path: ':memory:' });
  const env = { HOME: '/nonexistent', ...(options.dataDir === undefined ? {} : { MOODBOX_DATA_DIR: options.dataDir }) };
  // The test's settings are saved as if from the admin panel, so later saves compare against them.
  if (options.config !== undefined) store.settings.set(OVERRIDES_KEY, options.config, clock.now());
  const settings = new LiveConfig(
    { store: store.settings, log: { error() {} }, checks: panelChecks({ installDir: INSTALL_DIR }), audit: { log: store.audit, clock } },
    { file: options.configFile, env, config: loadConfig({ file: options.configFile, env }).config },
  );
  const problems = settings.applySaved();
  if (problems.length > 0) throw new TypeError(`Expected valid test settings, got: ${problems.join('; ')}`);
  const auth = new AuthService({ store, clock, log, throttle: new SignInThrottle({ clock }) }, () =>
    authOptionsFrom(settings.current.sessions),
  );
  const kioskChanges: Array<KioskUser | null> = [];
  const bus: MoodboxBus = new EventBus(throwingReporter);
  bus.on('personSignedIn', ({ user }) => kioskChanges.push(user), 'test server');
  bus.on('personSignedOut', () => kioskChanges.push(null), 'test server');
  const presence = new KioskPresence({ auth, clock, log, bus, cards: options.cards });
  const people = new PeopleService({
    auth,
    presence,
    store,
    clock,
    selfRegistration: () => settings.current.sessions.selfRegistration,
  });
  const firstRun = new FirstRun({ auth, store, clock, log });
  const hub = options.hub ?? new StateHub(initialSnapshot(), { log: { error() {} } });
  const app = await buildServer(
    {
      log,
      clock,
      hub,
      store,
      auth,
      presence,
      people,
      firstRun,
      settings,
      services: () => options.services ?? [{ name: 'database', status: 'ready' }],
      version: '1.2.3',
      ...(options.uiDir === undefined ? {} : { uiDir: options.uiDir }),
      music: options.kiosk ?? auditedMusic(options.music ?? new FakeMusicControls(), { audit: store.audit, clock }),
      ...(options.library === undefined ? {} : { library: options.library }),
      ...(options.modelPath === undefined ? {} : { modelPath: options.modelPath }),
      ...(options.preview === undefined ? {} : { preview: options.preview }),
      ...(options.faces === undefined ? {} : { faces: options.faces }),
      staff: options.staff,
      trackMoods: new LibraryService(
        {
          scanner: { scan: () => Promise.reject(new Error('Expected no scan in a server test')) },
          clock,
          log,
          bus,
          count: () => store.tracks.count(),
          folders: () => [],
          store,
        },
        { scanAtStart: false },
      ),
      restart: options.restart,
      spotify: options.spotify,
      metrics: options.metrics,
      stations: options.stations,
      blocks: options.blocks,
      guests: options.guests,
      backups: options.backups,
      ...(options.guestNetwork === undefined ? {} : { guestNetwork: options.guestNetwork }),
      calibration: options.calibration?.({ store, presence, clock, bus }),
      screen: options.screen,
    },
    { ws: settings.current.ws },
  );
  return { app, store, auth, presence, firstRun, settings, hub, clock, bus, kioskChanges };
}

/** The headers of a signed-in staff member's calls: the session cookie and the CSRF token. */
export interface AdminHeaders extends Record<string, string> {
  cookie: string;
  'x-csrf-token': string;
}

/** The passphrase `signInNewAdmin` gives its admin unless told otherwise. */
export const ADMIN_PASSPHRASE = 'correct horse battery';

/**
 * Creates an admin (`Boss` unless named) and signs them in through the admin API, as the panel does.
 * Returns the headers their calls carry (with `headers`, e.g. a `host`, added) and their account's
 * id; throws when the sign-in is refused.
 */
export async function signInNewAdmin(
  server: Pick<TestServer, 'app' | 'auth'>,
  options: { name?: string; passphrase?: string; headers?: Record<string, string> } = {},
): Promise<{ headers: AdminHeaders; userId: number }> {
  const name = options.name ?? 'Boss';
  const passphrase = options.passphrase ?? ADMIN_PASSPHRASE;
  const user = await server.auth.createUser({ name, role: 'admin', secret: passphrase }, actors.named('test'));
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/admin/session',
    headers: options.headers ?? {},
    payload: { name, passphrase },
  });
  if (res.statusCode !== 200) throw new Error(`Expected the admin sign-in to succeed, got ${res.statusCode}: ${res.body}`);
  const headers: AdminHeaders = {
    ...options.headers,
    cookie: String(res.headers['set-cookie']).split(';')[0] ?? '',
    'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken,
  };
  return { headers, userId: user.id };
}
