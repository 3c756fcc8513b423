import { describe, expect, it } from 'vitest';
import { DEFAULT_MOOD_COORDINATES } from '../moods.js';
import { moodsFromPlane } from './mood-plane.js';

describe('moodsFromPlane', () => {
  it("gives each built-in mood's own point that mood first, at full weight", () => {
    for (const [mood, at] of Object.entries(DEFAULT_MOOD_COORDINATES)) {
      const moods = moodsFromPlane(at);
      expect(moods[0]).toEqual({ mood, weight: 1 });
      expect(moods.length).toBeLessThanOrEqual(3);
    }
  });

  it('weighs a point between two moods toward both, the nearer heavier, and leaves far moods out', () => {
    // Between calm (0.35, −0.6) and mellow (−0.35, −0.45), a little nearer calm.
    const moods = moodsFromPlane({ valence: 0.1, arousal: -0.55 });
    expect(moods.map((m) => m.mood).slice(0, 2)).toEqual(['calm', 'mellow']);
    expect(moods[1]!.weight).toBeGreaterThan(0.25);
    expect(moods[1]!.weight).toBeLessThan(1);
    expect(moods.map((m) => m.mood)).not.toContain('energetic');
  });

  it('uses the coordinates it is given, and refuses points that are not numbers', () => {
    expect(moodsFromPlane({ valence: 0.9, arousal: 0.9 }, { party: { valence: 1, arousal: 1 }, nap: { valence: 0, arousal: -1 } })).toEqual(
      [{ mood: 'party', weight: 1 }],
    );
    expect(() => moodsFromPlane({ valence: Number.NaN, arousal: 0 })).toThrow(/finite/);
  });
});
