import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from '../moods.js';
import type { Features } from './logistic.js';
import { said, type Said } from '../../kernel/said.js';
import { musicWord } from '../pick-reasons.js';

/** Parts of the day a song's energy is weighed in: people want calmer mornings, livelier evenings, or the other way round. */
export const DAYPARTS = ['night', 'morning', 'afternoon', 'evening'] as const;
export type Daypart = (typeof DAYPARTS)[number];

/** The part of the day at `at` (ms since the epoch), in the device's local time: 5–11 morning, 12–17 afternoon, 18–22 evening, else night. */
export function daypartOf(at: number): Daypart {
  const hour = new Date(at).getHours();
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  if (hour >= 18 && hour < 23) return 'evening';
  return 'night';
}

/** What the taste model knows of one play of one track: the track, how it fitted, the listener's history with it. */
export interface TasteInput {
  /** Trimmed and lowercased, as the recommender's index keeps them. */
  artist: string;
  /** Lowercased; empty when unknown. */
  language: string;
  /** The track's strongest mood; empty when it has none. */
  topMood: string;
  /** −1 (calm) … 1 (energetic); 0 when the track has no place on the mood plane. */
  energy: number;
  /** How well it fitted the mood it was played for, 0–1. */
  fit: number;
  /** The listener liked (or skipped) this track before. */
  liked: boolean;
  skipped: boolean;
  /** Played in the room's recent history: familiar rather than new. */
  heard: boolean;
  daypart: Daypart;
}

/**
 * The features of one play, by name. The names are what the model stores and what "why" explains:
 * one per artist, language and mood (the listener's affinity to each), mood fit, energy per part
 * of the day, the listener's own like and skip of the track, and familiarity.
 */
export function tasteFeatures(input: TasteInput): Features {
  const features: Record<string, number> = { fit: input.fit };
  if (input.artist !== '') features[`artist:${input.artist}`] = 1;
  features[`language:${input.language === '' ? '-' : input.language}`] = 1;
  if (input.topMood !== '') features[`mood:${input.topMood}`] = 1;
  if (input.energy !== 0) features[`energy:${input.daypart}`] = input.energy;
  if (input.liked) features['liked'] = 1;
  if (input.skipped) features['skipped'] = 1;
  features[input.heard ? 'heard' : 'fresh'] = 1;
  return features;
}

/** A track as stored (artist, language, moods), turned into what `tasteFeatures` takes about it. */
export function trackTaste(
  track: { artist: string; language: string; moods: ReadonlyArray<{ mood: string; weight: number }> },
  playedFor: string | null,
  coordinates: Readonly<Record<string, MoodPoint>> = DEFAULT_MOOD_COORDINATES,
): Pick<TasteInput, 'artist' | 'language' | 'topMood' | 'energy' | 'fit'> {
  let top = '';
  let topWeight = 0;
  let arousal = 0;
  let placed = 0;
  let fit = 0;
  for (const { mood, weight } of track.moods) {
    if (weight > topWeight) [top, topWeight] = [mood, weight];
    const point = coordinates[mood];
    if (point) {
      arousal += point.arousal * weight;
      placed += weight;
    }
    if (mood === playedFor) fit = weight;
  }
  return {
    artist: track.artist.trim().toLowerCase(),
    language: track.language.trim().toLowerCase(),
    topMood: top,
    energy: placed > 0 ? arousal / placed : 0,
    fit,
  };
}

/**
 * A feature's part in a pick, in plain words for the kiosk's "why": `you` for a person's own
 * model, `here` for the room's. `value` is the feature's value for the track (energy's sign says
 * calm or upbeat).
 */
export function describeFeature(name: string, value: number, whose: 'person' | 'room'): string {
  const you = whose === 'person';
  const [kind, rest = ''] = splitName(name);
  switch (kind) {
    case 'artist':
      return you ? `you usually play ${rest} to the end` : `${rest} usually plays to the end here`;
    case 'language':
      return rest === '-'
        ? you
          ? 'songs like this play through for you'
          : 'songs like this play through here'
        : you
          ? `songs in ${rest} play through for you`
          : `songs in ${rest} play through here`;
    case 'mood':
      return you ? `you enjoy ${rest} songs` : `${rest} songs go down well here`;
    case 'energy': {
      const style = value > 0 ? 'lively' : 'calm';
      return you ? `${style} songs suit your ${rest}s` : `${style} songs suit ${rest}s here`;
    }
    case 'fit':
      return you ? 'you finish songs that match the mood closely' : 'songs that match the mood closely play through here';
    case 'liked':
      return you ? 'you liked it, and you keep playing what you like' : 'liked here before';
    case 'skipped':
      return you ? 'you came back to it after a skip' : 'played through here after a skip';
    case 'heard':
      return you ? 'you like hearing songs you know' : 'familiar songs go down well here';
    case 'fresh':
      return you ? 'you like discovering new songs' : 'new songs go down well here';
    default:
      return `learned from ${you ? 'your' : "this room's"} plays`;
  }
}

/**
 * `describeFeature`'s words as a message of the screens' catalogues (`common.said.learned.*`):
 * the feature's part, then `; fits {mood}`, the mood the recommender fills in
 * (`PICK_REASONS.learned`). Artists and languages are sent as the library names them; a mood as
 * the catalogue's word for it, the part of the day too.
 */
export function featureSaid(name: string, value: number, whose: 'person' | 'room'): Said {
  const who = whose === 'person' ? 'You' : 'Here';
  const [kind, rest = ''] = splitName(name);
  switch (kind) {
    case 'artist':
      return said(`learned.artist${who}`, { artist: rest });
    case 'language':
      return rest === '-' ? said(`learned.anyLanguage${who}`) : said(`learned.language${who}`, { language: rest });
    case 'mood':
      return said(`learned.mood${who}`, { own: musicWord(rest) });
    case 'energy':
      return said(`learned.${value > 0 ? 'lively' : 'calm'}${who}`, { daypart: { said: `daypart.${rest}` } });
    case 'fit':
    case 'liked':
    case 'skipped':
    case 'heard':
    case 'fresh':
      return said(`learned.${kind}${who}`);
    default:
      return said(`learned.plays${who}`);
  }
}

function splitName(name: string): [string, string?] {
  const colon = name.indexOf(':');
  return colon < 0 ? [name] : [name.slice(0, colon), name.slice(colon + 1)];
}
