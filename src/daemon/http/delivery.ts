import type { LiveConfig } from '../config/live-config.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { cameraOffInConfigLine } from '../../kernel/health-words.js';
import type { ListenerOwner } from '../../kernel/event-bus.js';
import type { Logger } from '../logging.js';
import type { MoodboxCore } from '../core.js';
import type { StoreReads } from '../store/store-reads.js';
import { buildServer, type ServerOptions } from './build-server.js';
import { HttpService } from './http-service.js';
import type { StateSnapshot } from './contract.js';
import { StateHub } from './state-hub.js';
import { initialScreenState, StateProjector } from './state-projector.js';
import { isQuietHours } from '../music/limits-policy.js';
import { ScreenPower, type ScreenSwitch } from '../ops/screen-power.js';

export interface DeliveryDeps {
  log: Logger;
  clock: Clock;
  store: StoreReads;
  settings: LiveConfig;
  version: string;
  /** True while Moodbox runs on its bundled demo camera and library. */
  demo: boolean;
  /** The built UI (`index.html`, `admin.html`, assets). */
  uiDir: string;
  /** Where the library's cover images are. */
  coversDir: string;
  /** The emotion model in use, for the admin panel's model report. */
  modelPath: string;
  /** The box's time zone (IANA), for the screens; @default this process's */
  timeZone?: string;
  /** The box's own display, which the kiosk on it turns dark in the quiet hours; absent: left alone. */
  screen?: ScreenSwitch | undefined;
  /** Whether something starts Moodbox again after a restart (systemd, a supervisor): without, the panel offers none. @default true */
  canRestart?: boolean;
}

/** The screens' state, read-only: what it is now, and a call after each change. */
export interface ScreenView {
  state(): StateSnapshot;
  subscribe(listener: () => void, owner: ListenerOwner): () => void;
}

/**
 * What shows Moodbox to people: the screens' state (a projection of the app's events, the only
 * writer of the hub) and the HTTP and WebSocket server the kiosk and the admin panel talk to.
 */
export function delivery(
  core: MoodboxCore,
  deps: DeliveryDeps,
  options: ServerOptions & { server: ConstructorParameters<typeof HttpService>[1] },
): { screens: StateProjector; server: HttpService; state: ScreenView } {
  const { log, clock, store, settings, version } = deps;
  const hub = new StateHub(
    initialScreenState({
      version,
      demo: deps.demo,
      cameraOff: core.camera === undefined ? cameraOffInConfigLine() : null,
      language: kioskLanguage(settings.current),
      ...(deps.timeZone === undefined ? {} : { timeZone: deps.timeZone }),
    }),
    { log: log.child({ module: 'screens' }) },
  );
  const isQuiet = (): boolean => isQuietHours(settings.current.player, clock.now());
  const screens = new StateProjector({
    bus: core.bus,
    hub,
    clock,
    store,
    services: () => core.health(),
    language: () => kioskLanguage(settings.current),
    kioskQr: () => settings.current.guests.kioskQr,
    quietHours: isQuiet,
    quietUntil: () => settings.current.player.quietHours?.to ?? null,
    cameraClip: () => settings.current.camera.source === 'demo',
  });
  const camera = core.camera;
  const screen =
    deps.screen === undefined
      ? undefined
      : new ScreenPower({ screen: deps.screen, log: log.child({ module: 'screen' }), clock, isQuietHours: isQuiet });
  const server = new HttpService(
    {
      build: () =>
        buildServer(
          {
            log: log.child({ module: 'http' }),
            clock,
            hub,
            store,
            auth: core.auth,
            presence: core.presence,
            people: core.people,
            firstRun: core.firstRun,
            settings,
            services: () => core.health(),
            version,
            uiDir: deps.uiDir,
            music: core.music,
            staff: core.music,
            // The composition root stops the daemon with the restart exit code, where something starts it again.
            restart: deps.canRestart === false ? undefined : (actor) => core.requestRestart(actor),
            library: { rescan: (actor) => core.library.rescan(actor), coversDir: deps.coversDir },
            trackMoods: core.library,
            modelPath: deps.modelPath,
            metrics: core.metrics,
            spotify: core.spotify,
            stations: core.stations,
            blocks: core.blocks,
            calibration: core.calibration,
            guests: core.guests,
            backups: core.backups,
            screen,
            ...(camera === undefined ? {} : { preview: () => camera.preview(), faces: () => camera.liveFaces() }),
          },
          { ws: options.ws },
        ),
      log: log.child({ module: 'http' }),
    },
    options.server,
  );
  // The box's state for the other delivery layer (MQTT): the same projection the screens read.
  const state: ScreenView = { state: () => hub.snapshot().data, subscribe: (listener, owner) => hub.subscribe(() => listener(), owner) };
  return { screens, server, state };
}

/** The kiosk's language as the screens are told it: the venue's two-letter code, or null for the kiosk browser's. */
function kioskLanguage(config: Config): string | null {
  return config.site.language === 'auto' ? null : config.site.language;
}
