import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { chartStats, type ChartStats } from './chart-stats.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import type { MoodLogEntry } from '../store/store-stats.js';
import { FakeClock } from '../testing/fake-clock.js';

// The dashboard's day and week read the mood log's 5-minute slots (kept with each change) and the
// log only since the latest change. Whatever the room did, they must draw what the log says.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const MOODS = ['happy', 'neutral', 'sad', 'nobody', 'surprise'];
const START = Date.UTC(2026, 10, 16, 6, 0);
const silent = { info: () => {}, warn: () => {} };

let dir: string;
let path: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mb-mood-slots-'));
  path = join(dir, 'moodbox.db');
  store = openSqliteStore({ clock: new FakeClock(START), log: silent }, { path });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A room over `days`: changes seconds to hours apart (a closed night among them), at odd milliseconds. */
function aRoom(seed: number, days: number): MoodLogEntry[] {
  const random = seededRandom(seed);
  const log: MoodLogEntry[] = [];
  for (let at = START + random.int(1000); at < START + days * DAY;) {
    log.push({ at, mood: MOODS[random.int(MOODS.length)] ?? 'neutral', confidence: 0.7, faces: 1 });
    const r = random.next();
    at += r < 0.6 ? 1000 + random.int(20_000) : r < 0.97 ? 1 + random.int(40 * MIN) : 1 + random.int(14 * HOUR);
  }
  return log;
}

/** What the log says, worked out the long way: every stretch between changes, cut at buckets and hours. */
function fromTheLog(log: readonly MoodLogEntry[], from: number, to: number, bucketMs: number, utcOffsetMin: number) {
  const buckets = Array.from({ length: Math.ceil((to - from) / bucketMs) }, () => new Map<string, number>());
  const totals = new Map<string, number>();
  const people = Array.from({ length: 24 }, () => 0);
  log.forEach((change, i) => {
    const start = Math.max(change.at, from);
    const end = Math.min(log[i + 1]?.at ?? to, to);
    for (let at = start; at < end;) {
      const next = Math.min(
        end,
        from + (Math.floor((at - from) / bucketMs) + 1) * bucketMs,
        (Math.floor((at + utcOffsetMin * MIN) / HOUR) + 1) * HOUR - utcOffsetMin * MIN,
      );
      const bucket = buckets[Math.floor((at - from) / bucketMs)];
      bucket?.set(change.mood, (bucket.get(change.mood) ?? 0) + next - at);
      totals.set(change.mood, (totals.get(change.mood) ?? 0) + next - at);
      if (change.mood !== 'nobody') people[Math.floor(((((at + utcOffsetMin * MIN) % DAY) + DAY) % DAY) / HOUR)]! += next - at;
      at = next;
    }
  });
  return {
    buckets: buckets.map((m) => Object.fromEntries([...m].sort())),
    totals: Object.fromEntries([...totals].sort()),
    people: people.map((ms) => Math.round(ms / MIN)),
  };
}

function drawn(stats: ChartStats) {
  return {
    buckets: stats.moodTimeline.map((b) => Object.fromEntries(Object.entries(b.ms).sort())),
    totals: Object.fromEntries(stats.moodTotals.map((t) => [t.mood, t.ms]).sort()),
    people: stats.busyHours.map((h) => h.peopleMin),
  };
}

describe("the mood log's slots", () => {
  it.each([
    { seed: 1, utcOffsetMin: 60, isLate: false },
    { seed: 2, utcOffsetMin: -300, isLate: false },
    { seed: 3, utcOffsetMin: 330, isLate: true },
    { seed: 5, utcOffsetMin: 0, isLate: true },
  ])(
    'draw a week, a day and a ragged hour exactly as the log says (seed $seed, UTC$utcOffsetMin min, written late: $isLate)',
    ({ seed, utcOffsetMin, isLate }) => {
      const log = aRoom(seed, 8);
      // As the mood recorder writes them: in batches, some alone. With `isLate`, the last days first
      // and the days before them after, and every seventh change alone at the very end (a clock set
      // back, history written late).
      const half = Math.floor(log.length / 2);
      const order = isLate ? [...log.slice(half), ...log.slice(0, half)] : [...log];
      const late = new Set(isLate ? order.filter((_, i) => i % 7 === 3) : []);
      const first = order.filter((e) => !late.has(e));
      for (let i = 0; i < first.length;) {
        const n = 1 + (i % 7);
        if (n === 1) store.stats.logMood(first[i]!);
        else store.stats.logMoods(first.slice(i, i + n));
        i += n;
      }
      for (const e of late) store.stats.logMood(e);
      const now = START + 7 * DAY + 5 * HOUR + 12_345; // between changes, with changes after it
      const cases = [
        { from: START + DAY, to: now, bucketMs: 30 * MIN }, // the week, from a midnight
        { from: START + 6 * DAY, to: now, bucketMs: 5 * MIN }, // today
        { from: now - HOUR - 7_000, to: now, bucketMs: MIN }, // the last hour, not on a slot
        { from: START + 2 * DAY, to: START + 3 * DAY, bucketMs: 6 * HOUR }, // a day gone by
      ];
      for (const { from, to, bucketMs } of cases) {
        const stats = chartStats(store.stats, { from, to, bucketMs, playsBucketMs: DAY, utcOffsetMin });
        expect(drawn(stats), `${new Date(from).toISOString()} – ${new Date(to).toISOString()}`).toEqual(
          fromTheLog(log, from, to, bucketMs, utcOffsetMin),
        );
      }
    },
  );

  it('are filled from the log when a database from before them opens, and leave with the log at its retention', () => {
    const log = aRoom(4, 3);
    store.close();
    // The log as an older Moodbox wrote it: rows only, no slots.
    const db = new Database(path);
    const insert = db.prepare('INSERT INTO mood_log (at, mood, confidence, faces) VALUES (?, ?, ?, ?)');
    for (const e of log) insert.run(e.at, e.mood, e.confidence, e.faces);
    db.close();
    store = openSqliteStore({ clock: new FakeClock(START), log: silent }, { path });

    const [from, to] = [START + DAY, START + 2 * DAY + 3 * HOUR];
    expect(drawn(chartStats(store.stats, { from, to, bucketMs: 30 * MIN }))).toEqual(fromTheLog(log, from, to, 30 * MIN, 0));

    const cut = START + 2 * DAY;
    while (store.maintenance.prune('mood_log', cut, 500) > 0);
    const check = new Database(path, { readonly: true });
    const oldest = check.prepare('SELECT min(slot) AS slot FROM mood_slots').get() as { slot: number };
    check.close();
    expect(oldest.slot * 5 * MIN).toBe(cut);
  });
});
