import { describe, expect, it } from 'vitest';
import { seededRandom } from '../kernel/random.js';
import { Recommender, type CandidateTrack } from './recommender.js';
import { TrackIndex } from './track-index.js';

// The energy cap of a day plan (issue 40): tracks placed above the arousal asked for are never
// picked, in any pass, while those without a place may be.

const NOW = Date.UTC(2026, 5, 1, 12);

/** `n` tracks of one mood, each by its own artist, heard at `arousal` (analysed), ids from `first`. */
function heard(first: number, n: number, mood: string, arousal: number): CandidateTrack[] {
  return Array.from({ length: n }, (_, k) => ({
    id: first + k,
    artist: `${mood} ${k}`,
    language: '',
    moods: [{ mood, weight: 1, origin: 'audio' }],
    audio: { valence: 0.5, arousal, loudnessLufs: -14 },
  }));
}

const calm = heard(1, 10, 'calm', -0.6);
const upbeat = heard(100, 10, 'upbeat', 0.45);
const energetic = heard(200, 10, 'energetic', 0.85);
const unplaced: CandidateTrack = { id: 300, artist: 'Somebody', language: '', moods: [] };
const index = new TrackIndex([...calm, ...upbeat, ...energetic, unplaced]);
const arousalOf = (id: number): number => index.pointOf(id)?.arousal ?? Number.NaN;

describe('the recommender’s energy cap', () => {
  it('never picks a track above it over many seeded picks, even for a room that wants energetic music', () => {
    const recommender = new Recommender(index);
    let uncapped = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const open = recommender.recommend({ mood: 'energetic', now: NOW }, seededRandom(seed));
      if ((open.next && arousalOf(open.next.trackId) > 0.5) === true) uncapped += 1;
      const capped = recommender.recommend({ mood: 'energetic', now: NOW, maxArousal: 0.5 }, seededRandom(seed));
      for (const pick of [capped.next, ...capped.suggestions]) {
        expect(pick).toBeDefined();
        expect(arousalOf(pick?.trackId ?? 0) > 0.5).toBe(false);
      }
    }
    // Without the cap the same room hears energetic songs nearly every time: the cap is what keeps them out.
    expect(uncapped).toBeGreaterThan(180);
  });

  it('keeps the cap in the last resort too: a library left with fewer songs than asked gives fewer, never one above it', () => {
    const recommender = new Recommender(index);
    const picks = recommender.recommend({ mood: 'calm', now: NOW, maxArousal: -0.5, suggestions: 20 }, seededRandom(3));
    const ids = [picks.next, ...picks.suggestions].map((p) => p?.trackId);
    // The ten calm songs and the one without a place: nothing else is at or under the cap.
    expect(new Set(ids)).toEqual(new Set([...calm.map((t) => t.id), unplaced.id]));
  });
});
