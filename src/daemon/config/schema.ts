import { Type, type Static } from 'typebox';
import { GuestsSchema } from './guests-schema.js';

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

const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** A daily span of local time; `to` before `from` spans midnight. */
const DailySpan = (what: string) =>
  Type.Object(
    {
      from: Type.String({ pattern: HHMM, description: `Local time HH:MM ${what} starts.` }),
      to: Type.String({ pattern: HHMM, description: `Local time HH:MM ${what} ends.` }),
    },
    { additionalProperties: false },
  );

export const CameraSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Turn the camera off to stop all analysis.' }),
    hours: Type.Union(
      [
        Type.Null(),
        Type.Object(
          {
            from: Type.String({ pattern: HHMM, description: 'Local time HH:MM the camera turns on.' }),
            to: Type.String({ pattern: HHMM, description: 'Local time HH:MM the camera turns off.' }),
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
      panel: 'camera-device',
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
      fileOnly: true,
    }),
    int8Check: Type.Union([Type.Literal('fallback'), Type.Literal('warn'), Type.Literal('off')], {
      default: 'fallback',
      description:
        'At start, compare the int8 model with its float original on built-in faces: `fallback` uses the float model when they disagree on this CPU, `warn` only logs it, `off` skips the check.',
      requiresRestart: true,
    }),
    analysisFps: Type.Number({
      default: 10,
      exclusiveMinimum: 0,
      maximum: 120,
      description:
        'Most camera frames analysed per second; slower machines skip frames on their own. A camera gives at most its own rate (30 at most); more serves the accelerated soak, whose clip runs faster.',
      requiresRestart: true,
    }),
    detector: Type.Union([Type.Literal('yunet'), Type.Literal('haar')], {
      default: 'yunet',
      description:
        "Face detector: `yunet`, a small CNN (finds more faces, turned or partly lit, at less cost), or `haar`, OpenCV's Haar cascade.",
      requiresRestart: true,
    }),
    detectWidth: Type.Integer({
      default: 480,
      minimum: 160,
      maximum: 1920,
      description:
        'Width (px) the yunet detector scales the frame to for a full scan: 480 finds more small faces, 320 costs about a third (for a Pi, or faces that are near).',
      requiresRestart: true,
    }),
    alignFaces: Type.Boolean({
      default: true,
      description:
        'Turn each tilted face upright by its eyes before reading its expression (the yunet detector only): reads tilted heads better.',
      requiresRestart: true,
    }),
    cascadePath: Type.String({
      default: '/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml',
      minLength: 1,
      description: 'The Haar cascade for frontal faces (Debian package opencv-data), when `vision.detector` is `haar`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    minFacePx: Type.Integer({
      default: 48,
      minimum: 16,
      maximum: 1000,
      description: 'Smallest face looked for, in pixels of the camera frame: raise it to ignore people far away.',
      requiresRestart: true,
    }),
    preview: Type.Boolean({
      default: false,
      description: 'Keep a blurred, low-rate preview of the camera in memory for the admin live view.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MoodSchema = Type.Object(
  {
    dwellMs: Type.Integer({
      default: 3000,
      minimum: 0,
      maximum: 600000,
      description: 'How long another mood must lead before the room mood (and the music) changes (ms).',
      requiresRestart: true,
    }),
    nobodyAfterMs: Type.Integer({
      default: 10000,
      minimum: 1000,
      maximum: 3600000,
      description: 'With no face seen for this long the room counts as empty (ms).',
      requiresRestart: true,
    }),
    minConfidence: Type.Number({
      default: 0.35,
      minimum: 0,
      maximum: 1,
      description: 'A face reading less sure than this does not vote on the room mood (0–1).',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const LibrarySchema = Type.Object(
  {
    folders: Type.Array(Type.String({ minLength: 1 }), {
      default: ['demo/library'],
      description: 'Folders of music, scanned at start and from the admin panel. Relative paths start at the install folder.',
      requiresRestart: true,
      panel: 'music-folders',
    }),
    panelRoots: Type.Array(Type.String({ minLength: 1, pattern: '^/' }), {
      default: ['/srv', '/media', '/mnt', '/home'],
      description: 'The admin panel may choose music folders only inside these folders (and the bundled demo music).',
      requiresRestart: true,
      fileOnly: true,
    }),
    scanAtStart: Type.Boolean({ default: true, description: 'Rescan the folders when Moodbox starts (only changed files are read).' }),
    analyze: Type.Boolean({
      default: true,
      description:
        'Listen to every local track after a scan (tempo, loudness, brightness…) and place it on the mood plane, in a niced background process; each file version is analysed once.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const PlayerSchema = Type.Object(
  {
    mpvPath: Type.String({ default: 'mpv', minLength: 1, description: 'The mpv executable.', requiresRestart: true, fileOnly: true }),
    audioOutput: Type.String({
      default: 'auto',
      minLength: 1,
      description: 'mpv audio output: `auto` (default device, or null when there is none), `null`, or an mpv `--ao` value.',
      requiresRestart: true,
      fileOnly: true,
    }),
    snapcastPipe: Type.String({
      default: '/tmp/snapfifo',
      minLength: 1,
      pattern: '^/',
      description:
        'The Snapcast server’s pipe (a FIFO) that the `snapcast` output writes into; nothing plays while it is missing or not a FIFO. Under systemd use a pipe in /run/snapserver/ (the unit’s /tmp is private).',
      requiresRestart: true,
      fileOnly: true,
    }),
    mpvArgs: Type.Array(Type.String({ pattern: '^--' }), {
      default: [],
      description: 'More mpv options, e.g. `--audio-device=alsa/plughw:1` for a USB sound card.',
      requiresRestart: true,
      fileOnly: true,
    }),
    autoplay: Type.Boolean({ default: true, description: 'Start playing as soon as Moodbox starts.' }),
    policy: Type.Union([Type.Literal('match'), Type.Literal('lift')], {
      default: 'match',
      description: "`match` plays to the room mood; `lift` starts there and steps toward each emotion's lift mood (sad → uplifting).",
    }),
    switchOnMoodChange: Type.Boolean({
      default: true,
      description:
        'When the room mood changes, fade out a song that does not fit the new mood; off: the new mood starts with the next song.',
    }),
    volume: Type.Integer({ default: 70, minimum: 0, maximum: 100, description: 'Volume at start (0–100).' }),
    maxVolume: Type.Integer({
      default: 100,
      minimum: 0,
      maximum: 100,
      description: 'Nobody, staff included, can set the volume above this (0–100).',
    }),
    crossfadeMs: Type.Integer({
      default: 0,
      minimum: 0,
      maximum: 12_000,
      description:
        'How long the end of one song fades out under the start of the next (ms, up to 12000); 0: songs follow each other without a gap. Songs of one album always do.',
    }),
    guestTaps: Type.Boolean({ default: true, description: 'Let people who are not signed in start a suggested song by tapping it.' }),
    idle: Type.Object(
      {
        behaviour: Type.Union([Type.Literal('quiet'), Type.Literal('lower'), Type.Literal('silence')], {
          default: 'quiet',
          description:
            'When nobody is there: `quiet` plays calm music at the idle volume, `lower` keeps the music at the idle volume, `silence` pauses.',
        }),
        volume: Type.Integer({ default: 35, minimum: 0, maximum: 100, description: 'Volume while nobody is there (0–100).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    quietHours: Type.Union([Type.Null(), DailySpan('the silence')], {
      default: null,
      description: 'Daily hours of silence (local time), e.g. a flat at night; null: none.',
    }),
    volumeSchedule: Type.Array(
      Type.Object(
        {
          from: Type.String({ pattern: HHMM, description: 'Local time HH:MM the limit starts.' }),
          to: Type.String({ pattern: HHMM, description: 'Local time HH:MM the limit ends.' }),
          maxVolume: Type.Integer({ minimum: 0, maximum: 100, description: 'Highest volume in that span (0–100).' }),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'Lower volume limits by time of day (local time), e.g. 40 from 18:00 to 08:00.' },
    ),
  },
  { additionalProperties: false, default: {} },
);

export const SiteSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('business'), Type.Literal('home')], {
      default: 'business',
      description:
        'Where the box plays: `business` (a café, a shop: only the local library, since streaming services license music for personal use only) or `home` (Spotify and YouTube may play).',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MusicSchema = Type.Object(
  {
    source: Type.Union([Type.Literal('local'), Type.Literal('spotify'), Type.Literal('mixed')], {
      default: 'local',
      description:
        '`local` plays the library; `spotify` plays the Spotify playlists mapped to moods (the library while Spotify fails); `mixed` plays Spotify for moods with a mapped playlist and the library for the rest. Only `local` at a business.',
    }),
    youtube: Type.Boolean({
      default: false,
      description:
        'YouTube videos and playlists may be stations of the library (played through yt-dlp, which must be installed: `sudo apt install yt-dlp`). Homes only.',
    }),
    allowPrivateStations: Type.Boolean({
      default: false,
      description:
        'Allow stations on this box or its local network: loopback, private and link-local addresses, and names that resolve to them. Off: only stations on the internet.',
      fileOnly: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const SpotifySchema = Type.Object(
  {
    clientId: Type.String({
      default: '',
      description: 'The Client ID of your own Spotify app (developer.spotify.com); empty: Spotify is off. Homes only.',
      requiresRestart: true,
    }),
    redirectUri: Type.String({
      default: '',
      description:
        'Where Spotify sends the browser back after the sign-in, as registered with the app; empty: http://127.0.0.1:<server.port>/api/spotify/callback.',
      requiresRestart: true,
    }),
    accountsUrl: Type.String({
      default: 'https://accounts.spotify.com',
      minLength: 1,
      description: "Spotify's accounts service.",
      requiresRestart: true,
      fileOnly: true,
    }),
    apiUrl: Type.String({
      default: 'https://api.spotify.com',
      minLength: 1,
      description: "Spotify's Web API.",
      requiresRestart: true,
      fileOnly: true,
    }),
    pollMs: Type.Integer({
      default: 1000,
      minimum: 500,
      maximum: 10000,
      description: 'How often what Spotify plays is read while it plays (ms); a rate limit makes it wait longer.',
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
    suggestNames: Type.Boolean({
      default: false,
      description:
        'At the kiosk, after two letters of a name, suggest the names of people who signed in there recently. Off by default: the names show on a shared screen.',
    }),
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
      fileOnly: true,
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

const TOPIC_ID = '^(?!all$)[a-z0-9_-]*$';

export const MqttSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: 'Connect to an MQTT broker: Home Assistant and fleet operators see and steer the box.',
      requiresRestart: true,
      fileOnly: true,
    }),
    url: Type.String({
      default: 'mqtt://127.0.0.1:1883',
      pattern: '^(mqtts?|wss?)://',
      description: 'The broker: `mqtt://host:1883`, `mqtts://host:8883` for TLS, or `ws://`/`wss://`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    username: Type.String({
      default: '',
      description: 'User name at the broker; empty: none, or `$MOODBOX_MQTT_USERNAME`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    passwordFile: Type.String({
      default: '',
      description: 'A file holding the broker password (readable by Moodbox only); `$MOODBOX_MQTT_PASSWORD` wins over it.',
      requiresRestart: true,
      fileOnly: true,
    }),
    caFile: Type.String({
      default: '',
      description: "PEM file of the CA that signed the broker's certificate, for `mqtts://` with a private CA; empty: the system's CAs.",
      requiresRestart: true,
      fileOnly: true,
    }),
    certFile: Type.String({
      default: '',
      description: 'PEM client certificate, when the broker authenticates clients by certificate.',
      requiresRestart: true,
      fileOnly: true,
    }),
    keyFile: Type.String({ default: '', description: "The client certificate's PEM key.", requiresRestart: true, fileOnly: true }),
    site: Type.String({
      default: 'home',
      minLength: 1,
      pattern: TOPIC_ID,
      description: 'The site this box belongs to (a café, a branch): topics are `moodbox/<site>/<box>/…`. Letters, digits, `_`, `-`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    box: Type.String({
      default: '',
      pattern: TOPIC_ID,
      description: "This box's id within its site; empty: the host name. Not `all` (that addresses the whole site).",
      requiresRestart: true,
      fileOnly: true,
    }),
    homeAssistant: Type.Boolean({
      default: true,
      description: 'Announce the box to Home Assistant (MQTT device discovery) and take its commands.',
      requiresRestart: true,
      fileOnly: true,
    }),
    discoveryPrefix: Type.String({
      default: 'homeassistant',
      minLength: 1,
      description: "Home Assistant's discovery prefix.",
      requiresRestart: true,
      fileOnly: true,
    }),
    fleet: Type.Boolean({
      default: false,
      description:
        "Take fleet operators' commands (volume cap, quiet hours, camera hours, policy, rescan, restart) and send play and mood events.",
      requiresRestart: true,
      fileOnly: true,
    }),
    shareNames: Type.Boolean({
      default: false,
      description: "Include the name of whoever is signed in at the kiosk in the box's state on the broker.",
      requiresRestart: true,
      fileOnly: true,
    }),
    protocolVersion: Type.Union([Type.Literal(5), Type.Literal(4)], {
      default: 5,
      description:
        'MQTT 5, so the broker never sends the box more than 68 KiB in one message; 4 (MQTT 3.1.1) for a broker that speaks only that.',
      requiresRestart: true,
      fileOnly: true,
    }),
    heartbeatS: Type.Integer({
      default: 30,
      minimum: 5,
      maximum: 3600,
      description: 'Seconds between heartbeats (and health updates) on the broker.',
      requiresRestart: true,
      fileOnly: true,
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
export type LogLevel = (typeof LOG_LEVELS)[number];
