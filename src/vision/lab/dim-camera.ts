import type { FerRow } from '../fer-csv.js';
import { jpegRoundTripGrey } from './jpeg-loss.js';

/**
 * A webcam in dim light, on grey pictures: what a room lit at `light` (a share of daylight) does
 * to a face the camera would show well in daylight. The model of issue 56, and the twin of
 * `scripts/model/low_light.py`, which training augments with (same formulas and constants):
 *
 *     scene      lin = (pixel / 255) ^ 2.2                    (undo the 2.2 curve)
 *     photons    electrons = lin * 1000 * light * time        (white gives 1,000 e- at light 1.0)
 *     sensor     signal = Poisson(electrons) + Normal(0, 3)   (shot noise, read noise of 3 e-)
 *     exposure   value = clip(signal * gain / 1000, 0, 1)     (auto: gain = min(8, 1 / light); fixed: 1)
 *     curve      out = round(255 * value ^ (1 / 2.2))
 *     codec      JPEG at quality 75 (luma, `jpegRoundTripGrey`)
 *
 * Two ways a room's light is worse than dim (`LowLightOptions`):
 * - a **backlit face**: the background is `backlight` times brighter than the face, and the
 *   auto-exposure meters the frame, so it sets the exposure for the background. Where the
 *   background alone would fill the sensor (light * backlight > 1) the exposure is cut
 *   (time = 1 / (light * backlight), gain 1); below that the gain is min(8, 1 / (light * backlight)).
 *   A fixed exposure ignores it (time 1, gain 1).
 * - a **colour cast**: a warm lamp lights a neutral face with more red than blue (`CASTS`, each
 *   lamp's red, green and blue in units that leave the face's luma as it was). Each channel
 *   collects its own electrons and noise (`CHANNEL_SHARE`); the camera's white balance lifts each channel by
 *   1 / its share, at most `MAX_WHITE_BALANCE` (a webcam's white balance cannot take out a
 *   candle's orange), then the exposure gain and the curve act on each channel, and the picture
 *   is turned to grey as the camera's luma: 0.299 R + 0.587 G + 0.114 B.
 *
 * The noise comes from a seeded generator, so a seed gives the same pictures every run; Python
 * draws from numpy's generator, so the two agree in distribution, not pixel for pixel. Without
 * noise the two chains agree to the grey level (the golden values in both tests).
 */

/** Electrons from the scene's white at daylight (light = 1). */
export const FULL_WELL = 1000;
/** Read noise, electrons (standard deviation). */
export const READ_NOISE = 3;
/** Auto-exposure's largest digital gain. */
export const MAX_GAIN = 8;
export const GAMMA = 2.2;
/** The camera's JPEG quality (libjpeg's scale). */
export const CAMERA_QUALITY = 75;

export type Exposure = 'auto' | 'fixed';
export const EXPOSURES: readonly Exposure[] = ['auto', 'fixed'];

/** The luma weights of a camera's red, green and blue (ITU-R BT.601, as JPEG's YCbCr). */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];
/** The most a webcam's white balance lifts one channel. */
export const MAX_WHITE_BALANCE = 2.5;
/**
 * A colour channel collects this share of a grey pixel's light, and reads with the square root of
 * its read noise, so that under a neutral lamp the luma has the grey camera's mean and noise.
 */
export const CHANNEL_SHARE = LUMA_WEIGHTS[0] ** 2 + LUMA_WEIGHTS[1] ** 2 + LUMA_WEIGHTS[2] ** 2;

export type Cast = 'none' | 'warm' | 'candle';
/**
 * Each lamp's red, green and blue on a neutral face, scaled so that their luma is 1 (the light's
 * share of daylight stays what `light` says): a warm-white bulb (about 2,700 K: 1 : 0.66 : 0.33)
 * and candles or amber bar lights (about 1,900 K: 1 : 0.5 : 0.15).
 */
export const CASTS: Readonly<Record<Cast, readonly [number, number, number]>> = {
  none: [1, 1, 1],
  warm: lumaOne([1, 0.66, 0.33]),
  candle: lumaOne([1, 0.5, 0.15]),
};

function lumaOne(rgb: readonly [number, number, number]): [number, number, number] {
  const y = rgb[0] * LUMA_WEIGHTS[0] + rgb[1] * LUMA_WEIGHTS[1] + rgb[2] * LUMA_WEIGHTS[2];
  return [rgb[0] / y, rgb[1] / y, rgb[2] / y];
}

export interface LowLightOptions {
  /** Share of daylight, > 0 (1 = daylight; a dim bar is about 0.04). */
  readonly light: number;
  /** Auto-exposure (a digital gain up to 8x) or a fixed exposure (gain 1). @default 'auto' */
  readonly exposure?: Exposure | undefined;
  /** JPEG quality, or null for none. @default 75 */
  readonly quality?: number | null | undefined;
  /** Shot and read noise. @default true */
  readonly noise?: boolean | undefined;
  /** How many times brighter the background is than the face (≥ 1; 1: not backlit). @default 1 */
  readonly backlight?: number | undefined;
  /** The lamp's colour. @default 'none' */
  readonly cast?: Cast | undefined;
}

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Mulberry32: a small, fast, seeded generator (32-bit state), uniform in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One seed from a seed and an index (a picture's own stream, whatever order they come in). */
export function mixSeed(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index >>> 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  const u = 1 - random(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** log Γ(x) for x ≥ 1 (the Stirling series numpy's Poisson sampler uses). */
function logGamma(x: number): number {
  const a = [
    8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4, -1.917526917526918e-3,
    6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
  ];
  if (x === 1 || x === 2) return 0;
  let x0 = x;
  let n = 0;
  if (x <= 7) {
    n = Math.floor(7 - x);
    x0 = x + n;
  }
  const x2 = 1 / (x0 * x0);
  let gl0 = a[9]!;
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + a[k]!;
  let gl = gl0 / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 1; k <= n; k++) {
    gl -= Math.log(x0 - 1);
    x0 -= 1;
  }
  return gl;
}

/**
 * A Poisson draw of mean `lambda` ≥ 0: multiplication of uniforms below 10, Hörmann's
 * transformed rejection (PTRS, as numpy) from 10 on. Exact in distribution either way.
 */
export function poisson(lambda: number, random: Random): number {
  if (!(lambda >= 0)) throw new RangeError(`Expected \`lambda\` >= 0, got \`${lambda}\``);
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) return k;
  }
}

/** The digital gain the camera applies: auto-exposure brings white back up, at most 8x; fixed: 1. */
export function gainFor(light: number, exposure: Exposure = 'auto'): number {
  return exposureFor(light, exposure).gain;
}

/** The camera's exposure: `time` scales the electrons collected (1: the longest), `gain` the signal. */
export interface CameraExposure {
  readonly time: number;
  readonly gain: number;
}

/**
 * What the exposure does to a face at `light` whose background is `backlight` times brighter:
 * auto-exposure meters light * backlight, shortening the exposure where that is above daylight
 * and raising the gain (at most 8x) below it; a fixed exposure is time 1, gain 1.
 */
export function exposureFor(light: number, exposure: Exposure = 'auto', backlight = 1): CameraExposure {
  if (!(Number.isFinite(light) && light > 0)) throw new RangeError(`Expected \`light\` to be a number > 0, got \`${light}\``);
  if (!EXPOSURES.includes(exposure)) throw new RangeError(`Expected \`exposure\` to be auto or fixed, got \`${String(exposure)}\``);
  if (!(Number.isFinite(backlight) && backlight >= 1))
    throw new RangeError(`Expected \`backlight\` to be a number >= 1, got \`${backlight}\``);
  if (exposure === 'fixed') return { time: 1, gain: 1 };
  const metered = light * backlight;
  return metered > 1 ? { time: 1 / metered, gain: 1 } : { time: 1, gain: Math.min(MAX_GAIN, 1 / metered) };
}

/** The white balance's lift of each channel under `cast`: 1 / its share, at most `MAX_WHITE_BALANCE`. */
export function whiteBalance(cast: Cast): [number, number, number] {
  const rgb = CASTS[cast];
  if (rgb === undefined) throw new RangeError(`Expected \`cast\` to be ${Object.keys(CASTS).join(', ')}, got \`${String(cast)}\``);
  return [Math.min(MAX_WHITE_BALANCE, 1 / rgb[0]), Math.min(MAX_WHITE_BALANCE, 1 / rgb[1]), Math.min(MAX_WHITE_BALANCE, 1 / rgb[2])];
}

/**
 * The exposed linear value of each pixel, signal * gain / 1000, before clipping: the sensor's
 * reading of the scene `pixels` show. `random` null: no noise (the expected number of electrons).
 * `options.channel` is one colour channel's share of the light and `options.balance` what the
 * camera multiplies it by before the gain; both 1 for a grey camera.
 */
export function sensor(
  pixels: Uint8Array,
  light: number,
  exposure: Exposure,
  random: Random | null,
  options: {
    readonly backlight?: number | undefined;
    readonly channel?: number | undefined;
    readonly balance?: number | undefined;
    readonly readNoise?: number | undefined;
  } = {},
): Float64Array {
  const { time, gain } = exposureFor(light, exposure, options.backlight ?? 1);
  const share = options.channel ?? 1;
  const lift = options.balance ?? 1;
  const readNoise = options.readNoise ?? READ_NOISE;
  const out = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const electrons = (pixels[i]! / 255) ** GAMMA * FULL_WELL * light * time * share;
    const signal = random === null ? electrons : poisson(electrons, random) + readNoise * normal(random);
    out[i] = (signal * lift * gain) / FULL_WELL;
  }
  return out;
}

/**
 * `pixels` (8-bit grey, `width` x `height`, row-major) as the camera shows them at
 * `options.light`: a new array. `random` draws the noise (`seededRandom`); it may be null only
 * with `noise: false`.
 */
export function lowLightImage(
  pixels: Uint8Array,
  width: number,
  height: number,
  options: LowLightOptions,
  random: Random | null,
): Uint8Array {
  if (pixels.length !== width * height) throw new RangeError(`Expected ${width * height} grey bytes, got ${pixels.length}`);
  const noise = options.noise ?? true;
  if (noise && random === null) throw new RangeError('Expected a seeded `random` for a camera with noise');
  const exposure = options.exposure ?? 'auto';
  const cast = options.cast ?? 'none';
  const curve = (value: number): number => 255 * Math.min(1, Math.max(0, value)) ** (1 / GAMMA);
  const out = new Uint8Array(pixels.length);
  if (cast === 'none') {
    const value = sensor(pixels, options.light, exposure, noise ? random : null, { backlight: options.backlight });
    for (let i = 0; i < value.length; i++) out[i] = Math.floor(curve(value[i]!) + 0.5);
  } else {
    // Red, green and blue each collect their own light and noise, in that order from `random`.
    const balance = whiteBalance(cast);
    const grey = new Float64Array(pixels.length);
    for (let c = 0; c < 3; c++) {
      const value = sensor(pixels, options.light, exposure, noise ? random : null, {
        backlight: options.backlight,
        channel: CASTS[cast][c]! * CHANNEL_SHARE,
        balance: balance[c]! / CHANNEL_SHARE,
        readNoise: READ_NOISE * Math.sqrt(CHANNEL_SHARE),
      });
      for (let i = 0; i < value.length; i++) grey[i] = grey[i]! + LUMA_WEIGHTS[c]! * curve(value[i]!);
    }
    for (let i = 0; i < grey.length; i++) out[i] = Math.floor(grey[i]! + 0.5);
  }
  const quality = options.quality === undefined ? CAMERA_QUALITY : options.quality;
  return quality === null ? out : jpegRoundTripGrey(out, width, height, quality);
}

/** What the model predicts for a flat patch of grey `pixel` (0–255) at `light`. */
export interface PredictedStats {
  readonly electrons: number;
  readonly gain: number;
  /** Mean and variance of the exposed linear value (signal * gain / 1000, before clipping): exact. */
  readonly linearMean: number;
  readonly linearVariance: number;
  /** Mean and variance of the output grey level before rounding and JPEG: second-order delta method. */
  readonly outMean: number;
  readonly outVariance: number;
}

export function predictedStats(pixel: number, light: number, exposure: Exposure = 'auto', backlight = 1): PredictedStats {
  const { time, gain } = exposureFor(light, exposure, backlight);
  const electrons = (pixel / 255) ** GAMMA * FULL_WELL * light * time;
  const linearMean = (electrons * gain) / FULL_WELL;
  const linearVariance = (electrons + READ_NOISE ** 2) * (gain / FULL_WELL) ** 2;
  const p = 1 / GAMMA;
  const f = 255 * linearMean ** p;
  const f1 = 255 * p * linearMean ** (p - 1);
  const f2 = 255 * p * (p - 1) * linearMean ** (p - 2);
  return { electrons, gain, linearMean, linearVariance, outMean: f + 0.5 * f2 * linearVariance, outVariance: f1 ** 2 * linearVariance };
}

/**
 * The rows with each face as the camera shows it at `options.light`; row `row` draws its noise
 * from `seededRandom(mixSeed(seed, row))`, so a face's picture does not depend on which rows are read.
 */
export async function* lowLightRows(
  rows: AsyncIterable<FerRow>,
  options: LowLightOptions & { readonly seed: number },
): AsyncIterable<FerRow> {
  for await (const row of rows) {
    const side = Math.round(Math.sqrt(row.pixels.length));
    yield { ...row, pixels: lowLightImage(row.pixels, side, side, options, seededRandom(mixSeed(options.seed, row.row))) };
  }
}
