import english from '../i18n/catalogues/en.json' with { type: 'json' };
import { t, type AdminKey } from './admin-i18n.js';

/**
 * How the settings page shows each setting: its tab (a group of one task), its label in an owner's
 * words (`admin.settings.field.<setting>.label` in the catalogue), the labels of its choices
 * (`….choice.<value>`), its unit and a slider's step, and, for settings used rarely, the closed
 * part of the tab it sits in.
 */

/** The tabs of the settings page, in order: each an owner's task, its title and what it is for (`admin.settings.group.<id>`). */
export const GROUPS = ['music', 'guests', 'camera', 'screens', 'network', 'advanced'] as const;
export type GroupId = (typeof GROUPS)[number];

/** A tab's title in the reader's language. */
export const groupTitle = (group: GroupId): string => t(`admin.settings.group.${group}.title`);
/** What a tab is for, in the reader's language. */
export const groupIntro = (group: GroupId): string => t(`admin.settings.group.${group}.intro`);

/**
 * A unit shown after a number (`admin.settings.unit.<unit>` alone, `admin.settings.amount.<unit>`
 * with the number); `ms`: kept in milliseconds, shown and typed in seconds.
 */
export type Unit = 'ms' | 'seconds' | 'minutes' | 'hours' | 'days' | 'perSecond' | 'px' | 'kib' | 'mib';

/** The closed parts of a tab that hold settings used rarely (`admin.settings.part.<id>`). */
type Part = keyof typeof english.admin.settings.part;

/** A closed part's title in the reader's language. */
export const partTitle = (part: string): string => t(`admin.settings.part.${part as Part}`);
/** The closed part of Advanced named after `section` where the catalogue has one (a music source's), else undefined. */
export const sectionPart = (section: string): string | undefined =>
  Object.hasOwn(english.admin.settings.part, section) ? section : undefined;
/** How a setting is shown: a label in staff's words, its group, and labels for its choices. */
export interface SettingLook {
  label: string;
  group: GroupId;
  /** Labels for the values of a choice. */
  choices?: Record<string, string>;
  /** The unit shown after a number; `ms`: kept in milliseconds, shown and typed in seconds. */
  unit?: Unit;
  /** A slider's step, in the stored unit: a bounded number with a step is shown as a slider even when its range is wide. */
  step?: number;
  /** The closed part of its tab that holds it (settings used rarely; `partTitle` names it); none: always in view. */
  part?: string;
  /** Where it comes in its tab: lower first, the schema's order among equals. @default 0 */
  order?: number;
}

/** A setting the form knows by name: its look less the words, which the catalogue holds under the setting's name. */
export type KnownLook = Omit<SettingLook, 'label' | 'choices' | 'part'> & { choices?: readonly string[]; part?: Part };

/** The part of Music that holds the settings for cutting a song when the room changes. */
export const CUTTING = 'cutting';

/** The label of a setting the form knows by name (`id` a key of `LOOKS`, or `hasKnownLabel`), in the reader's language. */
export const knownLookLabel = (id: string): string => t(`admin.settings.field.${id}.label` as AdminKey);

/** Whether the English catalogue has a message at dotted `path` under admin.settings (a text, or as the build parsed it). */
function hasWords(path: string): boolean {
  let node: unknown = english.admin.settings;
  for (const part of path.split('.'))
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' || Array.isArray(node);
}

/**
 * Whether the catalogue names setting `id` though `LOOKS` does not list it: a music source's
 * settings (`spotify.clientId`), which take the rest of their look from their key and section.
 */
export const hasKnownLabel = (id: string): boolean => hasWords(`field.${id}.label`);

/**
 * The help of setting `id` in the reader's language (`admin.settings.field.<id>.help`: the
 * configuration's own description in staff's words), or undefined for a setting the catalogue has
 * no help for, whose description is then shown as the configuration says it.
 */
export function knownHelp(id: string): string | undefined {
  return hasWords(`field.${id}.help`) ? t(`admin.settings.field.${id}.help` as AdminKey) : undefined;
}

/** The label of value `value` of the choice that setting `id` offers, in the reader's language. */
export const choiceLabel = (id: string, value: string): string => t(`admin.settings.field.${id}.choice.${value}` as AdminKey);

/** The label of value `value` of setting `id` where the catalogue has one, else undefined (a music source the catalogue does not name). */
export function knownChoiceLabel(id: string, value: string): string | undefined {
  return hasWords(`field.${id}.choice.${value}`) ? choiceLabel(id, value) : undefined;
}

/** Settings in an owner's words; any other setting gets a label from its key, the group of its section and a part of Advanced. */
export const LOOKS: Readonly<Record<string, KnownLook>> = {
  'player.volume': { group: 'music', step: 5 },
  'player.maxVolume': { group: 'music', step: 5 },
  'player.crossfadeMs': { group: 'music', unit: 'ms', step: 1000 },
  'player.autoplay': { group: 'music' },
  'player.policy': { group: 'music', choices: ['match', 'lift'] },
  'player.switchOnMoodChange': { group: 'music' },
  'player.transitions.cutDistance': { group: 'music', part: 'cutting' },
  'player.transitions.cutHoldMs': { group: 'music', unit: 'ms', part: 'cutting' },
  'player.transitions.fadeMs': { group: 'music', unit: 'ms', part: 'cutting' },
  'player.transitions.fadeBars': { group: 'music', part: 'cutting' },
  'player.idle.behaviour': { group: 'music', choices: ['quiet', 'lower', 'silence'] },
  'player.idle.volume': { group: 'music', step: 5 },
  'player.quietHours': { group: 'music' },
  'player.volumeSchedule': { group: 'music' },
  'player.dayPlans': { group: 'music' },
  'player.audioOutput': { group: 'advanced' },
  'player.mpvPath': { group: 'advanced' },
  'player.snapcastPipe': { group: 'advanced' },
  'player.mpvArgs': { group: 'advanced' },
  'player.guestTaps': { group: 'screens' },
  'player.tapsPerMinute': { group: 'advanced', part: 'limits' },
  'player.tapsPerHour': { group: 'advanced', part: 'limits' },
  'library.folders': { group: 'music' },
  'library.scanAtStart': { group: 'music' },
  'library.analyze': { group: 'music' },
  'library.panelRoots': { group: 'advanced' },
  // First in Music: what the rest of the tab offers depends on where Moodbox plays and what it plays from.
  // Its choices are the registered sources' (the schema's), named as the catalogue or the source names them.
  'music.source': { group: 'music', order: -1 },
  'music.youtube': { group: 'music' },
  'music.allowPrivateStations': { group: 'music' },
  'music.explicit': { group: 'music', choices: ['play', 'skip'] },
  'site.kind': { group: 'music', choices: ['business', 'home'], order: -2 },
  'site.language': { group: 'screens' },
  'camera.enabled': { group: 'camera' },
  'camera.hours': { group: 'camera' },
  'camera.source': { group: 'camera' },
  'vision.preview': { group: 'camera' },
  'vision.analysisFps': { group: 'camera', unit: 'perSecond' },
  'vision.minFacePx': { group: 'camera', unit: 'px' },
  'vision.detector': { group: 'advanced', choices: ['yunet', 'haar'] },
  'vision.int8Check': { group: 'advanced', choices: ['fallback', 'warn', 'off'] },
  'vision.modelPath': { group: 'advanced' },
  'vision.detectWidth': { group: 'advanced', unit: 'px' },
  'vision.mirrorUpToFaces': { group: 'advanced' },
  'vision.alignFaces': { group: 'advanced' },
  'vision.cascadePath': { group: 'advanced' },
  'mood.dwellMs': { group: 'camera', unit: 'ms' },
  'mood.nobodyAfterMs': { group: 'camera', unit: 'ms' },
  'mood.minConfidence': { group: 'camera' },
  'sessions.kioskIdleTimeoutS': { group: 'screens', unit: 'seconds' },
  'sessions.selfRegistration': { group: 'screens' },
  'sessions.suggestNames': { group: 'screens' },
  'sessions.adminSessionH': { group: 'screens', unit: 'hours' },
  'rfid.enabled': { group: 'screens' },
  'rfid.devices': { group: 'advanced' },
  dataDir: { group: 'advanced' },
  'server.host': { group: 'network' },
  'server.port': { group: 'network' },
  'server.adminLanOnly': { group: 'network' },
  'server.publicUrl': { group: 'network' },
  'log.level': { group: 'advanced' },
  'log.file': { group: 'advanced' },
  'log.fileMiB': { group: 'advanced', unit: 'mib' },
  'log.fileCount': { group: 'advanced' },
  'ws.maxBufferedKiB': { group: 'advanced', unit: 'kib' },
  'ws.pingIntervalMs': { group: 'advanced', unit: 'ms' },
  'mqtt.enabled': { group: 'advanced' },
  'mqtt.url': { group: 'advanced' },
  'mqtt.username': { group: 'advanced' },
  'mqtt.passwordFile': { group: 'advanced' },
  'mqtt.caFile': { group: 'advanced' },
  'mqtt.certFile': { group: 'advanced' },
  'mqtt.keyFile': { group: 'advanced' },
  'mqtt.site': { group: 'advanced' },
  'mqtt.box': { group: 'advanced' },
  'mqtt.homeAssistant': { group: 'advanced' },
  'mqtt.discoveryPrefix': { group: 'advanced' },
  'mqtt.fleet': { group: 'advanced' },
  'mqtt.shareNames': { group: 'advanced' },
  'mqtt.protocolVersion': { group: 'advanced' },
  'mqtt.heartbeatS': { group: 'advanced', unit: 'seconds' },
  'metrics.enabled': { group: 'advanced' },
  'retention.moodLogDays': { group: 'advanced', unit: 'days' },
  'retention.moodLogFullDays': { group: 'advanced', unit: 'days' },
  'retention.playsDays': { group: 'advanced', unit: 'days' },
  'retention.auditDays': { group: 'advanced', unit: 'days' },
  'retention.coversMiB': { group: 'advanced', unit: 'mib' },
  'memory.ceilingMiB': { group: 'advanced', unit: 'mib' },
  'memory.mpvCeilingMiB': { group: 'advanced', unit: 'mib' },
  'memory.graceS': { group: 'advanced', unit: 'seconds' },
  'guests.requests': { group: 'guests', choices: ['auto', 'on', 'off'] },
  // First in Guests: whether the staff approve each request is what a business looks for.
  'guests.approval': { group: 'guests', choices: ['off', 'staff'], order: -1 },
  'guests.kioskQr': { group: 'guests', choices: ['card', 'large'] },
  'guests.requestsPerHour': { group: 'guests' },
  'guests.repeatWindowMin': { group: 'guests', unit: 'minutes' },
  'guests.requestsPerAddressMax': { group: 'guests' },
  'guests.waitMin': { group: 'guests', unit: 'minutes' },
  'guests.downVotesToSkip': { group: 'guests' },
  'guests.voteMin': { group: 'guests', unit: 'minutes' },
  'guests.callsPerMinute': { group: 'advanced' },
  'guests.socketsMax': { group: 'advanced' },
  'guests.socketsPerAddress': { group: 'advanced' },
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

/** Sections whose name is put before a label made from the key, so that "Enabled" says what it enables (`admin.settings.section.<id>`). */
type Section = keyof typeof english.admin.settings.section;

/** The section's name in the reader's language, for a section that has one, else undefined. */
export function sectionTitle(section: string): string | undefined {
  return Object.hasOwn(english.admin.settings.section, section) ? t(`admin.settings.section.${section as Section}`) : undefined;
}

/**
 * The closed part of Advanced each section's settings sit in, so that the tab is a short list of
 * topics; a section with a part of its own in the catalogue (a music source's, `spotify`) sits in it.
 */
export const ADVANCED_PARTS: Readonly<Record<string, Part>> = {
  dataDir: 'files',
  library: 'files',
  rfid: 'files',
  player: 'sound',
  vision: 'faceReading',
  log: 'log',
  metrics: 'log',
  ws: 'screenConnections',
  guests: 'limits',
  mqtt: 'mqtt',
  retention: 'retention',
  memory: 'memory',
};
