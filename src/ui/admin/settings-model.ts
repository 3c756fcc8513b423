import type { ConfigSchemaNode } from '../data/admin-api.js';

/** A schema node as the daemon sends it (TypeBox's JSON schema), with the `const` of a literal. */
export type SchemaNode = ConfigSchemaNode & { const?: unknown };

/** The groups of the settings page, in order; `advanced` is collapsed. */
export const GROUPS = [
  ['music', 'Music', 'What plays, how loud, and when it is quiet.'],
  ['camera', 'Camera and privacy', 'When the camera runs and how the room’s mood is read. Faces are never stored.'],
  ['kiosk', 'Kiosk', 'What people at the touchscreen may do.'],
  ['people', 'People', 'Sign-in at the kiosk and in this panel, and the card reader.'],
  ['advanced', 'Advanced', 'Network, logging, connections and the emotion model: change these only when you know why.'],
] as const;
export type GroupId = (typeof GROUPS)[number][0];

/** How a setting is shown: a label in staff's words, its group, and labels for its choices. */
export interface SettingLook {
  label: string;
  group: GroupId;
  /** Labels for the values of a choice. */
  choices?: Record<string, string>;
  /** The unit shown after a number. */
  unit?: string;
  /** A slider's step: a bounded number with a step is shown as a slider even when its range is wide. */
  step?: number;
}

/** Settings staff see often, in their words; any other setting gets a label from its key and the group of its section. */
const LOOKS: Readonly<Record<string, SettingLook>> = {
  'player.volume': { label: 'Volume at start', group: 'music' },
  'player.maxVolume': { label: 'Maximum volume', group: 'music' },
  'player.crossfadeMs': { label: 'Crossfade between songs', group: 'music', unit: 'ms', step: 500 },
  'player.autoplay': { label: 'Start playing when Moodbox starts', group: 'music' },
  'player.policy': {
    label: 'How the music follows the room',
    group: 'music',
    choices: { match: 'Match the mood', lift: 'Lift the mood (sad → uplifting)' },
  },
  'player.switchOnMoodChange': { label: 'Change the song when the mood changes', group: 'music' },
  'player.transitions.cutDistance': { label: 'How far the room must move before a song is cut', group: 'music' },
  'player.transitions.cutHoldMs': { label: 'How long the room must stay changed before a song is cut', group: 'music', unit: 'ms' },
  'player.transitions.fadeMs': { label: 'Fade-out of a song cut for the room', group: 'music', unit: 'ms' },
  'player.transitions.fadeBars': { label: 'Fade-out in bars, when the song’s tempo is known', group: 'music' },
  'player.idle.behaviour': {
    label: 'When nobody is there',
    group: 'music',
    choices: { quiet: 'Play calm music, quietly', lower: 'Keep playing, quieter', silence: 'Stop the music' },
  },
  'player.idle.volume': { label: 'Volume when nobody is there', group: 'music' },
  'player.quietHours': { label: 'Quiet hours (no music)', group: 'music' },
  'player.volumeSchedule': { label: 'Volume limits by time of day', group: 'music' },
  'player.dayPlans': { label: 'Day plans', group: 'music' },
  'player.audioOutput': { label: 'Audio output', group: 'advanced' },
  'player.guestTaps': { label: 'Guests may start a suggested song', group: 'kiosk' },
  'player.tapsPerMinute': { label: 'Songs started by a tap per minute', group: 'advanced' },
  'player.tapsPerHour': { label: 'Songs started by a tap per hour', group: 'advanced' },
  'library.folders': { label: 'Music folders', group: 'music' },
  'library.scanAtStart': { label: 'Look for new music when Moodbox starts', group: 'music' },
  'library.analyze': { label: 'Listen to every local track', group: 'music' },
  'music.source': {
    label: 'Where the music comes from',
    group: 'music',
    choices: { local: 'The music folders', spotify: 'Spotify', mixed: 'Both' },
  },
  'music.youtube': { label: 'YouTube videos and playlists as stations (homes only, needs yt-dlp)', group: 'music' },
  'music.allowPrivateStations': { label: 'Stations on this network', group: 'music' },
  'music.explicit': {
    label: 'Songs tagged explicit',
    group: 'music',
    choices: { play: 'Play them', skip: 'Skip them (never picked, guests cannot ask for them)' },
  },
  'site.kind': { label: 'Where Moodbox plays', group: 'music', choices: { business: 'A business (café, shop)', home: 'A home' } },
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
  'mood.dwellMs': { label: 'Time before the mood changes', group: 'camera', unit: 'ms' },
  'mood.nobodyAfterMs': { label: 'Room counts as empty after', group: 'camera', unit: 'ms' },
  'mood.minConfidence': { label: 'Least sure reading that counts', group: 'camera' },
  'sessions.kioskIdleTimeoutS': { label: 'Sign people out at the kiosk after', group: 'kiosk', unit: 'seconds' },
  'sessions.selfRegistration': { label: 'People may create their own account at the kiosk', group: 'kiosk' },
  'sessions.suggestNames': { label: 'Suggest the names of people who signed in recently at the kiosk', group: 'kiosk' },
  'sessions.adminSessionH': { label: 'Admin sign-in lasts', group: 'people', unit: 'hours' },
  'rfid.enabled': { label: 'Card reader', group: 'people' },
  dataDir: { label: 'Data folder', group: 'advanced' },
  'server.host': { label: 'Listen address', group: 'advanced' },
  'server.port': { label: 'Port', group: 'advanced' },
  'server.adminLanOnly': { label: 'Admin panel only from this network', group: 'people' },
  'server.publicUrl': { label: 'Address phones use to reach this box (for the guests’ QR code)', group: 'advanced' },
  'guests.requests': {
    label: 'Guests may ask for songs from their phones',
    group: 'kiosk',
    choices: { auto: 'At a home and in demo mode only', on: 'On', off: 'Off' },
  },
  'guests.approval': {
    label: 'Guests’ requests need a yes from the staff',
    group: 'kiosk',
    choices: { off: 'No: a request that fits the room is queued at once', staff: 'Yes: staff approve each on the Guests page' },
  },
  'guests.kioskQr': {
    label: 'The guests’ QR code on the kiosk',
    group: 'kiosk',
    choices: { card: 'A card beside the music (scanned from a table’s edge)', large: 'Large, for the tables (half the screen or more)' },
  },
  'guests.requestsPerHour': { label: 'Songs one phone may ask for in an hour', group: 'kiosk' },
  'guests.repeatWindowMin': { label: 'Before the same song may be asked for again', group: 'kiosk', unit: 'minutes' },
  'guests.requestsPerAddressMax': { label: 'Songs the phones behind one address may ask for in an hour', group: 'kiosk' },
  'guests.waitMin': { label: 'A song that does not fit the room waits at most', group: 'kiosk', unit: 'minutes' },
  'guests.downVotesToSkip': { label: 'Phones voting “not this” that skip a song', group: 'kiosk' },
  'guests.voteMin': { label: 'A guest’s vote counts for', group: 'kiosk', unit: 'minutes' },
  'guests.callsPerMinute': { label: 'Guest page calls per phone per minute', group: 'advanced' },
  'guests.socketsMax': { label: 'Guest pages open at once, in all', group: 'advanced' },
  'guests.socketsPerAddress': { label: 'Guest pages open at once per network address', group: 'advanced' },
};

/** The group of each top-level section for settings without a look of their own. */
const SECTION_GROUP: Readonly<Record<string, GroupId>> = {
  player: 'music',
  library: 'music',
  music: 'music',
  site: 'music',
  camera: 'camera',
  vision: 'advanced',
  mood: 'camera',
  sessions: 'people',
  rfid: 'people',
  guests: 'kiosk',
};

/** Section names put before a label made from the key, so that "Enabled" says what it enables. */
const SECTION_TITLES: Readonly<Record<string, string>> = {
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

/** Whether dotted `key` names a setting (its first part is a section of the configuration), not a file or a host name. */
export function isSettingKey(key: string): boolean {
  const section = key.split('.')[0] ?? '';
  return section in SECTION_GROUP || section in SECTION_TITLES || Object.keys(LOOKS).some((id) => id.startsWith(`${section}.`));
}

/** The label of a setting (or a section's title) the form knows by name, else undefined. */
export function knownLabel(key: string): string | undefined {
  if (LOOKS[key] !== undefined) return LOOKS[key].label;
  if (key === 'player.transitions') return 'the settings for cutting a song for the room';
  const title = SECTION_TITLES[key];
  return title === undefined ? undefined : `the ${title} settings`;
}

/** The look of the setting at dotted `id`; `fileOnly` settings (shown, not edited) go to Advanced. */
export function lookOf(id: string, node?: SchemaNode): SettingLook {
  const known = LOOKS[id];
  const isFileOnly = node?.fileOnly === true;
  if (known !== undefined) return isFileOnly ? { ...known, group: 'advanced' } : known;
  const section = id.includes('.') ? (id.split('.')[0] ?? '') : '';
  const title = SECTION_TITLES[section];
  // A time in ms is shown in seconds: the label names no unit, the input says seconds.
  const inMs = /Ms$/.test(id);
  const words = labelFromKey(id).replace(/ \(ms\)$/, '');
  return {
    label: title === undefined ? words : `${title}: ${words.charAt(0).toLowerCase()}${words.slice(1)}`,
    group: isFileOnly ? 'advanced' : (SECTION_GROUP[section] ?? 'advanced'),
    ...(inMs ? { unit: 'ms' } : {}),
  };
}

/** "ws.pingIntervalMs" → "Ping interval (ms)"; "dataDir" → "Data dir". */
export function labelFromKey(id: string): string {
  const key = id.split('.').at(-1) ?? id;
  const unit = /Ms$/.test(key)
    ? ' (ms)'
    : /KiB$/.test(key)
      ? ' (KiB)'
      : /MiB$/.test(key)
        ? ' (MiB)'
        : /S$/.test(key)
          ? ' (seconds)'
          : /H$/.test(key)
            ? ' (hours)'
            : '';
  const words = key
    .replace(/(Ms|KiB|MiB|S|H)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${unit}`;
}

/** A number of milliseconds in seconds, as staff read it ("2.5 seconds"). */
export function secondsOf(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s.toLocaleString('en')} second${s === 1 ? '' : 's'}`;
}

/** The kind of widget a setting gets. */
export type Widget = 'switch' | 'choice' | 'slider' | 'number' | 'text' | 'hours' | 'folders' | 'schedule' | 'plans' | 'readonly';

/** The values of a union of literals (`anyOf` of `const`s) or an `enum`, else undefined. */
export function choicesOf(node: SchemaNode): unknown[] | undefined {
  if (node.enum) return node.enum;
  const consts = node.anyOf?.map((n: SchemaNode) => n.const);
  return consts !== undefined && consts.length > 0 && consts.every((c) => c !== undefined) ? consts : undefined;
}

function isHoursObject(node: SchemaNode | undefined): boolean {
  const props = node?.properties;
  return props !== undefined && 'from' in props && 'to' in props;
}

/** The object of a nullable object node (`anyOf: [null, object]`), else undefined. */
export function nullableObject(node: SchemaNode): SchemaNode | undefined {
  const options = node.anyOf;
  if (options?.length !== 2 || !options.some((n) => n.type === 'null')) return undefined;
  return options.find((n) => n.type === 'object');
}

/** The widget for `node`; `look` (from `lookOf`) may ask for a slider with its own step. */
export function widgetOf(node: SchemaNode, look?: SettingLook): Widget {
  if (node.fileOnly === true) return 'readonly';
  if (choicesOf(node) !== undefined) return 'choice';
  if (isHoursObject(nullableObject(node))) return 'hours';
  if (node.type === 'boolean') return 'switch';
  if (node.type === 'integer' || node.type === 'number') {
    if (look?.step !== undefined && node.minimum !== undefined && node.maximum !== undefined) return 'slider';
    // An exclusive bound is not a slider's end (the end itself is not allowed): such a number is typed.
    const span = (node.maximum ?? Infinity) - (node.minimum ?? -Infinity);
    return span <= 100 ? 'slider' : 'number';
  }
  if (node.type === 'array' && node.items?.type === 'string') return 'folders';
  // Named blocks of hours are day plans (a name, a mood, caps); unnamed ones a volume schedule.
  if (node.type === 'array' && isHoursObject(node.items)) return node.items?.properties?.['name'] === undefined ? 'schedule' : 'plans';
  if (node.type === 'string') return 'text';
  return 'readonly';
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** The problem with `value` for `node` in staff's words, or '' when it fits. */
export function problemOf(node: SchemaNode, value: unknown, unit?: string): string {
  const nullable = nullableObject(node);
  if (value === null) return nullable !== undefined || node.anyOf?.some((n) => n.type === 'null') === true ? '' : 'A value is needed.';
  if (nullable !== undefined) return problemOf(nullable, value);
  if (value === undefined) return '';
  const choices = choicesOf(node);
  if (choices !== undefined) return choices.includes(value) ? '' : `Choose one of: ${choices.join(', ')}.`;
  const type = typeof node.type === 'string' ? node.type : undefined;
  switch (type) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return 'Enter a number.';
      if (node.type === 'integer' && !Number.isInteger(value)) return 'Enter a whole number.';
      // A time kept in ms is typed in seconds: its limits are said in seconds too.
      const shown = (n: number): string => (unit === 'ms' ? secondsOf(n) : String(n));
      if (node.minimum !== undefined && value < node.minimum) return `Enter at least ${shown(node.minimum)}.`;
      if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum)
        return `Enter a number above ${shown(node.exclusiveMinimum)}.`;
      if (node.maximum !== undefined && value > node.maximum) return `Enter at most ${shown(node.maximum)}.`;
      if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum)
        return `Enter a number below ${shown(node.exclusiveMaximum)}.`;
      return '';
    }
    case 'string': {
      if (typeof value !== 'string') return 'Enter some text.';
      if (node.minLength !== undefined && value.length < node.minLength) {
        return node.minLength <= 1 ? 'This cannot be empty.' : `Use at least ${node.minLength} characters.`;
      }
      if (node.maxLength !== undefined && value.length > node.maxLength) return `Use at most ${node.maxLength} characters.`;
      if (node.pattern !== undefined && !new RegExp(node.pattern).test(value)) {
        return node.pattern === TIME.source ? 'Enter a time from 00:00 to 23:59.' : 'This is not in the expected form (see the help).';
      }
      return '';
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return 'A value is needed.';
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        const problem = problemOf(child, (value as Record<string, unknown>)[key]);
        if (problem !== '') return `${labelFromKey(key)}: ${problem}`;
      }
      return '';
    }
    case 'array': {
      if (!Array.isArray(value)) return 'A list is needed.';
      for (const [i, item] of value.entries()) {
        const problem = node.items === undefined ? '' : problemOf(node.items, item);
        if (problem !== '') return `Row ${i + 1}: ${problem}`;
      }
      return '';
    }
    case 'boolean':
    case 'null':
    case undefined:
    default:
      return '';
  }
}

/** The leaves of the schema (settings), as dotted ids with their nodes, in schema order; `version` left out. */
export function settingsOf(schema: SchemaNode): Array<[string, SchemaNode]> {
  const out: Array<[string, SchemaNode]> = [];
  const walk = (node: SchemaNode, path: string[]): void => {
    if (node.type === 'object' && node.properties !== undefined && !isHoursObject(node)) {
      for (const [key, child] of Object.entries(node.properties)) walk(child, [...path, key]);
      return;
    }
    out.push([path.join('.'), node]);
  };
  for (const [key, child] of Object.entries(schema.properties ?? {})) if (key !== 'version') walk(child, [key]);
  return out;
}

/** The smallest value a number setting takes, for the input's `min` (an exclusive bound is not itself allowed: the form says so). */
export function lowestOf(node: SchemaNode): number | undefined {
  return node.minimum ?? node.exclusiveMinimum;
}

/** The largest value a number setting takes, for the input's `max`. */
export function highestOf(node: SchemaNode): number | undefined {
  return node.maximum ?? node.exclusiveMaximum;
}

type Json = Record<string, unknown>;

/** The value at `path` of a settings object, or undefined. */
export function getAt(obj: Json, path: string[]): unknown {
  let at: unknown = obj;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Json)[key] : undefined;
  return at;
}

/** A copy of `obj` with `value` at `path`, the objects on the way copied too. */
export function setAt(obj: Json, path: string[], value: unknown): Json {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const child = typeof obj[head] === 'object' && obj[head] !== null ? (obj[head] as Json) : {};
  return { ...obj, [head]: rest.length === 0 ? value : setAt(child, rest, value) };
}
