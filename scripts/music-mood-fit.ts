/**
 * A music mood model fitted as the product uses it, and that recipe cross-validated: each output's
 * ridge fit and its calibration onto the plane, the ranges of the inputs, the fallback, the shares
 * of the top moods. Used by scripts/fit-music-moods.ts and scripts/eval-music-moods.ts.
 */
import type { AudioFeatures } from '../src/player/analysis/analyze-audio.js';
import { predict, type Calibration, type LinearOutput, type ModelInput, type MusicMoodModel } from '../src/player/analysis/model.js';
import { moodsFromPlane } from '../src/player/analysis/mood-plane.js';
import { designMatrix, type InputSpec, type Piece } from './music-mood-data.js';
import { chooseLambda, figures, fitRidge, kFolds, meanOf, predictRidge, summarise, type Figures } from './music-mood-ridge.js';

/** The mapping of raw predictions to the plane: centre on the training mean, the 5th–95th percentile of the fitted values to ±0.8. */
export function planeMapping(fitted: readonly number[]): Pick<LinearOutput, 'center' | 'gain'> {
  const sorted = [...fitted].sort((a, b) => a - b);
  const center = meanOf(fitted);
  const at = (p: number): number => sorted[Math.round(p * (sorted.length - 1))]!;
  const spread = Math.max(Math.abs(at(0.95) - center), Math.abs(center - at(0.05))) || 1;
  return { center, gain: 0.8 / spread };
}

/** How many knots the calibration has: the predictions' deciles, ends included. */
export const CALIBRATION_KNOTS = 11;

/** The value at quantile `p` (0–1) of sorted values, linearly between neighbours. */
function quantile(sorted: readonly number[], p: number): number {
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const sdOf = (values: readonly number[]): number => {
  const m = meanOf(values);
  return Math.sqrt(meanOf(values.map((v) => (v - m) ** 2)));
};

/**
 * The calibration that puts predictions where the listeners are: the predictions' quantiles (0,
 * 0.1, … 1) onto the targets' same quantiles, and, beyond the ends, the slope that matches their
 * spreads (`gain`, with `center` the linear mapping of mean onto mean and spread onto spread).
 * Knots that tie are merged, so the raw knots increase.
 */
export function quantileCalibration(
  predictions: readonly number[],
  targets: readonly number[],
  knots = CALIBRATION_KNOTS,
): Pick<LinearOutput, 'center' | 'gain'> & { calibration: Calibration } {
  const p = [...predictions].sort((a, b) => a - b);
  const t = [...targets].sort((a, b) => a - b);
  const raw: number[] = [];
  const plane: number[] = [];
  for (let k = 0; k < knots; k++) {
    const x = quantile(p, k / (knots - 1));
    const y = Math.max(-1, Math.min(1, quantile(t, k / (knots - 1))));
    if (raw.length > 0 && x <= raw.at(-1)!) continue;
    raw.push(x);
    plane.push(y);
  }
  const gain = sdOf(targets) / (sdOf(predictions) || 1);
  return { center: meanOf(predictions) - meanOf(targets) / gain, gain, calibration: { raw, plane } };
}

/** One output fitted for the product: ridge with lambda chosen by k-fold CV, and its calibration. */
export interface FittedOutput extends LinearOutput {
  lambda: number;
}

/**
 * Fits one output: lambda by 5-fold CV (seeded), ridge on all rows, and the calibration from
 * out-of-fold predictions of the same recipe (another 5 folds): what the model predicts for music
 * it was not fitted on, whose spread is what a library's tracks will have.
 */
export function fitOutput(
  x: readonly (number | null)[][],
  y: readonly number[],
  specs: readonly InputSpec[],
  seed: number,
): { inputs: ModelInput[]; output: FittedOutput } {
  const lambda = chooseLambda(x, y, specs, seed);
  const fit = fitRidge(x, y, specs, lambda);
  const outOfFold = new Array<number>(x.length).fill(0);
  for (const test of kFolds(x.length, 5, seed + 50_000)) {
    const inTest = new Set(test);
    const train = x.map((_, i) => i).filter((i) => !inTest.has(i));
    const inner = fitRidge(
      train.map((i) => x[i]!),
      train.map((i) => y[i]!),
      specs,
      lambda,
    );
    for (const i of test) outOfFold[i] = predictRidge(inner, x[i]!);
  }
  return {
    inputs: fit.inputs,
    output: { intercept: fit.intercept, weights: fit.weights, ...quantileCalibration(outOfFold, y), lambda },
  };
}

/** The standardised range (before clipping) of each input over the rows: what the model has heard. */
function withRanges(inputs: readonly ModelInput[], x: readonly (number | null)[][]): ModelInput[] {
  return inputs.map((input, j) => {
    const z = x
      .map((row) => row[j])
      .filter((v): v is number => v !== null)
      .map((v) => (v - input.mean) / input.std);
    return { ...input, range: [Math.min(...z), Math.max(...z)] as const };
  });
}

/** What a mood model is fitted from: its inputs, and the fallback's inputs and when it takes over. */
export interface ModelRecipe {
  inputs: readonly InputSpec[];
  fallback?: { inputs: readonly InputSpec[]; whenOutside: number };
}

/** A mood model (no provenance) fitted on the given pieces as the product uses it: calibrated outputs, ranges, the fallback. */
export function fitMoodModel(
  features: readonly AudioFeatures[],
  targets: { arousal: readonly number[]; valence: readonly number[] },
  recipe: ModelRecipe,
  seed: number,
  version = 0,
): MusicMoodModel & { arousal: FittedOutput; valence: FittedOutput } {
  const fitBoth = (specs: readonly InputSpec[], s: number) => {
    const x = designMatrix(features, specs);
    const arousal = fitOutput(x, targets.arousal, specs, s);
    const valence = fitOutput(x, targets.valence, specs, s);
    return { inputs: withRanges(arousal.inputs, x), arousal: arousal.output, valence: valence.output };
  };
  const main = fitBoth(recipe.inputs, seed);
  const fallback =
    recipe.fallback === undefined ? undefined : { ...fitBoth(recipe.fallback.inputs, seed), whenOutside: recipe.fallback.whenOutside };
  return { version, ...main, ...(fallback === undefined ? {} : { fallback }) };
}

/** The moods in the order the share table lists them. */
export const SHARE_MOODS = ['calm', 'mellow', 'uplifting', 'upbeat', 'energetic', 'power'] as const;

/** The share (0–1) of points whose top mood is each mood. */
export function topMoodShares(points: readonly { arousal: number; valence: number }[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(SHARE_MOODS.map((m) => [m, 0]));
  for (const point of points) {
    const top = moodsFromPlane(point)[0]?.mood ?? '';
    counts[top] = (counts[top] ?? 0) + 1 / points.length;
  }
  return counts;
}

/** One repeat of the product's recipe cross-validated: the figures, the top-mood shares, how often the fallback placed a piece. */
export interface ModelRepeat {
  arousal: Figures;
  valence: Figures;
  shares: Record<string, number>;
  fallbackUsed: number;
}

/**
 * Repeated nested cross-validation of the whole recipe as the product runs it: in each training
 * fold, lambda, the calibration and the ranges are fitted (fitMoodModel); the pieces left out are
 * placed on the plane by the product's `predict`, and the figures and shares come from there.
 */
export function crossValidateModel(
  pieces: readonly Piece[],
  features: readonly AudioFeatures[],
  recipe: ModelRecipe,
  repeats = 5,
): ModelRepeat[] {
  const out: ModelRepeat[] = [];
  for (let seed = 1; seed <= repeats; seed++) {
    const placed = placeOutOfFold(pieces, features, recipe, seed);
    const arousal = placed.map((p) => p.point.arousal);
    const valence = placed.map((p) => p.point.valence);
    const thresholds = placed.map((p) => p.meanArousal);
    const fallbackUsed = placed.filter((p) => p.point.by === 'fallback').length;
    out.push({
      arousal: figures(
        pieces,
        pieces.map((p) => p.arousal),
        arousal,
        thresholds,
      ),
      valence: figures(
        pieces,
        pieces.map((p) => p.valence),
        valence,
        thresholds,
      ),
      shares: topMoodShares(arousal.map((a, i) => ({ arousal: a, valence: valence[i]! }))),
      fallbackUsed,
    });
  }
  return out;
}

/**
 * Each piece placed on the plane by the product's `predict` from the recipe fitted on the other
 * four folds (5 folds, `seed`; lambda, the calibration and the ranges fitted inside the training
 * folds), with its training folds' mean arousal.
 */
export function placeOutOfFold(
  pieces: readonly Piece[],
  features: readonly AudioFeatures[],
  recipe: ModelRecipe,
  seed: number,
): Array<{ point: ReturnType<typeof predict>; meanArousal: number }> {
  const out = new Array<{ point: ReturnType<typeof predict>; meanArousal: number }>(pieces.length);
  for (const [f, test] of kFolds(pieces.length, 5, seed).entries()) {
    const inTest = new Set(test);
    const train = pieces.map((_, i) => i).filter((i) => !inTest.has(i));
    const model = fitMoodModel(
      train.map((i) => features[i]!),
      { arousal: train.map((i) => pieces[i]!.arousal), valence: train.map((i) => pieces[i]!.valence) },
      recipe,
      seed * 100 + f,
    );
    const meanArousal = meanOf(train.map((i) => pieces[i]!.arousal));
    for (const i of test) out[i] = { point: predict(model, features[i]!), meanArousal };
  }
  return out;
}

export type Stat = [mean: number, sd: number];

/** Mean and standard deviation over the repeats of `crossValidateModel`. */
export interface ModelSummary {
  arousal: ReturnType<typeof summarise>;
  valence: ReturnType<typeof summarise>;
  shares: Record<string, Stat>;
  fallbackUsed: Stat;
}

export function summariseModel(repeats: readonly ModelRepeat[]): ModelSummary {
  const stat = (values: number[]): Stat => {
    const m = meanOf(values);
    return [m, Math.sqrt(meanOf(values.map((v) => (v - m) ** 2)))];
  };
  return {
    arousal: summarise(repeats.map((r) => r.arousal)),
    valence: summarise(repeats.map((r) => r.valence)),
    shares: Object.fromEntries(SHARE_MOODS.map((m) => [m, stat(repeats.map((r) => r.shares[m] ?? 0))])),
    fallbackUsed: stat(repeats.map((r) => r.fallbackUsed)),
  };
}

export type { MusicMoodModel };
