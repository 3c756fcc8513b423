import type Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import type { Station, StationRepository, TrackRepository } from './store.js';

/** The library's `source` of stations (the same as `player/streams`' `STREAM_SOURCE`). */
const SOURCE = 'stream';

interface StationRow {
  track_id: number;
  origin: Station['origin'];
  file: string | null;
  failed_at: number | null;
  error: string | null;
  played_at: number | null;
  uri: string;
  title: string;
  genre: string;
  added_at: number;
}

const SELECT = `SELECT s.*, t.uri, t.title, t.genre, t.added_at FROM stations s JOIN tracks t ON t.id = s.track_id`;

/**
 * Stations over the tracks table: each is a track of source `stream` (its URL the uri, its name the
 * title, no duration) plus a `stations` row with its origin and the outcome of its last play.
 * `guard` turns SQLite write failures into the store's errors.
 */
export function stationsRepo(
  db: Database.Database,
  deps: { clock: Clock; tracks: TrackRepository; guard: <T>(fn: () => T) => T },
): StationRepository {
  const { tracks, guard } = deps;
  const byId = db.prepare<[number], StationRow>(`${SELECT} WHERE s.track_id = ?`);
  const toStation = (r: StationRow): Station => ({
    trackId: r.track_id,
    url: r.uri,
    name: r.title,
    genre: r.genre,
    origin: r.origin,
    file: r.file,
    failedAt: r.failed_at,
    error: r.error,
    playedAt: r.played_at,
    moods: tracks.moods(r.track_id),
    addedAt: r.added_at,
  });
  const get = (trackId: number): Station | undefined => {
    const row = byId.get(trackId);
    return row === undefined ? undefined : toStation(row);
  };
  return {
    save(input) {
      return guard(() =>
        db.transaction(() => {
          const track = tracks.upsert({ source: SOURCE, uri: input.url, title: input.name, genre: input.genre ?? '', durationMs: null });
          tracks.setMoods(track.id, input.moods);
          db.prepare(
            `INSERT INTO stations (track_id, origin, file) VALUES (?, ?, ?)
             ON CONFLICT (track_id) DO UPDATE SET origin = excluded.origin, file = excluded.file`,
          ).run(track.id, input.origin, input.file ?? null);
          return get(track.id) as Station;
        })(),
      );
    },
    get,
    byUrl(url) {
      const track = tracks.byUri(url, SOURCE);
      return track === undefined ? undefined : get(track.id);
    },
    list: () => db.prepare<[], StationRow>(`${SELECT} WHERE t.missing = 0 ORDER BY t.title COLLATE NOCASE, t.id`).all().map(toStation),
    remove(trackId) {
      return guard(() => db.prepare('DELETE FROM tracks WHERE id = ? AND source = ?').run(trackId, SOURCE).changes > 0);
    },
    markFailed(trackId, error, at) {
      guard(() => db.prepare('UPDATE stations SET failed_at = ?, error = ? WHERE track_id = ?').run(at, error, trackId));
    },
    markPlayed(trackId, at) {
      guard(() => db.prepare('UPDATE stations SET failed_at = NULL, error = NULL, played_at = ? WHERE track_id = ?').run(at, trackId));
    },
    dropFromFile(file, keep) {
      const kept = new Set(keep);
      const gone = db
        .prepare<[string], { track_id: number }>(
          `SELECT s.track_id FROM stations s JOIN tracks t ON t.id = s.track_id WHERE s.origin = 'sidecar' AND s.file = ? AND t.missing = 0`,
        )
        .all(file)
        .map((r) => r.track_id)
        .filter((id) => !kept.has(id));
      if (gone.length > 0) tracks.markMissing(gone);
      return gone.length;
    },
  };
}
