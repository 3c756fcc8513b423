/**
 * Ridge regression on standardised features, Spearman's rho and seeded, repeated, nested k-fold
 * cross-validation: the statistics of scripts/fit-music-moods.ts and scripts/eval-music-moods.ts,
 * on the data of music-mood-data.ts.
 */
import { seededRandom } from '../src/kernel/random.js';
import { correlation } from '../src/player/analysis/tonality.js';
import { standardise, type ModelInput } from '../src/player/analysis/model.js';
import type { InputSpec, Piece } from './music-mood-data.js';

/** Solves A x = b for a symmetric positive definite A (Cholesky). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

export interface RidgeFit {
  inputs: ModelInput[];
  intercept: number;
  weights: number[];
}

/**
 * Ridge regression on features standardised with the training rows' mean and deviation (a missing
 * value counts as the mean; values clipped to ±3 deviations, as the product does); `lambda` is per row (the penalty is lambda · n · |w|²).
 */
export function fitRidge(x: readonly (number | null)[][], y: readonly number[], specs: readonly InputSpec[], lambda: number): RidgeFit {
  const n = x.length;
  const p = specs.length;
  const inputs: ModelInput[] = specs.map((spec, j) => {
    const values = x.map((row) => row[j]).filter((v): v is number => v !== null);
    const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length)) || 1;
    return { ...spec, mean, std };
  });
  const z = x.map((row) => row.map((v, j) => standardise(v, inputs[j]!)));
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  const a = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? lambda * n : 0)));
  const b = new Array<number>(p).fill(0);
  for (let r = 0; r < n; r++) {
    const row = z[r]!;
    for (let i = 0; i < p; i++) {
      b[i] = b[i]! + row[i]! * (y[r]! - yMean);
      for (let j = 0; j < p; j++) a[i]![j] = a[i]![j]! + row[i]! * row[j]!;
    }
  }
  return { inputs, intercept: yMean, weights: solve(a, b) };
}

export function predictRidge(fit: RidgeFit, row: readonly (number | null)[]): number {
  return fit.inputs.reduce((s, input, j) => s + fit.weights[j]! * standardise(row[j] ?? null, input), fit.intercept);
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation (ties get their mean rank). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return correlation(ranks(a), ranks(b));
}

/** Indices 0 … n−1 split into k folds by a seeded shuffle. */
export function kFolds(n: number, k: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

export const LAMBDAS = [0.01, 0.03, 0.1, 0.3, 1, 3] as const;

/** The lambda with the lowest squared error in a k-fold cross-validation of the given rows. */
export function chooseLambda(
  x: readonly (number | null)[][],
  y: readonly number[],
  specs: readonly InputSpec[],
  seed: number,
  k = 5,
): number {
  const folds = kFolds(x.length, k, seed);
  let best: number = LAMBDAS[0];
  let bestError = Infinity;
  for (const lambda of LAMBDAS) {
    let error = 0;
    for (const test of folds) {
      const inTest = new Set(test);
      const train = x.map((_, i) => i).filter((i) => !inTest.has(i));
      const fit = fitRidge(
        train.map((i) => x[i]!),
        train.map((i) => y[i]!),
        specs,
        lambda,
      );
      for (const i of test) error += (predictRidge(fit, x[i]!) - y[i]!) ** 2;
    }
    if (error < bestError) {
      bestError = error;
      best = lambda;
    }
  }
  return best;
}

/** Out-of-fold predictions of one repeat of nested cross-validation (lambda chosen inside each training fold). */
export function crossValidatedPredictions(
  x: readonly (number | null)[][],
  y: readonly number[],
  specs: readonly InputSpec[],
  seed: number,
  k = 5,
): { predictions: number[]; thresholds: number[]; lambdas: number[] } {
  const predictions = new Array<number>(x.length).fill(0);
  const thresholds = new Array<number>(x.length).fill(0);
  const lambdas: number[] = [];
  for (const [f, test] of kFolds(x.length, k, seed).entries()) {
    const inTest = new Set(test);
    const train = x.map((_, i) => i).filter((i) => !inTest.has(i));
    const trainX = train.map((i) => x[i]!);
    const trainY = train.map((i) => y[i]!);
    const lambda = chooseLambda(trainX, trainY, specs, seed * 100 + f);
    lambdas.push(lambda);
    const fit = fitRidge(trainX, trainY, specs, lambda);
    for (const i of test) {
      predictions[i] = predictRidge(fit, x[i]!);
      thresholds[i] = fit.intercept;
    }
  }
  return { predictions, thresholds, lambdas };
}

export interface Figures {
  overall: number;
  byGenre: Record<string, number>;
  /** Calm-versus-energetic accuracy on the bottom and top thirds of the target (arousal only). */
  thirds: number;
}

/** Spearman overall and per genre, and the calm-vs-energetic call on the clear thirds. */
export function figures(
  pieces: readonly Piece[],
  target: readonly number[],
  predictions: readonly number[],
  thresholds: readonly number[],
): Figures {
  const byGenre: Record<string, number> = {};
  for (const genre of [...new Set(pieces.map((p) => p.genre))].sort()) {
    const idx = pieces.map((p, i) => (p.genre === genre ? i : -1)).filter((i) => i >= 0);
    byGenre[genre] = spearman(
      idx.map((i) => target[i]!),
      idx.map((i) => predictions[i]!),
    );
  }
  const sorted = [...target].sort((a, b) => a - b);
  const low = sorted[Math.floor(sorted.length / 3) - 1]!;
  const high = sorted[Math.ceil((2 * sorted.length) / 3)]!;
  let right = 0;
  let total = 0;
  target.forEach((t, i) => {
    if (t <= low || t >= high) {
      total++;
      if (predictions[i]! > thresholds[i]! === t >= high) right++;
    }
  });
  return { overall: spearman(target, predictions), byGenre, thirds: total > 0 ? right / total : 0 };
}

/** Repeated nested cross-validation: the figures of each repeat (seeds 1 … repeats). */
export function crossValidate(
  pieces: readonly Piece[],
  x: readonly (number | null)[][],
  target: readonly number[],
  specs: readonly InputSpec[],
  repeats = 5,
): { repeats: Figures[]; lambdas: number[] } {
  const out: Figures[] = [];
  const lambdas: number[] = [];
  for (let seed = 1; seed <= repeats; seed++) {
    const cv = crossValidatedPredictions(x, target, specs, seed);
    lambdas.push(...cv.lambdas);
    out.push(figures(pieces, target, cv.predictions, cv.thresholds));
  }
  return { repeats: out, lambdas };
}

export const meanOf = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);

/** Mean and standard deviation over the repeats of each figure. */
export function summarise(repeats: readonly Figures[]): {
  overall: [number, number];
  byGenre: Record<string, [number, number]>;
  withinGenre: [number, number];
  thirds: [number, number];
} {
  const stat = (values: number[]): [number, number] => {
    const m = meanOf(values);
    return [m, Math.sqrt(meanOf(values.map((v) => (v - m) ** 2)))];
  };
  const genres = Object.keys(repeats[0]?.byGenre ?? {});
  return {
    overall: stat(repeats.map((r) => r.overall)),
    byGenre: Object.fromEntries(genres.map((g) => [g, stat(repeats.map((r) => r.byGenre[g]!))])),
    withinGenre: stat(repeats.map((r) => meanOf(Object.values(r.byGenre)))),
    thirds: stat(repeats.map((r) => r.thirds)),
  };
}
