import { describe, expect, it } from 'vitest';
import { accuracyAt, accuracyBySizeProblems, faceWeigher } from './face-weight.js';

/** The shipped int8 model's accuracy by face size (PublicTest, shrunk and scaled back, flip-TTA). */
const MEASURED = { '48': 0.682, '32': 0.629, '24': 0.6, '16': 0.446, '12': 0.341 };

describe('accuracyAt', () => {
  it('reads a listed size as listed, interpolates between sizes and holds the ends', () => {
    expect(accuracyAt(MEASURED, 24)).toBeCloseTo(0.6, 10);
    expect(accuracyAt(MEASURED, 20)).toBeCloseTo((0.6 + 0.446) / 2, 10);
    expect(accuracyAt(MEASURED, 40)).toBeCloseTo((0.682 + 0.629) / 2, 10);
    expect(accuracyAt(MEASURED, 8)).toBe(0.341);
    expect(accuracyAt(MEASURED, 200)).toBe(0.682);
  });

  it('does not care in which order the sizes are listed', () => {
    expect(accuracyAt({ '12': 0.3, '48': 0.7 }, 30)).toBeCloseTo(accuracyAt({ '48': 0.7, '12': 0.3 }, 30), 12);
  });
});

describe('faceWeigher', () => {
  const weigh = faceWeigher(MEASURED, 7);
  const chance = 1 / 7;
  const full = 0.682 - chance;

  it('weighs a face by what its size earns above chance, relative to a 48 px face', () => {
    expect(weigh(48)).toBe(1);
    expect(weigh(32)).toBeCloseTo((0.629 - chance) / full, 10);
    expect(weigh(24)).toBeCloseTo((0.6 - chance) / full, 10);
    expect(weigh(16)).toBeCloseTo((0.446 - chance) / full, 10);
    expect(weigh(12)).toBeCloseTo((0.341 - chance) / full, 10);
    // About 0.9 at 32 px, 0.85 at 24, 0.56 at 16 and 0.37 at 12.
    expect([32, 24, 16, 12].map((s) => Math.round(weigh(s) * 100))).toEqual([90, 85, 56, 37]);
  });

  it('never gives a near face more than one vote, nor a tiny one less than the smallest listed size earns', () => {
    expect(weigh(180)).toBe(1);
    expect(weigh(6)).toBe(weigh(12));
  });

  it('grows with the face between the listed sizes', () => {
    let last = 0;
    for (let s = 10; s <= 60; s++) {
      expect(weigh(s)).toBeGreaterThanOrEqual(last);
      last = weigh(s);
    }
  });

  it('gives weight 0, not a negative one, where the model does no better than a guess', () => {
    const weak = faceWeigher({ '48': 0.6, '16': 0.1 }, 7);
    expect(weak(16)).toBe(0);
    expect(weak(48)).toBe(1);
  });

  it('weighs every face 1 when the manifest has no table', () => {
    const same = faceWeigher(undefined, 7);
    expect([8, 16, 48, 300].map(same)).toEqual([1, 1, 1, 1]);
  });

  it('refuses a table whose full-size accuracy is no better than chance', () => {
    expect(() => faceWeigher({ '48': 0.1 }, 7)).toThrow(/above chance/);
  });
});

describe('accuracyBySizeProblems', () => {
  it('accepts the measured table', () => {
    expect(accuracyBySizeProblems(MEASURED, 7)).toEqual([]);
  });

  it.each([
    ['a list', [0.68, 0.6], /^accuracyBySize: expected an object of accuracies by face size/],
    ['no size', {}, /^accuracyBySize: expected at least one size/],
    ['a size that is not whole px', { '48': 0.68, '24.5': 0.6 }, /^accuracyBySize\.24\.5: expected a face size in whole px/],
    ['a percentage', { '48': 68.2 }, /^accuracyBySize\.48: expected an accuracy in \(0, 1\], got `68\.2` \(number\)/],
    ['text', { '48': '0.68' }, /^accuracyBySize\.48: expected an accuracy in \(0, 1\], got `"0\.68"` \(string\)/],
    ['full size at chance', { '48': 0.12, '24': 0.1 }, /^accuracyBySize: expected the accuracy at 48 px above chance \(1\/7\)/],
  ])('names the field of %s', (_what, value, problem) => {
    const problems = accuracyBySizeProblems(value, 7);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});
