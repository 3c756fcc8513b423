import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from '../moods.js';

/** How far (on the −1 … 1 plane) a mood's weight falls to e^(−1/2) ≈ 0.61. */
const SPREAD = 0.35;
/** Moods weighted less than this are left out. */
const MIN_WEIGHT = 0.25;
/** At most this many moods per point. */
const MAX_MOODS = 3;

/**
 * Places a point of the valence/arousal plane among the moods: the nearest mood weighs 1, the
 * others by a Gaussian of their distance relative to the nearest (moods far away are left out).
 * Returns at least one mood (the nearest), heaviest first.
 */
export function moodsFromPlane(
  point: { arousal: number; valence: number },
  coordinates: Readonly<Record<string, MoodPoint>> = DEFAULT_MOOD_COORDINATES,
): { mood: string; weight: number }[] {
  if (!Number.isFinite(point.arousal) || !Number.isFinite(point.valence)) {
    throw new RangeError(`Expected a point with finite arousal and valence, got ${JSON.stringify(point)}`);
  }
  const distances = Object.entries(coordinates)
    .map(([mood, at]) => ({ mood, distance: Math.hypot(at.valence - point.valence, at.arousal - point.arousal) }))
    .sort((a, b) => a.distance - b.distance || a.mood.localeCompare(b.mood));
  const nearest = distances[0];
  if (nearest === undefined) return [];
  return distances
    .map(({ mood, distance }) => ({
      mood,
      weight: Math.round(Math.exp(-0.5 * ((distance ** 2 - nearest.distance ** 2) / SPREAD ** 2)) * 1000) / 1000,
    }))
    .filter((m, i) => i === 0 || m.weight >= MIN_WEIGHT)
    .slice(0, MAX_MOODS);
}
