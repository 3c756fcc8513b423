import { Type, type Static } from 'typebox';

/**
 * The one configuration schema. Defaults live here; `requiresRestart` marks settings that only
 * take effect after the daemon restarts (the admin panel shows it). Later subsystems add their
 * own sections here.
 */
export const CONFIG_VERSION = 1;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  },
  { additionalProperties: false, default: {} },
);

export const LogSchema = Type.Object(
  {
    level: Type.Enum(LOG_LEVELS, { default: 'info', description: 'Lowest level written to the log.', requiresRestart: true }),
  },
  { additionalProperties: false, default: {} },
);

export const CameraSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Turn the camera off to stop all analysis.' }),
    hours: Type.Union(
      [
        Type.Null(),
        Type.Object(
          {
            from: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time HH:MM the camera turns on.' }),
            to: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time HH:MM the camera turns off.' }),
          },
          { additionalProperties: false },
        ),
      ],
      { default: null, description: 'When the camera may run each day (local time); null: always. `to` before `from` spans midnight.' },
    ),
    source: Type.String({
      default: 'demo',
      minLength: 1,
      description:
        'Where frames come from: `demo` (the bundled clip), a device (`/dev/video0` or `0`), a video file, an image sequence (`frames_%04d.png`), a GStreamer pipeline ending in `appsink`, or an MJPEG URL.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const VisionSchema = Type.Object(
  {
    modelPath: Type.String({
      default: 'models/emotion-int8.onnx',
      minLength: 1,
      description: 'Emotion model (int8 ONNX); its manifest.json sits beside it. Relative paths start at the install folder.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const PlayerSchema = Type.Object(
  {
    mpvPath: Type.String({ default: 'mpv', minLength: 1, description: 'The mpv executable.', requiresRestart: true }),
    audioOutput: Type.String({
      default: 'auto',
      minLength: 1,
      description: 'mpv audio output: `auto` (default device, or null when there is none), `null`, or an mpv `--ao` value.',
      requiresRestart: true,
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
    adminSessionH: Type.Integer({ default: 8, minimum: 1, maximum: 168, description: 'An admin panel sign-in lasts this many hours.' }),
  },
  { additionalProperties: false, default: {} },
);

export const RfidSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'Read an RFID card reader (a USB reader that types like a keyboard).',
      requiresRestart: true,
    }),
    devices: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$' }), {
      default: ['08ff:0009', 'ffff:0035', '16c0:27db'],
      description: 'USB vendor:product IDs of accepted readers (from `lsusb`); keep them in step with the udev rule.',
      requiresRestart: true,
    }),
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
      default: 15000,
      minimum: 1000,
      maximum: 300000,
      description: 'How often each UI connection is pinged; one that misses a pong is dropped (ms).',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    version: Type.Literal(CONFIG_VERSION, { default: CONFIG_VERSION, description: 'Configuration format version.' }),
    dataDir: Type.String({
      default: '',
      description: 'Where the database and backups live. Empty: $STATE_DIRECTORY under systemd, else ~/.local/share/moodbox.',
      requiresRestart: true,
    }),
    server: ServerSchema,
    log: LogSchema,
    camera: CameraSchema,
    vision: VisionSchema,
    player: PlayerSchema,
    sessions: SessionsSchema,
    rfid: RfidSchema,
    ws: WsSchema,
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
