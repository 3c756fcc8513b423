import { Type, type Static } from 'typebox';
import { GuestsSchema } from './guests-schema.js';
import { CameraSchema, MoodSchema, VisionSchema } from './schema-camera.js';
import { LogSchema, MemorySchema, MetricsSchema, RetentionSchema, ServerSchema, SessionsSchema, WsSchema } from './schema-daemon.js';
import { MqttSchema, RfidSchema } from './schema-integrations.js';
import { LibrarySchema, MusicSchema, PlayerSchema, SiteSchema, SpotifySchema } from './schema-music.js';

export { CameraSchema, MoodSchema, VisionSchema } from './schema-camera.js';
export { DayPlanSchema, DayPlansSchema, dayPlanProblems, type DayPlan } from './schema-day-plans.js';
export {
  LOG_LEVELS,
  LogSchema,
  MemorySchema,
  MetricsSchema,
  RetentionSchema,
  ServerSchema,
  SessionsSchema,
  WsSchema,
} from './schema-daemon.js';
export { MqttSchema, RfidSchema } from './schema-integrations.js';
export { LibrarySchema, MusicSchema, PlayerSchema, SiteSchema, SpotifySchema } from './schema-music.js';

/**
 * The one configuration schema, composed of its sections (`schema-*.ts`, one file per group).
 * Defaults live in the sections; `requiresRestart` marks settings that only take effect after the
 * daemon restarts (the admin panel shows it). A new section goes in the file of its group, or a
 * new one, and is named here.
 */
export const CONFIG_VERSION = 1;

export const ConfigSchema = Type.Object(
  {
    version: Type.Literal(CONFIG_VERSION, { default: CONFIG_VERSION, description: 'Configuration format version.' }),
    dataDir: Type.String({
      default: '',
      description: 'Where the database and backups live. Empty: $STATE_DIRECTORY under systemd, else ~/.local/share/moodbox.',
      requiresRestart: true,
      fileOnly: true,
    }),
    server: ServerSchema,
    log: LogSchema,
    camera: CameraSchema,
    vision: VisionSchema,
    mood: MoodSchema,
    library: LibrarySchema,
    player: PlayerSchema,
    site: SiteSchema,
    music: MusicSchema,
    spotify: SpotifySchema,
    sessions: SessionsSchema,
    rfid: RfidSchema,
    ws: WsSchema,
    mqtt: MqttSchema,
    metrics: MetricsSchema,
    retention: RetentionSchema,
    memory: MemorySchema,
    guests: GuestsSchema,
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type { LogLevel } from './schema-daemon.js';
