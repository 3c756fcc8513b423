import { AuthService, authOptionsFrom } from './people/auth-service.js';
import { FirstRun } from './people/first-run.js';
import { KioskPresence } from './people/kiosk-presence.js';
import { PeopleService } from './people/people-service.js';
import { SignInThrottle } from './people/throttle.js';
import { cameraOffReason } from './camera/camera-schedule.js';
import type { CameraParts } from './camera/camera-parts.js';
import { CameraService } from './camera/camera-service.js';
import type { LiveConfig } from './config/live-config.js';
import type { Delivery, MoodboxCore } from './core.js';
import type { MoodboxBus } from './events.js';
import type { Clock } from '../kernel/clock.js';
import { Lifecycle, type ListenerRegistry, type Service, type ServiceHealth } from '../kernel/lifecycle.js';
import type { Random } from '../kernel/random.js';
import { LibraryService, type Analyzer, type Scanner } from './music/library-service.js';
import type { Logger } from './logging.js';
import type { MusicDirector } from './music/music-director.js';
import type { MusicParts } from './music/music-parts.js';
import type { GuestService } from './guests/guest-service.js';
import { buildMusicPart } from './music-part.js';
import type { BackupService } from './backups/backup-service.js';
import { MemoryGuard, type MemoryReading } from './ops/memory-guard.js';
import { MoodRecorder } from './camera/mood-recorder.js';
import { MoodboxMetrics } from './metrics/moodbox-metrics.js';
import type { ErrorCounter } from './metrics/error-counter.js';
import type { RfidReader } from './rfid/rfid-reader.js';
import type { Store } from './store/store.js';
import { StoreService } from './store/store-service.js';
import { Stations, stationsScanner } from './music/stations.js';
import { BlockedMusic } from './music/blocked-music.js';
import { TasteLearner } from './music/taste-learner.js';
import { PersonalCalibrationService } from './camera/personal-calibration-service.js';
import { PlayRecorder } from '../player/play-recorder.js';
import type { Player } from '../player/player.js';
import type { SpotifyAccount } from '../player/spotify/spotify-account.js';
import { actors, recordAudit, type Actor } from './store/audit.js';

export interface MoodboxDeps {
  clock: Clock;
  random: Random;
  /** The root logger: each part gets a child of it. */
  log: Logger;
  bus: MoodboxBus;
  store: Store;
  settings: LiveConfig;
  player: Player & Service;
  scanner: Scanner;
  /** Analyses the local files after each scan, in a child process; left out, none is. */
  analyzer?: Analyzer | undefined;
  /** The RFID reader, when the configuration turns it on. */
  rfid?: (RfidReader & Service) | undefined;
  /** The camera, unless the configuration turns it off. */
  camera?: CameraParts | undefined;
  /** True in demo mode (no configuration file): guests may ask for songs by default. @default false */
  isDemo?: boolean;
  /** The music folders to scan (absolute; they may change while running). */
  folders: () => readonly string[];
  /** Where music comes from besides the library, and the Spotify account of a home box. @default the library alone */
  music?: MusicParts | undefined;
  /** Whether yt-dlp can be run, for YouTube stations. @default looks for it on the PATH */
  hasYtDlp?: () => boolean;
  /** The nightly copies of the database, started right after it, and the staff's backups and restores. */
  backups?: BackupService | undefined;
  /** The nightly retention job (after the copy), started right after the backups. */
  retention?: Service | undefined;
  /** How the last update went (`setup.sh update`), for the Health card. */
  lastUpdate?: Service | undefined;
  /** Reads the process's memory, for the memory guard (`memory.ceilingMiB`); left out, no guard runs. */
  memory?: (() => MemoryReading) | undefined;
  /** The lines logged at `error` or `fatal`, by part (the root logger's count), served with the metrics. @default none served */
  errors?: ErrorCounter | undefined;
}

/** What the delivery layers may use of Moodbox, declared in `core.ts`. */
export type { MoodboxCore } from './core.js';

/**
 * The orchestration: camera → room mood → music director → player, with the library, the kiosk's
 * sign-in and the play history beside them, connected by the app's event bus and started and
 * stopped in dependency order. Built from adapters (ports only); the composition root makes them,
 * and the delivery layers from the built core, which `start` runs around the services.
 */
export class Moodbox implements MoodboxCore {
  readonly bus: MoodboxBus;
  readonly auth: AuthService;
  readonly presence: KioskPresence;
  readonly people: PeopleService;
  readonly firstRun: FirstRun;
  readonly music: MusicDirector;
  readonly guests: GuestService;
  readonly library: LibraryService;
  readonly camera: CameraService | undefined;
  readonly calibration: PersonalCalibrationService | undefined;
  readonly metrics: MoodboxMetrics | undefined;
  readonly spotify: SpotifyAccount | undefined;
  readonly stations: Stations;
  /** The songs and artists the owner blocked, and the explicit-content rule. */
  readonly blocks: BlockedMusic;
  readonly backups: BackupService | undefined;
  readonly #deps: MoodboxDeps;
  /** The services in dependency order, the delivery layers' own left out (`start` adds them). */
  readonly #services: readonly Service[];
  /** The buses the services subscribe to: the lifecycle ends each service's subscriptions there after its stop. */
  readonly #buses: readonly ListenerRegistry[];
  /** The screens' projection, the services, and the delivery layers' MQTT and server, from `start` on. */
  #lifecycle: Lifecycle | undefined;

  constructor(deps: MoodboxDeps, options: { scanAtStart: boolean }) {
    this.#deps = deps;
    const { clock, log, bus, store, settings, player } = deps;
    this.bus = bus;
    this.auth = new AuthService({ store, clock, log: log.child({ module: 'auth' }), throttle: new SignInThrottle({ clock }) }, () =>
      authOptionsFrom(settings.current.sessions),
    );
    this.presence = new KioskPresence({ auth: this.auth, clock, log: log.child({ module: 'kiosk' }), bus, cards: deps.rfid });
    this.people = new PeopleService({
      auth: this.auth,
      presence: this.presence,
      store,
      clock,
      selfRegistration: () => settings.current.sessions.selfRegistration,
    });
    this.firstRun = new FirstRun({ auth: this.auth, store, clock, log: log.child({ module: 'first-run' }) });
    const recorder = new PlayRecorder({ player, history: store.plays, clock, log: log.child({ module: 'history' }) });
    const moods = new MoodRecorder({ clock, log: log.child({ module: 'mood-log' }), bus, stats: store.stats });
    // Learns each person's and the room's taste from the plays the recorder writes (after it, on the same events).
    const learner = new TasteLearner({ store, player, clock, log: log.child({ module: 'taste' }) });
    this.stations = new Stations({
      store,
      clock,
      log: log.child({ module: 'stations' }),
      bus,
      player,
      settings: () => settings.current,
      ...(deps.hasYtDlp === undefined ? {} : { hasYtDlp: deps.hasYtDlp }),
    });
    this.blocks = new BlockedMusic({
      clock,
      log: log.child({ module: 'blocks' }),
      bus,
      store,
      explicit: () => settings.current.music.explicit,
    });
    const part = buildMusicPart({
      clock,
      random: deps.random,
      log: log.child({ module: 'music' }),
      store,
      player,
      bus,
      listener: () => this.presence.user,
      settings: () => settings.current.player,
      ...(deps.music === undefined ? {} : { sources: deps.music.sources }),
      isPlayable: (track) => this.stations.isPlayable(track),
      blocked: (track) => this.blocks.reasonFor(track),
      // The library is made below; this is asked only once the services run.
      libraryScanning: () => this.library.isScanning,
      guests: { log: log.child({ module: 'guests' }), settings: () => settings.current, isDemo: deps.isDemo ?? false },
    });
    this.music = part.music;
    this.guests = part.guests;
    this.spotify = deps.music?.spotify;
    this.backups = deps.backups;
    this.library = new LibraryService(
      {
        scanner: stationsScanner(deps.scanner, this.stations),
        analyzer: deps.analyzer,
        clock,
        log: log.child({ module: 'library' }),
        bus,
        count: () => store.tracks.count(),
        folders: deps.folders,
        store,
      },
      { scanAtStart: options.scanAtStart },
    );
    this.camera =
      deps.camera === undefined
        ? undefined
        : new CameraService({
            ...deps.camera,
            clock,
            log: log.child({ module: 'vision' }),
            bus,
            offReason: () => cameraOffReason(settings.current.camera, clock.now()),
          });
    const cameraParts = deps.camera;
    const emotionModel = cameraParts?.emotionModel;
    this.calibration =
      cameraParts === undefined || emotionModel === undefined
        ? undefined
        : new PersonalCalibrationService(
            {
              store: store.calibrations,
              clock,
              // No calibration while an admin has turned the camera off, or outside its hours: it reads no face then.
              model: () => (cameraOffReason(settings.current.camera, clock.now()) === null ? emotionModel() : undefined),
              signedIn: () => this.presence.user,
              bus,
            },
            cameraParts.vision,
          );
    if (this.calibration !== undefined) {
      const calibration = this.calibration;
      cameraParts?.setPersonalize?.((result) => calibration.personalize(result));
    }
    this.metrics = settings.current.metrics.enabled
      ? new MoodboxMetrics({ bus, player, sourceOf: (id) => store.tracks.get(id)?.source ?? 'local', errors: deps.errors })
      : undefined;
    const guard =
      deps.memory === undefined
        ? undefined
        : new MemoryGuard(
            { clock, log: log.child({ module: 'memory' }), restart: (by) => this.requestRestart(by), player, memory: deps.memory },
            settings.current.memory,
          );
    this.#services = [
      new StoreService({ store, clock, log: log.child({ module: 'store' }) }),
      ...(deps.backups ? [deps.backups] : []),
      ...(deps.retention ? [deps.retention] : []),
      ...(deps.lastUpdate ? [deps.lastUpdate] : []),
      settingsHealth(settings),
      coreListeners(bus, log, (by) => this.requestRestart(by)),
      this.presence,
      ...(deps.rfid ? [deps.rfid] : []),
      // Before the music: the first song after a start plays while the director starts, and is
      // counted, recorded and learnt from. Stopped after the music, while the database is open:
      // the player's stop ends the song playing as interrupted, and the recorder writes it so.
      ...(this.metrics ? [this.metrics] : []),
      recorder,
      moods,
      learner,
      this.stations,
      this.blocks,
      this.guests,
      player,
      this.library,
      this.music,
      ...(this.calibration ? [this.calibration] : []),
      ...(this.camera ? [this.camera] : []),
      ...(guard ? [guard] : []),
    ];
    this.#buses = [bus, player.events, ...(cameraParts ? [cameraParts.vision.events] : [])];
  }

  /**
   * Starts every part in dependency order, with the delivery layers built from this core: the
   * screens' state projection before every service, so it hears their first events (stopped after
   * them), MQTT and the server after them (stopped first). One lifecycle starts and stops them all,
   * and ends each one's subscriptions on the buses after its stop. On a failure, stops what had
   * started and rethrows. Called once.
   */
  async start(delivery: Delivery): Promise<void> {
    const { screens, mqtt = [], server } = delivery;
    const lifecycle = new Lifecycle({
      services: [screens, ...this.#services, ...mqtt, server],
      log: this.#deps.log.child({ module: 'lifecycle' }),
      buses: this.#buses,
    });
    this.#lifecycle = lifecycle;
    await lifecycle.start();
  }

  /** Stops every part in reverse order. Never throws; failures are logged. */
  async stop(): Promise<void> {
    await this.#lifecycle?.stop();
  }

  /** The health of every service, in start order; none before `start`. */
  health(): Array<{ name: string } & ServiceHealth> {
    return this.#lifecycle?.health() ?? [];
  }

  /** The services still stopping: what a shutdown that overran its deadline waits on. */
  stillStopping(): string[] {
    return this.#lifecycle?.stopping() ?? [];
  }

  /** The one emitter of `restartRequested`: the panel, a fleet operator and the memory guard ask through here. */
  requestRestart(by: Actor): void {
    const { store, clock, log } = this.#deps;
    try {
      recordAudit({ audit: store.audit, clock }, by, 'daemon.restart');
    } catch (err) {
      // A restart asked for still happens: a full disk is no reason to keep running.
      log.warn({ err, by: by.name }, 'the restart is not in the audit log: it cannot be written');
    }
    this.bus.emit('restartRequested', { by: by.name });
  }

  /** True once every service has started and none reports `failed`. */
  isReady(): boolean {
    return this.#lifecycle?.isReady() ?? false;
  }
}

/** The core's own subscriptions: a settings change logged, and a restore staff readied put in place by a restart. */
function coreListeners(bus: MoodboxBus, log: Logger, restart: (by: Actor) => void): Service {
  const listeners: Service = {
    name: 'core',
    isQuiet: true,
    start: async () => {
      bus.on('settingsChanged', ({ changed }) => log.info({ changed }, 'settings changed'), listeners);
      // A restore is put in place by the next start, before the database opens.
      bus.on('restoreStaged', ({ by }) => restart(actors.named(by)), listeners);
    },
    stop: async () => {},
  };
  return listeners;
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
