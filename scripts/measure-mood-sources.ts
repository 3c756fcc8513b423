/**
 * How a track's moods should combine what the analysis heard with the genre rules, measured on the
 * emotify dev set (real music; each piece's genre is known, so the genre rules can be applied as
 * if it were tagged). For each way of placing a piece on the valence/arousal plane: Spearman's rho
 * with the crowd over all pieces and within each genre (mean of 4), for arousal and valence.
 *
 * - rules: the point of the moods the genre rules give the piece's genre (`suggestMoods`), as the
 *   recommender placed untagged-but-genred tracks before;
 * - audio: the analysis's point, out of fold (the shipped model's recipe, nested 5-fold CV, seeds 1-5);
 * - blends: w·audio + (1−w)·rules for w = 0.25, 0.5, 0.75.
 *
 * Run: node --import tsx scripts/measure-mood-sources.ts [--dataset DIR] (reads the features
 * cached by scripts/eval-music-moods.ts, or extracts them)
 */
import { parseArgs } from 'node:util';
import { loadMusicMoodModel } from '../src/player/analysis/model.js';
import { suggestMoods } from '../src/player/library/mood-tags.js';
import { DEFAULT_MOOD_COORDINATES } from '../src/player/moods.js';
import { DEFAULT_DATASET, designMatrix, featuresOf, readPieces } from './music-mood-data.js';
import { planeMapping } from './music-mood-fit.js';
import { crossValidatedPredictions, meanOf, spearman } from './music-mood-ridge.js';

const { values } = parseArgs({ options: { dataset: { type: 'string', default: DEFAULT_DATASET } } });
const model = loadMusicMoodModel();
const pieces = await readPieces(values.dataset);
const features = await featuresOf(pieces, { cache: true, log: (l) => process.stderr.write(`${l}\n`) });
const x = designMatrix(features, model.inputs);
const genres = [...new Set(pieces.map((p) => p.genre))].sort();

/** The genre rules' point for a genre: the weighted mean of its moods' coordinates (0 when it gets none). */
function rulePoint(genre: string): { valence: number; arousal: number } {
  let [v, a, w] = [0, 0, 0];
  for (const m of suggestMoods({ genre })) {
    const at = DEFAULT_MOOD_COORDINATES[m.mood];
    if (at === undefined) continue;
    v += at.valence * m.weight;
    a += at.arousal * m.weight;
    w += m.weight;
  }
  return w === 0 ? { valence: 0, arousal: 0 } : { valence: v / w, arousal: a / w };
}

function score(target: readonly number[], predicted: readonly number[]): { overall: number; withinGenre: number } {
  const within = genres.map((g) => {
    const idx = pieces.map((p, i) => (p.genre === g ? i : -1)).filter((i) => i >= 0);
    const t = idx.map((i) => target[i]!);
    const p = idx.map((i) => predicted[i]!);
    // A constant prediction ranks nothing within the genre.
    return new Set(p).size === 1 ? 0 : spearman(t, p);
  });
  return { overall: spearman(target, predicted), withinGenre: meanOf(within) };
}

const WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;
const rows: string[] = [];
for (const target of ['arousal', 'valence'] as const) {
  const y = pieces.map((p) => p[target]);
  const rules = pieces.map((p) => rulePoint(p.genre)[target]);
  const results = new Map<number, Array<{ overall: number; withinGenre: number }>>();
  for (let seed = 1; seed <= 5; seed++) {
    const { predictions } = crossValidatedPredictions(x, y, model.inputs, seed);
    const { center, gain } = planeMapping(predictions);
    const audio = predictions.map((p) => Math.max(-1, Math.min(1, (p - center) * gain)));
    for (const w of WEIGHTS) {
      const blend = audio.map((a, i) => w * a + (1 - w) * rules[i]!);
      results.set(w, [...(results.get(w) ?? []), score(y, blend)]);
    }
  }
  for (const w of WEIGHTS) {
    const r = results.get(w) ?? [];
    const name = w === 0 ? 'genre rules alone' : w === 1 ? 'audio alone' : `${w} audio + ${1 - w} rules`;
    rows.push(
      `| ${target} | ${name} | ${meanOf(r.map((s) => s.overall)).toFixed(3)} | ${meanOf(r.map((s) => s.withinGenre)).toFixed(3)} |`,
    );
  }
}
process.stdout.write(
  [
    `emotify-dev: ${pieces.length} pieces (${genres.join(', ')}), model version ${model.version}; audio out of fold, mean of 5 repeats`,
    '',
    '| target | placed by | Spearman, all pieces | Spearman, within genre |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
