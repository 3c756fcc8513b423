import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { realPathInside } from '../config/paths.js';
import { entryProblem } from '../../player/library/library-entry.js';
import { STREAM_SOURCE } from '../../player/streams/stream-url.js';
import { recordAudit, type Actor } from '../store/audit.js';
import type { SqliteStore } from '../store/sqlite-store.js';

/** What a review of restored rows set aside: each kept out of the library (marked missing), never deleted. */
export interface RestoredRowsSetAside {
  /** Local files outside the music folders in force (or no longer there), and rows of a source Moodbox does not play or with an address it would not take, by their uri. */
  tracks: string[];
  /** Stations whose address today's rules refuse, by name. */
  stations: string[];
}

/** How many paths and names an audit line and the panel show; the counts are whole. */
const NAMED = 20;

/**
 * The rows of a database restored from a backup, checked against today's rules before the box
 * uses them. A backup is a file someone kept and brought back, perhaps from another box: as
 * untrusted as a music folder. Every row present is reviewed whatever its source, by the rule
 * the player plays by (`entryProblem`): a local track whose file is not inside the music folders
 * in force (links resolved), a stream (a station) whose URL is not written as a station added now
 * would be (`HTTP://`, `gopher://`, a path), a Spotify row that is not a Spotify track, and a row
 * of any other source are set aside: marked missing, so nothing plays, serves, lists or
 * suggests them, and a rescan of a folder that truly holds a file brings it back. Audited
 * `backup.rows-set-aside` as `actor`, the person who asked for the restore. The settings pass
 * their own door (`LiveConfig.applySaved`).
 */
export async function reviewRestoredRows(
  deps: { store: Pick<SqliteStore, 'tracks' | 'stations' | 'audit'>; clock: Pick<Clock, 'now'>; log: Pick<Log, 'warn'> },
  options: { folders: readonly string[]; actor: Actor },
): Promise<RestoredRowsSetAside> {
  const { store } = deps;
  const tracks: Array<{ id: number; uri: string }> = [];
  for (const row of store.tracks.present()) if (!(await isPlayable(row, options.folders))) tracks.push(row);
  const stations = store.stations.list().filter((station) => !isStreamUrl(station.url));
  const ids = [...new Set([...tracks.map((t) => t.id), ...stations.map((s) => s.trackId)])];
  if (ids.length === 0) return { tracks: [], stations: [] };
  store.tracks.markMissing(ids);
  const stationIds = new Set(stations.map((s) => s.trackId));
  const setAside = { tracks: tracks.filter((t) => !stationIds.has(t.id)).map((t) => t.uri), stations: stations.map((s) => s.name) };
  deps.log.warn(
    { tracks: setAside.tracks.length, stations: setAside.stations.length, examples: setAside.tracks.slice(0, 3) },
    'restored rows that today’s rules refuse are set aside',
  );
  recordAudit({ audit: store.audit, clock: deps.clock }, options.actor, 'backup.rows-set-aside', {
    detail: {
      tracks: setAside.tracks.length,
      stations: setAside.stations.length,
      files: setAside.tracks.slice(0, NAMED),
      stationNames: setAside.stations.slice(0, NAMED),
    },
  });
  return setAside;
}

/** Whether a restored row may stay in the library: by today's rules for its source (`entryProblem`), a local file inside the music folders. */
async function isPlayable(row: { source: string; uri: string }, folders: readonly string[]): Promise<boolean> {
  if (entryProblem(row) !== undefined) return false;
  return row.source !== 'local' || (await realPathInside(row.uri, folders)) !== undefined;
}

function isStreamUrl(url: string): boolean {
  return entryProblem({ source: STREAM_SOURCE, uri: url }) === undefined;
}
