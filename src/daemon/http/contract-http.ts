/**
 * The payloads of the HTTP API (`/api/*`) but the guest page's: the sign-ins, and what the admin
 * panel reads and sends. Each is derived from its route schema (`Static<typeof …>`), so the two
 * cannot drift apart. The UI reaches them through `contract.ts`, as types only.
 */
import type { Said } from '../../kernel/said.js';
import type { Static } from 'typebox';
import type { CameraFaceSchema, CameraFacesSchema, ModelFigureSchema, ModelReportSchema, ScanStartedSchema } from './schemas/appliance.js';
import type {
  AuditEntrySchema,
  CapturedCardSchema,
  CardReaderSchema,
  CardSchema,
  CreateUserBody,
  HistoryPlaySchema,
  HistoryQuery,
  LinkCardBody,
  PlaySchema,
  UpdateUserBody,
  UserViewSchema,
} from './schemas/people.js';
import type { AdminSessionSchema, FirstAdminBody, FirstRunSchema, FirstRunWizardSchema, KioskSessionSchema } from './schemas/session.js';
import type { HoldMoodBody, LibraryFitSchema, QueueItemSchema, SkippedSchema, StaffPlayerSchema } from './schemas/player-admin.js';
import type { SettingsSavedSchema, SettingsSchema } from './schemas/settings.js';
import type { StationBody, StationSchema } from './schemas/stations.js';
import type { BlockBody, BlockedEntrySchema, BlockImportReportSchema, BlocksSchema } from './schemas/blocks.js';
import type { BackupSchema, BackupsSchema, RestoreStartedSchema } from './schemas/backups.js';
import type { SpotifyConnectSchema, SpotifyDevicesSchema, SpotifyPlaylistsSchema, SpotifyStatusSchema } from './schemas/spotify.js';
import type { ChartsQuery, ChartsSchema, StatsSchema } from './schemas/stats.js';
import type { DiskUseSchema } from './schemas/disk.js';
import type { GuestAdminSchema } from './schemas/guest-admin.js';
import type {
  BulkMoodsBody,
  KnownMoodsSchema,
  RecordingFileSchema,
  TrackAdminSchema,
  TrackMoodsBody,
  TracksQuery,
} from './schemas/tracks.js';

/** The body of every HTTP error response. */
export interface ErrorBody {
  error: { code: string; message: string; said?: Said };
}

/** The answer to a PIN sign-in at the kiosk (`POST /api/session/pin`). */
export type KioskSession = Static<typeof KioskSessionSchema>;
/** The signed-in admin (`GET /api/admin/session`, and the sign-in's answer). */
export type AdminSession = Static<typeof AdminSessionSchema>;
/** Whether the box still needs its first admin (`GET /api/first-run`). */
export type FirstRunStatus = Static<typeof FirstRunSchema>;
export type FirstAdmin = Static<typeof FirstAdminBody>;
/** Where the set-up after the first admin stands (`GET`/`PUT /api/admin/first-run/wizard`); `step` null: none under way. */
export type FirstRunWizardView = Static<typeof FirstRunWizardSchema>;
/** `GET /api/admin/disk`: the data directory by part, the database by table, the days left. */
export type DiskUse = Static<typeof DiskUseSchema>;

/** An account as admins see it (`GET /api/admin/users`). */
export type AdminUser = Static<typeof UserViewSchema>;
export type NewUser = Static<typeof CreateUserBody>;
export type UserChange = Static<typeof UpdateUserBody>;
export type Card = Static<typeof CardSchema>;
export type NewCard = Static<typeof LinkCardBody>;
/** The card tapped on the reader while an admin waited for one, and whom it is linked to. */
export type CapturedCard = Static<typeof CapturedCardSchema>;

/** One play of the history. */
export type Play = Static<typeof PlaySchema>;
/** One play of the admin history, with its track's title and artist and the person's name. */
export type HistoryPlay = Static<typeof HistoryPlaySchema>;
/** Whether a card reader is plugged in, and whether an admin waits for a card. */
export type CardReader = Static<typeof CardReaderSchema>;
/** The filters and page of `GET /api/admin/history`. */
export type HistoryFilter = Static<typeof HistoryQuery>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type Stats = Static<typeof StatsSchema>;
/** The dashboard charts (`GET /api/admin/stats/charts`): room mood per bucket, plays over time, busy hours, top tracks. */
export type ChartStats = Static<typeof ChartsSchema>;
/** What the dashboard asks of `GET /api/admin/stats/charts`: the range and its bucket widths. */
export type ChartsFilter = Static<typeof ChartsQuery>;

/** A track of the library as the admin panel lists it, with its mood tags. */
export type AdminTrack = Static<typeof TrackAdminSchema>;
export type RecordingFile = Static<typeof RecordingFileSchema>;
export type TrackMoodTag = AdminTrack['moods'][number];
/** The search, mood filter and page of `GET /api/admin/tracks`. */
export type TracksFilter = Static<typeof TracksQuery>;
/** The mood tags an admin sets on a track. */
export type TrackMoodsChange = Static<typeof TrackMoodsBody>['moods'];
/** A mood tracks may be tagged with (`GET /api/admin/moods`). */
export type KnownMood = Static<typeof KnownMoodsSchema>['moods'][number];
/** Moods to add to and remove from several tracks at once. */
export type BulkMoodsChange = Static<typeof BulkMoodsBody>;
export type ScanStarted = Static<typeof ScanStartedSchema>;

/** The emotion model in use, from its manifest, with the report plots that exist. */
export type ModelReport = Static<typeof ModelReportSchema>;
/** One accuracy measurement of an emotion model (0–1 shares). */
export type ModelFigure = Static<typeof ModelFigureSchema>;
/**
 * One face of an analysed camera frame. Its schema bounds `box` to four numbers, which `Static`
 * cannot say: the type does.
 */
export type CameraFace = Omit<Static<typeof CameraFaceSchema>, 'box'> & {
  /** `[x, y, width, height]` in pixels of the analysed frame. */
  box: [number, number, number, number];
};
/** The faces of the newest analysed camera frame: boxes and numbers, no pixels. */
export type CameraFaces = Omit<Static<typeof CameraFacesSchema>, 'faces'> & { faces: CameraFace[] };

/** The music as staff control it: what plays, the volume asked for and its cap, a staff pause, a held mood. */
export type StaffPlayer = Static<typeof StaffPlayerSchema>;
/** A mood staff hold the music to, and for how many minutes. */
export type MoodHoldRequest = Static<typeof HoldMoodBody>;
export type Skipped = Static<typeof SkippedSchema>;
/** A song or station playing or queued, as staff see it: its queue key, cover, why it plays. */
export type StaffQueueItem = Static<typeof QueueItemSchema>;
/** How well the library serves each mood the room can be in (`GET /api/admin/library/fit`). */
export type LibraryFit = Static<typeof LibraryFitSchema>;

/** The configuration in force, the overrides saved from the admin panel, and why they are set aside (safe mode). */
export type Settings = Static<typeof SettingsSchema>;
/** The answer to saving settings: what changed, and which of those apply only after a restart. */
export type SettingsSave = Static<typeof SettingsSavedSchema>;
export type { ConfigSchemaNode } from './schemas/settings.js';

/** The Spotify account of a home box: whether Spotify may play here (and why not), the account, its device and problem. */
export type SpotifyStatus = Static<typeof SpotifyStatusSchema>;
/** Spotify's sign-in page to open. */
export type SpotifyConnect = Static<typeof SpotifyConnectSchema>;
export type SpotifyDevice = Static<typeof SpotifyDevicesSchema>['devices'][number];
/** A playlist of the account, its cover on the box and the mood it plays for. */
export type SpotifyPlaylist = Static<typeof SpotifyPlaylistsSchema>['playlists'][number];

/** A web radio or other stream of the library, with how its last play went (`GET /api/admin/stations`). */
export type AdminStation = Static<typeof StationSchema>;
/** A station as the panel adds it (`POST /api/admin/stations`). */
export type NewStation = Static<typeof StationBody>;
/** A song or an artist the owner blocked. */
export type BlockedEntry = Static<typeof BlockedEntrySchema>;
/** The blocked songs and artists, and the rule for explicit songs. */
export type BlocksView = Static<typeof BlocksSchema>;
/** What to block: a song of the library, or an artist by name. */
export type BlockTarget = Static<typeof BlockBody>;
/** What an imported block list did. */
export type BlockImportReport = Static<typeof BlockImportReportSchema>;

/** A backup of the database on the box (`GET /api/admin/backups`). */
export type Backup = Static<typeof BackupSchema>;
/** The backups with their sizes, and the restore this start put in place (`GET /api/admin/backups`). */
export type Backups = Static<typeof BackupsSchema>;
/** A restore readied: Moodbox restarts and puts it in place (`POST /api/admin/backups/{name}/restore`). */
export type RestoreStarted = Static<typeof RestoreStartedSchema>;

/** Guests' requests and votes as staff see them (`GET /api/admin/guests`). */
export type GuestAdminView = Static<typeof GuestAdminSchema>;
