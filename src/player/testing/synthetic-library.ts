import { seededRandom } from '../../kernel/random.js';
import { DEFAULT_MOODS } from '../moods.js';
import type { CandidateTrack } from '../recommender.js';

const LANGUAGES = ['en', 'fr', 'de', 'es', 'pt', ''];

/**
 * A made-up library for tests and benchmarks: `tracks` tracks by `tracks / tracksPerArtist` artists,
 * each with one main mood (weight 0.6–1) and, for half of them, a weaker second mood. Same seed,
 * same library.
 */
export function syntheticLibrary(options: { tracks: number; seed?: number; tracksPerArtist?: number }): CandidateTrack[] {
  const random = seededRandom(options.seed ?? 1);
  const artists = Math.max(1, Math.round(options.tracks / (options.tracksPerArtist ?? 10)));
  return Array.from({ length: options.tracks }, (_, k) => {
    const main = DEFAULT_MOODS[random.int(DEFAULT_MOODS.length)] ?? 'calm';
    const moods = [{ mood: main, weight: 0.6 + 0.4 * random.next() }];
    if (random.next() < 0.5) {
      const second = DEFAULT_MOODS[random.int(DEFAULT_MOODS.length)] ?? 'calm';
      if (second !== main) moods.push({ mood: second, weight: 0.1 + 0.3 * random.next() });
    }
    return {
      id: k + 1,
      artist: `Artist ${random.int(artists)}`,
      language: LANGUAGES[random.int(LANGUAGES.length)] ?? '',
      moods,
    };
  });
}
