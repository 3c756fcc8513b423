import type Database from 'better-sqlite3';
import { MOOD_SLOT_MS, type MoodLogEntry, type StatsRepository } from './store.js';

type Db = Database.Database;

/**
 * Every stretch between two mood changes of the log, split at the slots' edges and summed per slot
 * and mood: what the store would have written had it kept the slots all along.
 */
const REBUILD = `
  WITH RECURSIVE spans AS (
    SELECT at AS a, mood, lead(at) OVER (ORDER BY at, id) AS e FROM mood_log
  ), parts (slot, mood, a, e) AS (
    SELECT a / ${MOOD_SLOT_MS}, mood, a, e FROM spans WHERE e > a
    UNION ALL
    SELECT slot + 1, mood, (slot + 1) * ${MOOD_SLOT_MS}, e FROM parts WHERE (slot + 1) * ${MOOD_SLOT_MS} < e
  )
  INSERT INTO mood_slots (slot, mood, ms)
  SELECT slot, mood, sum(min(e, (slot + 1) * ${MOOD_SLOT_MS}) - a) FROM parts GROUP BY slot, mood`;

/**
 * The mood log with its slots: each change the store records closes the stretch of the mood before
 * it, and that stretch is added to the slots it covers in the same transaction. The slots are
 * therefore complete up to the latest change; what follows it (the mood the room is in now) is the
 * caller's to add from the log.
 */
export function moodSlotsRepo(
  db: Db,
  deps: { guard: <T>(fn: () => T) => T },
): Pick<StatsRepository, 'logMood' | 'logMoods' | 'moodMsPerBucket' | 'peopleMsPerHourOfDay'> & {
  /** Fills the slots from the log when they are empty and the log is not (a database from before them). */
  fillIfEmpty: () => void;
  /** Removes the slots that end before `before`. */
  pruneBefore: (before: number) => number;
} {
  const { guard } = deps;
  // Prepared on first use: a store opened at an older schema (in a migration's test) has no slots.
  const lazy = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const insertMood = db.prepare<[number, string, number, number]>('INSERT INTO mood_log (at, mood, confidence, faces) VALUES (?, ?, ?, ?)');
  const latest = db.prepare<[], { at: number; mood: string }>('SELECT at, mood FROM mood_log ORDER BY at DESC, id DESC LIMIT 1');
  const addToSlot = lazy(() =>
    db.prepare<[number, string, number]>(
      'INSERT INTO mood_slots (slot, mood, ms) VALUES (?, ?, ?) ON CONFLICT (slot, mood) DO UPDATE SET ms = ms + excluded.ms',
    ),
  );
  const perBucket = lazy(() =>
    db.prepare<[number, number, number, number], { bucket: number; mood: string; ms: number }>(
      `SELECT CAST((slot * ${MOOD_SLOT_MS} - ?) / ? AS INTEGER) AS bucket, mood, sum(ms) AS ms
     FROM mood_slots WHERE slot >= ? AND slot < ? GROUP BY bucket, mood ORDER BY bucket, mood`,
    ),
  );
  const perHour = lazy(() =>
    db.prepare<[number, number, number, string], { hour: number; ms: number }>(
      `SELECT CAST((slot * ${MOOD_SLOT_MS} + ?) / 3600000 AS INTEGER) % 24 AS hour, sum(ms) AS ms
     FROM mood_slots WHERE slot >= ? AND slot < ? AND mood <> ? GROUP BY hour ORDER BY hour`,
    ),
  );
  const prune = lazy(() => db.prepare<[number]>('DELETE FROM mood_slots WHERE slot < ?'));

  const record = ({ at, mood, confidence, faces }: MoodLogEntry): void => {
    const before = latest.get();
    // A change dated before the latest one (the clock set back) closes no stretch.
    if (before !== undefined && at > before.at) {
      for (let slot = Math.floor(before.at / MOOD_SLOT_MS); slot * MOOD_SLOT_MS < at; slot++) {
        const ms = Math.min(at, (slot + 1) * MOOD_SLOT_MS) - Math.max(before.at, slot * MOOD_SLOT_MS);
        addToSlot().run(slot, before.mood, ms);
      }
    }
    insertMood.run(at, mood, confidence, faces);
  };
  const recordAll = db.transaction((entries: readonly MoodLogEntry[]) => {
    for (const entry of entries) record(entry);
  });
  const slotOf = (at: number): number => Math.floor(at / MOOD_SLOT_MS);

  return {
    logMood: (entry) => guard(() => recordAll([entry])),
    logMoods: (entries) => guard(() => recordAll(entries)),
    moodMsPerBucket: (from, to, bucketMs) => perBucket().all(from, bucketMs, slotOf(from), slotOf(to)),
    peopleMsPerHourOfDay: (from, to, utcOffsetMin, nobody) => perHour().all(utcOffsetMin * 60_000, slotOf(from), slotOf(to), nobody),
    fillIfEmpty() {
      if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'mood_slots'").get() === undefined) return;
      const hasSlots = db.prepare('SELECT 1 FROM mood_slots LIMIT 1').get() !== undefined;
      const hasLog = db.prepare('SELECT 1 FROM mood_log LIMIT 1').get() !== undefined;
      if (!hasSlots && hasLog) guard(() => db.exec(REBUILD));
    },
    pruneBefore: (before) => guard(() => prune().run(slotOf(before)).changes),
  };
}
