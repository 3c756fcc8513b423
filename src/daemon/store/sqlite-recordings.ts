import type Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import type { RecordingFile } from '../../player/library/recordings.js';
import { guard } from './sqlite-guard.js';
import { toTrack, type TrackRow } from './sqlite-track-row.js';
import type { TrackRepository } from './store.js';

type RecordingsPart = Pick<TrackRepository, 'recordingFiles' | 'applyRecordings' | 'filesOf' | 'fileCounts' | 'playingFiles' | 'prefer'>;

interface FileRow {
  id: number;
  uri: string;
  title: string;
  artist: string;
  duration_ms: number | null;
  file_size: number | null;
  recording_mbid: string | null;
  preferred: number;
  print: Buffer | null;
}

/**
 * Copies of one recording (migration 020): `same_as` names the file that plays for the
 * recording, NULL on that file and on a missing one. The grouping itself is `groupRecordings`.
 */
export function recordingsRepo(db: Database.Database, clock: Clock): RecordingsPart {
  return {
    recordingFiles: () =>
      db
        .prepare<[], FileRow>(
          `SELECT t.id, t.uri, t.title, t.artist, t.duration_ms, t.file_size, t.recording_mbid, t.preferred, a.print
           FROM tracks t LEFT JOIN track_analyses a ON a.track_id = t.id
           WHERE t.source = 'local' AND t.missing = 0 ORDER BY t.id`,
        )
        .all()
        .map((r): RecordingFile => ({
          id: r.id,
          uri: r.uri,
          title: r.title,
          artist: r.artist,
          durationMs: r.duration_ms,
          fileSize: r.file_size,
          mbid: r.recording_mbid,
          preferred: r.preferred === 1,
          print: r.print,
        })),
    applyRecordings: (playing) =>
      guard(() =>
        db.transaction(() => {
          const at = clock.now();
          const set = db.prepare('UPDATE tracks SET same_as = ?, updated_at = ? WHERE id = ? AND same_as IS NOT ?');
          let changed = 0;
          for (const [id, sameAs] of playing) changed += set.run(sameAs, at, id, sameAs).changes;
          // A missing file plays for nothing; the files that were its copies were grouped again above.
          changed += db
            .prepare('UPDATE tracks SET same_as = NULL, updated_at = ? WHERE missing = 1 AND same_as IS NOT NULL')
            .run(at).changes;
          return changed;
        })(),
      ),
    filesOf: (trackId) =>
      db
        .prepare<[number], TrackRow>(
          `SELECT t.* FROM tracks t, (SELECT coalesce(same_as, id) AS playing FROM tracks WHERE id = ?) r
           WHERE t.missing = 0 AND (t.id = r.playing OR t.same_as = r.playing)
           ORDER BY t.same_as IS NOT NULL, t.id`,
        )
        .all(trackId)
        .map(toTrack),
    fileCounts: (trackIds) => {
      const counts = new Map(trackIds.map((id) => [id, 1]));
      if (trackIds.length === 0) return counts;
      const rows = db
        .prepare<number[], { id: number; n: number }>(
          `SELECT same_as AS id, count(*) AS n FROM tracks WHERE missing = 0 AND same_as IN (${trackIds.map(() => '?').join(',')}) GROUP BY same_as`,
        )
        .all(...trackIds);
      for (const { id, n } of rows) counts.set(id, n + 1);
      return counts;
    },
    playingFiles: () =>
      new Map(
        db
          .prepare<[], { id: number; same_as: number }>('SELECT id, same_as FROM tracks WHERE same_as IS NOT NULL')
          .all()
          .map((r) => [r.id, r.same_as]),
      ),
    prefer: (trackId) =>
      guard(() =>
        db.transaction(() => {
          const at = clock.now();
          const group = db
            .prepare<[number, number], { id: number }>(
              `SELECT t.id FROM tracks t, (SELECT coalesce(same_as, id) AS playing FROM tracks WHERE id = ?) r
               WHERE t.id = r.playing OR t.same_as = r.playing OR t.id = ?`,
            )
            .all(trackId, trackId);
          const unset = db.prepare('UPDATE tracks SET preferred = 0, updated_at = ? WHERE id = ? AND preferred = 1');
          for (const { id } of group) if (id !== trackId) unset.run(at, id);
          db.prepare('UPDATE tracks SET preferred = 1, updated_at = ? WHERE id = ?').run(at, trackId);
        })(),
      ),
  };
}
