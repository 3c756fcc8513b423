import { join } from 'node:path';
import type { Logger } from 'pino';
import { cameraParts } from './adapters/camera-adapters.js';
import { mpvPlayer, mqttConnection, rfidReader } from './adapters/device-adapters.js';
import { libraryAnalyzer, musicParts } from './adapters/music-adapters.js';
import type { LiveConfig } from './config/live-config.js';
import { coversDir, installPath, libraryFolders } from './config/paths.js';
import type { Config } from './config/schema.js';
import type { Delivery } from './core.js';
import type { MoodboxBus } from './events.js';
import { delivery } from './http/delivery.js';
import type { HttpService } from './http/http-service.js';
import { Moodbox } from './moodbox.js';
import { mqttServices } from './mqtt/mqtt-services.js';
import { BackupService } from './backups/backup-service.js';
import type { ServiceNotifier } from './ops/systemd-notify.js';
import { ensureDemoAdmin } from './people/demo-admin.js';
import { guestUrlOf, systemGuestNetwork } from './guests/guest-url.js';
import { readyWords, stopWords, tellTerminal } from './ops/ready-words.js';
import { restarterOf } from './ops/restarter.js';
import { childRssBytes } from './ops/process-stats.js';
import { lastUpdateService } from './ops/last-update.js';
import { RetentionService } from './ops/retention-service.js';
import { listenFilePath } from './ops/listen-file.js';
import { runtimeFileScreen } from './ops/screen-power.js';
import type { SqliteStore } from './store/sqlite-store.js';
import { INSTALL_DIR, VERSION } from './version.js';
import type { ErrorCounter } from './metrics/error-counter.js';
import type { Clock, Timer } from '../kernel/clock.js';
import { seededRandom } from '../kernel/random.js';
import { LibraryScanner } from '../player/library/scanner.js';
import { MusicMetadataTagReader } from '../player/library/music-metadata-tag-reader.js';

/** What the composition is built from: the opened database, the settings in force, and what the start learnt of a restore. */
export interface CompositionInputs {
  config: Config;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  log: Logger;
  bus: MoodboxBus;
  store: SqliteStore;
  settings: LiveConfig;
  /** Started with no configuration file. */
  demo: boolean;
  /** Where the data lives, from the file or the environment alone, never from the database. */
  dataDir: string;
  /** What the start learnt of a restore put in place (`BackupService`'s options). */
  restore: Omit<ConstructorParameters<typeof BackupService>[1], 'dataDir'>;
  /** The lines the root logger wrote at `error` or `fatal`, by part, for the metrics. */
  errors?: ErrorCounter | undefined;
}

/**
 * The core from the real adapters, then the delivery layers from the core: the screens and the
 * server (http), and MQTT beside them. The only place that builds real adapters.
 */
export async function composeMoodbox(inputs: CompositionInputs): Promise<{ moodbox: Moodbox; layers: Delivery & { server: HttpService } }> {
  const { config, env, clock, log, bus, store, settings, demo } = inputs;
  const rfid = await rfidReader(config, { clock, log });
  // Read here: a broker password file that cannot be read stops the start as a configuration error.
  const broker = mqttConnection(config, { log, env, clock });
  const core = new Moodbox(
    {
      clock,
      random: seededRandom(clock.now() ^ process.pid),
      log,
      bus,
      store,
      settings,
      ...musicParts(config, { local: mpvPlayer(config, { clock, log, env }), store, settings, clock, log }),
      scanner: new LibraryScanner(
        { store, tags: new MusicMetadataTagReader(), clock, log: log.child({ module: 'library' }) },
        { coversDir: coversDir(config) },
      ),
      analyzer: config.library.analyze ? libraryAnalyzer(store, { clock, log: log.child({ module: 'analysis' }) }) : undefined,
      rfid,
      camera: await cameraParts(config, { clock, log }),
      isDemo: demo,
      folders: () => libraryFolders(settings.current.library.folders),
      backups: new BackupService(
        { clock, log: log.child({ module: 'backups' }), audit: store.audit, bus },
        { dataDir: inputs.dataDir, ...inputs.restore },
      ),
      memory: () => ({ ...process.memoryUsage(), mpvRss: childRssBytes(process.pid, 'mpv') }),
      retention: new RetentionService(
        { clock, log: log.child({ module: 'retention' }), store, settings: () => settings.current.retention },
        { coversDir: coversDir(config), dataDir: config.dataDir },
      ),
      lastUpdate: lastUpdateService(),
      errors: inputs.errors,
    },
    { scanAtStart: config.library.scanAtStart },
  );
  const [uiDir, covers, modelPath] = [join(INSTALL_DIR, 'dist', 'ui'), coversDir(config), installPath(config.vision.modelPath)];
  const deps = {
    log,
    clock,
    store,
    settings,
    version: VERSION,
    demo,
    uiDir,
    coversDir: covers,
    modelPath,
    screen: runtimeFileScreen(env),
    // Offered only where something starts Moodbox again: a restart by hand is the owner's to do.
    canRestart: restarterOf(env) !== undefined,
  };
  const built = delivery(core, deps, { ws: config.ws, server: { ...config.server, listenFile: listenFilePath(env, inputs.dataDir) } });
  // MQTT is a delivery layer beside http: Moodbox's read APIs and staff actions, offered to Home Assistant and the fleet.
  const mqtt =
    broker === undefined
      ? []
      : mqttServices(core, broker, {
          state: built.state,
          clock,
          log: log.child({ module: 'mqtt' }),
          kept: store.secrets,
          settings,
          version: VERSION,
          cards: rfid,
        });
  return { moodbox: core, layers: { screens: built.screens, server: built.server, mqtt } };
}

/**
 * Tells systemd, the log and the terminal that Moodbox serves, with the kiosk's and the admin
 * page's addresses, the demo admin's passphrase or the first-run code while there is no admin;
 * starts the watchdog's heartbeat (cancel it at the stop).
 */
export async function announceReady(deps: {
  moodbox: Moodbox;
  layers: { server: HttpService };
  store: SqliteStore;
  config: Config;
  demo: boolean;
  notifier: ServiceNotifier;
  log: Logger;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  /** When the start began (monotonic ms). */
  startedAt: number;
}): Promise<Timer | undefined> {
  const { moodbox, config, demo, notifier, log, clock } = deps;
  // Before `ready`: a stop that comes right after it must not find the demo admin half made.
  const demoAdmin = demo ? await ensureDemoAdmin(moodbox.auth, deps.store) : undefined;
  const url = displayUrl(deps.layers.server.address ?? `http://${config.server.host}:${config.server.port}`);
  const firstRunCode = demo ? undefined : moodbox.firstRun.open();
  if (firstRunCode !== undefined) {
    log.warn(
      { admin: `${url}/admin`, code: firstRunCode },
      'no admin yet: open the admin page on this box to create the first one, or from another device with this first-run code',
    );
  }
  notifier.ready(`serving ${url}`);
  const watchdog =
    notifier.watchdogIntervalMs === undefined
      ? undefined
      : clock.setInterval(() => {
          if (moodbox.isReady()) notifier.watchdog();
        }, notifier.watchdogIntervalMs);
  log.info({ kiosk: `${url}/`, admin: `${url}/admin`, ms: Math.round(clock.monotonic() - deps.startedAt), demo }, 'moodbox ready');
  // The addresses and the first-run code in words, not only inside JSON lines: on the terminal, or
  // among the log's lines where stdout is no terminal (a log file, the journal).
  const network = systemGuestNetwork();
  const { server } = config;
  const port = Number(new URL(url).port || 80);
  const lanUrl = guestUrlOf({ isOpen: true, publicUrl: server.publicUrl, host: server.host, port, ...network });
  const words = readyWords({
    version: VERSION,
    demo,
    base: url,
    lanBase: lanUrl === null ? null : lanUrl.replace(/\/guest$/, ''),
    guestUrl: guestUrlOf({ isOpen: moodbox.guests.isOpen, publicUrl: server.publicUrl, host: server.host, port, ...network }),
    demoAdmin: demoAdmin ?? '',
    firstRunCode,
    stop: stopWords({
      isSystemd: restarterOf(deps.env) === 'systemd',
      isTerminal: process.stdout.isTTY === true || process.stderr.isTTY === true,
      pid: process.pid,
    }),
  });
  tellTerminal(words, { stdout: process.stdout, stderr: process.stderr });
  return watchdog;
}

/** A listening address as a person can open it: the wildcard as this box's loopback. */
function displayUrl(address: string): string {
  return address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1');
}
