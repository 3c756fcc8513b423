/**
 * What scripts/fit-music-moods.ts and scripts/eval-music-moods.ts share: the dev set's crowd
 * targets, its features as the product extracts them (the decoded excerpts and the features
 * cached under .cache/), ridge regression on standardised features, Spearman's rho and seeded,
 * repeated, nested k-fold cross-validation.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { seededRandom } from '../src/kernel/random.js';
import {
  decodeAudioFile,
  FEATURES_VERSION,
  measureAudio,
  type AudioFeatures,
  type DecodedAudio,
} from '../src/player/analysis/analyze-audio.js';
import { correlation } from '../src/player/analysis/features.js';
import {
  predict,
  standardise,
  transformFeature,
  type Calibration,
  type FeatureTransform,
  type LinearOutput,
  type ModelInput,
  type MusicMoodModel,
} from '../src/player/analysis/model.js';
import { moodsFromPlane } from '../src/player/analysis/mood-plane.js';

export const DEFAULT_DATASET = resolve(import.meta.dirname, '../../shared/datasets/emotify-dev');

/** GEMS emotions that count toward high (+) and low (−) arousal, as the dataset's README defines it. */
export const AROUSAL_TARGET = {
  plus: ['power', 'joyful_activation', 'tension', 'amazement'],
  minus: ['calmness', 'tenderness', 'sadness', 'nostalgia', 'solemnity'],
} as const;
/**
 * Valence, defined the same way: emotions listeners feel as pleasant (+) or unpleasant (−). Power,
 * nostalgia and solemnity are left out: listeners feel them both ways.
 */
export const VALENCE_TARGET = {
  plus: ['joyful_activation', 'amazement', 'tenderness', 'calmness'],
  minus: ['sadness', 'tension'],
} as const;

export interface Piece {
  id: string;
  genre: string;
  listeners: number;
  arousal: number;
  valence: number;
  file: string;
}

/** The pieces of the dev set with their crowd arousal and valence (share plus − share minus). */
export async function readPieces(dataset: string): Promise<Piece[]> {
  const text = await readFile(join(dataset, 'annotations.csv'), 'utf8');
  const [header, ...rows] = text.trim().split('\n');
  const names = (header ?? '').split(',').map((n) => n.trim());
  const col = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`Expected a column \`${name}\` in ${dataset}/annotations.csv, got ${names.join(', ')}`);
    return i;
  };
  const byId = new Map<string, { genre: string; n: number; a: number; v: number }>();
  const score = (cells: string[], target: { plus: readonly string[]; minus: readonly string[] }): number =>
    (target.plus.some((e) => cells[col(e)] === '1') ? 1 : 0) - (target.minus.some((e) => cells[col(e)] === '1') ? 1 : 0);
  for (const row of rows) {
    const cells = row.split(',').map((c) => c.trim());
    const id = cells[col('track id')]!.padStart(3, '0');
    const entry = byId.get(id) ?? { genre: cells[col('genre')]!, n: 0, a: 0, v: 0 };
    entry.n++;
    entry.a += score(cells, AROUSAL_TARGET);
    entry.v += score(cells, VALENCE_TARGET);
    byId.set(id, entry);
  }
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, e]) => ({
      id,
      genre: e.genre,
      listeners: e.n,
      arousal: e.a / e.n,
      valence: e.v / e.n,
      file: join(dataset, 'audio', `${id}.ogg`),
    }));
}

const ANALYSIS_DIR = resolve(import.meta.dirname, '../src/player/analysis');
const CACHE_DIR = resolve(import.meta.dirname, '../.cache');

/** A short hash of the named source files of the analysis (the cache's key: no stale result is ever read). */
async function codeHash(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(file).update(await readFile(join(ANALYSIS_DIR, file)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * A piece's excerpts as the product decodes them, from .cache/ when decoded before by the same
 * decoding code (one `.f32` file of the excerpts' samples end to end and a `.json` beside it).
 */
async function decodedOf(piece: Piece, dir: string | undefined): Promise<DecodedAudio> {
  const file = dir === undefined ? undefined : join(dir, piece.id);
  if (file !== undefined) {
    try {
      const meta = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { source: string; durationS: number | null; lengths: number[] };
      if (meta.source !== piece.file) throw new Error('decoded from another file');
      const bytes = await readFile(`${file}.f32`);
      const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      let offset = 0;
      const excerpts = meta.lengths.map((n) => samples.slice(offset, (offset += n)));
      if (offset === samples.length) return { durationS: meta.durationS, excerpts };
    } catch {
      // not decoded yet (or from another file of that name)
    }
  }
  const decoded = await decodeAudioFile(piece.file);
  if (file !== undefined) {
    const all = new Float32Array(decoded.excerpts.reduce((s, e) => s + e.length, 0));
    let offset = 0;
    for (const e of decoded.excerpts) {
      all.set(e, offset);
      offset += e.length;
    }
    await writeFile(`${file}.f32`, all);
    await writeFile(
      `${file}.json`,
      JSON.stringify({ source: piece.file, durationS: decoded.durationS, lengths: decoded.excerpts.map((e) => e.length) }),
    );
  }
  return decoded;
}

/**
 * The product's features of every piece. With the cache (the default), the features come from
 * .cache/ when extracted before by the same feature version and code, and the decoded excerpts
 * from .cache/ when decoded before by the same decoding code: a change to the features re-measures
 * the 200 pieces without decoding them again.
 */
export async function featuresOf(
  pieces: readonly Piece[],
  options: { cache?: boolean; log?: (line: string) => void } = {},
): Promise<AudioFeatures[]> {
  const isCached = options.cache !== false;
  const measuring = (await readdir(ANALYSIS_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const cacheFile = join(CACHE_DIR, `emotify-dev-features-v${FEATURES_VERSION}-${await codeHash(measuring)}.json`);
  if (isCached) {
    try {
      const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, AudioFeatures>;
      if (pieces.every((p) => cached[p.id] !== undefined)) return pieces.map((p) => cached[p.id]!);
    } catch {
      // no cache yet
    }
  }
  const pcmDir = isCached
    ? join(CACHE_DIR, `emotify-dev-pcm-${await codeHash(['analyze-audio.ts', 'decode.ts', 'quick-probe.ts'])}`)
    : undefined;
  if (pcmDir !== undefined) await mkdir(pcmDir, { recursive: true });
  const out = new Array<AudioFeatures>(pieces.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < pieces.length) {
      const i = next++;
      out[i] = measureAudio(pieces[i]!.file, await decodedOf(pieces[i]!, pcmDir));
      if (++done % 20 === 0) options.log?.(`extracted ${done}/${pieces.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, cpus().length)) }, worker));
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(cacheFile, JSON.stringify(Object.fromEntries(pieces.map((p, i) => [p.id, out[i]]))));
  return out;
}

/** A model input before standardisation. */
export interface InputSpec {
  feature: string;
  transform: FeatureTransform;
}

export function designMatrix(features: readonly AudioFeatures[], inputs: readonly InputSpec[]): (number | null)[][] {
  return features.map((f) => inputs.map((input) => transformFeature(f, input)));
}

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
    const arousal = new Array<number>(pieces.length).fill(0);
    const valence = new Array<number>(pieces.length).fill(0);
    const thresholds = new Array<number>(pieces.length).fill(0);
    let fallbackUsed = 0;
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
      for (const i of test) {
        const point = predict(model, features[i]!);
        arousal[i] = point.arousal;
        valence[i] = point.valence;
        thresholds[i] = meanArousal;
        if (point.by === 'fallback') fallbackUsed++;
      }
    }
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
