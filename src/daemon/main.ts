import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { announceReady, composeMoodbox } from './compose.js';
import { LiveConfig } from './config/live-config.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { panelChecks } from './config/panel-checks.js';
import { libraryFolders } from './config/paths.js';
import type { Delivery } from './core.js';
import type { MoodboxBus } from './events.js';
import type { HttpService } from './http/http-service.js';
import { systemClock } from '../kernel/clock.js';
import { ConfigError } from './config/config-error.js';
import { EventBus } from '../kernel/event-bus.js';
import { createLogger, openLogFile } from './logging.js';
import { ErrorCounter } from './metrics/error-counter.js';
import type { Moodbox } from './moodbox.js';
import { flushLog, watchProcess } from './ops/process-stop.js';
import { reviewRestoredRows } from './backups/restore-review.js';
import { actors } from './store/audit.js';
import { applyPendingRestore, DATABASE_FILE, PID_FILE } from './backups/backups.js';
import { openSqliteStore, type SqliteStore } from './store/sqlite-store.js';
import { createServiceNotifier } from './ops/systemd-notify.js';
import { INSTALL_DIR, VERSION } from './version.js';

/** Exit codes: 0 clean stop, 1 start-up or runtime failure, 75 restart asked for (systemd starts it again), 78 bad configuration or a damaged database (EX_CONFIG; systemd does not restart on it). */
export const EXIT = { OK: 0, FAILURE: 1, RESTART: 75, CONFIG: 78 } as const;

export { SHUTDOWN_DEADLINE_MS } from './ops/process-stop.js';

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
  // Counted from the first line, served at /metrics when the metrics are on.
  const errors = new ErrorCounter();
  const log = createLogger({ level: loaded.config.log.level, file: logFile, errors });
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
  // Whoever wrote them (a restored backup, an older version), settings rows too large or not JSON are read by nothing.
  const unreadable = store.settings.review();
  for (const { key, bytes, why } of unreadable)
    log.error({ setting: key, bytes, why }, 'a saved settings row cannot be read; it is taken out');
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
    const invalidSaved = settings.applySaved({ unreadable });
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
          { folders: libraryFolders(config.library.folders), actor: actors.named(restored.by) },
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
    ({ moodbox, layers } = await composeMoodbox({
      config,
      env: options.env,
      clock,
      log,
      bus,
      store,
      settings,
      demo,
      dataDir: loaded.config.dataDir,
      restore: { restored, setAside, people },
      errors,
    }));
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

  const exits = watchProcess({ moodbox, bus, log, notifier, pidFile, exit: EXIT });

  const startedAt = clock.monotonic();
  try {
    await moodbox.start(layers);
  } catch (err) {
    log.fatal({ err, hint: savedInForce ? 'retrying without the saved settings' : startHint(err) }, 'cannot start');
    await exits.shutdown('start-up failed', EXIT.FAILURE);
    if (!savedInForce) return EXIT.FAILURE;
    // The settings saved from the admin panel may be what stops the start: try once without them,
    // so that the panel stays reachable to fix or drop them.
    exits.detach();
    return retryWithoutSaved(err);
  }
  const watchdog = await announceReady({ moodbox, layers, store, config, demo, notifier, log, clock, env: options.env, startedAt });
  const code = await exits.signalled;
  watchdog?.cancel();
  return code;
}

function startHint(err: unknown): string {
  const text = err instanceof Error ? `${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}` : String(err);
  if (/in use/.test(text)) return 'another program holds the port: stop it or set MOODBOX_PORT';
  if (/database|SQLITE/i.test(text)) return 'check that the data directory is writable and the disk has space (moodbox doctor)';
  return 'run `moodbox doctor` for a check of this machine';
}
