/**
 * What each room mood gets from a real, varied library: the 200 pieces of the emotify dev set
 * (classical, rock, electronic, pop), each placed on the plane as the product would place music it
 * was never fitted on (5-fold cross-validation, seed 1: the shipped recipe fitted on four folds,
 * the fifth placed by the product's `predict`, its moods by `moodsFromPlane`). For each emotion of
 * the room, the product's recommender (default emotion → mood table) picks the next song and six
 * suggestions; prints their fits (the fit the kiosk and the admin panel show), and the same with
 * the pieces placed where the listeners' own ratings put them.
 *
 * Run: node --import tsx scripts/measure-room-fits.ts [--dataset DIR]
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/kernel/random.js';
import { loadMusicMoodModel } from '../src/player/analysis/model.js';
import { moodsFromPlane } from '../src/player/analysis/mood-plane.js';
import { DEFAULT_EMOTION_MOODS, EMOTIONS, moodsForEmotions } from '../src/player/moods.js';
import { Recommender, type CandidateTrack } from '../src/player/recommender.js';
import { TrackIndex } from '../src/player/track-index.js';
import { DEFAULT_DATASET, featuresOf, readPieces } from './music-mood-data.js';
import { placeOutOfFold, type ModelRecipe } from './music-mood-fit.js';

/** The fit the issue asks of each room mood's suggestions. */
const GOOD_FIT = 0.5;
const PICKS_SEEDS = 20;

const { values } = parseArgs({ options: { dataset: { type: 'string', default: DEFAULT_DATASET } } });
const model = loadMusicMoodModel();
const pieces = await readPieces(values.dataset);
const features = await featuresOf(pieces, { cache: true, log: (l) => process.stderr.write(`${l}\n`) });
const specs = (inputs: typeof model.inputs): ModelRecipe['inputs'] => inputs.map(({ feature, transform }) => ({ feature, transform }));
const recipe: ModelRecipe = {
  inputs: specs(model.inputs),
  ...(model.fallback ? { fallback: { inputs: specs(model.fallback.inputs), whenOutside: model.fallback.whenOutside } } : {}),
};

const heard = placeOutOfFold(pieces, features, recipe, 1).map((p) => p.point);

/** The pieces as tracks placed at `points`, each its own artist (so no artist rule narrows the picks). */
function library(points: ReadonlyArray<{ valence: number; arousal: number }>): Recommender {
  const tracks: CandidateTrack[] = points.map((point, i) => ({
    id: i + 1,
    artist: `piece ${i + 1}`,
    language: '',
    moods: moodsFromPlane(point).map((m) => ({ ...m, origin: 'audio' })),
    audio: { valence: point.valence, arousal: point.arousal, loudnessLufs: null },
  }));
  return new Recommender(new TrackIndex(tracks));
}

const now = Date.UTC(2026, 5, 1, 12);
const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const rows: string[] = [];
for (const [name, points] of [
  ['analysis', heard],
  ["listeners' ratings", pieces.map((p) => ({ valence: p.valence, arousal: p.arousal }))],
] as const) {
  const recommender = library(points);
  for (const emotion of EMOTIONS) {
    const room = moodsForEmotions({ [emotion]: 1 }, DEFAULT_EMOTION_MOODS);
    const fits: number[] = [];
    let standIn = '';
    const picked = new Set<number>();
    for (let seed = 1; seed <= PICKS_SEEDS; seed++) {
      const r = recommender.recommend({ mood: room, now, suggestions: 6 }, seededRandom(seed));
      for (const pick of [r.next, ...r.suggestions]) {
        if (!pick) continue;
        fits.push(pick.fit);
        picked.add(pick.trackId);
      }
      standIn ||= r.standIn ?? '';
    }
    fits.sort((a, b) => a - b);
    const good = fits.filter((f) => f >= GOOD_FIT).length / fits.length;
    const moods = Object.entries(room)
      .map(([m, w]) => `${m} ${w.toFixed(2)}`)
      .join(', ');
    rows.push(
      `| ${name} | ${emotion} | ${moods} | ${quantile(fits, 0).toFixed(2)} | ${quantile(fits, 0.5).toFixed(2)} | ${(100 * good).toFixed(0)}% | ${picked.size} | ${standIn || '–'} |`,
    );
  }
}
process.stdout.write(
  `emotify-dev: ${pieces.length} pieces, placed out of fold (5 folds, seed 1); the next song and 6 suggestions for each of ${PICKS_SEEDS} seeds\n\n` +
    `| placed by | room | its moods | fit, lowest | fit, median | fits ≥ ${GOOD_FIT} | songs picked | stand-in mood |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n` +
    `${rows.join('\n')}\n`,
);
