import { isAbsolute, join, resolve } from 'node:path';
import { AuthService, authOptionsFrom } from './auth/auth-service.js';
import { KioskPresence } from './auth/kiosk-presence.js';
import { SignInThrottle } from './auth/throttle.js';
import { cameraOffReason } from './camera-schedule.js';
import { CameraService } from './camera-service.js';
import { coversDir } from './commands/library-command.js';
import { LiveConfig } from './config/live-config.js';
import { panelChecks } from './config/panel-checks.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { buildServer } from './http/build-server.js';
import type { StateSnapshot } from './http/contract.js';
import { HttpService } from './http/http-service.js';
import type { WsHandler } from './http/ws.js';
import { StateHub } from './http/state-hub.js';
import { systemClock, type Timer } from './kernel/clock.js';
import { ConfigError, MoodboxError } from './kernel/errors.js';
import { Lifecycle, type Service } from './kernel/lifecycle.js';
import { seededRandom } from './kernel/random.js';
import { LibraryService } from './library-service.js';
import { createLogger, type Logger } from './logging.js';
import { MusicDirector } from './music-director.js';
import { HidRfidReader, nodeHidBackend } from './rfid/hid-rfid-reader.js';
import { openSqliteStore, type SqliteStore } from './store/sqlite-store.js';
import { StoreService } from './store/store-service.js';
import { createServiceNotifier } from './systemd-notify.js';
import { INSTALL_DIR, VERSION } from './version.js';
import { resolveAudioOutput } from '../player/audio-output.js';
import { LibraryScanner } from '../player/library/scanner.js';
import { MusicMetadataTagReader } from '../player/library/music-metadata-tag-reader.js';
import { MpvPlayer } from '../player/mpv-player.js';
import type { Config } from './config/schema.js';

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
  const settings = new LiveConfig(
    { store: store.settings, checks: panelChecks({ installDir: INSTALL_DIR }) },
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

  const hub = new StateHub(initialState(demo));
  settings.on(({ changed }) => log.info({ changed }, 'settings changed'));
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
  // The music: library, player, and the director that reads the room and picks what plays.
  const libraryLog = log.child({ module: 'library' });
  const player = new MpvPlayer(
    { clock, history: store.plays, log: log.child({ module: 'player' }) },
    {
      mpvPath: config.player.mpvPath,
      audioOutput: resolveAudioOutput(config.player.audioOutput, options.env),
      extraArgs: config.player.mpvArgs,
      volume: Math.min(config.player.volume, config.player.maxVolume),
      maxVolume: config.player.maxVolume,
    },
  );
  const director = new MusicDirector({
    clock,
    random: seededRandom(clock.now() ^ process.pid),
    log: log.child({ module: 'music' }),
    store,
    player,
    hub,
    listener: () => presence.user,
    settings: () => settings.current.player,
  });
  const library = new LibraryService(
    {
      scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock, log: libraryLog }, { coversDir: coversDir(config) }),
      clock,
      log: libraryLog,
      hub,
      count: () => store.tracks.count(),
      folders: () => settings.current.library.folders.map((folder) => installPath(folder)),
      onChanged: () => director.libraryChanged(),
    },
    { scanAtStart: config.library.scanAtStart },
  );
  const modelPath = installPath(config.vision.modelPath);
  const camera = await buildCamera(config, {
    clock,
    log,
    hub,
    store,
    settings,
    modelPath,
    onRoomMood: (mood) => void director.roomMoodChanged(mood),
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
            wsHandlers: playerHandlers(director, presence),
            library: {
              scan: () => library.scan(),
              get isScanning() {
                return library.isScanning;
              },
              coversDir: coversDir(config),
              edited: () => void director.libraryChanged(),
            },
            modelPath,
            preview: camera?.preview,
            faces: camera?.faces,
          },
          { ws: config.ws },
        ),
      log: log.child({ module: 'http' }),
    },
    config.server,
  );
  const lifecycle = new Lifecycle({
    services: [
      storeService,
      settingsHealth(settings),
      presence,
      ...(rfid ? [rfid] : []),
      player,
      library,
      director,
      ...(camera ? [camera.service] : []),
      httpService,
    ],
    log: log.child({ module: 'lifecycle' }),
  });
  settings.on(({ changed }) => {
    if (changed.some((p) => p.startsWith('camera.'))) void camera?.service.applyRules();
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

  let resolveSignalled: (code: number) => void = () => {};
  const signalled = new Promise<number>((resolve) => (resolveSignalled = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    void shutdown(signal, EXIT.OK).then(resolveSignalled);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const onUncaught = (err: unknown): void => {
    log.fatal({ err }, 'uncaught exception');
    void shutdown('uncaught exception', EXIT.FAILURE).then((code) => process.exit(code));
  };
  const onUnhandled = (err: unknown): void => {
    log.fatal({ err }, 'unhandled rejection');
    void shutdown('unhandled rejection', EXIT.FAILURE).then((code) => process.exit(code));
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);

  const startedAt = clock.monotonic();
  // Read before the start: a failed start closes the database.
  const savedInForce = options.safeMode === undefined && Object.keys(settings.overrides()).length > 0;
  try {
    await lifecycle.start();
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
    const why = err instanceof Error ? err.message : String(err);
    return runDaemon({ ...options, safeMode: `the settings saved from the admin panel stopped Moodbox from starting (${why})` });
  }

  const health = (): void => hub.update('services', lifecycle.health());
  health();
  const healthTimer = clock.setInterval(health, 2000);
  const watchdogTimer =
    notifier.watchdogIntervalMs === undefined
      ? undefined
      : clock.setInterval(() => {
          if (lifecycle.isReady()) notifier.watchdog();
        }, notifier.watchdogIntervalMs);

  // Before `ready`: a stop that comes right after it must not find the demo admin half made.
  const demoAdmin = demo ? await ensureDemoAdmin(auth, store) : undefined;
  const url = displayUrl(httpService.address ?? `http://${config.server.host}:${config.server.port}`);
  notifier.ready(`serving ${url}`);
  log.info({ kiosk: `${url}/`, admin: `${url}/admin`, ms: Math.round(clock.monotonic() - startedAt), demo }, 'moodbox ready');
  if (process.stdout.isTTY || demo) {
    process.stderr.write(
      `\nMoodbox ${VERSION} is running${demo ? ' in demo mode' : ''}.\n  Kiosk: ${url}/\n  Admin: ${url}/admin\n${demoAdmin ?? ''}  Stop:  Ctrl+C\n\n`,
    );
  }

  const code = await signalled;
  healthTimer.cancel();
  noticeTimer?.cancel();
  watchdogTimer?.cancel();
  return code;
}

/** A health line for the settings: degraded while the saved ones are set aside (safe mode). */
function settingsHealth(settings: LiveConfig): Service {
  return {
    name: 'settings',
    start: async () => {},
    stop: async () => {},
    health: () => {
      const why = settings.safeMode;
      return why === undefined
        ? { status: 'ready' }
        : {
            status: 'degraded',
            detail: `safe mode: ${why}; running on the configuration file alone: fix or drop the saved settings in Settings`,
          };
    },
  };
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
    library: { scanning: false, done: 0, total: 0, tracks: 0, lastScan: null },
  };
}

/** The demo's admin account; its passphrase must be changed at the first sign-in. */
export const DEMO_ADMIN = { name: 'admin', passphrase: 'moodbox-demo-admin' } as const;

/**
 * In demo mode, makes sure someone can sign in to the admin panel: creates the demo admin when the
 * database has no admin yet. Returns the lines that tell the person at the terminal how to sign in.
 */
async function ensureDemoAdmin(auth: AuthService, store: SqliteStore): Promise<string> {
  const admins = store.users.list().filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length === 0) {
    await auth.createUser({ name: DEMO_ADMIN.name, role: 'admin', secret: DEMO_ADMIN.passphrase, mustChangePin: true }, 'demo');
  }
  // Until its passphrase is changed, the demo admin still signs in with the printed one.
  if (admins.length === 0 || admins.some((u) => u.name === DEMO_ADMIN.name && u.mustChangePin)) {
    return `  Admin sign-in: ${DEMO_ADMIN.name} / ${DEMO_ADMIN.passphrase} (you choose a new passphrase at the first sign-in)\n`;
  }
  return `  Admin sign-in: ${admins.map((u) => u.name).join(', ')} with the passphrase chosen at the first sign-in (forgotten: moodbox user pin NAME)\n`;
}

/** A path from the configuration: relative ones start at the install folder. */
function installPath(path: string): string {
  return isAbsolute(path) ? path : resolve(INSTALL_DIR, path);
}

/** The bundled demo camera: a looped clip of faces whose expressions change. */
export const DEMO_CAMERA = 'demo/camera.mp4';

/**
 * The vision side: camera source, face detector, emotion model and the loop, under a service that
 * runs them only while the admin's camera rules allow. Undefined when the camera is turned off in
 * the configuration file (nothing of OpenCV or onnxruntime is loaded then).
 */
async function buildCamera(
  config: Config,
  deps: {
    clock: typeof systemClock;
    log: Logger;
    hub: StateHub;
    store: SqliteStore;
    settings: LiveConfig;
    modelPath: string;
    onRoomMood: (mood: string) => void;
  },
): Promise<
  | {
      service: CameraService;
      preview: () => { jpeg: Buffer; at: number; width: number; height: number } | undefined;
      faces: NonNullable<Parameters<typeof buildServer>[0]['faces']>;
    }
  | undefined
> {
  const { clock, log, hub, store, settings } = deps;
  if (!config.camera.enabled) {
    hub.update('camera', { status: 'off', detail: 'turned off in the configuration' });
    return undefined;
  }
  const [{ OpencvFrameSource }, { createFaceDetector }, { OnnxEmotionClassifier }, { VisionPipeline }] = await Promise.all([
    import('../vision/opencv-frame-source.js'),
    import('../vision/detectors.js'),
    import('../vision/onnx-emotion-classifier.js'),
    import('../vision/vision-pipeline.js'),
  ]);
  const visionLog = log.child({ module: 'vision' });
  const source = config.camera.source === 'demo' ? installPath(DEMO_CAMERA) : config.camera.source;
  const detector = createFaceDetector(config.vision.detector, {
    installDir: INSTALL_DIR,
    cascadePath: config.vision.cascadePath,
    minFaceSize: config.vision.minFacePx,
    detectWidth: config.vision.detectWidth,
  });
  const classifier = new OnnxEmotionClassifier({ log: visionLog }, { modelPath: deps.modelPath, int8Check: config.vision.int8Check });
  const vision = new VisionPipeline(
    { source: new OpencvFrameSource({ clock }, { source, loop: true }), detector, classifier, clock, log: visionLog },
    {
      analysisFps: config.vision.analysisFps,
      mood: { dwellMs: config.mood.dwellMs, nobodyAfterMs: config.mood.nobodyAfterMs, minConfidence: config.mood.minConfidence },
      preview: { enabled: config.vision.preview },
      crop: { align: config.vision.alignFaces },
    },
  );
  let latest: { jpeg: Buffer; at: number; width: number; height: number } | undefined;
  vision.events.on('previewCaptured', (preview) => {
    latest = { jpeg: preview.jpeg, at: preview.at, width: preview.width, height: preview.height };
  });
  // The faces of the newest analysed frame for the live view: labels, boxes and numbers, never pixels.
  let faces: ReturnType<NonNullable<Parameters<typeof buildServer>[0]['faces']>>;
  vision.events.on('facesDetected', (e) => {
    faces = {
      at: e.at,
      width: e.width,
      height: e.height,
      mood: e.mood,
      faces: e.faces.map((f) => ({
        trackId: f.trackId,
        box: [...f.box],
        emotion: f.emotion,
        confidence: f.confidence,
        probabilities: { ...f.probabilities },
      })),
      timing: { detectMs: e.timing.detectMs, classifyMs: e.timing.classifyMs, totalMs: e.timing.totalMs },
    };
  });
  vision.events.on('cameraChanged', ({ state }) => {
    if (state !== 'on') {
      latest = undefined;
      faces = undefined;
    }
  });
  const service = new CameraService({
    prepare: async (signal) => {
      await classifier.start(signal);
      await detector.load();
    },
    release: () => classifier.stop(),
    model: () => classifier.modelNote,
    vision,
    clock,
    log: visionLog,
    hub,
    stats: store.stats,
    offReason: () => cameraOffReason(settings.current.camera, clock.now()),
    onRoomMood: deps.onRoomMood,
  });
  return { service, preview: () => latest, faces: () => faces };
}

/**
 * The kiosk's player requests over the WebSocket; a tap, like or skip also counts as activity of
 * whoever is signed in. Acting for that person (a like, a skip, a tap that goes into their history)
 * needs their credential (`WsContext.actingFor`); a guest tap needs only a page of this daemon.
 */
function playerHandlers(director: MusicDirector, presence: KioskPresence): Record<string, WsHandler> {
  const trackId = (data: unknown, required: boolean): number | undefined => {
    const value = (data as { trackId?: unknown } | null | undefined)?.trackId;
    if (value === undefined && !required) return undefined;
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `Expected data like {"trackId": 12}, got ${JSON.stringify(data) ?? 'nothing'}`);
    }
    return value as number;
  };
  // Checked here, not only in the director: a guest's like must not land on someone who signs in while it waits its turn.
  const person = (context: Parameters<WsHandler>[1], what: string): void => {
    if (context.actingFor(what) === null) {
      throw new MoodboxError('MB_ERR_AUTH_REQUIRED', `Sign in to ${what}: likes and skips shape your own picks`);
    }
  };
  return {
    'player/play': (data, context) => {
      const id = trackId(data, true) ?? 0;
      context.actingFor('choose a song');
      presence.touch();
      return director.tap(id);
    },
    'player/like': (data, context) => {
      const id = trackId(data, true) ?? 0;
      person(context, 'like a song');
      presence.touch();
      return director.like(id);
    },
    'player/skip': (data, context) => {
      const id = trackId(data, false);
      person(context, 'skip a song');
      presence.touch();
      return director.skip(id);
    },
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
