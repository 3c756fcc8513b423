/**
 * One colour per mood, everywhere: the kiosk, the admin panel, its charts and the generated cover
 * art. Room moods (what the camera reads, `nobody` included) and library moods (what tracks are
 * tagged with) share one map; a mood that reads alike on both sides has the same colour. Each colour
 * keeps enough contrast on the dark kiosk background.
 */
export const MOOD_COLOURS = {
  happy: '#ffc857',
  upbeat: '#ffc857',
  surprise: '#e0a3ff',
  energetic: '#e0a3ff',
  neutral: '#b8c9d6',
  calm: '#7fdcc0',
  sad: '#8fb3ff',
  mellow: '#8fb3ff',
  angry: '#ff8a80',
  tense: '#ff8a80',
  power: '#ff7b54',
  uplifting: '#9be36d',
  fear: '#ffab91',
  disgust: '#c5e1a5',
  contempt: '#d7b8a8',
  nobody: '#9fb0c2',
} as const;

export type KnownMood = keyof typeof MOOD_COLOURS;

/** The colour for moods added by the admin, which have none of their own. */
export const OTHER_MOOD_COLOUR = '#b8c9d6';

/** The colour of `mood`, or `OTHER_MOOD_COLOUR` for a mood not in the map. */
export function moodColour(mood: string): string {
  return Object.hasOwn(MOOD_COLOURS, mood) ? MOOD_COLOURS[mood as KnownMood] : OTHER_MOOD_COLOUR;
}
