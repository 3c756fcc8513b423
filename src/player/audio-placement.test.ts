import { describe, expect, it } from 'vitest';
import { seededRandom } from '../kernel/random.js';
import { DEFAULT_MOOD_COORDINATES } from './moods.js';
import { Recommender, type CandidateTrack } from './recommender.js';
import { TrackIndex } from './track-index.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const SEEDS = Array.from({ length: 200 }, (_, k) => k + 1);
const CALM = DEFAULT_MOOD_COORDINATES['calm'] ?? { valence: 0, arousal: 0 };
const ENERGETIC = DEFAULT_MOOD_COORDINATES['energetic'] ?? { valence: 0, arousal: 0 };

const track = (id: number, over: Partial<CandidateTrack> = {}): CandidateTrack => ({
  id,
  artist: `Artist ${id}`,
  language: '',
  moods: [{ mood: 'calm', weight: 1, origin: 'audio' }],
  ...over,
});

describe('tracks placed by what was heard', () => {
  it('sit at their measured point while their moods are the analysis’s; a person’s moods place them as before', () => {
    const index = new TrackIndex([
      track(1, { audio: { valence: 0.1, arousal: 0.9, loudnessLufs: -12 } }),
      track(2, { moods: [{ mood: 'calm', weight: 1, origin: 'admin' }], audio: { valence: 0.1, arousal: 0.9, loudnessLufs: -12 } }),
      track(3, { moods: [{ mood: 'calm', weight: 1, origin: 'rule' }], audio: null }),
    ]);
    expect(index.pointOf(1)).toEqual({ valence: expect.closeTo(0.1, 5) as number, arousal: expect.closeTo(0.9, 5) as number });
    expect(index.pointOf(2)).toEqual({
      valence: expect.closeTo(CALM.valence, 5) as number,
      arousal: expect.closeTo(CALM.arousal, 5) as number,
    });
    expect(index.pointOf(3)).toEqual(index.pointOf(2));
  });

  it('fit the room by where they were heard, not only by the name of their mood', () => {
    // Both were called mellow; one was heard close to calm, the other deep in mellow.
    const MELLOW = DEFAULT_MOOD_COORDINATES['mellow'] ?? { valence: 0, arousal: 0 };
    const mellow = [{ mood: 'mellow', weight: 1, origin: 'audio' }];
    const library = [
      track(1, { moods: mellow, audio: { valence: CALM.valence - 0.15, arousal: CALM.arousal, loudnessLufs: -14 } }),
      track(2, { moods: mellow, audio: { valence: MELLOW.valence - 0.2, arousal: MELLOW.arousal, loudnessLufs: -14 } }),
      ...Array.from({ length: 8 }, (_, k) => track(10 + k, { moods: [{ mood: 'power', weight: 1 }] })),
    ];
    const fits = new Map<number, number>();
    const picks = new Recommender(new TrackIndex(library)).recommend({ mood: 'calm', now: NOW, suggestions: 9 }, seededRandom(1));
    for (const p of [picks.next, ...picks.suggestions]) if (p) fits.set(p.trackId, p.fit);
    expect(fits.get(1)).toBeGreaterThan((fits.get(2) ?? 1) + 0.1);
  });

  it('never picks a near-silent track, even when nothing else fits the mood; it can still be found in the index', () => {
    const library = [
      track(1, { audio: { ...CALM, loudnessLufs: -60 } }),
      ...Array.from({ length: 8 }, (_, k) =>
        track(10 + k, { moods: [{ mood: 'power', weight: 1 }], audio: { ...ENERGETIC, loudnessLufs: -9 } }),
      ),
    ];
    const index = new TrackIndex(library);
    const recommender = new Recommender(index);
    for (const seed of SEEDS) {
      const picks = recommender.recommend({ mood: 'calm', now: NOW, suggestions: 7 }, seededRandom(seed));
      expect([picks.next, ...picks.suggestions].map((p) => p?.trackId)).not.toContain(1);
    }
    expect(index.positionOf(1)).toBe(0);
  });
});
