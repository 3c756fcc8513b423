/**
 * How the settings page shows each setting: its tab (a group of one task), its label in an owner's
 * words, the labels of its choices, its unit and a slider's step, and, for settings used rarely,
 * the closed part of the tab it sits in.
 */

/** The tabs of the settings page, in order: each an owner's task, its title and what it is for. */
export const GROUPS = [
  ['music', 'Music', 'What plays, how loud, and when it is quiet.'],
  ['guests', 'Guests', 'What guests may do from their phones, and whether the staff say yes to their songs first.'],
  ['camera', 'Camera', 'When the camera runs and how the room’s mood is read. Faces are never stored.'],
  ['screens', 'Screens', 'The kiosk’s touchscreen and card reader, and signing in to this panel.'],
  ['network', 'Network', 'How phones and this panel reach the box.'],
  ['advanced', 'Advanced', 'Logging, limits, connections and the face reading: change these only when you know why.'],
] as const;
export type GroupId = (typeof GROUPS)[number][0];

/** How a setting is shown: a label in staff's words, its group, and labels for its choices. */
export interface SettingLook {
  label: string;
  group: GroupId;
  /** Labels for the values of a choice. */
  choices?: Record<string, string>;
  /** The unit shown after a number; `ms`: kept in milliseconds, shown and typed in seconds. */
  unit?: string;
  /** A slider's step, in the stored unit: a bounded number with a step is shown as a slider even when its range is wide. */
  step?: number;
  /** The title of the closed part of its tab that holds it (settings used rarely); none: always in view. */
  part?: string;
  /** Where it comes in its tab: lower first, the schema's order among equals. @default 0 */
  order?: number;
}

/** The part of Music that holds the settings for cutting a song when the room changes. */
export const CUTTING = 'How a song is cut when the room changes';
/** The part of Advanced that holds the limits on the kiosk's taps and the guests' phones. */
const LIMITS = 'Limits on the kiosk’s taps and the guests’ phones';

/** Settings in an owner's words; any other setting gets a label from its key, the group of its section and a part of Advanced. */
export const LOOKS: Readonly<Record<string, SettingLook>> = {
  'player.volume': { label: 'Volume at start', group: 'music', step: 5 },
  'player.maxVolume': { label: 'Maximum volume', group: 'music', step: 5 },
  'player.crossfadeMs': { label: 'Crossfade between songs', group: 'music', unit: 'ms', step: 1000 },
  'player.autoplay': { label: 'Start playing when Moodbox starts', group: 'music' },
  'player.policy': {
    label: 'How the music follows the room',
    group: 'music',
    choices: { match: 'Match the mood', lift: 'Lift the mood (sad → uplifting)' },
  },
  'player.switchOnMoodChange': { label: 'Change the song when the mood changes', group: 'music' },
  'player.transitions.cutDistance': { label: 'How far the room must move before a song is cut', group: 'music', part: CUTTING },
  'player.transitions.cutHoldMs': {
    label: 'How long the room must stay changed before a song is cut',
    group: 'music',
    unit: 'ms',
    part: CUTTING,
  },
  'player.transitions.fadeMs': { label: 'Fade-out of a song cut for the room', group: 'music', unit: 'ms', part: CUTTING },
  'player.transitions.fadeBars': { label: 'Fade-out in bars, when the song’s tempo is known', group: 'music', part: CUTTING },
  'player.idle.behaviour': {
    label: 'When nobody is there',
    group: 'music',
    choices: { quiet: 'Play calm music, quietly', lower: 'Keep playing, quieter', silence: 'Stop the music' },
  },
  'player.idle.volume': { label: 'Volume when nobody is there', group: 'music', step: 5 },
  'player.quietHours': { label: 'Quiet hours (no music)', group: 'music' },
  'player.volumeSchedule': { label: 'Volume limits by time of day', group: 'music' },
  'player.dayPlans': { label: 'Day plans', group: 'music' },
  'player.audioOutput': { label: 'Audio output', group: 'advanced' },
  'player.mpvPath': { label: 'The music player program (mpv)', group: 'advanced' },
  'player.snapcastPipe': { label: 'Snapcast pipe, for music in several rooms', group: 'advanced' },
  'player.mpvArgs': { label: 'More options for the music player', group: 'advanced' },
  'player.guestTaps': { label: 'Guests may start a suggested song on the kiosk', group: 'screens' },
  'player.tapsPerMinute': { label: 'Songs started by a tap per minute', group: 'advanced', part: LIMITS },
  'player.tapsPerHour': { label: 'Songs started by a tap per hour', group: 'advanced', part: LIMITS },
  'library.folders': { label: 'Music folders', group: 'music' },
  'library.scanAtStart': { label: 'Look for new music when Moodbox starts', group: 'music' },
  'library.analyze': { label: 'Listen to every local track', group: 'music' },
  'library.panelRoots': { label: 'Where this panel may choose music folders', group: 'advanced' },
  // First in Music: what the rest of the tab offers depends on where Moodbox plays and what it plays from.
  'music.source': {
    label: 'Where the music comes from',
    group: 'music',
    order: -1,
    choices: { local: 'The music folders', spotify: 'Spotify', mixed: 'Both' },
  },
  'music.youtube': { label: 'YouTube videos and playlists as stations (homes only, needs yt-dlp)', group: 'music' },
  'music.allowPrivateStations': { label: 'Stations on this network', group: 'music' },
  'music.explicit': {
    label: 'Songs tagged explicit',
    group: 'music',
    choices: { play: 'Play them', skip: 'Skip them (never picked, guests cannot ask for them)' },
  },
  'site.kind': {
    label: 'Where Moodbox plays',
    group: 'music',
    choices: { business: 'A business (café, shop)', home: 'A home' },
    order: -2,
  },
  'site.language': { label: 'Language of the kiosk', group: 'screens' },
  'camera.enabled': { label: 'Use the camera', group: 'camera' },
  'camera.hours': { label: 'Camera hours', group: 'camera' },
  'camera.source': { label: 'Camera device', group: 'camera' },
  'vision.preview': { label: 'Keep a blurred live view for this panel', group: 'camera' },
  'vision.analysisFps': { label: 'Frames analysed per second', group: 'camera', unit: 'per second' },
  'vision.minFacePx': { label: 'Smallest face looked for', group: 'camera', unit: 'px' },
  'vision.detector': {
    label: 'Face detector',
    group: 'advanced',
    choices: { yunet: 'YuNet (finds more faces)', haar: 'Haar (lighter, frontal faces)' },
  },
  'vision.int8Check': {
    label: 'Check the small model at start',
    group: 'advanced',
    choices: { fallback: 'Use the full model if it differs', warn: 'Only warn', off: 'Do not check' },
  },
  'vision.modelPath': { label: 'Emotion model file', group: 'advanced' },
  'vision.detectWidth': { label: 'Frame width when looking for faces', group: 'advanced', unit: 'px' },
  'vision.mirrorUpToFaces': { label: 'Read each face with its mirror image, up to this many faces', group: 'advanced' },
  'vision.alignFaces': { label: 'Turn tilted faces upright before reading them', group: 'advanced' },
  'vision.cascadePath': { label: 'Haar face detector file', group: 'advanced' },
  'mood.dwellMs': { label: 'Time before the mood changes', group: 'camera', unit: 'ms' },
  'mood.nobodyAfterMs': { label: 'Room counts as empty after', group: 'camera', unit: 'ms' },
  'mood.minConfidence': { label: 'Least sure reading that counts', group: 'camera' },
  'sessions.kioskIdleTimeoutS': { label: 'Sign people out at the kiosk after', group: 'screens', unit: 'seconds' },
  'sessions.selfRegistration': { label: 'People may create their own account at the kiosk', group: 'screens' },
  'sessions.suggestNames': { label: 'Suggest the names of people who signed in recently at the kiosk', group: 'screens' },
  'sessions.adminSessionH': { label: 'A sign-in to this panel lasts', group: 'screens', unit: 'hours' },
  'rfid.enabled': { label: 'Card reader', group: 'screens' },
  'rfid.devices': { label: 'Card readers accepted (USB ids)', group: 'advanced' },
  dataDir: { label: 'Data folder', group: 'advanced' },
  'server.host': { label: 'Network address Moodbox answers on', group: 'network' },
  'server.port': { label: 'Port number', group: 'network' },
  'server.adminLanOnly': { label: 'This panel only from this network', group: 'network' },
  'server.publicUrl': { label: 'Address phones use to reach this box (for the guests’ QR code)', group: 'network' },
  'log.level': { label: 'How much the log says', group: 'advanced' },
  'log.file': { label: 'Log file', group: 'advanced' },
  'log.fileMiB': { label: 'Start a new log file at', group: 'advanced', unit: 'MiB' },
  'log.fileCount': { label: 'Old log files kept', group: 'advanced' },
  'spotify.clientId': { label: 'Your Spotify app’s Client ID', group: 'advanced' },
  'spotify.redirectUri': { label: 'Where Spotify sends the browser back', group: 'advanced' },
  'spotify.accountsUrl': { label: 'Spotify’s accounts address', group: 'advanced' },
  'spotify.apiUrl': { label: 'Spotify’s Web API address', group: 'advanced' },
  'spotify.pollMs': { label: 'How often Spotify is asked what it plays', group: 'advanced', unit: 'ms' },
  'ws.maxBufferedKiB': { label: 'Unsent data before a screen is disconnected', group: 'advanced', unit: 'KiB' },
  'ws.pingIntervalMs': { label: 'How often each screen’s connection is checked', group: 'advanced', unit: 'ms' },
  'mqtt.enabled': { label: 'Connect to an MQTT broker', group: 'advanced' },
  'mqtt.url': { label: 'The broker’s address', group: 'advanced' },
  'mqtt.username': { label: 'User name at the broker', group: 'advanced' },
  'mqtt.passwordFile': { label: 'File with the broker’s password', group: 'advanced' },
  'mqtt.caFile': { label: 'File of the authority that signed the broker’s certificate', group: 'advanced' },
  'mqtt.certFile': { label: 'This box’s certificate file', group: 'advanced' },
  'mqtt.keyFile': { label: 'This box’s certificate key file', group: 'advanced' },
  'mqtt.site': { label: 'The site this box belongs to', group: 'advanced' },
  'mqtt.box': { label: 'This box’s name within its site', group: 'advanced' },
  'mqtt.homeAssistant': { label: 'Announce the box to Home Assistant', group: 'advanced' },
  'mqtt.discoveryPrefix': { label: 'Home Assistant’s discovery prefix', group: 'advanced' },
  'mqtt.fleet': { label: 'Take commands from fleet operators', group: 'advanced' },
  'mqtt.shareNames': { label: 'Share the name of whoever is signed in at the kiosk', group: 'advanced' },
  'mqtt.protocolVersion': { label: 'MQTT version', group: 'advanced' },
  'mqtt.heartbeatS': { label: 'A heartbeat every', group: 'advanced', unit: 'seconds' },
  'metrics.enabled': { label: 'Prometheus metrics for monitoring', group: 'advanced' },
  'retention.moodLogDays': { label: 'Keep the room’s mood log for', group: 'advanced', unit: 'days' },
  'retention.moodLogFullDays': { label: 'Keep every mood change for', group: 'advanced', unit: 'days' },
  'retention.playsDays': { label: 'Keep the play history for', group: 'advanced', unit: 'days' },
  'retention.auditDays': { label: 'Keep the audit log for', group: 'advanced', unit: 'days' },
  'retention.coversMiB': { label: 'Room for cover images', group: 'advanced', unit: 'MiB' },
  'memory.ceilingMiB': { label: 'Moodbox restarts itself above this memory use', group: 'advanced', unit: 'MiB' },
  'memory.mpvCeilingMiB': { label: 'The music player restarts above this memory use', group: 'advanced', unit: 'MiB' },
  'memory.graceS': { label: 'Longest wait for a song’s end before such a restart', group: 'advanced', unit: 'seconds' },
  'guests.requests': {
    label: 'Guests may ask for songs from their phones',
    group: 'guests',
    choices: { auto: 'At a home and in demo mode only', on: 'On', off: 'Off' },
  },
  // First in Guests: whether the staff approve each request is what a business looks for.
  'guests.approval': {
    label: 'Guests’ requests need a yes from the staff',
    group: 'guests',
    order: -1,
    // Short enough for a phone's select: the help says the rest.
    choices: { off: 'No: queued at once if it fits', staff: 'Yes: staff approve each one' },
  },
  'guests.kioskQr': {
    label: 'The guests’ QR code on the kiosk',
    group: 'guests',
    choices: { card: 'A card beside the music (scanned from a table’s edge)', large: 'Large, for the tables (half the screen or more)' },
  },
  'guests.requestsPerHour': { label: 'Songs one phone may ask for in an hour', group: 'guests' },
  'guests.repeatWindowMin': { label: 'Before the same song may be asked for again', group: 'guests', unit: 'minutes' },
  'guests.requestsPerAddressMax': { label: 'Songs the phones behind one address may ask for in an hour', group: 'guests' },
  'guests.waitMin': { label: 'A song that does not fit the room waits at most', group: 'guests', unit: 'minutes' },
  'guests.downVotesToSkip': { label: 'Phones voting “not this” that skip a song', group: 'guests' },
  'guests.voteMin': { label: 'A guest’s vote counts for', group: 'guests', unit: 'minutes' },
  'guests.callsPerMinute': { label: 'Guest page calls per phone per minute', group: 'advanced' },
  'guests.socketsMax': { label: 'Guest pages open at once, in all', group: 'advanced' },
  'guests.socketsPerAddress': { label: 'Guest pages open at once per network address', group: 'advanced' },
};

/** The group of each top-level section for settings without a look of their own. */
export const SECTION_GROUP: Readonly<Record<string, GroupId>> = {
  player: 'music',
  library: 'music',
  music: 'music',
  site: 'music',
  camera: 'camera',
  vision: 'advanced',
  mood: 'camera',
  sessions: 'screens',
  rfid: 'screens',
  guests: 'guests',
  server: 'network',
};

/** Section names put before a label made from the key, so that "Enabled" says what it enables. */
export const SECTION_TITLES: Readonly<Record<string, string>> = {
  server: 'Network',
  log: 'Log',
  ws: 'Screen connections',
  mqtt: 'MQTT',
  metrics: 'Metrics',
  spotify: 'Spotify',
  vision: 'Camera',
  rfid: 'Card reader',
  library: 'Library',
  player: 'Player',
  memory: 'Memory',
};

/** The closed part of Advanced each section's settings sit in, so that the tab is a short list of topics. */
export const ADVANCED_PARTS: Readonly<Record<string, string>> = {
  dataDir: 'Files and programs',
  library: 'Files and programs',
  rfid: 'Files and programs',
  player: 'Sound output',
  vision: 'Face reading',
  log: 'Log and monitoring',
  metrics: 'Log and monitoring',
  spotify: 'Spotify',
  ws: 'Screen connections',
  guests: LIMITS,
  mqtt: 'Home Assistant and fleets (MQTT)',
  retention: 'How long data is kept',
  memory: 'Memory',
};
