/**
 * Evaluates how Moodbox hears music, on the emotify dev set: the product's own analysis
 * (analyzeAudioFile) of every piece, then the shipped model's recipe (its inputs, ridge, lambda
 * chosen, the calibration and the ranges fitted inside each training fold, the left-out pieces
 * placed by the product's predict) cross-validated: 5 repeats of 5 folds, seeds 1–5. Prints
 * Spearman's rho for arousal and valence over all pieces and within each genre, the
 * calm-versus-energetic call on the bottom and top thirds of the crowd's arousal, and the share of
 * pieces each mood comes first for, under the analysis and under the listeners' own ratings placed
 * on the plane as they are (mean ± sd over the repeats). Nothing here is tuned: see
 * scripts/fit-music-moods.ts for the fit.
 *
 * Run: node --import tsx scripts/eval-music-moods.ts [--dataset DIR] [--no-cache] [--json]
 * (--no-cache re-extracts the features instead of reading .cache/; about 3 minutes on two cores)
 */
import { parseArgs } from 'node:util';
import { loadMusicMoodModel } from '../src/player/analysis/model.js';
import { DEFAULT_DATASET, featuresOf, readPieces, AROUSAL_TARGET, VALENCE_TARGET } from './music-mood-data.js';
import { crossValidateModel, SHARE_MOODS, summariseModel, topMoodShares, type ModelRecipe } from './music-mood-fit.js';

/** A share is within the target when it is this close (percentage points) to the listeners'. */
const SHARE_TARGET_POINTS = 5;

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
const specs = (inputs: typeof model.inputs): ModelRecipe['inputs'] => inputs.map(({ feature, transform }) => ({ feature, transform }));
const recipe: ModelRecipe = {
  inputs: specs(model.inputs),
  ...(model.fallback ? { fallback: { inputs: specs(model.fallback.inputs), whenOutside: model.fallback.whenOutside } } : {}),
};
const summary = summariseModel(crossValidateModel(pieces, features, recipe));
const results = { arousal: summary.arousal, valence: summary.valence };
const listeners = topMoodShares(pieces);
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ pieces: pieces.length, modelVersion: model.version, ...results, shares: summary.shares, listeners, fallbackUsed: summary.fallbackUsed })}\n`,
  );
} else {
  const f = ([m, s]: [number, number]): string => `${m.toFixed(3)} ± ${s.toFixed(3)}`;
  const lines = [
    `emotify-dev: ${pieces.length} pieces; model version ${model.version} (${model.inputs.length} inputs); 5 × 5-fold nested cross-validation, seeds 1-5`,
    `arousal = share ticking ${AROUSAL_TARGET.plus.join('/')} - share ticking ${AROUSAL_TARGET.minus.join('/')}`,
    `valence = share ticking ${VALENCE_TARGET.plus.join('/')} - share ticking ${VALENCE_TARGET.minus.join('/')}`,
    '',
    '| | arousal | valence |',
    '| --- | --- | --- |',
    `| Spearman, all pieces | ${f(results['arousal'].overall)} | ${f(results['valence'].overall)} |`,
    `| Spearman, within genre (mean of 4) | ${f(results['arousal'].withinGenre)} | ${f(results['valence'].withinGenre)} |`,
    ...Object.keys(results['arousal'].byGenre).map(
      (g) => `| Spearman, ${g} | ${f(results['arousal'].byGenre[g]!)} | ${f(results['valence'].byGenre[g]!)} |`,
    ),
    `| calm vs energetic, clear thirds | ${(100 * results['arousal'].thirds[0]).toFixed(1)}% ± ${(100 * results['arousal'].thirds[1]).toFixed(1)} | |`,
    '',
    `Top mood of each piece: share under the listeners' own ratings (placed on the plane as they are) and under the analysis (target: within ${SHARE_TARGET_POINTS} points)`,
    '',
    '| mood | listeners | analysis | difference | within |',
    '| --- | --- | --- | --- | --- |',
    ...SHARE_MOODS.map((m) => {
      const [share, sd] = summary.shares[m]!;
      const gap = 100 * (share - listeners[m]!);
      return `| ${m} | ${(100 * listeners[m]!).toFixed(1)}% | ${(100 * share).toFixed(1)}% ± ${(100 * sd).toFixed(1)} | ${gap >= 0 ? '+' : ''}${gap.toFixed(1)} | ${Math.abs(gap) <= SHARE_TARGET_POINTS ? 'yes' : 'no'} |`;
    }),
    '',
    `placed by the fallback (music unlike the dev set): ${summary.fallbackUsed[0].toFixed(1)} of ${pieces.length} pieces per repeat`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
