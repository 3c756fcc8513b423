import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { extractFeatures, type AudioFeatures } from './features.js';
import { loadMusicMoodModel } from './model.js';
import { selectSmallest } from './timbre.js';

const RATE = 11025;

/** `seconds` of a sine at `hz` Hz (peak `amplitude`). */
function tone(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
}

/** Gaussian white noise (Box–Muller on a seeded generator). */
function whiteNoise(seconds: number, sd: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from(
    { length: Math.round(seconds * RATE) },
    () => sd * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next()),
  );
}

/** Tones of `a` Hz and `b` Hz taking turns every `turnS` seconds. */
function alternating(a: number, b: number, turnS: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < out.length; i++) {
    const hz = Math.floor(i / (turnS * RATE)) % 2 === 0 ? a : b;
    out[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE);
  }
  return out;
}

const measure = (samples: Float32Array): AudioFeatures => extractFeatures([samples], RATE, samples.length / RATE);
const mfcc = (f: AudioFeatures, stat: 'Mean' | 'Std' | 'Delta'): number[] => [0, 1, 2, 3, 4].map((i) => f[`mfcc${i}${stat}`] as number);

describe('selectSmallest', () => {
  it('puts the smallest values first, duplicates and all, leaving the rest after them', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const size = 1 + random.int(60);
      const values = Float64Array.from({ length: size }, () => random.int(12));
      const sorted = [...values].sort((a, b) => a - b);
      const from = random.int(size);
      const count = random.int(size - from + 1);
      const before = [...values];
      selectSmallest(values, from, size, count);
      const window = [...before.slice(from)].sort((a, b) => a - b);
      expect([...values.slice(from, from + count)].sort((a, b) => a - b)).toEqual(window.slice(0, count));
      expect([...values.slice(from + count)].sort((a, b) => a - b)).toEqual(window.slice(count));
      expect([...values.slice(0, from)]).toEqual(before.slice(0, from));
      expect([...values].sort((a, b) => a - b)).toEqual(sorted);
    }
  });
});

describe('cepstral coefficients (MFCC)', () => {
  it('do not follow the level: a tone at −6 dBFS and at −26 dBFS has the same timbre', () => {
    const loud = measure(tone(440, 5, 0.5));
    const quiet = measure(tone(440, 5, 0.05));
    for (const stat of ['Mean', 'Std', 'Delta'] as const) {
      mfcc(quiet, stat).forEach((c, i) => expect(c).toBeCloseTo(mfcc(loud, stat)[i]!, 3));
    }
  });

  it('tilt toward the bass for a low tone (c1 > 0) and toward the treble for a high one (c1 < 0)', () => {
    expect(measure(tone(150, 5)).mfcc1Mean).toBeGreaterThan(1);
    expect(measure(tone(3000, 5)).mfcc1Mean).toBeLessThan(-1);
  });

  it('stand still on a steady tone, and swing by half the difference between two tones taking turns', () => {
    const low = measure(tone(300, 6));
    const high = measure(tone(2000, 6));
    // A steady tone's cepstrum moves only by the leakage of the window far from the tone.
    mfcc(low, 'Std').forEach((sd) => expect(sd).toBeLessThan(1));
    mfcc(low, 'Delta').forEach((d) => expect(d).toBeLessThan(1));
    // Half the frames are one tone, half the other: each coefficient's mean lies halfway between
    // and its deviation is half their distance (the frames that straddle a turn aside).
    const turns = measure(alternating(300, 2000, 1, 12));
    for (let i = 1; i < 5; i++) {
      const lowC = mfcc(low, 'Mean')[i]!;
      const highC = mfcc(high, 'Mean')[i]!;
      if (Math.abs(lowC - highC) < 2) continue;
      expect(mfcc(turns, 'Mean')[i]).toBeCloseTo((lowC + highC) / 2, -0.5);
      expect(Math.abs(mfcc(turns, 'Std')[i]! / (Math.abs(lowC - highC) / 2) - 1)).toBeLessThan(0.1);
    }
  });

  it('change twice as fast (root-mean-square) when the tones take turns four times as often', () => {
    const slow = mfcc(measure(alternating(300, 2000, 1, 12)), 'Delta');
    const fast = mfcc(measure(alternating(300, 2000, 0.25, 12)), 'Delta');
    // Each turn adds the same squared change; four times the turns is twice the root mean square.
    expect(Math.abs(fast[1]! / slow[1]! - 2)).toBeLessThan(0.15);
    expect(slow[1]).toBeGreaterThan(0.5);
  });
});

describe('spectral contrast', () => {
  it('reads white noise as the exponential distribution says: ln(2.61 / 0.108) = 3.19 in each wide band', () => {
    // The power of a bin of Gaussian noise is exponentially distributed: its strongest fifth
    // averages 1 + ln 5 = 2.609 times the mean, its weakest fifth 0.1076 times.
    const noise = measure(whiteNoise(10, 0.1, 11));
    const expected = Math.log((1 + Math.log(5)) / (5 * (1 - 0.8 * (1 - Math.log(0.8)))));
    expect(expected).toBeCloseTo(3.19, 2);
    for (const band of [3, 4, 5]) expect(Math.abs((noise[`spectralContrast${band}`] as number) - expected)).toBeLessThan(0.3);
  });

  it('finds a tone standing far out of its octave, and nothing of it in the other octaves', () => {
    const a = measure(tone(1000, 5));
    const noise = measure(whiteNoise(5, 0.1, 12));
    // 1000 Hz lies in the 800–1600 Hz band (3).
    expect(a.spectralContrast3).toBeGreaterThan(noise.spectralContrast3 + 5);
    expect(a.spectralContrast3).toBeGreaterThan(a.spectralContrast5 + 5);
  });

  it('does not follow the level', () => {
    const loud = measure(whiteNoise(5, 0.3, 13));
    const quiet = measure(Float32Array.from(whiteNoise(5, 0.3, 13), (v) => v / 30));
    for (let band = 0; band < 6; band++) expect(quiet[`spectralContrast${band}`]).toBeCloseTo(loud[`spectralContrast${band}`] as number, 3);
  });
});

describe('the shipped model', () => {
  it('reads only features the analysis measures', () => {
    const features = measure(alternating(220, 880, 0.5, 5));
    for (const input of loadMusicMoodModel().inputs) {
      expect(typeof features[input.feature], input.feature).toBe('number');
      expect(Number.isFinite(features[input.feature]), input.feature).toBe(true);
    }
  });
});
