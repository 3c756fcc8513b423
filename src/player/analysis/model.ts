/**
 * The fitted mood model (`models/music-mood.json`): ridge regression from standardised features
 * to arousal and valence. Written by scripts/fit-music-moods.ts; see models/README.md.
 */
import { readFileSync } from 'node:fs';
import { describeValue } from '../../kernel/errors.js';
import type { AudioFeatures } from './features.js';

/** How a feature enters the model. */
export type FeatureTransform = 'identity' | 'log';

export interface ModelInput {
  /** A numeric field of `AudioFeatures`. */
  readonly feature: string;
  readonly transform: FeatureTransform;
  /** Mean and standard deviation of the transformed feature on the training set. */
  readonly mean: number;
  readonly std: number;
}

export interface LinearOutput {
  readonly intercept: number;
  /** One weight per input, in the order of `inputs`. */
  readonly weights: readonly number[];
  /** The prediction is mapped to the plane as `clamp((raw − center) · gain, −1, 1)`. */
  readonly center: number;
  readonly gain: number;
}

export interface MusicMoodModel {
  /** Bumped with every refit; part of `ANALYSIS_VERSION`. */
  readonly version: number;
  readonly inputs: readonly ModelInput[];
  readonly arousal: LinearOutput;
  readonly valence: LinearOutput;
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
export function predictRaw(model: MusicMoodModel, features: Readonly<AudioFeatures>): { arousal: number; valence: number } {
  const z = model.inputs.map((input) => standardise(transformFeature(features, input), input));
  const raw = (out: LinearOutput): number => out.intercept + out.weights.reduce((s, w, i) => s + w * z[i]!, 0);
  return { arousal: raw(model.arousal), valence: raw(model.valence) };
}

const toPlane = (raw: number, out: LinearOutput): number => Math.max(-1, Math.min(1, (raw - out.center) * out.gain));

/** Arousal and valence on the mood plane (−1 … 1). */
export function predict(model: MusicMoodModel, features: Readonly<AudioFeatures>): { arousal: number; valence: number } {
  const raw = predictRaw(model, features);
  return { arousal: toPlane(raw.arousal, model.arousal), valence: toPlane(raw.valence, model.valence) };
}

/** Checks a parsed model file; throws a `TypeError` naming the first problem. */
export function parseMusicMoodModel(value: unknown, source = 'the music mood model'): MusicMoodModel {
  const fail = (what: string, got: unknown): never => {
    throw new TypeError(`Expected ${what} in ${source}, got ${describeValue(got)}`);
  };
  if (typeof value !== 'object' || value === null) return fail('an object', value);
  const m = value as { version?: unknown; inputs?: unknown; arousal?: unknown; valence?: unknown };
  if (!Number.isInteger(m.version)) fail('an integer `version`', m.version);
  if (!Array.isArray(m.inputs) || m.inputs.length === 0) return fail('a non-empty `inputs` array', m.inputs);
  const inputs = m.inputs as unknown[];
  for (const [i, input] of inputs.entries()) {
    const x = input as { feature?: unknown; transform?: unknown; mean?: unknown; std?: unknown } | null;
    if (typeof x?.feature !== 'string') fail(`a \`feature\` name in inputs[${i}]`, x?.feature);
    if (x?.transform !== 'identity' && x?.transform !== 'log') fail(`\`transform\` identity or log in inputs[${i}]`, x?.transform);
    if (typeof x?.mean !== 'number' || typeof x.std !== 'number') fail(`numbers \`mean\` and \`std\` in inputs[${i}]`, x);
  }
  for (const name of ['arousal', 'valence'] as const) {
    const out = m[name] as Partial<Record<'weights' | 'intercept' | 'center' | 'gain', unknown>> | undefined;
    const weights = out?.weights;
    if (!Array.isArray(weights) || weights.length !== inputs.length || !weights.every((w) => typeof w === 'number')) {
      fail(`\`${name}.weights\`: ${inputs.length} numbers`, weights);
    }
    for (const key of ['intercept', 'center', 'gain'] as const) {
      if (typeof out?.[key] !== 'number') fail(`a number \`${name}.${key}\``, out?.[key]);
    }
  }
  return value as MusicMoodModel;
}

let shipped: MusicMoodModel | undefined;

/** Reads and checks the shipped model (once). */
export function loadMusicMoodModel(url: URL = DEFAULT_MODEL_URL): MusicMoodModel {
  if (url.href === DEFAULT_MODEL_URL.href && shipped !== undefined) return shipped;
  const model = parseMusicMoodModel(JSON.parse(readFileSync(url, 'utf8')) as unknown, url.pathname);
  if (url.href === DEFAULT_MODEL_URL.href) shipped = model;
  return model;
}
