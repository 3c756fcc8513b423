import Database from 'better-sqlite3';
import { seededRandom } from '../../kernel/random.js';

const DAY_MS = 86_400_000;
const MOODS = ['happy', 'neutral', 'sad', 'surprise', 'angry', 'nobody'] as const;
const REASONS = ['mood', 'tap', 'skip', 'like'] as const;
const OUTCOMES = ['completed', 'completed', 'completed', 'skipped', 'switched'] as const;

/** How busy the simulated box is. */
export interface SimulatedYear {
  /** Days simulated, ending at `end` (epoch ms). @default 365 */
  days?: number;
  /** A mood change logged every this many seconds of opening hours. @default 5 */
  moodEveryS?: number;
  /** Opening hours, UTC, [from, to). @default [8, 20] */
  hours?: readonly [number, number];
  /** A song starts every this many seconds of opening hours. @default 210 */
  playEveryS?: number;
  /** Audit entries a day. @default 20 */
  auditPerDay?: number;
  /** Tracks in the library. @default 500 */
  tracks?: number;
}

/** What was written. */
export interface SimulatedCounts {
  moods: number;
  plays: number;
  audit: number;
  tracks: number;
}

/**
 * Fills a real database with a year of a busy café: the mood log every few seconds of opening
 * hours, a play every few minutes (each finished, some by signed-in people), the audit log, a
 * library. Seeded: the same arguments write the same rows. `path` is a database Moodbox made
 * (migrated); the rows go in through a connection of their own, as fast as SQLite takes them.
 */
export function simulateYear(path: string, end: number, options: SimulatedYear = {}): SimulatedCounts {
  const { days = 365, moodEveryS = 5, hours = [8, 20], playEveryS = 210, auditPerDay = 20, tracks = 500 } = options;
  const random = seededRandom(42);
  const start = Math.floor((end - days * DAY_MS) / DAY_MS) * DAY_MS;
  const counts: SimulatedCounts = { moods: 0, plays: 0, audit: 0, tracks };
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    const userId = Number(
      db.prepare("INSERT INTO users (name, role, created_at, updated_at) VALUES ('Regular', 'member', ?, ?)").run(start, start)
        .lastInsertRowid,
    );
    const track = db.prepare('INSERT INTO tracks (uri, title, artist, added_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    const trackIds: number[] = [];
    for (let i = 0; i < tracks; i++)
      trackIds.push(Number(track.run(`/music/${i}.mp3`, `Song ${i}`, `Artist ${i % 40}`, start, start).lastInsertRowid));
    const mood = db.prepare('INSERT INTO mood_log (at, mood, confidence, faces) VALUES (?, ?, ?, ?)');
    const play = db.prepare(
      'INSERT INTO plays (track_id, user_id, reason, mood, started_at, ended_at, outcome, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const audit = db.prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
    const pick = <T>(list: readonly T[]): T => list[random.int(list.length)] as T;
    for (let day = start; day < end; day += DAY_MS) {
      const open = day + hours[0] * 3_600_000;
      const close = Math.min(day + hours[1] * 3_600_000, end);
      for (let at = open; at < close; at += moodEveryS * 1000) {
        mood.run(at, pick(MOODS), Math.round(random.next() * 100) / 100, random.int(6));
        counts.moods++;
      }
      for (let at = open; at < close; at += playEveryS * 1000) {
        const signedIn = random.int(10) === 0 ? userId : null;
        play.run(pick(trackIds), signedIn, pick(REASONS), pick(MOODS), at, at + playEveryS * 1000 - 1, pick(OUTCOMES), 'fits the room');
        counts.plays++;
      }
      for (let i = 0; i < auditPerDay; i++) {
        const at = open + Math.floor(((close - open) * i) / auditPerDay);
        if (at >= close) continue;
        audit.run(at, 'admin', 'settings.update', 'player.volume', JSON.stringify({ from: 70, to: 60 }));
        counts.audit++;
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return counts;
}
