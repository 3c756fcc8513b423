import type Database from 'better-sqlite3';
import type { MoodLogEntry, StatsRepository, TrackPlayStats } from './store-stats.js';

const HOUR_MS = 3_600_000;

/**
 * The dashboard charts' queries: counted by SQLite over the plays and the mood log, so a week of
 * plays reaches the panel as a few dozen numbers rather than every row.
 */
export function chartStatsQueries(
  db: Database.Database,
): Pick<StatsRepository, 'moodBefore' | 'playsPerMoodPerBucket' | 'playsPerHourOfDay' | 'topTracks' | 'guestPlays'> {
  return {
    moodBefore: (at) =>
      db
        .prepare<[number], MoodLogEntry>('SELECT at, mood, confidence, faces FROM mood_log WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1')
        .get(at),
    playsPerMoodPerBucket: (from, to, bucketMs) =>
      db
        .prepare<[number, number, number, number], { bucket: number; mood: string; plays: number }>(
          `SELECT CAST((started_at - ?) / ? AS INTEGER) AS bucket, coalesce(mood, 'unknown') AS mood, count(*) AS plays
           FROM plays WHERE started_at >= ? AND started_at < ? GROUP BY bucket, mood ORDER BY bucket, mood`,
        )
        .all(from, bucketMs, from, to),
    playsPerHourOfDay: (from, to, utcOffsetMin) =>
      db
        .prepare<[number, number, number], { hour: number; plays: number }>(
          // Parameters may arrive as REAL: cast before taking the hour since the epoch in local time, modulo a day.
          `SELECT CAST((started_at + ?) / ${HOUR_MS} AS INTEGER) % 24 AS hour, count(*) AS plays
           FROM plays WHERE started_at >= ? AND started_at < ? GROUP BY hour ORDER BY hour`,
        )
        .all(utcOffsetMin * 60_000, from, to),
    topTracks: (from, to, limit) =>
      db
        .prepare<[number, number, number, number, number, number, number], TrackPlayStats>(
          // Copies of one recording are one song: its plays and likes (people's and guests') on every file, named as the file that plays.
          `SELECT r.id AS trackId, r.title AS title, r.artist AS artist, count(*) AS plays,
             sum(p.outcome = 'completed') AS completed, sum(p.outcome = 'skipped') AS skipped,
             sum(p.outcome = 'switched') AS switched,
             (SELECT count(*) FROM feedback f JOIN tracks ft ON ft.id = f.track_id
               WHERE coalesce(ft.same_as, ft.id) = r.id AND f.kind = 'like' AND f.at >= ? AND f.at < ?)
             + (SELECT count(*) FROM guest_likes g JOIN tracks gt ON gt.id = g.track_id
               WHERE coalesce(gt.same_as, gt.id) = r.id AND g.at >= ? AND g.at < ?) AS likes
           FROM plays p JOIN tracks t ON t.id = p.track_id JOIN tracks r ON r.id = coalesce(t.same_as, t.id)
           WHERE p.started_at >= ? AND p.started_at < ?
           GROUP BY r.id ORDER BY plays DESC, skipped ASC, r.title COLLATE NOCASE LIMIT ?`,
        )
        .all(from, to, from, to, from, to, limit),
    guestPlays: (from, to) =>
      db
        .prepare<[number, number], { n: number }>(
          `SELECT count(*) AS n FROM plays WHERE reason = 'guest' AND started_at >= ? AND started_at < ?`,
        )
        .get(from, to)?.n ?? 0,
  };
}
