import type { AuditEntry } from '../data/admin-api.js';

/** An audit entry in an owner's words: who, what they did, and the entry's details as named fields. */
export interface AuditWords {
  who: string;
  what: string;
  details: Array<[string, string]>;
}

/** Where a sign-in came from, by the device the daemon names. */
const DEVICES: Readonly<Record<string, string>> = {
  kiosk: 'the kiosk',
  admin: 'the admin panel',
  mqtt: 'the building’s controls (MQTT)',
  cli: 'the command line',
};

/** Names of the detail fields the daemon writes. */
const FIELDS: Readonly<Record<string, string>> = {
  kind: 'Signed in to',
  via: 'With',
  failures: 'Failed tries before',
  card: 'Card',
  removed: 'Plays removed',
  role: 'Role',
  history: 'History',
  fields: 'Changed',
  label: 'Mood',
  minutes: 'For (minutes)',
  until: 'Until',
  trackId: 'Track number',
  wanted: 'Asked for',
  applied: 'Set to',
  changed: 'Changed now',
  restartRequired: 'Changed at the next restart',
  moods: 'Moods',
  add: 'Added',
  remove: 'Removed',
  tracks: 'Tracks',
  url: 'Address',
  joined: 'Joined a scan under way',
  title: 'Song',
  position: 'Now in place',
  bytes: 'Size (bytes)',
  kept: 'The data it replaced, kept as',
  why: 'Why',
};

const list = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(', ') || 'none' : String(value));

/** A detail's value in words: lists joined, yes/no, times as local times, other objects as their fields. */
/** Values the daemon writes as codes: where a sign-in was made and with what. */
const VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  kind: { admin: 'the admin panel', kiosk: 'the kiosk' },
  via: { pin: 'a PIN or passphrase', card: 'a card' },
};

function valueWords(key: string, value: unknown): string {
  if (typeof value === 'string' && VALUES[key]?.[value] !== undefined) return VALUES[key][value];
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (key === 'until' && typeof value === 'number') return new Date(value).toLocaleString();
  if (Array.isArray(value)) return list(value);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${list(v)}`)
      .join('; ');
  }
  return String(value);
}

/**
 * Who did it: `admin:3` and `user:3` are named from `names` (id → name), a device by what it is.
 * An account that is gone is "a deleted account".
 */
export function actorWords(actor: string, names: ReadonlyMap<number, string>): string {
  const match = /^(admin|user):(\d+)$/.exec(actor);
  if (match !== null) {
    const name = names.get(Number(match[2]));
    return name ?? (match[1] === 'admin' ? 'a deleted admin account' : 'a deleted account');
  }
  const ip = /^ip:(.+)$/.exec(actor);
  if (ip !== null) return `a device at ${ip[1] ?? ''}`;
  return DEVICES[actor] ?? actor;
}

/** What the entry says happened, in a sentence. */
function whatWords(e: AuditEntry): string {
  const target = e.target;
  switch (e.action) {
    case 'auth.sign-in':
      return `${target} signed in`;
    case 'auth.failed':
      return target ? `A sign-in as ${target} failed` : 'A sign-in failed';
    case 'auth.unknown-card':
      return 'An unknown card was tapped';
    case 'auth.unlock':
      return `Unlocked ${target}’s sign-in`;
    case 'card.link':
      return `Linked a card to ${target}`;
    case 'card.unlink':
      return 'Unlinked a card';
    case 'history.remove':
      return `${target} removed their history`;
    case 'user.create':
      return `Added ${target}`;
    case 'user.delete':
      return `Deleted ${target}`;
    case 'user.export':
      return `Exported ${target}’s data`;
    case 'user.pin':
      return `Set ${target}’s PIN`;
    case 'user.update':
      return `Changed ${target}’s account`;
    case 'settings.save':
    case 'settings.change':
      return 'Saved the settings';
    case 'library.scan':
      return 'Scanned the music folders';
    case 'daemon.restart':
      return 'Restarted Moodbox';
    case 'track.moods':
      return `Changed the moods of ${target}`;
    case 'station.add':
      return `Added the station ${target}`;
    case 'station.remove':
      return `Removed the station ${target}`;
    case 'music.block':
      return `Blocked ${target}`;
    case 'music.unblock':
      return `Unblocked ${target}`;
    case 'music.block-import':
      return 'Blocked songs and artists from a list';
    case 'mood.hold':
      return 'Held the music’s mood';
    case 'mood.release':
      return 'Let the room lead the music again';
    case 'player.pause':
      return 'Paused the music';
    case 'player.resume':
      return 'Resumed the music';
    case 'player.skip':
      return 'Skipped a song';
    case 'player.volume':
      return 'Changed the volume';
    case 'player.play-now':
      return 'Played a song now';
    case 'player.play-next':
      return 'Chose a song to play next';
    case 'player.unqueue':
      return 'Took a song out of the queue';
    case 'player.queue-move':
      return 'Moved a song in the queue';
    case 'backup.create':
      return 'Backed up the saved data';
    case 'backup.upload':
      return 'Added a backup from a file';
    case 'backup.restore':
      return `Asked to restore the backup ${target}`;
    case 'backup.restored':
      return `Restored the backup ${target}`;
    case 'backup.restore-failed':
      return `Could not restore the backup ${target}`;
    case 'backup.delete':
      return `Deleted the backup ${target}`;
    case 'backup.rows-set-aside':
      return 'Set aside restored songs or stations that today’s rules refuse';
    case 'settings.set-aside':
      return `Set aside the saved setting ${target}: the panel would refuse it`;
    case 'settings.set-aside-dismissed':
      return 'Dismissed the settings set aside';
    default:
      // An action this panel does not know yet: its name and target, as logged.
      return target ? `${e.action}: ${target}` : e.action;
  }
}

/** The entry in an owner's words. */
export function auditWords(e: AuditEntry, names: ReadonlyMap<number, string>): AuditWords {
  const details = Object.entries(e.detail)
    // A queue key means nothing to an owner: the song's title says which.
    .filter(([key]) => key !== 'key')
    .filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]): [string, string] => [FIELDS[key] ?? key, valueWords(key, value)]);
  return { who: actorWords(e.actor, names), what: whatWords(e), details };
}
