import { html, nothing } from 'lit';
import type { Backups } from '../data/admin-api.js';
import { formatTime } from './admin-styles.js';

type LastRestore = NonNullable<Backups['lastRestore']>;

/**
 * What the last restore did, said once the box is back: restored or not, the data it replaced
 * (kept under `keptWords` in the list), who may sign in now, and what the backup brought that
 * today's rules refused.
 */
export function restoredNote(backups: Backups | null, keptWords: string) {
  const last = backups?.lastRestore;
  if (last === null || last === undefined) return nothing;
  if (last.failed !== null) {
    return html`<p class="restored card error" role="alert" data-restored>
      The restore of ${last.from} was not done, and Moodbox runs on the data it had: ${last.failed}
    </p>`;
  }
  const taken = backups?.items.find((b) => b.name === last.from);
  return html`<p class="restored card ok" role="status" data-restored=${last.from}>
      Restored the backup ${taken === undefined ? last.from : `of ${formatTime(taken.at)}`}.
      ${last.kept === null ? '' : html`The data it replaced is kept below as “${keptWords}”, should you want it back.`}
      ${peopleWords(last.people)}
    </p>
    ${setAsideNote(last.setAside)}`;
}

function peopleWords(people: LastRestore['people']): string {
  if (people === null) return '';
  const out = ['Everyone was signed out.'];
  if (people.people === 'backup') out.push('Accounts, PINs, passphrases and cards are as they were in the backup.');
  else {
    out.push('Accounts, PINs, passphrases and cards stayed as they were.');
    if (people.disabled.length > 0) out.push(`Deleted since the backup, and so disabled: ${people.disabled.join(', ')}.`);
  }
  return out.join(' ');
}

function setAsideNote({ tracks, stations, files }: LastRestore['setAside']) {
  if (tracks === 0 && stations.length === 0) return nothing;
  const parts = [
    tracks === 0 ? '' : `${tracks === 1 ? 'one song whose file is' : `${tracks} songs whose files are`} outside your music folders`,
    stations.length === 0 ? '' : `the station${stations.length === 1 ? '' : 's'} ${stations.join(', ')}`,
  ].filter(Boolean);
  return html`<div class="restored card error" role="alert" data-restore-set-aside>
    <p>
      Some of what the backup brought back is not used, because Moodbox would not accept it today: ${parts.join('; ')}. They are set aside,
      not deleted: add the folder in Settings and scan it to bring its songs back.
    </p>
    ${
      files.length === 0
        ? nothing
        : html`<ul>
            ${files.map((file) => html`<li><code>${file}</code></li>`)}
          </ul>`
    }
  </div>`;
}
