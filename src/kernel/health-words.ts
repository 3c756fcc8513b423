import type { ServiceHealth } from './lifecycle.js';
import { said } from './said.js';

/**
 * The health lines an owner reads on the admin panel's Health card, each written once in both forms:
 * the English `detail` (for `/api/health`, the technician and the logs) and the same sentence as
 * data (`said`, `common.said.health.*` in the screens' catalogues), for the panel to say in its
 * reader's language. `test/browser/catalogues.test.ts` says every `said` through the English
 * catalogue and checks it is the `detail`. A line with a cause of its own (an error's message, a
 * broker's address) stays English: it is for the technician.
 */
type Line = Required<Pick<ServiceHealth, 'detail' | 'said'>>;

const plural = (n: number, one: string, other: string): string => `${n} ${n === 1 ? one : other}`;

/** "24 tracks", "24 tracks, scanning": the music the library or the music holds, and what it is doing. */
export function tracksLine(count: number, doing: 'scanning' | 'analysing' | null = null): Line {
  const detail = `${plural(count, 'track', 'tracks')}${doing === null ? '' : `, ${doing}`}`;
  return {
    detail,
    said: said(doing === null ? 'health.tracks' : doing === 'scanning' ? 'health.tracksScanning' : 'health.tracksAnalysing', { count }),
  };
}

/** The RFID reader that is not there: people sign in with their PIN. */
export function noReaderLine(): Line {
  return { detail: 'no RFID reader plugged in; PIN sign-in only', said: said('health.noReader') };
}

/** Guests' requests: open, with how many are in the queue, or closed. */
export function guestsLine(isOpen: boolean, inQueue: number): Line {
  if (!isOpen) return { detail: 'closed', said: said('health.guests.closed') };
  return { detail: `open; ${plural(inQueue, 'request', 'requests')} in the queue`, said: said('health.guests.open', { count: inQueue }) };
}

/** Spotify with no account connected. */
export function noSpotifyAccountLine(): Line {
  return { detail: 'no account connected', said: said('health.spotify.noAccount') };
}

/** What `setup.sh update` recorded of the last update (`last-update.json`). */
export interface UpdateRecord {
  at: string;
  result: 'ok' | 'rolled-back' | 'failed';
  from: string;
  to: string;
  reason: string;
}

/** "2026-11-28 03:00 UTC": when an update ran. */
const updateTime = (last: UpdateRecord): string => `${last.at.slice(0, 16).replace('T', ' ')} UTC`;

/** "the update from 1.3.0 (abc1234) to 1.4.0 (def5678) on 2026-11-28 03:00 UTC" */
export function updateWords(last: UpdateRecord): string {
  return `the update from ${last.from} to ${last.to} on ${updateTime(last)}`;
}

/** How the last update went: none since the install, went well, or rolled back or failed with its reason and what to do. */
export function updateLine(last: UpdateRecord | undefined): Line {
  if (last === undefined) return { detail: 'no update since it was installed', said: said('health.update.none') };
  const values = { from: last.from, to: last.to, at: updateTime(last) };
  const what = updateWords(last);
  if (last.result === 'ok') return { detail: `${what} went well`, said: said('health.update.ok', values) };
  const how = last.result === 'rolled-back' ? 'was rolled back' : 'failed';
  return {
    detail: `${what} ${how}: ${last.reason}; the version before it runs on: fix what the reason says, then run \`sudo scripts/setup.sh update\` again`,
    said: said(last.result === 'rolled-back' ? 'health.update.rolledBack' : 'health.update.failed', { ...values, reason: last.reason }),
  };
}

/** The camera turned off in the configuration file (`camera.enabled`): nothing of it is loaded. */
export function cameraOffInConfigLine(): Line {
  return { detail: 'turned off in the configuration', said: said('camera.offInConfig') };
}
