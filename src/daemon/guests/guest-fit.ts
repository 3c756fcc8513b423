import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from '../../player/moods.js';

/** What the history, the queue and the kiosk say of a song a guest asked for. */
export const GUEST_NOTE = 'asked for by a guest';

/** A mood weight at least this large in the room's mix makes a track tagged with that mood fit (as the music director judges). */
const FITTING_WEIGHT = 0.25;
/**
 * Two moods at most this far apart on the valence/arousal plane are near each other: calm and
 * mellow (0.72) or uplifting (0.68) are near; calm and upbeat (1.12) or energetic are not.
 */
const NEAR_DISTANCE = 0.8;

/**
 * How a song a guest asks for sits with the room now:
 * - `fits`: tagged with the mood the music aims at, or one the room's mix weighs strongly (as the
 *   music director judges whether a playing song still fits);
 * - `near`: a mood near the room's on the valence/arousal plane, or one whose place is not known
 *   (no tags yet, a mood the admin added): it waits for the room;
 * - `far`: every mood it has is far from the room's: it is declined at once.
 */
export type GuestFitVerdict = { fit: 'fits' } | { fit: 'near' | 'far'; reason: string };

/** What the music director asks of the guests' queue. */
export interface GuestQueue {
  /** The request to play next, judging each waiting one by `judge` (the room now); undefined when none may play now. */
  next(judge: (trackId: number) => GuestFitVerdict): { trackId: number } | undefined;
}

/** The mood the music aims at for the room's mood weights `room`: the heaviest. */
export function roomAimOf(room: Readonly<Record<string, number>>): RoomAim {
  return { aim: Object.entries(room).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '', room };
}

export interface RoomAim {
  /** The mood the music aims at now. */
  aim: string;
  /** The room's mood weights (any scale, summing to 1). */
  room: Readonly<Record<string, number>>;
}

/** Judges `trackMoods` (a track's mood tags) against the room now. */
export function judgeGuestFit(trackMoods: readonly string[], room: RoomAim): GuestFitVerdict {
  const wanted = new Set([room.aim, ...Object.keys(room.room).filter((m) => (room.room[m] ?? 0) >= FITTING_WEIGHT)]);
  if (trackMoods.some((m) => wanted.has(m))) return { fit: 'fits' };
  const own = trackMoods[0];
  if (own === undefined) return { fit: 'near', reason: `Its mood is not known yet: it waits until the room's music is near it` };
  const places = [...wanted].map((m) => DEFAULT_MOOD_COORDINATES[m]).filter((p): p is MoodPoint => p !== undefined);
  const isNear = trackMoods.some((m) => {
    const point = DEFAULT_MOOD_COORDINATES[m];
    return point === undefined || places.length === 0 || places.some((p) => distance(p, point) <= NEAR_DISTANCE);
  });
  return isNear
    ? { fit: 'near', reason: `It is ${own} and the room is ${room.aim} now: it waits for the room to come closer to it` }
    : { fit: 'far', reason: `It is ${own}, far from the room's ${room.aim} mood now: ask again later, or pick a suggestion` };
}

function distance(a: MoodPoint, b: MoodPoint): number {
  return Math.hypot(a.valence - b.valence, a.arousal - b.arousal);
}
