/**
 * Moods are what the library is tagged with; emotions are what the camera reads. Both vocabularies
 * and the mapping between them are data: the admin may edit the mapping, and tracks may carry moods
 * that are not in `DEFAULT_MOOD_COORDINATES` (they then match only by name).
 */
import { describeValue } from '../kernel/errors.js';

import { EMOTIONS, type Emotion } from '../kernel/room-mood.js';

export { EMOTIONS, type Emotion };

/** A point on the valence (unpleasant −1 … pleasant 1) / arousal (calm −1 … excited 1) plane. */
export interface MoodPoint {
  valence: number;
  arousal: number;
}

/** Where each built-in mood sits on the valence/arousal plane; used to measure how close two moods are. */
export const DEFAULT_MOOD_COORDINATES: Readonly<Record<string, MoodPoint>> = Object.freeze({
  calm: { valence: 0.35, arousal: -0.6 },
  mellow: { valence: -0.35, arousal: -0.45 },
  uplifting: { valence: 0.55, arousal: 0.05 },
  upbeat: { valence: 0.75, arousal: 0.45 },
  energetic: { valence: 0.45, arousal: 0.85 },
  power: { valence: -0.25, arousal: 0.8 },
});

/** The built-in moods, in a stable order. */
export const DEFAULT_MOODS: readonly string[] = Object.freeze(Object.keys(DEFAULT_MOOD_COORDINATES));

/**
 * What to play for one emotion: `moods` to match it (weights in (0, 1]), and optionally `liftTo`, the
 * mood the "lift" policy steps toward from there.
 */
export interface EmotionMoods {
  moods: Readonly<Record<string, number>>;
  liftTo?: string;
}

export type EmotionMoodMap = Readonly<Record<Emotion, EmotionMoods>>;

/** The emotion music is picked for before the camera has read anyone, and when nobody is there. */
export const DEFAULT_EMOTION: Emotion = 'neutral';

/**
 * The default mapping: neutral → calm, happy → upbeat, sad → mellow (or a gentle lift), angry →
 * power (or a calm-down), surprise → energetic, fear/disgust/contempt → calm.
 */
export const DEFAULT_EMOTION_MOODS: EmotionMoodMap = Object.freeze({
  neutral: { moods: { calm: 1 } },
  happy: { moods: { upbeat: 1, energetic: 0.4 } },
  sad: { moods: { mellow: 1 }, liftTo: 'uplifting' },
  angry: { moods: { power: 1 }, liftTo: 'calm' },
  surprise: { moods: { energetic: 1, upbeat: 0.4 } },
  fear: { moods: { calm: 1 } },
  disgust: { moods: { calm: 1 } },
  contempt: { moods: { calm: 1 } },
});

const MOOD_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Normalises a mood name (`" Calm "` → `calm`); throws a `TypeError` for names that cannot be moods. */
export function moodName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!MOOD_NAME.test(name)) {
    throw new TypeError(`Expected a mood name (lowercase letters, digits, dashes; up to 32), got ${describeValue(value)}`);
  }
  return name;
}

/** A settings port (Spotify keeps its mood playlists in it); the daemon's settings repository satisfies it. */
export interface MoodSettings {
  /** The stored JSON value, or undefined when never set. */
  get(key: string): unknown;
  /** Stores a JSON value; `at` is ms since the Unix epoch. */
  set(key: string, value: unknown, at: number): void;
}

/**
 * Mixes per-emotion probabilities into mood weights (summing to 1) through the mapping, e.g.
 * `{happy: 0.7, neutral: 0.3}` → `{upbeat: 0.5, energetic: 0.2, calm: 0.3}`.
 */
export function moodsForEmotions(probabilities: Readonly<Partial<Record<Emotion, number>>>, map: EmotionMoodMap): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const emotion of EMOTIONS) {
    const p = probabilities[emotion] ?? 0;
    if (!(p > 0)) continue;
    const entry = map[emotion];
    const sum = Object.values(entry.moods).reduce((a, b) => a + b, 0);
    for (const [mood, weight] of Object.entries(entry.moods)) {
      const share = (p * weight) / sum;
      out[mood] = (out[mood] ?? 0) + share;
      total += share;
    }
  }
  if (total > 0) for (const mood of Object.keys(out)) out[mood] = (out[mood] ?? 0) / total;
  return out;
}

/**
 * Every mood tracks may be tagged with from the admin panel: the built-in moods, then those the
 * emotion → mood mapping adds (its moods and lift targets), each once, in that order. A
 * mood outside this list is never asked for by the music, so a tag with it would do nothing.
 */
export function knownMoods(map: EmotionMoodMap = DEFAULT_EMOTION_MOODS): string[] {
  const moods = new Set(DEFAULT_MOODS);
  for (const emotion of EMOTIONS) {
    const entry = map[emotion];
    for (const mood of Object.keys(entry.moods)) moods.add(mood);
    if (entry.liftTo !== undefined) moods.add(entry.liftTo);
  }
  return [...moods];
}
