import { describe, expect, it } from 'vitest';
import { DEFAULT_EMOTION_MOODS, moodsForEmotions } from './moods.js';

describe('emotion → mood mapping', () => {
  it('has sane defaults for every emotion', () => {
    expect(Object.keys(DEFAULT_EMOTION_MOODS.neutral.moods)).toEqual(['calm']);
    expect(Object.keys(DEFAULT_EMOTION_MOODS.happy.moods)[0]).toBe('upbeat');
    expect(DEFAULT_EMOTION_MOODS.sad).toEqual({ moods: { mellow: 1 }, liftTo: 'uplifting' });
    expect(DEFAULT_EMOTION_MOODS.angry).toEqual({ moods: { power: 1 }, liftTo: 'calm' });
    expect(Object.keys(DEFAULT_EMOTION_MOODS.surprise.moods)[0]).toBe('energetic');
    expect(DEFAULT_EMOTION_MOODS.fear.moods).toEqual({ calm: 1 });
    expect(DEFAULT_EMOTION_MOODS.disgust.moods).toEqual({ calm: 1 });
  });

  it('mixes emotion probabilities into mood weights', () => {
    const moods = moodsForEmotions({ happy: 0.7, neutral: 0.3 }, DEFAULT_EMOTION_MOODS);
    expect(moods['upbeat']).toBeCloseTo(0.5);
    expect(moods['energetic']).toBeCloseTo(0.2);
    expect(moods['calm']).toBeCloseTo(0.3);
  });
});
