import { said, type Said } from '../../kernel/said.js';
import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from '../../player/moods.js';
import { musicWord } from '../../player/pick-reasons.js';

/**
 * Whether a song fits the mood the music follows: one rule, pure, for the music director (does the
 * song playing still fit the room?) and for the guests (may a guest's request play now?).
 */

/** A mood weight at least this large in the room's mix makes a track tagged with that mood fit. */
const FITTING_WEIGHT = 0.25;
/**
 * Two moods at most this far apart on the valence/arousal plane are near each other: calm and
 * mellow (0.72) or uplifting (0.68) are near; calm and upbeat (1.12) or energetic are not.
 */
const NEAR_DISTANCE = 0.8;

/** The mood the music aims at, with the room's mood weights it comes from. */
export interface RoomAim {
  /** The mood the music aims at now. */
  readonly aim: string;
  /** The room's mood weights (any scale, summing to 1). */
  readonly room: Readonly<Record<string, number>>;
  /** True while staff hold the mood: a guest is told of "the mood staff chose", not the room's. @default false */
  readonly isHeld?: boolean;
}

/**
 * How a song sits with the room now:
 * - `fits`: tagged with the mood the music aims at, or one the room's mix weighs strongly (`isHeld`:
 *   the mood staff chose);
 * - `near`: a mood near the room's on the valence/arousal plane, or one whose place is not known
 *   (no tags yet, a mood the admin added);
 * - `far`: every mood it has is far from the room's.
 */
export type FitVerdict = { fit: 'fits'; isHeld?: boolean } | { fit: 'near' | 'far'; reason: string; reasonSaid?: Said };

/** The aim for the room's mood weights `room`: the heaviest mood. */
export function roomAimOf(room: Readonly<Record<string, number>>): RoomAim {
  return { aim: Object.entries(room).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '', room };
}

/** The moods a song fits the room with: the one aimed at, and those the room's mix weighs strongly. */
export function fittingMoods(room: RoomAim): Set<string> {
  return new Set([room.aim, ...Object.keys(room.room).filter((m) => (room.room[m] ?? 0) >= FITTING_WEIGHT)]);
}

/** Whether a song tagged `trackMoods` fits the room now. */
export function fitsRoom(trackMoods: readonly string[], room: RoomAim): boolean {
  const wanted = fittingMoods(room);
  return trackMoods.some((m) => wanted.has(m));
}

/**
 * How far a song tagged `trackMoods` is from the room now on the valence/arousal plane: its nearest
 * mood's distance to the nearest mood that fits the room (0 when it fits by its tags; Infinity
 * when none of its moods has a place).
 */
export function distanceToRoom(trackMoods: readonly string[], room: RoomAim): number {
  const wanted = fittingMoods(room);
  if (trackMoods.some((m) => wanted.has(m))) return 0;
  const places = [...wanted].map((m) => DEFAULT_MOOD_COORDINATES[m]).filter((p): p is MoodPoint => p !== undefined);
  let best = Number.POSITIVE_INFINITY;
  for (const mood of trackMoods) {
    const point = DEFAULT_MOOD_COORDINATES[mood];
    if (point !== undefined) for (const place of places) best = Math.min(best, distance(place, point));
  }
  return best;
}

/**
 * Judges a song tagged `trackMoods` against the room now, with the reason a guest reads when it
 * does not fit. `reach`: how far from the room the music's own picks are now (`distanceToRoom` of
 * the farthest it offers, 0 when they all fit): a library without the room's mood plays what is
 * nearest, and a song at least as close as that fits too, so a guest may always ask for what the
 * box would play itself.
 */
export function judgeFit(trackMoods: readonly string[], room: RoomAim, reach = 0): FitVerdict {
  const wanted = fittingMoods(room);
  // Under a hold, a song that fits fits the mood staff chose, and is said to.
  const fits: FitVerdict = room.isHeld === true ? { fit: 'fits', isHeld: true } : { fit: 'fits' };
  if (trackMoods.some((m) => wanted.has(m))) return fits;
  if (reach > 0 && distanceToRoom(trackMoods, room) <= reach) return fits;
  const own = trackMoods[0];
  if (own === undefined) {
    return {
      fit: 'near',
      reason: `Its mood is not known yet: it waits until the room's music is near it`,
      reasonSaid: said('fit.unknown'),
    };
  }
  const places = [...wanted].map((m) => DEFAULT_MOOD_COORDINATES[m]).filter((p): p is MoodPoint => p !== undefined);
  const isNear = trackMoods.some((m) => {
    const point = DEFAULT_MOOD_COORDINATES[m];
    return point === undefined || places.length === 0 || places.some((p) => distance(p, point) <= NEAR_DISTANCE);
  });
  const values = { own: musicWord(own), aim: musicWord(room.aim) };
  if (room.isHeld === true) {
    return isNear
      ? {
          fit: 'near',
          reason: `It is ${own} and the mood staff chose is ${room.aim}: it waits for the music to come closer to it`,
          reasonSaid: said('fit.nearHeld', values),
        }
      : {
          fit: 'far',
          reason: `It is ${own}, far from the ${room.aim} mood staff chose: ask again later, or pick a suggestion`,
          reasonSaid: said('fit.farHeld', values),
        };
  }
  return isNear
    ? {
        fit: 'near',
        reason: `It is ${own} and the room is ${room.aim} now: it waits for the room to come closer to it`,
        reasonSaid: said('fit.near', values),
      }
    : {
        fit: 'far',
        reason: `It is ${own}, far from the room's ${room.aim} mood now: ask again later, or pick a suggestion`,
        reasonSaid: said('fit.far', values),
      };
}

function distance(a: MoodPoint, b: MoodPoint): number {
  return Math.hypot(a.valence - b.valence, a.arousal - b.arousal);
}
