/**
 * Does a non-linear model read valence better than ridge from the same 44 inputs? On the emotify
 * dev set, each model is cross-validated as the shipped one is (5 repeats of 5 folds, seeds 1–5,
 * its setting chosen by a 5-fold cross-validation inside each training fold, on squared error):
 *
 * - ridge: the shipped recipe (scripts/music-mood-ridge.ts);
 * - a small neural network: one hidden layer of 8 tanh units, weight decay chosen from 3, an
 *   average of 5 networks from different starting weights, full-batch Adam;
 * - boosted trees: depth-2 regression trees, shrinkage 0.05, 80% of the rows each round, the number
 *   of rounds chosen from 4;
 * - the mean of ridge's and each other model's prediction.
 *
 * Inputs are standardised on the training rows (a missing value is the mean, clipped to ±3
 * deviations) as the product does. Prints a markdown table: Spearman overall (mean ± deviation of
 * the repeats), within genre and per genre.
 *
 * Run: node --import tsx scripts/measure-valence-models.ts [--dataset DIR] [--target valence|arousal]
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/kernel/random.js';
import { loadMusicMoodModel, standardise } from '../src/player/analysis/model.js';
import { DEFAULT_DATASET, designMatrix, featuresOf, readPieces } from './music-mood-data.js';
import { crossValidatedPredictions, figures, kFolds, meanOf, summarise, type Figures } from './music-mood-ridge.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: DEFAULT_DATASET },
    target: { type: 'string', default: 'valence' },
  },
});
const target = values.target === 'arousal' ? 'arousal' : 'valence';

type Row = readonly (number | null)[];
type Predictor = (row: readonly number[]) => number;
interface Learner {
  settings: readonly number[];
  fit: (x: readonly number[][], y: readonly number[], setting: number, seed: number) => Predictor;
}

/** Standardises rows on `train`'s mean and deviation per column, as the product does (`standardise`). */
function standardiser(train: readonly Row[]): (row: Row) => number[] {
  const p = train[0]?.length ?? 0;
  const stats = Array.from({ length: p }, (_, j) => {
    const vs = train.map((r) => r[j]).filter((v): v is number => v !== null && v !== undefined);
    const mean = meanOf(vs);
    return { mean, std: Math.sqrt(meanOf(vs.map((v) => (v - mean) ** 2))) };
  });
  return (row) => stats.map((input, j) => standardise(row[j] ?? null, input));
}

/** The learner fitted on `rows` of x (standardised on them), predicting from a raw row. */
function fitOn(
  learner: Learner,
  x: readonly Row[],
  y: readonly number[],
  rows: readonly number[],
  setting: number,
  seed: number,
): (row: Row) => number {
  const scale = standardiser(rows.map((i) => x[i]!));
  const predict = learner.fit(
    rows.map((i) => scale(x[i]!)),
    rows.map((i) => y[i]!),
    setting,
    seed,
  );
  return (row) => predict(scale(row));
}

/** One hidden layer of `hidden` tanh units, trained by full-batch Adam on squared error plus `decay`·|W|². */
function fitNetwork(x: readonly number[][], y: readonly number[], decay: number, seed: number, hidden = 8, steps = 400): Predictor {
  const random = seededRandom(seed);
  const n = x.length;
  const p = x[0]?.length ?? 0;
  const yMean = meanOf(y);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  // Parameters in one array: W1 (hidden × p), b1 (hidden), w2 (hidden), b2.
  const size = hidden * p + hidden + hidden + 1;
  const w = new Float64Array(size);
  for (let i = 0; i < hidden * p; i++) w[i] = gauss() / Math.sqrt(p);
  for (let i = 0; i < hidden; i++) w[hidden * p + hidden + i] = gauss() / Math.sqrt(hidden);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const h = new Float64Array(hidden);
  const [b1, w2, b2] = [hidden * p, hidden * p + hidden, hidden * p + 2 * hidden];
  for (let step = 1; step <= steps; step++) {
    grad.fill(0);
    for (let r = 0; r < n; r++) {
      const row = x[r]!;
      let out = w[b2]!;
      for (let k = 0; k < hidden; k++) {
        let s = w[b1 + k]!;
        for (let j = 0; j < p; j++) s += w[k * p + j]! * row[j]!;
        h[k] = Math.tanh(s);
        out += w[w2 + k]! * h[k]!;
      }
      const e = (2 * (out - (y[r]! - yMean))) / n;
      grad[b2] = grad[b2]! + e;
      for (let k = 0; k < hidden; k++) {
        grad[w2 + k] = grad[w2 + k]! + e * h[k]!;
        const d = e * w[w2 + k]! * (1 - h[k]! ** 2);
        grad[b1 + k] = grad[b1 + k]! + d;
        for (let j = 0; j < p; j++) grad[k * p + j] = grad[k * p + j]! + d * row[j]!;
      }
    }
    for (let i = 0; i < hidden * p; i++) grad[i] = grad[i]! + 2 * decay * w[i]!;
    for (let i = 0; i < hidden; i++) grad[w2 + i] = grad[w2 + i]! + 2 * decay * w[w2 + i]!;
    for (let i = 0; i < size; i++) {
      m[i] = 0.9 * m[i]! + 0.1 * grad[i]!;
      v[i] = 0.999 * v[i]! + 0.001 * grad[i]! ** 2;
      w[i] = w[i]! - (0.01 * (m[i]! / (1 - 0.9 ** step))) / (Math.sqrt(v[i]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return (row) => {
    let out = w[b2]! + yMean;
    for (let k = 0; k < hidden; k++) {
      let s = w[b1 + k]!;
      for (let j = 0; j < p; j++) s += w[k * p + j]! * row[j]!;
      out += w[w2 + k]! * Math.tanh(s);
    }
    return out;
  };
}

const network: Learner = {
  settings: [0.003, 0.03, 0.3],
  fit: (x, y, decay, seed) => {
    const nets = Array.from({ length: 5 }, (_, i) => fitNetwork(x, y, decay, seed * 10 + i));
    return (row) => meanOf(nets.map((net) => net(row)));
  },
};

interface Stump {
  feature: number;
  threshold: number;
  left: Stump | number;
  right: Stump | number;
}

const THRESHOLDS = [-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5];

/** A regression tree of `depth` on the residuals `r` of `rows`, splits at fixed standardised thresholds. */
function growTree(x: readonly number[][], r: readonly number[], rows: readonly number[], depth: number): Stump | number {
  const mean = meanOf(rows.map((i) => r[i]!));
  if (depth === 0 || rows.length < 10) return mean;
  let best: { feature: number; threshold: number; gain: number } | undefined;
  const p = x[0]?.length ?? 0;
  const total = rows.reduce((s, i) => s + r[i]!, 0);
  for (let j = 0; j < p; j++) {
    for (const t of THRESHOLDS) {
      let sumL = 0;
      let nL = 0;
      for (const i of rows) {
        if (x[i]![j]! <= t) {
          sumL += r[i]!;
          nL++;
        }
      }
      const nR = rows.length - nL;
      if (nL < 5 || nR < 5) continue;
      const gain = (sumL * sumL) / nL + ((total - sumL) * (total - sumL)) / nR;
      if (best === undefined || gain > best.gain) best = { feature: j, threshold: t, gain };
    }
  }
  if (best === undefined) return mean;
  const { feature, threshold } = best;
  return {
    feature,
    threshold,
    left: growTree(
      x,
      r,
      rows.filter((i) => x[i]![feature]! <= threshold),
      depth - 1,
    ),
    right: growTree(
      x,
      r,
      rows.filter((i) => x[i]![feature]! > threshold),
      depth - 1,
    ),
  };
}

function treeAt(tree: Stump | number, row: readonly number[]): number {
  return typeof tree === 'number' ? tree : treeAt(row[tree.feature]! <= tree.threshold ? tree.left : tree.right, row);
}

const trees: Learner = {
  settings: [50, 100, 200, 400],
  fit: (x, y, rounds, seed) => {
    const random = seededRandom(seed);
    const base = meanOf(y);
    const pred = y.map(() => base);
    const grown: Array<Stump | number> = [];
    for (let k = 0; k < rounds; k++) {
      const residual = y.map((v, i) => v - pred[i]!);
      const rows = x.map((_, i) => i).filter(() => random.next() < 0.8);
      const tree = growTree(x, residual, rows, 2);
      grown.push(tree);
      for (let i = 0; i < x.length; i++) pred[i] = pred[i]! + 0.05 * treeAt(tree, x[i]!);
    }
    return (row) => grown.reduce<number>((s, tree) => s + 0.05 * treeAt(tree, row), base);
  },
};

/** Out-of-fold predictions of one repeat, the learner's setting chosen inside each training fold. */
function crossValidatedLearner(x: readonly Row[], y: readonly number[], learner: Learner, seed: number): number[] {
  const out = new Array<number>(x.length).fill(0);
  for (const [f, test] of kFolds(x.length, 5, seed).entries()) {
    const inTest = new Set(test);
    const train = x.map((_, i) => i).filter((i) => !inTest.has(i));
    let best = learner.settings[0]!;
    let bestError = Infinity;
    for (const setting of learner.settings) {
      let error = 0;
      for (const inner of kFolds(train.length, 5, seed * 100 + f)) {
        const innerTest = new Set(inner);
        const innerTrain = train.filter((_, i) => !innerTest.has(i));
        const predict = fitOn(learner, x, y, innerTrain, setting, seed * 1000 + f);
        for (const i of inner) error += (predict(x[train[i]!]!) - y[train[i]!]!) ** 2;
      }
      if (error < bestError) {
        bestError = error;
        best = setting;
      }
    }
    const predict = fitOn(learner, x, y, train, best, seed * 1000 + f);
    for (const i of test) out[i] = predict(x[i]!);
  }
  return out;
}

const model = loadMusicMoodModel();
const pieces = await readPieces(values.dataset);
const features = await featuresOf(pieces, { log: (l) => process.stderr.write(`${l}\n`) });
const specs = model.inputs.map(({ feature, transform }) => ({ feature, transform }));
const x = designMatrix(features, specs);
const y = pieces.map((p) => p[target]);
const rank = (values: readonly number[]): number[] => {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  order.forEach(([, i], r) => (out[i] = r / values.length));
  return out;
};

const rows: Record<string, Figures[]> = { ridge: [], network: [], 'boosted trees': [], 'ridge + network': [], 'ridge + trees': [] };
for (let seed = 1; seed <= 5; seed++) {
  const started = Date.now();
  const ridge = crossValidatedPredictions(x, y, specs, seed).predictions;
  const net = crossValidatedLearner(x, y, network, seed);
  const boosted = crossValidatedLearner(x, y, trees, seed);
  const zeros = y.map(() => 0);
  const blend = (a: number[], b: number[]): number[] => rank(a).map((v, i) => v + rank(b)[i]!);
  rows['ridge']!.push(figures(pieces, y, ridge, zeros));
  rows['network']!.push(figures(pieces, y, net, zeros));
  rows['boosted trees']!.push(figures(pieces, y, boosted, zeros));
  rows['ridge + network']!.push(figures(pieces, y, blend(ridge, net), zeros));
  rows['ridge + trees']!.push(figures(pieces, y, blend(ridge, boosted), zeros));
  process.stderr.write(`repeat ${seed}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
const genres = Object.keys(rows['ridge']![0]!.byGenre);
const lines = [
  `${target}, emotify-dev (${pieces.length} pieces), the ${specs.length} inputs of model version ${model.version}; 5 × 5-fold nested cross-validation, seeds 1-5`,
  '',
  `| model | Spearman, all | within genre | ${genres.join(' | ')} |`,
  `| --- | --- | --- | ${genres.map(() => '---').join(' | ')} |`,
  ...Object.entries(rows).map(([name, repeats]) => {
    const s = summarise(repeats);
    return `| ${name} | ${s.overall[0].toFixed(3)} ± ${s.overall[1].toFixed(3)} | ${s.withinGenre[0].toFixed(3)} | ${genres.map((g) => s.byGenre[g]![0].toFixed(3)).join(' | ')} |`;
  }),
];
process.stdout.write(`${lines.join('\n')}\n`);
