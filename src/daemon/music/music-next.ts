import type { Playback } from '../events.js';
import type { QueueEntry, QueueItem } from '../../player/play-queue.js';
import { playStatus, type PlayerState } from '../../player/player.js';
import { isChosen } from './music-catalogue.js';

/**
 * The song next, pure: what the song after the one playing becomes when the room, the guests or a
 * day plan move. It is picked once and shown, and changes only when it must: what the screens call
 * next is what a skip, a guests' vote, a switch for the room and the song's end play.
 */

/** What the queue holds now, and what it may put after the song playing. */
export interface NextInput {
  readonly current: QueueItem | undefined;
  readonly upcoming: readonly QueueItem[];
  /** The guests' next request, when one may play after the song playing. */
  readonly guest: QueueEntry | undefined;
  /** Whether the music's own song next may stay: it may still play, and fits the mood followed now. */
  readonly fits: (item: QueueItem) => boolean;
  /** A new pick for the room (never the song playing), or undefined when there is none. */
  readonly pick: () => QueueEntry | undefined;
}

/**
 * The songs to queue after the song playing, or undefined to leave them as they are: songs someone
 * chose (staff, a tap) stay; else the guests' next request; else the music's own song next, kept
 * while it fits and picked again when it no longer does (or in any case, with `repick`).
 */
export function nextEntries(input: NextInput, repick = false): QueueEntry[] | undefined {
  const { current, upcoming, guest } = input;
  if (upcoming.some(isChosen)) return undefined;
  const next = upcoming[0];
  if (guest !== undefined) return next?.reason === 'guest' && next.track.id === guest.track.id ? undefined : [guest];
  const isKept = !repick && next !== undefined && next.reason !== 'guest' && next.track.id !== current?.track.id && input.fits(next);
  const pick = isKept ? undefined : input.pick();
  return pick === undefined ? undefined : [pick];
}

/**
 * Before the music switches to the song next for the room: the songs to queue so that the song next
 * is picked for the room now (a song queued for the room before, which may fit this one too, would
 * play saying the room before's mood and why), or undefined to leave them. Songs someone chose keep
 * their turn, after a pick for the room put before them.
 */
export function switchEntries(input: NextInput): QueueEntry[] | undefined {
  const first = input.upcoming[0];
  if (first === undefined || !isChosen(first)) return nextEntries(input, true);
  const pick = input.pick();
  return pick === undefined ? undefined : [pick, ...input.upcoming.map(entryOf)];
}

/** Why the song playing plays, as the screens are told it: the note and the same as a message; nothing when it has none. */
export function noteOf(item: QueueItem | undefined): Pick<Playback, 'note' | 'noteSaid'> {
  if (item === undefined || item.note === '') return {};
  return item.noteSaid === undefined ? { note: item.note } : { note: item.note, noteSaid: item.noteSaid };
}

/** A queued item as an entry to queue again. */
export function entryOf(item: QueueItem): QueueEntry {
  const { track, reason, note, noteSaid, mood, userId } = item;
  return { track, reason, note, ...(noteSaid === undefined ? {} : { noteSaid }), mood, userId };
}

/** The songs staff chose that wait in `upcoming`, in order. */
export function staffPicks(upcoming: readonly QueueItem[]): QueueEntry[] {
  return upcoming.filter((item) => item.reason === 'staff').map(entryOf);
}

/**
 * What plays now, as the screens show it: the player's state, the volume the music heads for
 * (`volume`: never a step of a fade, nor the low point between a fade down and the next song's
 * fade up) and the ICY title of the station playing, by its queue key.
 */
export function playbackOf(state: PlayerState, volume: number, streamTitle: { key: number; title: string | null } | undefined): Playback {
  return {
    ...playStatus(state),
    trackId: state.current?.track.id ?? null,
    nextTrackId: state.upcoming[0]?.track.id ?? null,
    positionMs: state.positionMs,
    volume,
    streamTitle: state.current !== undefined && streamTitle?.key === state.current.key ? streamTitle.title : null,
    ...noteOf(state.current),
    ...(state.current?.reason === 'guest' ? { isGuestRequest: true } : {}),
    ...(state.upcoming[0]?.reason === 'guest' ? { isNextGuestRequest: true } : {}),
  };
}
