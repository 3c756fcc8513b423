/**
 * Evaluates how Moodbox hears music, on the emotify dev set: the product's own analysis
 * (analyzeAudioFile) of every piece, then the shipped model's recipe (its inputs, ridge, lambda
 * chosen inside each training fold) cross-validated: 5 repeats of 5 folds, seeds 1–5. Prints
 * Spearman's rho for arousal and valence over all pieces and within each genre, and the
 * calm-versus-energetic call on the bottom and top thirds of the crowd's arousal (mean ± sd over
 * the repeats). Nothing here is tuned: see scripts/fit-music-moods.ts for the fit.
 *
 * Run: node --import tsx scripts/eval-music-moods.ts [--dataset DIR] [--no-cache] [--json]
 * (--no-cache re-extracts the features instead of reading .cache/; about 3 minutes on two cores)
 */
import { parseArgs } from 'node:util';
import { loadMusicMoodModel } from '../src/player/analysis/model.js';
import {
  crossValidate,
  DEFAULT_DATASET,
  designMatrix,
  featuresOf,
  readPieces,
  summarise,
  AROUSAL_TARGET,
  VALENCE_TARGET,
} from './music-mood-data.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: DEFAULT_DATASET },
    'no-cache': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const model = loadMusicMoodModel();
const pieces = await readPieces(values.dataset);
const features = await featuresOf(pieces, { cache: !values['no-cache'], log: (l) => process.stderr.write(`${l}\n`) });
const x = designMatrix(features, model.inputs);
const results = Object.fromEntries(
  (['arousal', 'valence'] as const).map((target) => {
    const y = pieces.map((p) => p[target]);
    return [target, summarise(crossValidate(pieces, x, y, model.inputs).repeats)];
  }),
);
if (values.json) {
  process.stdout.write(`${JSON.stringify({ pieces: pieces.length, modelVersion: model.version, ...results })}\n`);
} else {
  const f = ([m, s]: [number, number]): string => `${m.toFixed(3)} ± ${s.toFixed(3)}`;
  const lines = [
    `emotify-dev: ${pieces.length} pieces; model version ${model.version} (${model.inputs.length} inputs); 5 × 5-fold nested cross-validation, seeds 1-5`,
    `arousal = share ticking ${AROUSAL_TARGET.plus.join('/')} - share ticking ${AROUSAL_TARGET.minus.join('/')}`,
    `valence = share ticking ${VALENCE_TARGET.plus.join('/')} - share ticking ${VALENCE_TARGET.minus.join('/')}`,
    '',
    '| | arousal | valence |',
    '| --- | --- | --- |',
    `| Spearman, all pieces | ${f(results['arousal']!.overall)} | ${f(results['valence']!.overall)} |`,
    `| Spearman, within genre (mean of 4) | ${f(results['arousal']!.withinGenre)} | ${f(results['valence']!.withinGenre)} |`,
    ...Object.keys(results['arousal']!.byGenre).map(
      (g) => `| Spearman, ${g} | ${f(results['arousal']!.byGenre[g]!)} | ${f(results['valence']!.byGenre[g]!)} |`,
    ),
    `| calm vs energetic, clear thirds | ${(100 * results['arousal']!.thirds[0]).toFixed(1)}% ± ${(100 * results['arousal']!.thirds[1]).toFixed(1)} | |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
