import type { Said } from '../kernel/said.js';

/** Why a track was put on: the room mood, a tap on a suggestion, a skip of the previous one, a like, staff's choice, a guest's request. */
export type PlayReason = 'mood' | 'tap' | 'skip' | 'like' | 'staff' | 'guest';

/** A track the player can play. */
export interface PlayableTrack {
  /** The library id; plays are recorded against it. */
  id: number;
  /** What mpv opens: an absolute path or a URL. */
  uri: string;
  title?: string;
  artist?: string;
  /** ms, when known. */
  durationMs?: number | null;
  /** Songs of one album follow each other gaplessly even when a crossfade is set. */
  album?: string | null;
  /** The track's ReplayGain (dB), when the file has it; keeps a crossfaded ending at its own loudness. */
  replayGainDb?: number | null;
}

/** What a caller puts in the queue. */
export interface QueueEntry {
  track: PlayableTrack;
  /** Why it is played; kept in the history. */
  reason: PlayReason;
  /** The same in words (`fits calm`), kept in the history too. @default '' */
  note?: string;
  /** `note` as a message of the screens' catalogues (`PICK_REASONS`), for the screens' languages. @default none */
  noteSaid?: Said;
  /** The room mood it was picked for. @default null */
  mood?: string | null;
  /** The signed-in person it was picked for. @default null */
  userId?: number | null;
}

/** A queue entry with a key that stays the same while it is queued and played. */
export interface QueueItem extends Required<Omit<QueueEntry, 'noteSaid'>> {
  key: number;
  noteSaid?: Said;
}

/** The play queue: what plays now and what comes next. Immutable; every change returns a new queue. */
export interface PlayQueue {
  readonly current: QueueItem | undefined;
  readonly upcoming: readonly QueueItem[];
  readonly nextKey: number;
}

export const EMPTY_QUEUE: PlayQueue = Object.freeze({ current: undefined, upcoming: Object.freeze([]), nextKey: 1 });

function items(queue: PlayQueue, entries: readonly QueueEntry[]): { added: QueueItem[]; nextKey: number } {
  let key = queue.nextKey;
  const added = entries.map((e) => ({
    track: e.track,
    reason: e.reason,
    note: e.note ?? '',
    ...(e.noteSaid === undefined ? {} : { noteSaid: e.noteSaid }),
    mood: e.mood ?? null,
    userId: e.userId ?? null,
    key: key++,
  }));
  return { added, nextKey: key };
}

/** Replaces everything: the first entry becomes current, the rest upcoming. */
export function startWith(queue: PlayQueue, entries: readonly QueueEntry[]): PlayQueue {
  const { added, nextKey } = items(queue, entries);
  return { current: added[0], upcoming: added.slice(1), nextKey };
}

/**
 * Adds entries at the end, or right after the current track with `next`. A queue with nothing
 * playing starts at once: the first entry becomes current.
 */
export function enqueue(queue: PlayQueue, entries: readonly QueueEntry[], where: 'end' | 'next' = 'end'): PlayQueue {
  const { added, nextKey } = items(queue, entries);
  const upcoming = where === 'next' ? [...added, ...queue.upcoming] : [...queue.upcoming, ...added];
  const next = { current: queue.current, upcoming, nextKey };
  return queue.current === undefined ? advance(next) : next;
}

/** Replaces what comes after the current track. */
export function replaceUpcoming(queue: PlayQueue, entries: readonly QueueEntry[]): PlayQueue {
  const { added, nextKey } = items(queue, entries);
  return { current: queue.current, upcoming: added, nextKey };
}

/** Moves to the next track; current becomes undefined when nothing is left. */
export function advance(queue: PlayQueue): PlayQueue {
  return { current: queue.upcoming[0], upcoming: queue.upcoming.slice(1), nextKey: queue.nextKey };
}

/** Removes an upcoming entry by key; the current one cannot be removed (skip it instead). */
export function removeUpcoming(queue: PlayQueue, key: number): PlayQueue {
  return { current: queue.current, upcoming: queue.upcoming.filter((i) => i.key !== key), nextKey: queue.nextKey };
}

/** Empties the queue, keeping keys unique. */
export function clear(queue: PlayQueue): PlayQueue {
  return { current: undefined, upcoming: [], nextKey: queue.nextKey };
}
