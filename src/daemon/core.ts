import type { AuthService } from './people/auth-service.js';
import type { FirstRun } from './people/first-run.js';
import type { KioskPresence } from './people/kiosk-presence.js';
import type { PeopleService } from './people/people-service.js';
import type { CameraService } from './camera/camera-service.js';
import type { MoodboxBus } from './events.js';
import type { GuestService } from './guests/guest-service.js';
import type { Service, ServiceHealth } from '../kernel/lifecycle.js';
import type { LibraryService } from './music/library-service.js';
import type { MoodboxMetrics } from './metrics/moodbox-metrics.js';
import type { MusicDirector } from './music/music-director.js';
import type { BackupService } from './backups/backup-service.js';
import type { PersonalCalibrationService } from './camera/personal-calibration-service.js';
import type { Stations } from './music/stations.js';
import type { BlockedMusic } from './music/blocked-music.js';
import type { SpotifyAccount } from '../player/spotify/spotify-account.js';
import type { Actor } from './store/audit.js';

/**
 * What the delivery layers (http/: routes, WebSocket, screens; mqtt/: Home Assistant, the fleet)
 * may use of Moodbox. The core knows neither of them: the composition root builds them beside each
 * other from this.
 */
export interface MoodboxCore {
  readonly bus: MoodboxBus;
  readonly auth: AuthService;
  readonly presence: KioskPresence;
  /** The accounts, their data and self-registration. */
  readonly people: PeopleService;
  /** The first admin of a box started with a configuration and none. */
  readonly firstRun?: FirstRun;
  /**
   * The music, its one owner: what plays and comes next, and every command on it (the kiosk's taps,
   * likes and skips; staff's, Home Assistant's and the fleet's pause, skip, volume, held mood and
   * picks; the guests' votes), each audited there with who acted.
   */
  readonly music: MusicDirector;
  /** Guests from their phones: requests, likes and votes. */
  readonly guests: GuestService;
  readonly library: LibraryService;
  readonly camera: CameraService | undefined;
  /** Personal expression calibrations, when the camera is on. */
  readonly calibration?: PersonalCalibrationService | undefined;
  /** Prometheus metrics, when `metrics.enabled` is on. */
  readonly metrics?: MoodboxMetrics | undefined;
  /** The Spotify account of a home box with a Spotify app configured. */
  readonly spotify?: SpotifyAccount | undefined;
  /** Web radio and other streams of the library. */
  readonly stations?: Stations;
  /** The songs and artists the owner blocked, and the explicit-content rule. */
  readonly blocks?: BlockedMusic;
  /** The database's backups: the nightly copy, and the staff's copies, uploads and restores. */
  readonly backups?: BackupService | undefined;
  /** The health of every service, in start order. */
  health(): Array<{ name: string } & ServiceHealth>;
  /** Asks for a restart (`restartRequested`, which the composition root answers), audited (`daemon.restart`) with `by` as the actor. */
  requestRestart(by: Actor): void;
}

/** What shows Moodbox to people and to other machines, built from the core by the composition root, and run around the services by `Moodbox.start`. */
export interface Delivery {
  /** The screens' state projection: started before every service, so it hears their first events, and stopped after them. */
  screens: Service;
  /** The broker connection and its bridge (Home Assistant, the fleet), when MQTT is on: started after the services. @default none */
  mqtt?: readonly Service[] | undefined;
  /** The HTTP and WebSocket server: started last, stopped first. */
  server: Service;
}
