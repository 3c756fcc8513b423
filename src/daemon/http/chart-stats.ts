import { QUERY_REFUSALS } from './http-refusals.js';
import { MOOD_SLOT_MS, type MoodLogEntry, type StatsReads, type TrackPlayStats } from '../store/store-reads.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** More buckets than a chart has pixels is only more bytes. */
export const MAX_BUCKETS = 1000;
/** The room mood while nobody is in view: it counts as time without people. */
const NOBODY = 'nobody';

export interface ChartQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive; the last mood holds until here. */
  to: number;
  /** Width of one mood timeline bucket (ms). */
  bucketMs: number;
  /** Width of one plays bucket (ms). @default bucketMs */
  playsBucketMs?: number;
  /** The viewer's offset from UTC (minutes east), for the hours of the day. @default 0 */
  utcOffsetMin?: number;
  /** How many top tracks. @default 10 */
  top?: number;
}

export interface MoodBucket {
  /** Start of the bucket (epoch ms). */
  at: number;
  /** The mood the room was in longest during the bucket, or null when there is no reading for it. */
  mood: string | null;
  /** How long the room was in each mood during the bucket (ms). */
  ms: Record<string, number>;
}

export interface ChartStats {
  from: number;
  to: number;
  bucketMs: number;
  playsBucketMs: number;
  moodTimeline: MoodBucket[];
  /** Time in each mood over the whole range (ms), longest first. */
  moodTotals: Array<{ mood: string; ms: number }>;
  /** Every plays bucket, empty ones included: plays started per mood. */
  playsOverTime: Array<{ at: number; plays: Record<string, number> }>;
  /** All 24 hours of the day: plays started, and minutes someone was in view. */
  busyHours: Array<{ hour: number; plays: number; peopleMin: number }>;
  /**
   * Most played first; `skipRate` is skipped by a person / (completed + skipped by a person): a song
   * switched for the room is no skip. Null before any play ended either way.
   */
  topTracks: Array<TrackPlayStats & { skipRate: number | null }>;
  /** Plays guests asked for from their phones over the range. */
  guestPlays: number;
}

/** A stretch of time in one mood: a mood change holds until the next one (or the end of the range). */
interface Span {
  from: number;
  to: number;
  mood: string;
}

function checkBuckets(name: string, bucketMs: number, from: number, to: number): void {
  const count = Math.ceil((to - from) / bucketMs);
  if (count > MAX_BUCKETS) {
    throw QUERY_REFUSALS.chartTooManyBuckets(name, MAX_BUCKETS, bucketMs, count);
  }
}

/**
 * The dashboard's charts over [from, to): the room mood per bucket (the mood that held longest in
 * it, so minutes of readings never collapse into one point), plays per mood per bucket, busy hours
 * of the day, and the most played tracks with their skip rate and likes.
 */
export function chartStats(stats: StatsReads, query: ChartQuery): ChartStats {
  const { from, to, bucketMs } = query;
  const playsBucketMs = query.playsBucketMs ?? bucketMs;
  const utcOffsetMin = query.utcOffsetMin ?? 0;
  if (to <= from) throw QUERY_REFUSALS.chartToBeforeFrom(from, to);
  checkBuckets('bucketMs', bucketMs, from, to);
  checkBuckets('playsBucketMs', playsBucketMs, from, to);

  const { moodTimeline, totals, people } = moodOver(stats, from, to, bucketMs, utcOffsetMin);

  const playsOverTime: ChartStats['playsOverTime'] = Array.from({ length: Math.ceil((to - from) / playsBucketMs) }, (_, i) => ({
    at: from + i * playsBucketMs,
    plays: {},
  }));
  for (const { bucket, mood, plays } of stats.playsPerMoodPerBucket(from, to, playsBucketMs)) {
    const row = playsOverTime[bucket];
    if (row !== undefined) row.plays[mood] = plays;
  }

  const playsByHour = new Map(stats.playsPerHourOfDay(from, to, utcOffsetMin).map((r) => [r.hour, r.plays]));
  const busyHours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    plays: playsByHour.get(hour) ?? 0,
    peopleMin: Math.round((people[hour] ?? 0) / MINUTE_MS),
  }));

  const topTracks = stats.topTracks(from, to, query.top ?? 10).map((t) => {
    const ended = t.completed + t.skipped;
    return { ...t, skipRate: ended === 0 ? null : Math.round((t.skipped / ended) * 1000) / 1000 };
  });

  return {
    from,
    to,
    bucketMs,
    playsBucketMs,
    moodTimeline,
    moodTotals: [...totals].map(([mood, ms]) => ({ mood, ms })).sort((a, b) => b.ms - a.ms || a.mood.localeCompare(b.mood)),
    playsOverTime,
    busyHours,
    topTracks,
    guestPlays: stats.guestPlays(from, to),
  };
}

/**
 * The room's mood over [from, to): per bucket, in all, and per hour of the day while someone was in
 * view. A range of whole slots reads the store's slots up to the slot of the latest change, and the
 * log only from there (the mood the room is in now); any other range reads the log.
 */
function moodOver(
  stats: StatsReads,
  from: number,
  to: number,
  bucketMs: number,
  utcOffsetMin: number,
): { moodTimeline: MoodBucket[]; totals: Map<string, number>; people: number[] } {
  const buckets: MoodBucket[] = Array.from({ length: Math.ceil((to - from) / bucketMs) }, (_, i) => ({
    at: from + i * bucketMs,
    mood: null,
    ms: {},
  }));
  const totals = new Map<string, number>();
  const people = Array.from({ length: 24 }, () => 0);
  let logFrom = from;
  const isWholeSlots = from % MOOD_SLOT_MS === 0 && bucketMs % MOOD_SLOT_MS === 0 && (utcOffsetMin * MINUTE_MS) % MOOD_SLOT_MS === 0;
  const latest = isWholeSlots ? stats.moodBefore(to) : undefined;
  if (latest !== undefined) {
    const slotOf = (at: number): number => Math.floor(at / MOOD_SLOT_MS) * MOOD_SLOT_MS;
    logFrom = Math.max(from, Math.min(slotOf(to), slotOf(latest.at)));
  }
  if (logFrom > from) {
    for (const { bucket, mood, ms } of stats.moodMsPerBucket(from, logFrom, bucketMs)) {
      const row = buckets[bucket];
      if (row !== undefined) row.ms[mood] = (row.ms[mood] ?? 0) + ms;
      totals.set(mood, (totals.get(mood) ?? 0) + ms);
    }
    for (const { hour, ms } of stats.peopleMsPerHourOfDay(from, logFrom, utcOffsetMin, NOBODY)) people[hour] = (people[hour] ?? 0) + ms;
  }
  const spans = moodSpans(stats.moodBefore(logFrom), stats.moodLog(logFrom, to), logFrom, to);
  addSpans(buckets, spans, from, bucketMs);
  for (const s of spans) totals.set(s.mood, (totals.get(s.mood) ?? 0) + s.to - s.from);
  addPeopleMsPerHour(people, spans, utcOffsetMin);
  pickMoods(buckets);
  return { moodTimeline: buckets, totals, people };
}

/** The mood log as stretches within [from, to): the mood before `from` holds until the first change. */
function moodSpans(before: MoodLogEntry | undefined, log: readonly MoodLogEntry[], from: number, to: number): Span[] {
  const changes = before === undefined ? [...log] : [{ ...before, at: from }, ...log];
  const spans: Span[] = [];
  changes.forEach((change, i) => {
    const start = Math.max(change.at, from);
    const end = Math.min(changes[i + 1]?.at ?? to, to);
    if (end > start) spans.push({ from: start, to: end, mood: change.mood });
  });
  return spans;
}

/** Adds each stretch's time to the buckets (from `from`, `bucketMs` wide) it overlaps. */
function addSpans(buckets: MoodBucket[], spans: readonly Span[], from: number, bucketMs: number): void {
  for (const span of spans) {
    for (let i = Math.floor((span.from - from) / bucketMs); i * bucketMs + from < span.to; i++) {
      const bucket = buckets[i];
      if (bucket === undefined) break;
      const overlap = Math.min(span.to, bucket.at + bucketMs) - Math.max(span.from, bucket.at);
      if (overlap > 0) bucket.ms[span.mood] = (bucket.ms[span.mood] ?? 0) + overlap;
    }
  }
}

/** Gives each bucket the mood that held longest in it. */
function pickMoods(buckets: MoodBucket[]): void {
  for (const bucket of buckets) {
    let best: [string, number] | undefined;
    // Ties go to the mood first in the alphabet, so the same data always draws the same band.
    for (const entry of Object.entries(bucket.ms).sort(([a], [b]) => a.localeCompare(b))) {
      if (best === undefined || entry[1] > best[1]) best = entry;
    }
    bucket.mood = best?.[0] ?? null;
  }
}

/** Adds the time someone was in view (any mood but `nobody`) to `hours`, per local hour of the day (ms). */
function addPeopleMsPerHour(hours: number[], spans: readonly Span[], utcOffsetMin: number): void {
  const offset = utcOffsetMin * MINUTE_MS;
  for (const span of spans) {
    if (span.mood === NOBODY) continue;
    for (let at = span.from; at < span.to;) {
      const local = at + offset;
      const hourEnd = Math.floor(local / HOUR_MS) * HOUR_MS + HOUR_MS - offset;
      const end = Math.min(hourEnd, span.to);
      const hour = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
      hours[hour] = (hours[hour] ?? 0) + end - at;
      at = end;
    }
  }
}
