import { describe, expect, it } from 'vitest';
import { jpegRoundTripGrey } from './jpeg-loss.js';
import {
  exposureFor,
  gainFor,
  lowLightImage,
  mixSeed,
  poisson,
  predictedStats,
  seededRandom,
  sensor,
  type Cast,
  type Exposure,
} from './dim-camera.js';

const RAMP = Uint8Array.from({ length: 18 }, (_, i) => i * 15);
/** The noise-free chain without JPEG: the same lists are in scripts/model/test_low_light.py. */
const GOLDEN: readonly [number, Exposure, number[]][] = [
  [0.04, 'auto', [0, 9, 18, 27, 36, 45, 54, 63, 71, 80, 89, 98, 107, 116, 125, 134, 143, 152]],
  [0.04, 'fixed', [0, 3, 7, 10, 14, 17, 21, 24, 28, 31, 35, 38, 42, 45, 49, 52, 56, 59]],
  [0.12, 'auto', [0, 15, 29, 44, 59, 74, 88, 103, 118, 133, 147, 162, 177, 191, 206, 221, 236, 250]],
];
/** A backlit face and a lamp's cast, noise-free, without JPEG: the same lists are in test_low_light.py. */
const GOLDEN_ROOMS: readonly [number, Exposure, number, Cast, number[]][] = [
  [0.25, 'auto', 4, 'none', [0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136]],
  [0.25, 'auto', 3, 'warm', [0, 9, 18, 27, 36, 46, 55, 64, 73, 82, 91, 100, 109, 118, 127, 137, 146, 155]],
  [0.12, 'auto', 1, 'candle', [0, 14, 29, 43, 58, 72, 86, 101, 115, 130, 144, 158, 173, 187, 201, 216, 230, 245]],
  [0.04, 'fixed', 1, 'candle', [0, 3, 7, 10, 14, 17, 20, 24, 27, 31, 34, 37, 41, 44, 48, 51, 54, 58]],
];
/** jpegRoundTripGrey(pattern(), 75): its sum and first row, as numpy's twin gives them. */
const JPEG_SUM = 30671;
const JPEG_ROW0 = [0, 45, 76, 101, 150, 188, 211, 6, 41, 75, 110, 157, 192, 220, 12, 44];

/** A 16x16 picture with edges and texture (the same formula as in test_low_light.py). */
function pattern(): Uint8Array {
  const out = new Uint8Array(256);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) out[y * 16 + x] = (x * 37 + y * 11 + ((x * y) % 13) * 5) % 256;
  return out;
}

function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, variance: sq / values.length };
}

describe('the low-light camera model', () => {
  /** A flat patch of grey 200, 100 faces' worth of pixels (230,400), bright enough to be rarely clipped at 4%. */
  const PIXEL = 200;
  const flat = new Uint8Array(100 * 48 * 48).fill(PIXEL);

  for (const light of [0.04, 0.12, 0.25]) {
    for (const exposure of ['auto', 'fixed'] as const) {
      it(`at ${light * 100}% light (${exposure} exposure), the mean brightness and the noise variance are the model's`, () => {
        const stats = predictedStats(PIXEL, light, exposure);
        const linear = meanAndVariance(sensor(flat, light, exposure, seededRandom(Math.round(light * 1000))));
        expect(linear.mean / stats.linearMean).toBeCloseTo(1, 2);
        expect(Math.abs(linear.variance / stats.linearVariance - 1)).toBeLessThan(0.03);
        // After the 2.2 curve: the delta method's prediction, plus the output's rounding (1/12 grey level²).
        const out = meanAndVariance(lowLightImage(flat, 48, 48 * 100, { light, exposure, quality: null }, seededRandom(7)));
        expect(Math.abs(out.mean - stats.outMean)).toBeLessThan(0.01 * stats.outMean);
        expect(Math.abs(out.variance / (stats.outVariance + 1 / 12) - 1)).toBeLessThan(0.08);
      });
    }
  }

  it('gives white 1,000 electrons in daylight and 40 at 4%, and an auto gain of at most 8x', () => {
    expect(predictedStats(255, 1).electrons).toBe(1000);
    expect(predictedStats(255, 0.04).electrons).toBeCloseTo(40, 10);
    expect(gainFor(0.04, 'auto')).toBe(8);
    expect(gainFor(0.25, 'auto')).toBe(4);
    expect(gainFor(0.04, 'fixed')).toBe(1);
    expect([...lowLightImage(RAMP, 18, 1, { light: 1, quality: null, noise: false }, null)]).toEqual([...RAMP]);
  });

  it('draws Poisson counts with the mean and variance of the light, below and above the sampler switch', () => {
    const random = seededRandom(11);
    for (const lambda of [0.7, 4, 9.5, 10, 40, 320]) {
      const draws = Float64Array.from({ length: 40_000 }, () => poisson(lambda, random));
      const { mean, variance } = meanAndVariance(draws);
      expect(Math.abs(mean / lambda - 1)).toBeLessThan(0.03);
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.06);
    }
  });

  it('darkens a face before a bright background: the exposure is set for the background', () => {
    expect(exposureFor(1, 'auto', 4)).toEqual({ time: 0.25, gain: 1 });
    expect(exposureFor(0.04, 'auto', 4)).toEqual({ time: 1, gain: 6.25 });
    expect(exposureFor(0.04, 'fixed', 4)).toEqual({ time: 1, gain: 1 });
    const lit = predictedStats(PIXEL, 0.25);
    const backlit = predictedStats(PIXEL, 0.25, 'auto', 4);
    expect(backlit.outMean).toBeLessThan(0.6 * lit.outMean);
    const linear = meanAndVariance(sensor(flat, 0.25, 'auto', seededRandom(9), { backlight: 4 }));
    expect(linear.mean / backlit.linearMean).toBeCloseTo(1, 2);
    expect(Math.abs(linear.variance / backlit.linearVariance - 1)).toBeLessThan(0.03);
  });

  it("adds the grain a warm lamp's blue carries once white balance lifts it, and a candle's orange stays", () => {
    const at12 = (cast: Cast) => meanAndVariance(lowLightImage(flat, 48, 4800, { light: 0.12, cast, quality: null }, seededRandom(3)));
    const grey = at12('none');
    const warm = at12('warm');
    const candle = at12('candle');
    expect(Math.abs(warm.mean - grey.mean)).toBeLessThan(1);
    expect(candle.mean).toBeLessThan(grey.mean - 3);
    expect(warm.variance).toBeGreaterThan(1.05 * grey.variance);
    expect(candle.variance).toBeGreaterThan(warm.variance);
  });

  it('keeps the mean brightness through JPEG and loses some of the fine noise', () => {
    const raw = meanAndVariance(lowLightImage(flat, 48, 4800, { light: 0.12, quality: null }, seededRandom(5)));
    const coded = meanAndVariance(lowLightImage(flat, 48, 4800, { light: 0.12 }, seededRandom(5)));
    expect(Math.abs(coded.mean - raw.mean)).toBeLessThan(1);
    expect(coded.variance).toBeLessThan(raw.variance);
  });

  it('gives the noise-free pictures and the JPEG of the Python twin', () => {
    for (const [light, exposure, expected] of GOLDEN) {
      expect([...lowLightImage(RAMP, 18, 1, { light, exposure, quality: null, noise: false }, null)]).toEqual(expected);
    }
    for (const [light, exposure, backlight, cast, expected] of GOLDEN_ROOMS) {
      expect([...lowLightImage(RAMP, 18, 1, { light, exposure, backlight, cast, quality: null, noise: false }, null)]).toEqual(expected);
    }
    const coded = jpegRoundTripGrey(pattern(), 16, 16, 75);
    expect(coded.reduce((a, b) => a + b, 0)).toBe(JPEG_SUM);
    expect([...coded.subarray(0, 16)]).toEqual(JPEG_ROW0);
  });

  it('is seeded: the same seed gives the same picture, another seed another', () => {
    const face = Uint8Array.from({ length: 48 * 48 }, (_, i) => (i * 7) % 256);
    const a = lowLightImage(face, 48, 48, { light: 0.06 }, seededRandom(mixSeed(1, 3)));
    const b = lowLightImage(face, 48, 48, { light: 0.06 }, seededRandom(mixSeed(1, 3)));
    const c = lowLightImage(face, 48, 48, { light: 0.06 }, seededRandom(mixSeed(1, 4)));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('refuses a light that is not above 0, an unknown exposure, cast or backlight, and noise without a generator', () => {
    // Each refused for its own reason, said in words (a RangeError for another would hide a gap).
    const refusal = (run: () => unknown): string => {
      try {
        run();
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
        return (err as Error).message;
      }
      throw new Error('Expected a RangeError, got none');
    };
    expect(refusal(() => gainFor(0))).toBe('Expected `light` to be a number > 0, got `0`');
    expect(refusal(() => gainFor(Number.NaN))).toBe('Expected `light` to be a number > 0, got `NaN`');
    expect(refusal(() => gainFor(0.5, 'manual' as Exposure))).toBe('Expected `exposure` to be auto or fixed, got `manual`');
    expect(refusal(() => lowLightImage(RAMP, 18, 1, { light: 0.5 }, null))).toBe('Expected a seeded `random` for a camera with noise');
    expect(refusal(() => lowLightImage(RAMP, 4, 4, { light: 0.5, noise: false }, null))).toBe('Expected 16 grey bytes, got 18');
    expect(refusal(() => exposureFor(0.5, 'auto', 0.5))).toBe('Expected `backlight` to be a number >= 1, got `0.5`');
    expect(refusal(() => lowLightImage(RAMP, 18, 1, { light: 0.5, noise: false, cast: 'neon' as Cast }, null))).toMatch(
      /^Expected `cast` to be .*, got `neon`$/,
    );
  });
});
