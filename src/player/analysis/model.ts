/**
 * The fitted mood model (`models/music-mood.json`): ridge regression from standardised features
 * to arousal and valence. Written by scripts/fit-music-moods.ts; see models/README.md.
 */
import { readFileSync } from 'node:fs';
import { describeValue } from '../../kernel/errors.js';
import type { AudioFeatures } from './features.js';
import { parseJson } from '../../kernel/json.js';

/** How a feature enters the model. */
export type FeatureTransform = 'identity' | 'log';

export interface ModelInput {
  /** A numeric field of `AudioFeatures`. */
  readonly feature: string;
  readonly transform: FeatureTransform;
  /** Mean and standard deviation of the transformed feature on the training set. */
  readonly mean: number;
  readonly std: number;
  /**
   * The lowest and highest standardised value (before clipping) on the training set: a value
   * beyond them is one the model never heard. Without it, every value counts as heard.
   */
  readonly range?: readonly [number, number];
}

/**
 * Where raw predictions land on the plane: piecewise linear through the knots (`raw` increasing,
 * `plane` not decreasing), so that the predictions' quantiles fall on the listeners' quantiles.
 */
export interface Calibration {
  readonly raw: readonly number[];
  readonly plane: readonly number[];
}

export interface LinearOutput {
  readonly intercept: number;
  /** One weight per input, in the order of `inputs`. */
  readonly weights: readonly number[];
  /**
   * Without `calibration`, the prediction is mapped to the plane as `clamp((raw − center) · gain, −1, 1)`;
   * with it, through its knots, and beyond its first and last knot on with the slope `gain`.
   */
  readonly center: number;
  readonly gain: number;
  readonly calibration?: Calibration;
}

/**
 * A smaller model for music unlike any the main model was fitted on, from measures that mean the
 * same whatever the timbre (the shipped one: the loudness alone).
 */
export interface FallbackModel {
  readonly inputs: readonly ModelInput[];
  readonly arousal: LinearOutput;
  readonly valence: LinearOutput;
  /** The fallback places a track when more than this many of the main model's inputs lie outside their `range`. */
  readonly whenOutside: number;
}

export interface MusicMoodModel {
  /** Bumped with every refit; part of `ANALYSIS_VERSION`. */
  readonly version: number;
  readonly inputs: readonly ModelInput[];
  readonly arousal: LinearOutput;
  readonly valence: LinearOutput;
  readonly fallback?: FallbackModel;
  /** Where the model came from and how well it does (free form, for people). */
  readonly provenance?: Readonly<Record<string, unknown>>;
}

/** The shipped model, beside the code in the installed tree (src/ or dist/ alike). */
export const DEFAULT_MODEL_URL = new URL('../../../models/music-mood.json', import.meta.url);

/** The value a feature contributes before standardisation (missing or null values give the training mean). */
export function transformFeature(features: Readonly<AudioFeatures>, input: Pick<ModelInput, 'feature' | 'transform'>): number | null {
  const value = features[input.feature];
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return input.transform === 'log' ? Math.log(Math.max(value, 1e-6)) : value;
}

/**
 * Standardised values are clipped to ±Z_CLIP, so that music unlike anything in the training set
 * (a pure tone, a click track) cannot push the prediction off the plane through one feature.
 */
export const Z_CLIP = 3;

/** The standardised, clipped value of a transformed feature (0, the mean, when missing). */
export function standardise(value: number | null, input: Pick<ModelInput, 'mean' | 'std'>): number {
  if (value === null || !(input.std > 0)) return 0;
  return Math.max(-Z_CLIP, Math.min(Z_CLIP, (value - input.mean) / input.std));
}

/** Raw (unmapped) predictions; `arousal`/`valence` of `predict` are these mapped to the plane. */
export function predictRaw(
  model: Pick<MusicMoodModel, 'inputs' | 'arousal' | 'valence'>,
  features: Readonly<AudioFeatures>,
): { arousal: number; valence: number } {
  const z = model.inputs.map((input) => standardise(transformFeature(features, input), input));
  const raw = (out: LinearOutput): number => out.intercept + out.weights.reduce((s, w, i) => s + w * z[i]!, 0);
  return { arousal: raw(model.arousal), valence: raw(model.valence) };
}

/** A raw prediction's place on the plane (−1 … 1), by the output's calibration or its centre and gain. */
export function toPlane(raw: number, out: Pick<LinearOutput, 'center' | 'gain' | 'calibration'>): number {
  const clamp = (v: number): number => Math.max(-1, Math.min(1, v));
  const knots = out.calibration;
  const last = (knots?.raw.length ?? 0) - 1;
  if (knots === undefined || last < 1) return clamp((raw - out.center) * out.gain);
  const x = knots.raw;
  const y = knots.plane;
  if (raw <= x[0]!) return clamp(y[0]! + (raw - x[0]!) * out.gain);
  if (raw >= x[last]!) return clamp(y[last]! + (raw - x[last]!) * out.gain);
  let i = 1;
  while (raw > x[i]!) i++;
  const span = x[i]! - x[i - 1]!;
  return clamp(span > 0 ? y[i - 1]! + ((raw - x[i - 1]!) / span) * (y[i]! - y[i - 1]!) : y[i]!);
}

/** How many of the inputs lie outside the values the model was fitted on (`ModelInput.range`). */
export function unheardInputs(inputs: readonly ModelInput[], features: Readonly<AudioFeatures>): number {
  let count = 0;
  for (const input of inputs) {
    const value = transformFeature(features, input);
    if (input.range === undefined || value === null || !(input.std > 0)) continue;
    const z = (value - input.mean) / input.std;
    if (z < input.range[0] || z > input.range[1]) count++;
  }
  return count;
}

/** A prediction on the mood plane, and which model made it. */
export interface PlanePoint {
  /** Calm −1 … excited 1. */
  arousal: number;
  /** Unpleasant −1 … pleasant 1. */
  valence: number;
  /** `fallback`: the music is unlike any the main model was fitted on (see `FallbackModel`). */
  by: 'model' | 'fallback';
}

/**
 * Arousal and valence on the mood plane (−1 … 1). A track unlike any the main model was fitted on
 * (more than `fallback.whenOutside` of its inputs outside their range) is placed by the fallback.
 */
export function predict(model: MusicMoodModel, features: Readonly<AudioFeatures>): PlanePoint {
  const fallback = model.fallback;
  const isUnheard = fallback !== undefined && unheardInputs(model.inputs, features) > fallback.whenOutside;
  const used = isUnheard ? fallback : model;
  const raw = predictRaw(used, features);
  return { arousal: toPlane(raw.arousal, used.arousal), valence: toPlane(raw.valence, used.valence), by: isUnheard ? 'fallback' : 'model' };
}

/** Checks a parsed model file; throws a `TypeError` naming the first problem. */
export function parseMusicMoodModel(value: unknown, source = 'the music mood model'): MusicMoodModel {
  const fail = (what: string, got: unknown): never => {
    throw new TypeError(`Expected ${what} in ${source}, got ${describeValue(got)}`);
  };
  if (typeof value !== 'object' || value === null) return fail('an object', value);
  const m = value as { version?: unknown; inputs?: unknown; arousal?: unknown; valence?: unknown; fallback?: unknown };
  if (!Number.isInteger(m.version)) fail('an integer `version`', m.version);
  checkLinear(m, '', fail);
  if (m.fallback !== undefined) {
    if (typeof m.fallback !== 'object' || m.fallback === null) return fail('an object `fallback`', m.fallback);
    const f: { inputs?: unknown; arousal?: unknown; valence?: unknown; whenOutside?: unknown } = m.fallback;
    checkLinear(f, 'fallback.', fail);
    const when = f.whenOutside;
    if (typeof when !== 'number' || !Number.isInteger(when) || when < 0) fail('an integer `fallback.whenOutside` ≥ 0', when);
  }
  return value as MusicMoodModel;
}

/** Checks the inputs and both outputs of a model (the main one, or the fallback under `prefix`). */
function checkLinear(
  m: { inputs?: unknown; arousal?: unknown; valence?: unknown },
  prefix: string,
  fail: (what: string, got: unknown) => never,
): void {
  if (!Array.isArray(m.inputs) || m.inputs.length === 0) fail(`a non-empty \`${prefix}inputs\` array`, m.inputs);
  const inputs = m.inputs as unknown[];
  for (const [i, input] of inputs.entries()) {
    const x = input as { feature?: unknown; transform?: unknown; mean?: unknown; std?: unknown; range?: unknown } | null;
    const at = `${prefix}inputs[${i}]`;
    if (typeof x?.feature !== 'string') fail(`a \`feature\` name in ${at}`, x?.feature);
    if (x?.transform !== 'identity' && x?.transform !== 'log') fail(`\`transform\` identity or log in ${at}`, x?.transform);
    if (typeof x?.mean !== 'number' || typeof x.std !== 'number') fail(`numbers \`mean\` and \`std\` in ${at}`, x);
    const range = x?.range;
    if (
      range !== undefined &&
      !(Array.isArray(range) && range.length === 2 && typeof range[0] === 'number' && typeof range[1] === 'number' && range[0] <= range[1])
    ) {
      fail(`\`range\` [low, high] in ${at}`, range);
    }
  }
  for (const name of ['arousal', 'valence'] as const) {
    const out = m[name] as Partial<Record<'weights' | 'intercept' | 'center' | 'gain' | 'calibration', unknown>> | undefined;
    const weights = out?.weights;
    if (!Array.isArray(weights) || weights.length !== inputs.length || !weights.every((w) => typeof w === 'number')) {
      fail(`\`${prefix}${name}.weights\`: ${inputs.length} numbers`, weights);
    }
    for (const key of ['intercept', 'center', 'gain'] as const) {
      if (typeof out?.[key] !== 'number') fail(`a number \`${prefix}${name}.${key}\``, out?.[key]);
    }
    const c = out?.calibration as { raw?: unknown; plane?: unknown } | undefined;
    if (c !== undefined) {
      const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number');
      const raw = c.raw;
      const plane = c.plane;
      const ok =
        isNumbers(raw) &&
        isNumbers(plane) &&
        raw.length === plane.length &&
        raw.every((r, i) => i === 0 || r > raw[i - 1]!) &&
        plane.every((p, i) => i === 0 || p >= plane[i - 1]!);
      if (!ok) fail(`\`${prefix}${name}.calibration\`: as many increasing \`raw\` knots as \`plane\` values, at least 2`, c);
    }
  }
}

let shipped: MusicMoodModel | undefined;

/** Reads and checks the shipped model (once). */
export function loadMusicMoodModel(url: URL = DEFAULT_MODEL_URL): MusicMoodModel {
  if (url.href === DEFAULT_MODEL_URL.href && shipped !== undefined) return shipped;
  const model = parseMusicMoodModel(parseJson(readFileSync(url, 'utf8')), url.pathname);
  if (url.href === DEFAULT_MODEL_URL.href) shipped = model;
  return model;
}
