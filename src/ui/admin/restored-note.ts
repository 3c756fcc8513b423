import { html, nothing } from 'lit';
import type { Backups } from '../data/admin-api.js';
import { t } from './admin-i18n.js';
import { formatTime } from './admin-styles.js';

type LastRestore = NonNullable<Backups['lastRestore']>;

/**
 * What the last restore did, said once the box is back: restored or not, the data it replaced
 * (kept under `keptWords` in the list of Backups, below it or, `isOnBackups` false, on that page),
 * who may sign in now, and what the backup brought that today's rules refused.
 */
export function restoredNote(backups: Backups | null, keptWords: string, isOnBackups = true) {
  const last = backups?.lastRestore;
  if (last === null || last === undefined) return nothing;
  if (last.failed !== null) {
    return html`<p class="restored card error" role="alert" data-restored>
      ${t('admin.restored.failed', { name: last.from, why: last.failed })}
    </p>`;
  }
  const taken = backups?.items.find((b) => b.name === last.from);
  return html`<p class="restored card ok" role="status" data-restored=${last.from}>
      ${taken === undefined ? t('admin.restored.restoredName', { name: last.from }) : t('admin.restored.restoredAt', { at: formatTime(taken.at) })}
      ${last.kept === null ? '' : t(isOnBackups ? 'admin.restored.kept' : 'admin.restored.keptInBackups', { kept: keptWords })}
      ${peopleWords(last.people)}
    </p>
    ${setAsideNote(last.setAside)}`;
}

function peopleWords(people: LastRestore['people']): string {
  if (people === null) return '';
  const out = [t('admin.restored.signedOut')];
  if (people.people === 'backup') out.push(t('admin.restored.peopleFromBackup'));
  else {
    out.push(t('admin.restored.peopleStayed'));
    if (people.disabled.length > 0) out.push(t('admin.restored.disabled', { names: people.disabled.join(', ') }));
  }
  return out.join(' ');
}

function setAsideNote({ tracks, stations, files }: LastRestore['setAside']) {
  if (tracks === 0 && stations.length === 0) return nothing;
  const parts = [
    tracks === 0 ? '' : t('admin.restored.tracks', { count: tracks }),
    stations.length === 0 ? '' : t('admin.restored.stations', { count: stations.length, names: stations.join(', ') }),
  ].filter(Boolean);
  return html`<div class="restored card error" role="alert" data-restore-set-aside>
    <p>${t('admin.restored.setAside', { parts: parts.join('; ') })}</p>
    ${
      files.length === 0
        ? nothing
        : html`<ul>
            ${files.map((file) => html`<li><code>${file}</code></li>`)}
          </ul>`
    }
  </div>`;
}

/** Where this browser keeps the restore whose note was put away on the dashboard. */
const SEEN_KEY = 'moodbox.restoreSeen';

/** The restore a note is about, as a key: its backup and when it was asked for. */
const restoreKey = (last: LastRestore): string => `${last.from}@${last.at}`;

/** Whether the note on the last restore waits to be read on the dashboard (not put away on this browser). */
export function isRestoreUnread(backups: Backups | null): boolean {
  const last = backups?.lastRestore;
  return last !== null && last !== undefined && localStorage.getItem(SEEN_KEY) !== restoreKey(last);
}

/** Puts the note on the last restore away on this browser. */
export function markRestoreRead(backups: Backups | null): void {
  const last = backups?.lastRestore;
  if (last !== null && last !== undefined) localStorage.setItem(SEEN_KEY, restoreKey(last));
}
