import type Database from 'better-sqlite3';
import { MOOD_SLOT_MS, type MoodLogEntry, type StatsRepository } from './store-stats.js';

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
  const previous = db.prepare<[number], { at: number; mood: string }>(
    'SELECT at, mood FROM mood_log WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1',
  );
  const following = db.prepare<[number], { at: number }>('SELECT at FROM mood_log WHERE at > ? ORDER BY at, id LIMIT 1');
  const addToSlot = lazy(() =>
    db.prepare<[number, string, number]>(
      'INSERT INTO mood_slots (slot, mood, ms) VALUES (?, ?, ?) ON CONFLICT (slot, mood) DO UPDATE SET ms = ms + excluded.ms',
    ),
  );
  const takeFromSlot = lazy(() =>
    db.prepare<[number, number, string]>('UPDATE mood_slots SET ms = max(ms - ?, 0) WHERE slot = ? AND mood = ?'),
  );
  const dropEmpty = lazy(() => db.prepare<[number, string]>('DELETE FROM mood_slots WHERE slot = ? AND mood = ? AND ms = 0'));
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

  /** Adds [from, to) in `mood` to the slots it covers, or (`sign` -1) takes it out of them. */
  const addSpan = (mood: string, from: number, to: number, sign: 1 | -1): void => {
    for (let slot = Math.floor(from / MOOD_SLOT_MS); slot * MOOD_SLOT_MS < to; slot++) {
      const ms = Math.min(to, (slot + 1) * MOOD_SLOT_MS) - Math.max(from, slot * MOOD_SLOT_MS);
      if (sign > 0) addToSlot().run(slot, mood, ms);
      else {
        takeFromSlot().run(ms, slot, mood);
        dropEmpty().run(slot, mood);
      }
    }
  };
  const record = ({ at, mood, confidence, faces }: MoodLogEntry): void => {
    const before = previous.get(at);
    const after = following.get(at);
    if (after === undefined) {
      // The usual case: the newest change closes the stretch of the one before it.
      if (before !== undefined) addSpan(before.mood, before.at, at, 1);
    } else {
      // A change dated among earlier ones (a clock set back, history written late): the time up to
      // the next change was the mood before it (or no one's, before the first), and is now this one's.
      if (before !== undefined) addSpan(before.mood, at, after.at, -1);
      addSpan(mood, at, after.at, 1);
    }
    insertMood.run(at, mood, confidence, faces);
  };
  const recordAll = db.transaction((entries: readonly MoodLogEntry[]) => {
    for (const entry of entries) record(entry);
  });
  const slotOf = (at: number): number => Math.floor(at / MOOD_SLOT_MS);

  return {
    // IMMEDIATE: the rows read above stay the latest until this transaction's own write, whoever else writes.
    logMood: (entry) => guard(() => recordAll.immediate([entry])),
    logMoods: (entries) => guard(() => recordAll.immediate(entries)),
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
