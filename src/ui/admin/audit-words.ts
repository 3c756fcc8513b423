import type { AuditEntry } from '../data/admin-api.js';
import { moodName, t, type AdminKey } from './admin-i18n.js';
import { formatTime } from './admin-styles.js';

/** An audit entry in an owner's words: who, what they did, and the entry's details as named fields. */
export interface AuditWords {
  who: string;
  what: string;
  details: Array<[string, string]>;
}

/** Where a sign-in came from, by the device the daemon names. */
const DEVICES: Readonly<Record<string, AdminKey>> = {
  kiosk: 'admin.audit.devices.kiosk',
  admin: 'admin.audit.devices.admin',
  mqtt: 'admin.audit.devices.mqtt',
  cli: 'admin.audit.devices.cli',
  'mqtt:fleet': 'admin.audit.devices.fleet',
  demo: 'admin.audit.devices.demo',
  moodbox: 'admin.audit.devices.moodbox',
  'the memory guard': 'admin.audit.devices.memoryGuard',
};

/** Names of the detail fields the daemon writes. */
const FIELDS: Readonly<Record<string, AdminKey>> = {
  kind: 'admin.audit.fields.kind',
  via: 'admin.audit.fields.via',
  failures: 'admin.audit.fields.failures',
  card: 'admin.audit.fields.card',
  removed: 'admin.audit.fields.removed',
  role: 'admin.audit.fields.role',
  history: 'admin.audit.fields.history',
  fields: 'admin.audit.fields.fields',
  label: 'admin.audit.fields.label',
  minutes: 'admin.audit.fields.minutes',
  until: 'admin.audit.fields.until',
  trackId: 'admin.audit.fields.trackId',
  wanted: 'admin.audit.fields.wanted',
  applied: 'admin.audit.fields.applied',
  changed: 'admin.audit.fields.changed',
  restartRequired: 'admin.audit.fields.restartRequired',
  moods: 'admin.audit.fields.moods',
  add: 'admin.audit.fields.add',
  remove: 'admin.audit.fields.remove',
  tracks: 'admin.audit.fields.tracks',
  url: 'admin.audit.fields.url',
  joined: 'admin.audit.fields.joined',
  title: 'admin.audit.fields.title',
  position: 'admin.audit.fields.position',
  bytes: 'admin.audit.fields.bytes',
  kept: 'admin.audit.fields.kept',
  why: 'admin.audit.fields.why',
  request: 'admin.audit.fields.request',
  requests: 'admin.audit.fields.requests',
};

/** A detail's name in words; one this panel does not know yet keeps the daemon's name. */
const fieldWords = (key: string): string => {
  const field = FIELDS[key];
  return field === undefined ? key : t(field);
};

const list = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(', ') || t('admin.audit.none') : String(value));

/** Values the daemon writes as codes: where a sign-in was made and with what, and a person's role. */
const VALUES: Readonly<Record<string, Readonly<Record<string, AdminKey>>>> = {
  kind: { admin: 'admin.audit.values.kindAdmin', kiosk: 'admin.audit.values.kindKiosk' },
  via: { pin: 'admin.audit.values.viaPin', card: 'admin.audit.values.viaCard' },
  role: { admin: 'admin.users.admin', staff: 'admin.users.staff', member: 'admin.users.member' },
};

/** The details whose values are settings, by their ids (`camera.enabled`): the settings a save changed. */
const SETTINGS = new Set(['changed', 'restartRequired']);

/** A setting by its label in the panel ("Use the camera"); one the catalogue does not name keeps its id. */
const settingWords = (id: string): string => {
  const key = `admin.settings.field.${id}.label`;
  const label = t(key as AdminKey);
  return label === key ? id : label;
};

/** The details whose values are moods: a held mood (`label`) and a song's moods. */
const MOODS = new Set(['label', 'moods', 'add', 'remove']);

/** A detail's value in words: moods by their names, lists joined, yes/no, times as local times, other objects as their fields. */
function valueWords(key: string, value: unknown): string {
  const named = typeof value === 'string' ? VALUES[key]?.[value] : undefined;
  if (named !== undefined) return t(named);
  if (MOODS.has(key) && typeof value === 'string') return moodName(value);
  if (SETTINGS.has(key) && Array.isArray(value)) return list((value as unknown[]).map((id) => settingWords(String(id))));
  if (MOODS.has(key) && Array.isArray(value))
    return list((value as unknown[]).map((mood) => (typeof mood === 'string' ? moodName(mood) : String(mood))));
  if (typeof value === 'boolean') return value ? t('admin.audit.yes') : t('admin.audit.no');
  if (key === 'until' && typeof value === 'number') return formatTime(value);
  if (Array.isArray(value)) return list(value);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `${fieldWords(k)}: ${valueWords(k, v)}`)
      .join('; ');
  }
  return String(value);
}

/**
 * Who did it: `admin:3`, `staff:3` and `user:3` are named from `names` (id → name), a device by what it is.
 * An account that is gone is "a deleted account".
 */
export function actorWords(actor: string, names: ReadonlyMap<number, string>): string {
  const match = /^(admin|staff|user):(\d+)$/.exec(actor);
  if (match !== null) {
    const name = names.get(Number(match[2]));
    return name ?? (match[1] === 'admin' ? t('admin.audit.deletedAdmin') : t('admin.audit.deletedAccount'));
  }
  const ip = /^ip:(.+)$/.exec(actor);
  if (ip !== null) return t('admin.audit.device', { ip: ip[1] ?? '' });
  // Who acted from a device: the first admin claiming the box, someone signing up at the kiosk.
  const from = /^(first-run|self):(.+)$/.exec(actor);
  if (from !== null) {
    const device = actorWords(from[2] ?? '', names);
    return from[1] === 'first-run' ? t('admin.audit.devices.firstRun', { device }) : t('admin.audit.devices.selfSignUp', { device });
  }
  const client = /^mqtt:(.+)$/.exec(actor);
  if (client !== null && actor !== 'mqtt:fleet') return t('admin.audit.devices.mqttClient', { client: client[1] ?? '' });
  const device = DEVICES[actor];
  return device === undefined ? actor : t(device);
}

/** The message of each action the panel knows, its target filled in as `{target}`. */
const DID: Readonly<Record<string, AdminKey>> = {
  'auth.sign-in': 'admin.audit.did.signIn',
  'auth.unknown-card': 'admin.audit.did.unknownCard',
  'auth.unlock': 'admin.audit.did.unlock',
  'card.link': 'admin.audit.did.cardLink',
  'card.unlink': 'admin.audit.did.cardUnlink',
  'history.remove': 'admin.audit.did.historyRemove',
  'user.create': 'admin.audit.did.userCreate',
  'user.delete': 'admin.audit.did.userDelete',
  'user.export': 'admin.audit.did.userExport',
  'user.pin': 'admin.audit.did.userPin',
  'user.update': 'admin.audit.did.userUpdate',
  'settings.save': 'admin.audit.did.settingsSave',
  'settings.change': 'admin.audit.did.settingsSave',
  'library.scan': 'admin.audit.did.libraryScan',
  'daemon.restart': 'admin.audit.did.restart',
  'track.moods': 'admin.audit.did.trackMoods',
  'station.add': 'admin.audit.did.stationAdd',
  'station.remove': 'admin.audit.did.stationRemove',
  'music.block': 'admin.audit.did.block',
  'music.unblock': 'admin.audit.did.unblock',
  'music.block-import': 'admin.audit.did.blockImport',
  'mood.hold': 'admin.audit.did.moodHold',
  'mood.release': 'admin.audit.did.moodRelease',
  'player.pause': 'admin.audit.did.pause',
  'player.resume': 'admin.audit.did.resume',
  'player.skip': 'admin.audit.did.skip',
  'player.like': 'admin.audit.did.like',
  'player.unlike': 'admin.audit.did.unlike',
  'player.tap': 'admin.audit.did.kioskPlay',
  'player.volume': 'admin.audit.did.volume',
  'player.play-now': 'admin.audit.did.playNow',
  'player.play-next': 'admin.audit.did.playNext',
  'player.unqueue': 'admin.audit.did.unqueue',
  'player.queue-move': 'admin.audit.did.queueMove',
  'backup.create': 'admin.audit.did.backupCreate',
  'backup.upload': 'admin.audit.did.backupUpload',
  'backup.restore': 'admin.audit.did.backupRestore',
  'backup.restored': 'admin.audit.did.backupRestored',
  'backup.restore-failed': 'admin.audit.did.backupRestoreFailed',
  'backup.delete': 'admin.audit.did.backupDelete',
  'backup.rows-set-aside': 'admin.audit.did.rowsSetAside',
  'settings.set-aside': 'admin.audit.did.settingsSetAside',
  'settings.set-aside-dismissed': 'admin.audit.did.settingsSetAsideDismissed',
  'guests.approve': 'admin.audit.did.guestsApprove',
  'guests.decline': 'admin.audit.did.guestsDecline',
  'guests.clear': 'admin.audit.did.guestsClear',
  'guests.clear-all': 'admin.audit.did.guestsClearAll',
};

/** What the entry says happened, in a sentence. */
function whatWords(e: AuditEntry): string {
  const target = e.target;
  if (e.action === 'auth.failed') return target ? t('admin.audit.did.failedAs', { target }) : t('admin.audit.did.failed');
  const did = DID[e.action];
  // Moods given to several songs at once name how many ("3 tracks", in the daemon's English).
  const songs = e.action === 'track.moods' ? /^(\d+) tracks?$/.exec(target ?? '') : null;
  if (did !== undefined && songs !== null) return t(did, { target: t('admin.audit.songs', { count: Number(songs[1]) }) });
  if (did !== undefined) return t(did, { target });
  // An action this panel does not know yet: its name and target, as logged.
  return target ? `${e.action}: ${target}` : e.action;
}

/** The entry in an owner's words. */
export function auditWords(e: AuditEntry, names: ReadonlyMap<number, string>): AuditWords {
  const details = Object.entries(e.detail)
    // A queue key means nothing to an owner: the song's title says which.
    .filter(([key]) => key !== 'key')
    .filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]): [string, string] => [fieldWords(key), valueWords(key, value)]);
  return { who: actorWords(e.actor, names), what: whatWords(e), details };
}
