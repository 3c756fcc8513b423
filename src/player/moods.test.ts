import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMOTION_MOODS,
  EMOTION_MOODS_SETTING,
  loadEmotionMoodMap,
  moodsForEmotions,
  parseEmotionMoodMap,
  type MoodSettings,
} from './moods.js';

function memorySettings(): MoodSettings & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return { values, get: (key) => values.get(key), set: (key, value) => void values.set(key, value) };
}

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

  it('keeps an edited mapping, completing it with the defaults', () => {
    const settings = memorySettings();
    settings.set(EMOTION_MOODS_SETTING, { sad: { moods: { calm: 0.5 } } }, 1);
    const map = loadEmotionMoodMap(settings);
    expect(map.sad).toEqual({ moods: { calm: 0.5 } });
    expect(map.happy).toEqual(DEFAULT_EMOTION_MOODS.happy);
  });

  it('refuses a mapping that names no emotion or a bad weight', () => {
    expect(() => parseEmotionMoodMap({ bored: { moods: { calm: 1 } } })).toThrow(/Expected an emotion .*got `"bored"` \(string\)/);
    expect(() => parseEmotionMoodMap({ sad: { moods: { calm: 0 } } })).toThrow(
      'Expected `sad.moods.calm` to be a weight in (0, 1], got `0` (number)',
    );
    expect(loadEmotionMoodMap({ get: () => 'garbage', set() {} })).toBe(DEFAULT_EMOTION_MOODS);
  });
});
