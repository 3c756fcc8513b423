import type Database from 'better-sqlite3';
import type { Page, Play, PlayRepository } from './store.js';
import { clampLimit, guard } from './sqlite-guard.js';

type Db = Database.Database;

interface PlayRow {
  id: number;
  track_id: number | null;
  user_id: number | null;
  reason: Play['reason'];
  mood: string | null;
  started_at: number;
  ended_at: number | null;
  outcome: Play['outcome'];
}

const toPlay = (r: PlayRow): Play => ({
  id: r.id,
  trackId: r.track_id,
  userId: r.user_id,
  reason: r.reason,
  mood: r.mood,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
});

/** The play history, the likes and skips, and the notes on plays. */
export function playsRepo(db: Db): PlayRepository {
  const byId = db.prepare<[number], PlayRow>('SELECT * FROM plays WHERE id = ?');
  return {
    start({ trackId, userId = null, reason, mood = null, startedAt }) {
      return guard(() => {
        const info = db
          .prepare('INSERT INTO plays (track_id, user_id, reason, mood, started_at) VALUES (?, ?, ?, ?, ?)')
          .run(trackId, userId, reason, mood, startedAt);
        return toPlay(byId.get(Number(info.lastInsertRowid)) as PlayRow);
      });
    },
    finish(id, outcome, endedAt) {
      guard(() => db.prepare('UPDATE plays SET outcome = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL').run(outcome, endedAt, id));
    },
    closeDangling: (endedAt) =>
      guard(() => db.prepare("UPDATE plays SET outcome = 'interrupted', ended_at = ? WHERE ended_at IS NULL").run(endedAt).changes),
    get: (id) => {
      const row = byId.get(id);
      return row ? toPlay(row) : undefined;
    },
    list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.userId !== undefined) {
        where.push('user_id = ?');
        params.push(filter.userId);
      }
      if (filter.mood !== undefined) {
        where.push('mood = ?');
        params.push(filter.mood);
      }
      if (filter.reason !== undefined) {
        where.push('reason = ?');
        params.push(filter.reason);
      }
      if (filter.from !== undefined) {
        where.push('started_at >= ?');
        params.push(filter.from);
      }
      if (filter.to !== undefined) {
        where.push('started_at < ?');
        params.push(filter.to);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM plays ${clause}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare<unknown[], PlayRow>(`SELECT * FROM plays ${clause} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...params, clampLimit(filter.limit), Math.max(filter.offset ?? 0, 0));
      return { items: rows.map(toPlay), total } satisfies Page<Play>;
    },
    removeForUser: (userId) =>
      guard(() =>
        db.transaction(() => {
          db.prepare('DELETE FROM feedback WHERE user_id = ?').run(userId);
          // What was learned from the history goes with it.
          db.prepare('DELETE FROM taste_models WHERE user_id = ?').run(userId);
          return db.prepare('DELETE FROM plays WHERE user_id = ?').run(userId).changes;
        })(),
      ),
    recordFeedback({ userId, trackId, kind, at }) {
      guard(() => db.prepare('INSERT INTO feedback (user_id, track_id, kind, at) VALUES (?, ?, ?, ?)').run(userId, trackId, kind, at));
    },
    recordGuestLike({ trackId, at }) {
      guard(() => db.prepare('INSERT INTO guest_likes (track_id, at) VALUES (?, ?)').run(trackId, at));
    },
    removeFeedback: ({ userId, trackId, kind }) =>
      guard(() => db.prepare('DELETE FROM feedback WHERE user_id = ? AND track_id = ? AND kind = ?').run(userId, trackId, kind).changes),
    annotate(id, note) {
      guard(() => db.prepare('UPDATE plays SET note = ? WHERE id = ?').run(note, id));
    },
    note: (id) => db.prepare<[number], { note: string }>('SELECT note FROM plays WHERE id = ?').get(id)?.note ?? '',
    feedbackFor: (userId, options = {}) =>
      db
        .prepare<[number, number], { trackId: number; kind: 'like' | 'skip'; at: number }>(
          'SELECT track_id AS trackId, kind, at FROM feedback WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?',
        )
        .all(userId, Math.min(Math.max(options.limit ?? 1000, 1), 100_000)),
  };
}
