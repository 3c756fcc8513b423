/**
 * The store's port for the statistics: the mood log of the room (kept per change, and per 5-minute
 * slot for the charts) and the counts of plays and tracks played, for the dashboard.
 */

export interface MoodLogEntry {
  at: number;
  mood: string;
  /** 0–1. */
  confidence: number;
  faces: number;
}

/**
 * The width of the mood log's slots (5 minutes, on UTC's): how long the room was in each mood is
 * also kept per slot, so a chart of a day or a week sums a few rows per slot, not every change.
 */
export const MOOD_SLOT_MS = 300_000;

export interface StatsRepository {
  /** Records a change of the room mood. */
  logMood(entry: MoodLogEntry): void;
  /** Records changes of the room mood in one transaction: all of them, or none. */
  logMoods(entries: readonly MoodLogEntry[]): void;
  /**
   * How long the room was in each mood, per bucket: `bucket` n covers [from + n·bucketMs, from +
   * (n+1)·bucketMs). `from`, `to` and `bucketMs` are whole slots (`MOOD_SLOT_MS`). Counts the time
   * up to the latest recorded change; the stretch since is not in it.
   */
  moodMsPerBucket(from: number, to: number, bucketMs: number): Array<{ bucket: number; mood: string; ms: number }>;
  /**
   * How long someone was in view (any mood but `nobody`) in [from, to), per hour of the day (0–23)
   * at `utcOffsetMin` minutes east of UTC; whole slots, up to the latest change, as `moodMsPerBucket`.
   */
  peopleMsPerHourOfDay(from: number, to: number, utcOffsetMin: number, nobody: string): Array<{ hour: number; ms: number }>;
  /** Mood changes in [from, to), oldest first. */
  moodLog(from: number, to: number): MoodLogEntry[];
  /** Plays started in [from, to), counted per mood and UTC day (`YYYY-MM-DD`). */
  playsPerMoodPerDay(from: number, to: number): Array<{ day: string; mood: string; plays: number }>;
  /** The last mood change before `at` (the room's mood when a chart's range begins), or undefined. */
  moodBefore(at: number): MoodLogEntry | undefined;
  /** Plays started in [from, to), counted per mood (`unknown` when none) and bucket: `bucket` n covers [from + n·bucketMs, from + (n+1)·bucketMs). */
  playsPerMoodPerBucket(from: number, to: number, bucketMs: number): Array<{ bucket: number; mood: string; plays: number }>;
  /** Plays started in [from, to) per hour of the day (0–23) at `utcOffsetMin` minutes east of UTC; hours without plays left out. */
  playsPerHourOfDay(from: number, to: number, utcOffsetMin: number): Array<{ hour: number; plays: number }>;
  /** The `limit` tracks played most in [from, to), with their skips and the likes they got in that time. */
  topTracks(from: number, to: number, limit: number): TrackPlayStats[];
  /** Plays started in [from, to) that a guest asked for from their phone (reason `guest`). */
  guestPlays(from: number, to: number): number;
}

/**
 * How one track fared over a time: plays started, how many ran to the end, were skipped by a
 * person, or were switched for the room (never a skip), likes.
 */
export interface TrackPlayStats {
  trackId: number;
  title: string;
  artist: string;
  plays: number;
  completed: number;
  skipped: number;
  switched: number;
  likes: number;
}
