import type Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import type { TrackFile, TrackMood, TrackRepository } from './store.js';
import { toTrack, type TrackRow } from './sqlite-track-row.js';
import { audioPoints } from './sqlite-analyses.js';
import { clampLimit, guard, lazy } from './sqlite-guard.js';
import { recordingsRepo } from './sqlite-recordings.js';

type Db = Database.Database;

/** The library's tracks (every source), their mood tags and the files the scanner last saw. */
export function tracksRepo(db: Db, clock: Clock): TrackRepository {
  const byId = db.prepare<[number], TrackRow>('SELECT * FROM tracks WHERE id = ?');
  const byUri = db.prepare<[string, string], TrackRow>('SELECT * FROM tracks WHERE source = ? AND uri = ?');
  // Lazy: a database opened at an older schema version in tests has no `explicit` column yet.
  const upsert = lazy(() =>
    db.prepare(`
    INSERT INTO tracks (source, uri, title, artist, album, year, genre, language, duration_ms, replaygain_db, cover, file_size, file_mtime_ms, explicit, recording_mbid, missing, added_at, updated_at)
    VALUES (@source, @uri, @title, @artist, @album, @year, @genre, @language, @durationMs, @replayGainDb, @cover, @fileSize, @fileMtimeMs, @explicit, @recordingMbid, 0, @at, @at)
    ON CONFLICT (source, uri) DO UPDATE SET
      title = excluded.title, artist = excluded.artist, album = excluded.album, year = excluded.year, genre = excluded.genre,
      language = excluded.language, duration_ms = excluded.duration_ms, replaygain_db = excluded.replaygain_db, cover = excluded.cover,
      file_size = excluded.file_size, file_mtime_ms = excluded.file_mtime_ms, explicit = excluded.explicit,
      recording_mbid = excluded.recording_mbid, missing = 0, updated_at = excluded.updated_at`),
  );
  return {
    upsert(input) {
      return guard(() => {
        const source = input.source ?? 'local';
        upsert().run({
          source,
          uri: input.uri,
          title: input.title ?? '',
          artist: input.artist ?? '',
          album: input.album ?? '',
          year: input.year ?? null,
          genre: input.genre ?? '',
          language: input.language ?? '',
          durationMs: input.durationMs ?? null,
          replayGainDb: input.replayGainDb ?? null,
          cover: input.cover ?? null,
          fileSize: input.fileSize ?? null,
          fileMtimeMs: input.fileMtimeMs ?? null,
          explicit: input.explicit === undefined || input.explicit === null ? null : Number(input.explicit),
          recordingMbid: input.recordingMbid ?? null,
          at: clock.now(),
        });
        return toTrack(byUri.get(source, input.uri) as TrackRow);
      });
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toTrack(row) : undefined;
    },
    byUri: (uri, source = 'local') => {
      const row = byUri.get(source, uri);
      return row ? toTrack(row) : undefined;
    },
    list(options = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (!options.includeMissing) where.push('t.missing = 0');
      if (!options.includeCopies) where.push('t.same_as IS NULL');
      if (options.mood !== undefined) {
        where.push('EXISTS (SELECT 1 FROM track_moods m WHERE m.track_id = t.id AND m.mood = ?)');
        params.push(options.mood);
      }
      if (options.search !== undefined && options.search !== '') {
        where.push("(t.title LIKE ? ESCAPE '\\' OR t.artist LIKE ? ESCAPE '\\' OR t.album LIKE ? ESCAPE '\\')");
        const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        params.push(like, like, like);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM tracks t ${clause}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare<unknown[], TrackRow>(`SELECT t.* FROM tracks t ${clause} ORDER BY t.artist, t.album, t.title, t.id LIMIT ? OFFSET ?`)
        .all(...params, clampLimit(options.limit), Math.max(options.offset ?? 0, 0));
      return { items: rows.map(toTrack), total };
    },
    markMissing(ids) {
      guard(() => {
        const stmt = db.prepare('UPDATE tracks SET missing = 1, updated_at = ? WHERE id = ?');
        const at = clock.now();
        db.transaction(() => ids.forEach((id) => stmt.run(at, id)))();
      });
    },
    moods: (trackId) =>
      db
        .prepare<[number], TrackMood>('SELECT mood, weight, origin FROM track_moods WHERE track_id = ? ORDER BY weight DESC, mood')
        .all(trackId),
    setMoods(trackId, moods) {
      guard(() =>
        db.transaction(() => {
          db.prepare('DELETE FROM track_moods WHERE track_id = ?').run(trackId);
          const insert = db.prepare('INSERT INTO track_moods (track_id, mood, weight, origin) VALUES (?, ?, ?, ?)');
          for (const m of moods) insert.run(trackId, m.mood, m.weight, m.origin);
        })(),
      );
    },
    count: () => (db.prepare('SELECT count(*) AS n FROM tracks WHERE missing = 0 AND same_as IS NULL').get() as { n: number }).n,
    ...recordingsRepo(db, clock),
    files: (source = 'local') =>
      db
        .prepare<[string], { id: number; uri: string; file_size: number | null; file_mtime_ms: number | null; missing: number }>(
          'SELECT id, uri, file_size, file_mtime_ms, missing FROM tracks WHERE source = ?',
        )
        .all(source)
        .map((r): TrackFile => ({ id: r.id, uri: r.uri, fileSize: r.file_size, fileMtimeMs: r.file_mtime_ms, missing: r.missing === 1 })),
    present: () =>
      db.prepare<[], { id: number; source: string; uri: string }>('SELECT id, source, uri FROM tracks WHERE missing = 0 ORDER BY id').all(),
    byArtistTitle: (artist, title) =>
      db
        .prepare<[string, string], TrackRow>(
          'SELECT * FROM tracks WHERE artist = ? COLLATE NOCASE AND title = ? COLLATE NOCASE AND missing = 0 ORDER BY id',
        )
        .all(artist, title)
        .map(toTrack),
    allWithMoods() {
      const moods = new Map<number, TrackMood[]>();
      const rows = db
        .prepare<[], TrackMood & { track_id: number }>(
          'SELECT m.track_id, m.mood, m.weight, m.origin FROM track_moods m JOIN tracks t ON t.id = m.track_id WHERE t.missing = 0 AND t.same_as IS NULL ORDER BY m.weight DESC, m.mood',
        )
        .all();
      for (const { track_id: id, mood, weight, origin } of rows) {
        let list = moods.get(id);
        if (!list) moods.set(id, (list = []));
        list.push({ mood, weight, origin });
      }
      const points = audioPoints(db);
      return db
        .prepare<[], TrackRow>('SELECT * FROM tracks WHERE missing = 0 AND same_as IS NULL ORDER BY id')
        .all()
        .map((r) => ({ ...toTrack(r), moods: moods.get(r.id) ?? [], audio: points.get(r.id) ?? null }));
    },
  };
}
