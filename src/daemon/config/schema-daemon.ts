import { Type } from 'typebox';

/** The configuration's sections for the daemon itself: `server`, `log`, `sessions`, `ws`, `metrics`, `retention` and `memory`. */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const ServerSchema = Type.Object(
  {
    host: Type.String({
      default: '127.0.0.1',
      minLength: 1,
      description: 'Address to listen on. Use 0.0.0.0 to reach the admin panel from the LAN.',
      requiresRestart: true,
    }),
    port: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port; 0 picks a free one.', requiresRestart: true }),
    adminLanOnly: Type.Boolean({
      default: true,
      description: 'Serve the admin API only to loopback and private (LAN) addresses.',
    }),
    publicUrl: Type.String({
      default: '',
      maxLength: 200,
      pattern: '^(https?://[^\\s/?#]+/?)?$',
      description:
        "The box's address as phones in the room reach it (`http://cafe-box.local:8080`), for the guest page's QR code. Empty: the LAN address the server listens on (or `moodbox.local` while avahi announces it).",
    }),
  },
  { additionalProperties: false, default: {} },
);

export const LogSchema = Type.Object(
  {
    level: Type.Enum(LOG_LEVELS, { default: 'info', description: 'Lowest level written to the log.', requiresRestart: true }),
    file: Type.String({
      default: '',
      description:
        'Outside systemd, also write the log to this file, rotated daily and at `log.fileMiB`, keeping `log.fileCount` old files; relative to the data directory. Empty: stdout only (journald keeps it under systemd).',
      requiresRestart: true,
      fileOnly: true,
    }),
    fileMiB: Type.Integer({
      default: 10,
      minimum: 1,
      maximum: 1024,
      description: 'A log file is rotated at this size (MiB).',
      requiresRestart: true,
      fileOnly: true,
    }),
    fileCount: Type.Integer({
      default: 5,
      minimum: 1,
      maximum: 100,
      description: 'Rotated log files kept.',
      requiresRestart: true,
      fileOnly: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const SessionsSchema = Type.Object(
  {
    kioskIdleTimeoutS: Type.Integer({
      default: 120,
      minimum: 10,
      maximum: 3600,
      description: 'A person signed in at the kiosk is signed out after this many seconds without activity.',
    }),
    selfRegistration: Type.Boolean({ default: false, description: 'Let people create their own member account at the kiosk.' }),
    suggestNames: Type.Boolean({
      default: false,
      description:
        'At the kiosk, after two letters of a name, suggest the names of people who signed in there recently. Off by default: the names show on a shared screen.',
    }),
    adminSessionH: Type.Integer({ default: 8, minimum: 1, maximum: 168, description: 'An admin panel sign-in lasts this many hours.' }),
  },
  { additionalProperties: false, default: {} },
);

export const WsSchema = Type.Object(
  {
    maxBufferedKiB: Type.Integer({
      default: 1024,
      minimum: 16,
      maximum: 65536,
      description: 'A UI whose unsent data exceeds this is disconnected so it cannot slow the daemon (KiB).',
      requiresRestart: true,
    }),
    pingIntervalMs: Type.Integer({
      default: 5000,
      minimum: 1000,
      maximum: 300000,
      description:
        'How often each UI connection is pinged and told the box is alive; one that misses a pong is dropped, ' +
        'and a screen that hears nothing from the box for three of these periods shows the link as lost (ms).',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MetricsSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: 'Serve Prometheus metrics at `/metrics` (to loopback and LAN addresses only).',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const RetentionSchema = Type.Object(
  {
    moodLogDays: Type.Integer({ default: 90, minimum: 1, maximum: 3650, description: 'The mood log is kept this many days.' }),
    moodLogFullDays: Type.Integer({
      default: 7,
      minimum: 1,
      maximum: 3650,
      description: 'Every mood change is kept this many days; older ones are thinned to the last change of each minute.',
    }),
    playsDays: Type.Integer({ default: 730, minimum: 1, maximum: 36500, description: 'The play history is kept this many days.' }),
    auditDays: Type.Integer({ default: 730, minimum: 1, maximum: 36500, description: 'The audit log is kept this many days.' }),
    coversMiB: Type.Integer({
      default: 256,
      minimum: 1,
      maximum: 65536,
      description: 'The cover images may take this much room (MiB); beyond it the least recently played go first.',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MemorySchema = Type.Object(
  {
    ceilingMiB: Type.Integer({
      default: 448,
      minimum: 0,
      maximum: 65536,
      description:
        "Above this resident size (MiB) the daemon restarts itself between two songs (or after `memory.graceS`), so systemd brings it back clean; 0: never. Keep it under the unit's `MemoryHigh`.",
      requiresRestart: true,
    }),
    mpvCeilingMiB: Type.Integer({
      default: 192,
      minimum: 0,
      maximum: 65536,
      description:
        'Above this resident size (MiB) of mpv, which plays the music (64–86 MiB as a rule), the daemon restarts between two songs and mpv with it; 0: never.',
      requiresRestart: true,
    }),
    graceS: Type.Integer({
      default: 600,
      minimum: 0,
      maximum: 86400,
      description: 'Above the ceiling, the longest wait for the end of a song before restarting anyway (s).',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);
