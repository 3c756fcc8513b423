import type { LibraryTracks, MoodTag } from './library.js';
import { suggestMoods } from './mood-tags.js';

/** Whether a person set these moods (the admin, or a moods file): then nothing heard or guessed replaces them. */
export function isSetByPerson(moods: readonly MoodTag[]): boolean {
  return moods.some((m) => m.origin === 'admin' || m.origin === 'sidecar');
}

/**
 * Gives a track the moods placed from what was heard in it (`moodsFromPlane` of its point), as
 * origin `audio`. An admin's or a moods file's moods win: they are kept and the audio moods are
 * not used. Otherwise the audio moods replace the genre and tag rules' guesses: measured on real
 * music, the analysis ranks arousal far better than the genre rules, and a blend of the two does
 * no better than the analysis alone (docs/music-analysis.md). Returns whether the
 * moods changed.
 */
export function applyAudioMoods(tracks: LibraryTracks, trackId: number, placed: ReadonlyArray<{ mood: string; weight: number }>): boolean {
  const current = tracks.moods(trackId);
  if (isSetByPerson(current)) return false;
  const moods = placed.filter((m) => m.weight > 0).map((m): MoodTag => ({ mood: m.mood, weight: Math.min(1, m.weight), origin: 'audio' }));
  if (moods.length === 0 || sameMoods(current, moods)) return false;
  tracks.setMoods(trackId, moods);
  return true;
}

/**
 * A track whose file can no longer be analysed loses its audio moods (they were heard in another
 * version of the file): the genre rules guess again from its stored genre. The admin's or a moods
 * file's moods are kept as they are. Returns whether the moods changed.
 */
export function dropAudioMoods(tracks: LibraryTracks, trackId: number, genre: string): boolean {
  const current = tracks.moods(trackId);
  if (!current.some((m) => m.origin === 'audio')) return false;
  tracks.setMoods(trackId, suggestMoods({ genre }));
  return true;
}

function sameMoods(a: readonly MoodTag[], b: readonly MoodTag[]): boolean {
  if (a.length !== b.length) return false;
  const byMood = new Map(a.map((m) => [m.mood, m]));
  return b.every((m) => byMood.get(m.mood)?.weight === m.weight && byMood.get(m.mood)?.origin === m.origin);
}
