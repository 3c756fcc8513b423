import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { cameraParts } from './adapters/camera-adapters.js';
import { mpvPlayer, mqttConnection, rfidReader } from './adapters/device-adapters.js';
import { libraryAnalyzer, musicParts } from './adapters/music-adapters.js';
import { ensureDemoAdmin } from './people/demo-admin.js';
import { LiveConfig } from './config/live-config.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { panelChecks } from './config/panel-checks.js';
import { coversDir, installPath, libraryFolders } from './config/paths.js';
import type { Delivery } from './core.js';
import type { MoodboxBus } from './events.js';
import { delivery } from './http/delivery.js';
import type { HttpService } from './http/http-service.js';
import { systemClock } from '../kernel/clock.js';
import { ConfigError } from './config/config-error.js';
import { EventBus } from '../kernel/event-bus.js';
import { seededRandom } from '../kernel/random.js';
import { createLogger, openLogFile } from './logging.js';
import { Moodbox } from './moodbox.js';
import { mqttServices } from './mqtt/mqtt-services.js';
import { BackupService } from './ops/backup-service.js';
import { RetentionService } from './ops/retention-service.js';
import { reviewRestoredRows } from './ops/restore-review.js';
import { applyPendingRestore, DATABASE_FILE, PID_FILE } from './store/backups.js';
import { openSqliteStore, type SqliteStore } from './store/sqlite-store.js';
import { createServiceNotifier } from './ops/systemd-notify.js';
import { childRssBytes } from './ops/process-stats.js';
import { INSTALL_DIR, VERSION } from './version.js';
import { LibraryScanner } from '../player/library/scanner.js';
import { MusicMetadataTagReader } from '../player/library/music-metadata-tag-reader.js';

/** Exit codes: 0 clean stop, 1 start-up or runtime failure, 75 restart asked for (systemd starts it again), 78 bad configuration or a damaged database (EX_CONFIG; systemd does not restart on it). */
export const EXIT = { OK: 0, FAILURE: 1, RESTART: 75, CONFIG: 78 } as const;

/**
 * How long any stop (a signal, a restart asked for by staff, the fleet or the memory guard) may
 * take before the process exits anyway, with the code it was stopping with (ms). Each service has
 * 2 s of it (`Lifecycle`); systemd's TimeoutStopSec (10 s) leaves room above it, so a stop never
 * ends in SIGKILL.
 */
export const SHUTDOWN_DEADLINE_MS = 8000;

/**
 * The composition root: the only place that builds real adapters. Runs the daemon until SIGINT or
 * SIGTERM and resolves with the process exit code.
 */
export async function runDaemon(options: {
  configFile?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Set when the saved settings stopped a first start: run on the configuration file alone, and say why. */
  safeMode?: string;
}): Promise<number> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({ file: options.configFile, env: options.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`moodbox: ${err.message}\n`);
    return EXIT.CONFIG;
  }
  let logFile;
  try {
    logFile = await openLogFile(loaded.config);
  } catch (err) {
    process.stderr.write(`moodbox: cannot open the log file ${loaded.config.log.file}: ${(err as Error).message}\n`);
    return EXIT.CONFIG;
  }
  const log = createLogger({ level: loaded.config.log.level, file: logFile });
  const clock = systemClock;
  const demo = loaded.file === undefined;
  log.info({ version: VERSION, config: loaded.file ?? '(defaults: demo mode)', dataDir: loaded.config.dataDir }, 'moodbox starting');

  const notifier = await createServiceNotifier(options.env, log.child({ module: 'systemd' }));
  // A restore readied in the admin panel goes in before the database opens (the one it replaces is kept).
  const restored = applyPendingRestore(loaded.config.dataDir, clock.now());
  if (restored !== undefined && 'failed' in restored)
    log.error({ backup: restored.from, why: restored.failed }, 'the restore was not done');
  else if (restored !== undefined) log.info({ backup: restored.from, kept: restored.kept }, 'database restored');
  // The database comes first: everything else is built on it.
  let store: SqliteStore;
  try {
    store = openSqliteStore({ clock, log: log.child({ module: 'store' }) }, { path: join(loaded.config.dataDir, DATABASE_FILE) });
  } catch (err) {
    // A damaged file stays damaged: restarting would fail the same way, forever.
    const isDamaged = (err as { code?: unknown }).code === 'MB_ERR_STORE_DAMAGED';
    log.fatal({ err, hint: isDamaged ? (err as Error).message : startHint(err) }, 'cannot start');
    notifier.close();
    await flushLog(log);
    if (isDamaged) process.stderr.write(`moodbox: ${(err as Error).message}\n`);
    return isDamaged ? EXIT.CONFIG : EXIT.FAILURE;
  }
  // A restore reopens no door: the backup's sessions are signed out, and today's people stay unless the admin asked for the backup's.
  const people =
    restored !== undefined && !('failed' in restored)
      ? store.keepTodaysPeople(restored.kept, { restorePeople: restored.people === true })
      : undefined;
  if (people !== undefined) log.info({ ...people }, 'who may sign in after the restore');
  // `moodbox restore` must not swap the database under a running daemon: it looks for this.
  const pidFile = join(loaded.config.dataDir, PID_FILE);
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  const bus: MoodboxBus = new EventBus((err, event, owner) => log.error({ err, event, owner }, 'an event listener failed'));
  // Settings saved from the admin panel sit between the file and the environment.
  const settings = new LiveConfig(
    {
      store: store.settings,
      log: log.child({ module: 'settings' }),
      checks: panelChecks({ installDir: INSTALL_DIR }),
      bus,
      audit: { log: store.audit, clock },
    },
    { file: loaded.file, env: options.env, config: loaded.config },
  );
  if (options.safeMode === undefined) {
    const invalidSaved = settings.applySaved();
    if (invalidSaved.length > 0) log.error({ problems: invalidSaved }, 'some saved settings are not used; see the problems');
  } else {
    settings.ignoreSaved(options.safeMode);
    log.error(
      { why: options.safeMode },
      'safe mode: running on the configuration file alone; the saved settings are kept for the admin panel',
    );
  }
  const config = settings.current;
  log.level = config.log.level;
  // A restored database's rows pass today's rules before anything uses them, as its settings just did.
  const setAside =
    restored !== undefined && !('failed' in restored)
      ? await reviewRestoredRows(
          { store, clock, log: log.child({ module: 'backups' }) },
          { folders: libraryFolders(config.library.folders), actor: restored.by },
        )
      : undefined;

  // Read before anything is built: a failed start closes the database.
  const savedInForce = options.safeMode === undefined && settings.safeMode === undefined && Object.keys(settings.overrides()).length > 0;
  /**
   * The start failed, at any step from the saved settings on: once without them (safe mode) when
   * they may be what stopped it, so that the panel stays reachable to fix or drop them.
   */
  const retryWithoutSaved = (err: unknown): Promise<number> => {
    const why = err instanceof Error ? err.message : String(err);
    return runDaemon({ ...options, safeMode: `the settings saved from the admin panel stopped Moodbox from starting (${why})` });
  };
  let moodbox: Moodbox;
  let layers: Delivery & { server: HttpService };
  try {
    ({ moodbox, layers } = await buildMoodbox());
  } catch (err) {
    // A file the configuration names that cannot be read (the broker's password, its certificates)
    // is the configuration's fault: named, and not restarted by systemd, as a bad field is.
    const isConfig = err instanceof ConfigError;
    log.fatal({ err, hint: savedInForce && !isConfig ? 'retrying without the saved settings' : startHint(err) }, 'cannot start');
    store.close();
    rmSync(pidFile, { force: true });
    notifier.close();
    if (isConfig) process.stderr.write(`moodbox: ${err.message}\n`);
    if (isConfig || !savedInForce) {
      await flushLog(log);
      return isConfig ? EXIT.CONFIG : EXIT.FAILURE;
    }
    return retryWithoutSaved(err);
  }

  /** The core from the adapters, then the delivery layers from the core: the screens and the server (http), and MQTT beside them. */
  async function buildMoodbox(): Promise<{ moodbox: Moodbox; layers: Delivery & { server: HttpService } }> {
    const rfid = await rfidReader(config, { clock, log });
    // Read here: a broker password file that cannot be read stops the start as a configuration error.
    const broker = mqttConnection(config, { log, env: options.env, clock });
    const core = new Moodbox(
      {
        clock,
        random: seededRandom(clock.now() ^ process.pid),
        log,
        bus,
        store,
        settings,
        ...musicParts(config, { local: mpvPlayer(config, { clock, log, env: options.env }), store, settings, clock, log }),
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
          // Where the data lives comes from the file or the environment alone, never from the database.
          { dataDir: loaded.config.dataDir, restored, setAside, people },
        ),
        memory: () => ({ ...process.memoryUsage(), mpvRss: childRssBytes(process.pid, 'mpv') }),
        retention: new RetentionService(
          { clock, log: log.child({ module: 'retention' }), store, settings: () => settings.current.retention },
          { coversDir: coversDir(config), dataDir: config.dataDir },
        ),
      },
      { scanAtStart: config.library.scanAtStart },
    );
    const [uiDir, covers, modelPath] = [join(INSTALL_DIR, 'dist', 'ui'), coversDir(config), installPath(config.vision.modelPath)];
    const deps = { log, clock, store, settings, version: VERSION, demo, uiDir, coversDir: covers, modelPath };
    const built = delivery(core, deps, { ws: config.ws, server: config.server });
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

  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string, code: number): Promise<number> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      notifier.stopping();
      const deadline = setTimeout(() => {
        // Whatever is still pending (a broker's reconnect, a hung mpv, a file being read) ends with the process.
        log.fatal({ ms: SHUTDOWN_DEADLINE_MS, code, pending: moodbox.stillStopping() }, 'shutdown took too long; exiting anyway');
        rmSync(pidFile, { force: true });
        void flushLog(log).then(() => process.exit(code));
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      await moodbox.stop();
      rmSync(pidFile, { force: true });
      clearTimeout(deadline);
      notifier.close();
      log.info({ code }, 'stopped');
      await flushLog(log);
      return code;
    })();
    return stopping;
  };
  let resolveSignalled: (code: number) => void = () => {};
  const signalled = new Promise<number>((resolve) => (resolveSignalled = resolve));
  const onSignal = (signal: NodeJS.Signals): void => void shutdown(signal, EXIT.OK).then(resolveSignalled);
  // The last line of defence: no request should ever get here (the hostile-input tests read the log
  // for these lines). A rejection nobody handled left no half-run code behind: it is logged with its
  // stack and the daemon goes on. An uncaught exception may have: the daemon stops and systemd starts it again.
  const onUncaught = (err: unknown, source: NodeJS.UncaughtExceptionOrigin): void => {
    log.fatal({ err, source }, 'uncaught exception');
    void shutdown('uncaught exception', EXIT.FAILURE).then((code) => process.exit(code));
  };
  const onUnhandled = (err: unknown): void => {
    log.error({ err, source: 'unhandledRejection' }, 'unhandled rejection');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  bus.on('restartRequested', ({ by }) => void shutdown(`restart asked for by ${by}`, EXIT.RESTART).then(resolveSignalled), 'main');
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);

  const startedAt = clock.monotonic();
  try {
    await moodbox.start(layers);
  } catch (err) {
    log.fatal({ err, hint: savedInForce ? 'retrying without the saved settings' : startHint(err) }, 'cannot start');
    await shutdown('start-up failed', EXIT.FAILURE);
    if (!savedInForce) return EXIT.FAILURE;
    // The settings saved from the admin panel may be what stops the start: try once without them,
    // so that the panel stays reachable to fix or drop them.
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onUnhandled);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    return retryWithoutSaved(err);
  }
  // Before `ready`: a stop that comes right after it must not find the demo admin half made.
  const demoAdmin = demo ? await ensureDemoAdmin(moodbox.auth, store) : undefined;
  const url = displayUrl(layers.server.address ?? `http://${config.server.host}:${config.server.port}`);
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
  log.info({ kiosk: `${url}/`, admin: `${url}/admin`, ms: Math.round(clock.monotonic() - startedAt), demo }, 'moodbox ready');
  if (process.stdout.isTTY || demo) {
    process.stderr.write(
      `\nMoodbox ${VERSION} is running${demo ? ' in demo mode' : ''}.\n  Kiosk: ${url}/\n  Admin: ${url}/admin\n${demoAdmin ?? ''}${firstRunLine(firstRunCode)}  Stop:  Ctrl+C\n\n`,
    );
  }
  const code = await signalled;
  watchdog?.cancel();
  return code;
}

/** Writes out what the logger still holds (bounded: a stuck stdout must not hold up the exit). */
export function flushLog(log: Pick<Logger, 'flush'>, ms = 1000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    try {
      log.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** The terminal's line about the first admin, while the box has none. */
function firstRunLine(code: string | undefined): string {
  return code === undefined ? '' : `  No admin yet: open the admin page to create one (from another device, first-run code ${code})\n`;
}

function displayUrl(address: string): string {
  return address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1');
}

function startHint(err: unknown): string {
  const text = err instanceof Error ? `${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}` : String(err);
  if (/in use/.test(text)) return 'another program holds the port: stop it or set MOODBOX_PORT';
  if (/database|SQLITE/i.test(text)) return 'check that the data directory is writable and the disk has space (moodbox doctor)';
  return 'run `moodbox doctor` for a check of this machine';
}
