import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { realPathInside } from '../config/paths.js';
import { parseStreamUrl } from '../../player/streams/stream-url.js';
import { recordAudit, type Actor } from '../store/audit.js';
import type { SqliteStore } from '../store/sqlite-store.js';

/** What a review of restored rows set aside: each kept out of the library (marked missing), never deleted. */
export interface RestoredRowsSetAside {
  /** Local files outside the music folders in force (or no longer there), by path. */
  tracks: string[];
  /** Stations whose address today's rules refuse, by name. */
  stations: string[];
}

/** How many paths and names an audit line and the panel show; the counts are whole. */
const NAMED = 20;

/**
 * The rows of a database restored from a backup, checked against today's rules before the box
 * uses them. A backup is a file someone kept and brought back, perhaps from another box: as
 * untrusted as a music folder. A local track whose file is not inside the music folders in force
 * (links resolved) and a station whose URL a station added now could not have are set aside:
 * marked missing, so nothing plays, serves, lists or suggests them, and a rescan of a folder that
 * truly holds the file brings it back. Audited `backup.rows-set-aside` as `actor`, the person who
 * asked for the restore. The settings pass their own door (`LiveConfig.applySaved`).
 */
export async function reviewRestoredRows(
  deps: { store: Pick<SqliteStore, 'tracks' | 'stations' | 'audit'>; clock: Pick<Clock, 'now'>; log: Pick<Log, 'warn'> },
  options: { folders: readonly string[]; actor: Actor },
): Promise<RestoredRowsSetAside> {
  const { store } = deps;
  const tracks: Array<{ id: number; uri: string }> = [];
  for (const file of store.tracks.files('local')) {
    if (file.missing) continue;
    if ((await realPathInside(file.uri, options.folders)) === undefined) tracks.push(file);
  }
  const stations = store.stations.list().filter((station) => {
    try {
      parseStreamUrl(station.url);
      return false;
    } catch {
      return true;
    }
  });
  const ids = [...tracks.map((t) => t.id), ...stations.map((s) => s.trackId)];
  if (ids.length === 0) return { tracks: [], stations: [] };
  store.tracks.markMissing(ids);
  const setAside = { tracks: tracks.map((t) => t.uri), stations: stations.map((s) => s.name) };
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
