import type Database from 'better-sqlite3';
import type { PendingAnalysis, StoredAnalysis, TrackAudio } from '../../player/library/library.js';
import type { AnalysisRepository, TrackAudioPoint } from './store.js';
import { lazy } from './sqlite-guard.js';
import { parseJson } from '../../kernel/json.js';

interface Row {
  track_id: number;
  file_size: number | null;
  file_mtime_ms: number | null;
  version: number;
  arousal: number | null;
  valence: number | null;
  tempo_bpm: number | null;
  loudness_lufs: number | null;
  features: string | null;
  print: Buffer | null;
  error: string | null;
  message: string | null;
  analysed_at: number;
}

function toAnalysis(r: Row): StoredAnalysis {
  const audio: TrackAudio | null =
    r.error === null && r.arousal !== null && r.valence !== null
      ? {
          arousal: r.arousal,
          valence: r.valence,
          tempoBpm: r.tempo_bpm,
          loudnessLufs: r.loudness_lufs,
          features: parseJson(r.features ?? '{}') as TrackAudio['features'],
          ...(r.print === null ? {} : { print: r.print }),
        }
      : null;
  return {
    trackId: r.track_id,
    fileSize: r.file_size,
    fileMtimeMs: r.file_mtime_ms,
    version: r.version,
    analysedAt: r.analysed_at,
    audio,
    error: r.error === null ? null : { reason: r.error, message: r.message ?? '' },
  };
}

/** The analyses of local files (`track_analyses`). `guard` turns SQLite write failures into the store's errors. */
export function analysesRepo(db: Database.Database, deps: { guard: <T>(fn: () => T) => T }): AnalysisRepository {
  // Prepared on first use: a store opened on an older schema (a migration test) never touches the table.
  const select = lazy(() => db.prepare<[number], Row>('SELECT * FROM track_analyses WHERE track_id = ?'));
  const upsert = lazy(() =>
    db.prepare(
      `INSERT INTO track_analyses (track_id, file_size, file_mtime_ms, version, arousal, valence, tempo_bpm, loudness_lufs, features, print, error, message, analysed_at)
     VALUES (@trackId, @fileSize, @fileMtimeMs, @version, @arousal, @valence, @tempoBpm, @loudnessLufs, @features, @print, @error, @message, @analysedAt)
     ON CONFLICT (track_id) DO UPDATE SET file_size = excluded.file_size, file_mtime_ms = excluded.file_mtime_ms, version = excluded.version,
       arousal = excluded.arousal, valence = excluded.valence, tempo_bpm = excluded.tempo_bpm, loudness_lufs = excluded.loudness_lufs,
       features = excluded.features, print = excluded.print, error = excluded.error, message = excluded.message, analysed_at = excluded.analysed_at`,
    ),
  );
  // Copies of a recording are not analysed: the file that plays is. A file is done when its row was made from this size and mtime by this version of the analysis.
  const stale = lazy(() =>
    db.prepare<[number], PendingAnalysis>(
      `SELECT t.id, t.uri, t.genre, t.file_size AS fileSize, t.file_mtime_ms AS fileMtimeMs FROM tracks t
     LEFT JOIN track_analyses a ON a.track_id = t.id
     WHERE t.source = 'local' AND t.missing = 0 AND t.same_as IS NULL
       AND (a.track_id IS NULL OR a.version <> ? OR a.file_size IS NOT t.file_size OR a.file_mtime_ms IS NOT t.file_mtime_ms)
     ORDER BY t.id`,
    ),
  );
  const every = lazy(() =>
    db.prepare<[], PendingAnalysis>(
      `SELECT id, uri, genre, file_size AS fileSize, file_mtime_ms AS fileMtimeMs FROM tracks WHERE source = 'local' AND missing = 0 AND same_as IS NULL ORDER BY id`,
    ),
  );
  const covered = lazy(() =>
    db.prepare<[number], { songs: number; heard: number; failed: number }>(
      `SELECT count(*) AS songs, coalesce(sum(a.track_id IS NOT NULL AND a.error IS NULL), 0) AS heard, coalesce(sum(a.error IS NOT NULL), 0) AS failed
     FROM tracks t LEFT JOIN track_analyses a
       ON a.track_id = t.id AND a.version = ? AND a.file_size IS t.file_size AND a.file_mtime_ms IS t.file_mtime_ms
     WHERE t.source = 'local' AND t.missing = 0 AND t.same_as IS NULL`,
    ),
  );
  return {
    coverage: (version) => covered().get(version) ?? { songs: 0, heard: 0, failed: 0 },
    pending: (version, options = {}) => (options.force === true ? every().all() : stale().all(version)),
    get(trackId) {
      const row = select().get(trackId);
      return row === undefined ? undefined : toAnalysis(row);
    },
    save(a) {
      if ((a.audio === null) === (a.error === null)) {
        throw new TypeError(
          `Expected an analysis of track ${a.trackId} with either \`audio\` or \`error\`, got ${a.audio === null ? 'neither' : 'both'}`,
        );
      }
      deps.guard(() =>
        upsert().run({
          trackId: a.trackId,
          fileSize: a.fileSize,
          fileMtimeMs: a.fileMtimeMs,
          version: a.version,
          arousal: a.audio?.arousal ?? null,
          valence: a.audio?.valence ?? null,
          tempoBpm: a.audio?.tempoBpm ?? null,
          loudnessLufs: a.audio?.loudnessLufs ?? null,
          features: a.audio === null ? null : JSON.stringify(a.audio.features),
          print: a.audio?.print ?? null,
          error: a.error?.reason ?? null,
          message: a.error?.message ?? null,
          analysedAt: a.analysedAt,
        }),
      );
    },
  };
}

/** Where the analysis placed each track it could analyse, by track id. */
export function audioPoints(db: Database.Database): Map<number, TrackAudioPoint> {
  const rows = db
    .prepare<[], { track_id: number; valence: number; arousal: number; loudness_lufs: number | null }>(
      'SELECT track_id, valence, arousal, loudness_lufs FROM track_analyses WHERE error IS NULL',
    )
    .all();
  return new Map(rows.map((r) => [r.track_id, { valence: r.valence, arousal: r.arousal, loudnessLufs: r.loudness_lufs }]));
}
