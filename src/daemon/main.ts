import { join } from 'node:path';
import { AuthService, authOptionsFrom } from './auth/auth-service.js';
import { KioskPresence } from './auth/kiosk-presence.js';
import { SignInThrottle } from './auth/throttle.js';
import { cameraOffReason } from './camera-schedule.js';
import { LiveConfig } from './config/live-config.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { buildServer } from './http/build-server.js';
import type { StateSnapshot } from './http/contract.js';
import { HttpService } from './http/http-service.js';
import { StateHub } from './http/state-hub.js';
import { systemClock, type Timer } from './kernel/clock.js';
import { ConfigError } from './kernel/errors.js';
import { Lifecycle } from './kernel/lifecycle.js';
import { createLogger, type Logger } from './logging.js';
import { HidRfidReader, nodeHidBackend } from './rfid/hid-rfid-reader.js';
import { openSqliteStore, type SqliteStore } from './store/sqlite-store.js';
import { StoreService } from './store/store-service.js';
import { createServiceNotifier } from './systemd-notify.js';
import { INSTALL_DIR, VERSION } from './version.js';

/** Exit codes: 0 clean stop, 1 start-up or runtime failure, 78 bad configuration (EX_CONFIG; systemd does not restart on it). */
export const EXIT = { OK: 0, FAILURE: 1, CONFIG: 78 } as const;

/** How long a signal-initiated shutdown may take before the process exits anyway (ms). */
const SHUTDOWN_DEADLINE_MS = 5000;

/** How long a kiosk notice (an unknown card) stays on screen (ms). */
const NOTICE_MS = 8000;

/**
 * The composition root: the only place that builds real adapters. Runs the daemon until SIGINT or
 * SIGTERM and resolves with the process exit code.
 */
export async function runDaemon(options: { configFile?: string | undefined; env: NodeJS.ProcessEnv }): Promise<number> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({ file: options.configFile, env: options.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`moodbox: ${err.message}\n`);
      return EXIT.CONFIG;
    }
    throw err;
  }
  const log = createLogger({ level: loaded.config.log.level });
  const clock = systemClock;
  const demo = loaded.file === undefined;
  log.info({ version: VERSION, config: loaded.file ?? '(defaults: demo mode)', dataDir: loaded.config.dataDir }, 'moodbox starting');

  const notifier = await createServiceNotifier(options.env, log.child({ module: 'systemd' }));
  // The database comes first: everything else is built on it.
  let store: SqliteStore;
  try {
    store = openSqliteStore({ clock, log: log.child({ module: 'store' }) }, { path: join(loaded.config.dataDir, 'moodbox.db') });
  } catch (err) {
    log.fatal({ err, hint: startHint(err) }, 'cannot start');
    log.flush();
    return EXIT.FAILURE;
  }
  // Settings saved from the admin panel sit between the file and the environment.
  const settings = new LiveConfig({ store: store.settings }, { file: loaded.file, env: options.env, config: loaded.config });
  const invalidSaved = settings.applySaved();
  if (invalidSaved.length > 0) log.error({ problems: invalidSaved }, 'saved settings are no longer valid; using the configuration file');
  const config = settings.current;
  log.level = config.log.level;

  const hub = new StateHub(initialState(demo));
  const showCamera = (): void => {
    const off = cameraOffReason(settings.current.camera, clock.now());
    hub.update('camera', { status: 'off', detail: off });
  };
  showCamera();
  settings.on(({ changed }) => {
    log.info({ changed }, 'settings changed');
    if (changed.some((p) => p.startsWith('camera.'))) showCamera();
  });
  const storeService = new StoreService({ store, clock, log: log.child({ module: 'store' }) });
  const auth = new AuthService({ store, clock, log: log.child({ module: 'auth' }), throttle: new SignInThrottle({ clock }) }, () =>
    authOptionsFrom(settings.current.sessions),
  );
  const presence = new KioskPresence({
    auth,
    clock,
    log: log.child({ module: 'kiosk' }),
    onChange: (user) => hub.update('session', { user, notice: null }),
  });
  let noticeTimer: Timer | undefined;
  const showNotice = (notice: string): void => {
    hub.update('session', { user: presence.user, notice });
    noticeTimer?.cancel();
    noticeTimer = clock.setTimeout(() => hub.update('session', { user: presence.user, notice: null }), NOTICE_MS);
  };
  const rfid = config.rfid.enabled
    ? new HidRfidReader({ backend: await nodeHidBackend(), clock }, { devices: config.rfid.devices })
    : undefined;
  rfid?.on('cardScanned', ({ cardId }) => {
    const outcome = presence.card(cardId, 'rfid');
    log.info({ outcome }, 'card read');
    if (outcome === 'unknown')
      showNotice('This card is not linked to anyone yet. Ask a member of staff to link it, or sign in with your PIN.');
  });
  // Read lazily: the server is built before the lifecycle that holds it.
  const services = (): ReturnType<Lifecycle['health']> => lifecycle.health();
  const httpService = new HttpService(
    {
      build: () =>
        buildServer(
          {
            log: log.child({ module: 'http' }),
            clock,
            hub,
            store,
            auth,
            presence,
            settings,
            services,
            version: VERSION,
            uiDir: join(INSTALL_DIR, 'dist', 'ui'),
          },
          { ws: config.ws },
        ),
      log: log.child({ module: 'http' }),
    },
    config.server,
  );
  const lifecycle = new Lifecycle({
    services: [storeService, presence, ...(rfid ? [rfid] : []), httpService],
    log: log.child({ module: 'lifecycle' }),
  });

  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string, code: number): Promise<number> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      notifier.stopping();
      const deadline = setTimeout(() => {
        log.fatal({ ms: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting anyway');
        process.exit(code === EXIT.OK ? EXIT.FAILURE : code);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      await lifecycle.stop();
      clearTimeout(deadline);
      notifier.close();
      log.info({ code }, 'stopped');
      log.flush();
      return code;
    })();
    return stopping;
  };

  const signalled = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      void shutdown(signal, EXIT.OK).then(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void shutdown('uncaught exception', EXIT.FAILURE).then((code) => process.exit(code));
  });
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection');
    void shutdown('unhandled rejection', EXIT.FAILURE).then((code) => process.exit(code));
  });

  const startedAt = clock.monotonic();
  try {
    await lifecycle.start();
  } catch (err) {
    log.fatal({ err, hint: startHint(err) }, 'cannot start');
    await shutdown('start-up failed', EXIT.FAILURE);
    return EXIT.FAILURE;
  }

  const health = (): void => hub.update('services', lifecycle.health());
  health();
  const healthTimer = clock.setInterval(health, 2000);
  const cameraHoursTimer = clock.setInterval(showCamera, 60_000);
  const watchdogTimer =
    notifier.watchdogIntervalMs === undefined
      ? undefined
      : clock.setInterval(() => {
          if (lifecycle.isReady()) notifier.watchdog();
        }, notifier.watchdogIntervalMs);

  const url = displayUrl(httpService.address ?? `http://${config.server.host}:${config.server.port}`);
  notifier.ready(`serving ${url}`);
  log.info({ kiosk: `${url}/`, admin: `${url}/admin`, ms: Math.round(clock.monotonic() - startedAt), demo }, 'moodbox ready');
  if (process.stdout.isTTY || demo) {
    process.stderr.write(
      `\nMoodbox ${VERSION} is running${demo ? ' in demo mode' : ''}.\n  Kiosk: ${url}/\n  Admin: ${url}/admin\n  Stop:  Ctrl+C\n\n`,
    );
  }

  const code = await signalled;
  healthTimer.cancel();
  cameraHoursTimer.cancel();
  noticeTimer?.cancel();
  watchdogTimer?.cancel();
  return code;
}

function initialState(demo: boolean): StateSnapshot {
  return {
    version: VERSION,
    demo,
    // The vision service, when present, reports the camera; until then it is off.
    camera: { status: 'off', detail: null },
    mood: { current: null, confidence: 0, since: null, why: null, faces: 0 },
    player: { status: 'stopped', nowPlaying: null, positionMs: 0, next: null, volume: 70 },
    suggestions: [],
    session: { user: null, notice: null },
    services: [],
  };
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

export type { Logger };
