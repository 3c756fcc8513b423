/**
 * Fits the music mood model (models/music-mood.json) on the emotify dev set: ridge regression from
 * the product's own standardised audio features to the crowd's arousal and valence (targets in
 * scripts/music-mood-data.ts). Lambda is chosen by 5-fold cross-validation; the figures written
 * with the model come from repeated nested cross-validation (5 × 5 folds, seeds 1–5, lambda chosen
 * inside each training fold), so no figure is tuned on the pieces it is measured on.
 *
 * Run: node --import tsx scripts/fit-music-moods.ts [--dataset DIR] [--out models/music-mood.json] [--no-cache]
 * Features are cached in .cache/ per feature version; the first run extracts them (a few minutes).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURES_VERSION } from '../src/player/analysis/analyze-audio.js';
import { parseMusicMoodModel, type MusicMoodModel } from '../src/player/analysis/model.js';
import { CONTRAST_EDGES_HZ, MFCC_COUNT } from '../src/player/analysis/timbre.js';
import {
  AROUSAL_TARGET,
  chooseLambda,
  crossValidate,
  DEFAULT_DATASET,
  designMatrix,
  featuresOf,
  fitRidge,
  planeMapping,
  predictRidge,
  readPieces,
  summarise,
  VALENCE_TARGET,
  type InputSpec,
} from './music-mood-data.js';

/**
 * Timbre: the first five cepstral coefficients' mean, deviation and change, and the spectral
 * contrast of six octave bands. Added as groups, each kept because it raised the cross-validated
 * figures (docs/music-analysis.md has the table of what was tried).
 */
const TIMBRE_INPUTS: readonly InputSpec[] = [
  ...(['Mean', 'Std', 'Delta'] as const).flatMap((stat) =>
    Array.from({ length: MFCC_COUNT }, (_, i) => ({ feature: `mfcc${i}${stat}`, transform: 'identity' as const })),
  ),
  ...CONTRAST_EDGES_HZ.map((_, b) => ({ feature: `spectralContrast${b}`, transform: 'identity' as const })),
];

/**
 * The model's inputs: every number the analysis measures but the lengths (log for rates, frequencies
 * and flux). No subset is picked by its score: ridge weighs them.
 */
export const MODEL_INPUTS: readonly InputSpec[] = [
  { feature: 'loudnessLufs', transform: 'identity' },
  { feature: 'loudnessRangeLu', transform: 'identity' },
  { feature: 'onsetRate', transform: 'log' },
  { feature: 'pulseClarity', transform: 'identity' },
  { feature: 'tempoBpm', transform: 'log' },
  { feature: 'spectralCentroidHz', transform: 'log' },
  { feature: 'spectralSpreadHz', transform: 'log' },
  { feature: 'spectralRolloffHz', transform: 'log' },
  { feature: 'spectralFlatness', transform: 'log' },
  { feature: 'spectralFlux', transform: 'log' },
  { feature: 'binFlux', transform: 'log' },
  { feature: 'fluxVariation', transform: 'identity' },
  { feature: 'lowFlux', transform: 'identity' },
  { feature: 'highFlux', transform: 'identity' },
  { feature: 'crestDb', transform: 'identity' },
  { feature: 'chromaFlux', transform: 'identity' },
  { feature: 'brightness', transform: 'identity' },
  { feature: 'bass', transform: 'identity' },
  { feature: 'lowEnergy', transform: 'identity' },
  { feature: 'rmsVariation', transform: 'identity' },
  { feature: 'zeroCrossingRate', transform: 'log' },
  { feature: 'modeStrength', transform: 'identity' },
  { feature: 'keyClarity', transform: 'identity' },
  ...TIMBRE_INPUTS,
];

/** Bump with every refit that changes the shipped coefficients. */
const MODEL_VERSION = 3;

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: DEFAULT_DATASET },
    out: { type: 'string', default: resolve(import.meta.dirname, '../models/music-mood.json') },
    'no-cache': { type: 'boolean', default: false },
  },
});
const pieces = await readPieces(values.dataset);
const features = await featuresOf(pieces, { cache: !values['no-cache'], log: (l) => process.stderr.write(`${l}\n`) });
const x = designMatrix(features, MODEL_INPUTS);
const outputs: Record<'arousal' | 'valence', MusicMoodModel['arousal']> = { arousal: undefined!, valence: undefined! };
const cvFigures: Record<string, unknown> = {};
for (const target of ['arousal', 'valence'] as const) {
  const y = pieces.map((p) => p[target]);
  const cv = summarise(crossValidate(pieces, x, y, MODEL_INPUTS).repeats);
  const lambda = chooseLambda(x, y, MODEL_INPUTS, 1);
  const fit = fitRidge(x, y, MODEL_INPUTS, lambda);
  const fitted = x.map((row) => predictRidge(fit, row));
  outputs[target] = {
    intercept: fit.intercept,
    weights: fit.weights.map((w) => round(w, 6)),
    ...planeMapping(fitted),
    lambda,
  } as MusicMoodModel['arousal'];
  if (target === 'arousal') {
    // The inputs' standardisation is the same for both targets.
    (outputs as { inputs?: unknown }).inputs = fit.inputs.map((i) => ({ ...i, mean: round(i.mean, 6), std: round(i.std, 6) }));
  }
  cvFigures[target] = {
    spearman: { mean: round(cv.overall[0]), sd: round(cv.overall[1]) },
    spearmanWithinGenre: { mean: round(cv.withinGenre[0]), sd: round(cv.withinGenre[1]) },
    spearmanByGenre: Object.fromEntries(Object.entries(cv.byGenre).map(([g, [m, s]]) => [g, { mean: round(m), sd: round(s) }])),
    ...(target === 'arousal' ? { calmVersusEnergeticOnThirds: { mean: round(cv.thirds[0]), sd: round(cv.thirds[1]) } } : {}),
  };
  process.stdout.write(
    `${target}: lambda ${lambda}; cross-validated Spearman ${cv.overall[0].toFixed(3)} ± ${cv.overall[1].toFixed(3)}, ` +
      `within genre ${cv.withinGenre[0].toFixed(3)} (${Object.entries(cv.byGenre)
        .map(([g, [m]]) => `${g} ${m.toFixed(2)}`)
        .join(', ')})` +
      (target === 'arousal' ? `, calm vs energetic on the thirds ${(100 * cv.thirds[0]).toFixed(1)}%` : '') +
      '\n',
  );
}
const { inputs } = outputs as unknown as { inputs: MusicMoodModel['inputs'] };
const model = {
  version: MODEL_VERSION,
  inputs,
  arousal: outputs.arousal,
  valence: outputs.valence,
  provenance: {
    fittedBy: 'scripts/fit-music-moods.ts',
    date: new Date().toISOString().slice(0, 10),
    dataset: `emotify-dev: ${pieces.length} pieces (${[...new Set(pieces.map((p) => p.genre))].join(', ')}), 30 s each, about ${Math.round(pieces.reduce((s, p) => s + p.listeners, 0) / pieces.length)} listeners per piece (Aljanaki et al. 2016)`,
    featuresVersion: FEATURES_VERSION,
    targets: {
      arousal: `share of listeners who ticked any of ${AROUSAL_TARGET.plus.join(', ')} minus share who ticked any of ${AROUSAL_TARGET.minus.join(', ')}`,
      valence: `share of listeners who ticked any of ${VALENCE_TARGET.plus.join(', ')} minus share who ticked any of ${VALENCE_TARGET.minus.join(', ')}`,
    },
    method:
      'ridge regression on features standardised with the dev set mean and deviation (a missing value counts as the mean); lambda (per piece) chosen by 5-fold CV; prediction mapped to the plane as clamp((raw - center) * gain), the fitted values 5th-95th percentile to ±0.8',
    crossValidation:
      'nested: 5 repeats (seeds 1-5) of 5 folds; lambda chosen by an inner 5-fold CV inside each training fold; mean and sd over the repeats',
    figures: cvFigures,
  },
};
parseMusicMoodModel(model);
await writeFile(values.out, `${JSON.stringify(model, null, 2)}\n`);
process.stdout.write(`wrote ${values.out}\n`);
