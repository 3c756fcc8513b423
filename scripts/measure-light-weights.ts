/**
 * Calibrates the light rule (`src/vision/light-weight.ts`): how well the shipped emotion model reads
 * a face by the clarity measured on its crop (contrast over the camera's noise, `light-measure.ts`),
 * on FER-2013 faces through the dim-light webcam of `dim-camera.ts` (auto and fixed exposure, from
 * daylight down to 3%). Prints the accuracy by light level, then by clarity in equal-count bins,
 * the table to ship, and how well clarity, noise and brightness each tell a readable face from
 * one that is not (the accuracy spread from their worst to best decile). `--rooms all` adds the
 * harder rooms of docs/light.md (auto exposure): a background 4x brighter than the face, a warm
 * bulb's and candles' colour; the bins and the table are then of all the faces together.
 *
 * `--shrink S` reads each face as a camera S px wide sees it (shrunk after the camera, then scaled
 * back up, as `moodbox eval --shrink`) and prints, for each room, the vote the daemon gives such a
 * face (its size's weight times its light's, `vote-weight.ts` and `light-measure.ts`) beside what its
 * accuracy earns on the same scale: whether the two weights, each calibrated alone, hold together.
 * With `--sensor`, the face is shrunk first and the camera's grain added at its own size, as a
 * sensor adds it to a small face, then scaled up as the daemon crops it; each room then prints the
 * vote with the light measured on the crop and on the face as framed (`measureLight` of the S x S
 * face before it is scaled up) and weighed as the daemon weighs it (`vote-weight.ts`), and
 * the end prints that size's rows of `SMALL_FACE_LIGHT` to ship (accuracy by the framed face's
 * clarity, lit and dark faces apart).
 *
 *   node --import tsx scripts/measure-light-weights.ts [--csv ../shared/datasets/fer2013/fer2013.csv.gz]
 *     [--usage PublicTest] [--limit 3589] [--bins 10] [--model models/emotion-int8.onnx] [--seed 1]
 *     [--rooms plain|all] [--shrink 24 [--sensor]]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureFaceLight, type FaceLight } from '../src/vision/light-measure.js';
import { ACCURACY_BY_CLARITY, faceWeigher, lightWeigher, SMALL_FACE_LIGHT, smallFaceWeigher } from '../src/vision/vote-weight.js';
import { loadOpencv } from '../src/vision/opencv.js';
import { shrinkFace } from '../src/vision/lab/shrink-face.js';
import { scaleToCropMeasured } from '../src/vision/denoise-small-face.js';
import { readFerCsv, type FerRow } from '../src/vision/fer-csv.js';
import { EXPOSURES, lowLightImage, mixSeed, seededRandom, type LowLightOptions } from '../src/vision/lab/dim-camera.js';
import { OnnxEmotionClassifier } from '../src/vision/onnx-emotion-classifier.js';

const ROOT = join(import.meta.dirname, '..');
const LIGHTS = [1, 0.5, 0.25, 0.12, 0.06, 0.04, 0.03];
/** Each light with each exposure (a fixed exposure in daylight is auto's picture). */
const PLAIN_ROOMS: LowLightOptions[] = EXPOSURES.flatMap((exposure) =>
  LIGHTS.filter((light) => !(exposure === 'fixed' && light === 1)).map((light) => ({ light, exposure })),
);
/** The harder rooms of docs/light.md, auto exposure: a backlit face, a warm bulb, candles. */
const HARDER_ROOMS: LowLightOptions[] = [
  ...[1, 0.25, 0.12, 0.04].map((light) => ({ light, exposure: 'auto' as const, backlight: 4 })),
  ...(['warm', 'candle'] as const).flatMap((cast) => [0.25, 0.12, 0.04].map((light) => ({ light, exposure: 'auto' as const, cast }))),
];

const { values } = parseArgs({
  options: {
    csv: { type: 'string', default: join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') },
    usage: { type: 'string', default: 'PublicTest' },
    limit: { type: 'string', default: '100000' },
    bins: { type: 'string', default: '10' },
    model: { type: 'string', default: join(ROOT, 'models', 'emotion-int8.onnx') },
    seed: { type: 'string', default: '1' },
    rooms: { type: 'string', default: 'plain' },
    shrink: { type: 'string' },
    sensor: { type: 'boolean', default: false },
  },
});
if (values.rooms !== 'plain' && values.rooms !== 'all')
  throw new RangeError(`Expected \`--rooms\` to be plain or all, got \`${values.rooms}\``);

interface Sample extends FaceLight {
  correct: boolean;
  /** With `--sensor`: the light measured on the face at its own size, before it is scaled up. */
  framed?: FaceLight;
}

const rows: FerRow[] = [];
for await (const row of readFerCsv(resolve(values.csv))) {
  if (row.usage === values.usage) rows.push(row);
  if (rows.length >= Number(values.limit)) break;
}
const classifier = new OnnxEmotionClassifier({}, { modelPath: resolve(values.model), intraOpThreads: 1, maxBatch: 64 });
await classifier.start(new AbortController().signal);
const samples: Sample[] = [];
const seed = Number(values.seed);
const shrink = values.shrink === undefined ? undefined : Number(values.shrink);
if (shrink !== undefined && !(Number.isInteger(shrink) && shrink >= 4 && shrink < 48))
  throw new RangeError(`Expected \`--shrink\` to be a whole number of pixels from 4 to 47, got \`${values.shrink}\``);
if (values.sensor && shrink === undefined) throw new RangeError('Expected `--shrink S` with `--sensor`');
const chance = 1 / 7;
const clearest = Math.max(...Object.values(ACCURACY_BY_CLARITY));
const sizeWeight = shrink === undefined ? 1 : faceWeigher(classifier.accuracyBySize, 7)(shrink);
const weighLight = lightWeigher(ACCURACY_BY_CLARITY, 7);
const weighSmall = smallFaceWeigher(SMALL_FACE_LIGHT, clearest, 7, 48);
for (const room of values.rooms === 'all' ? [...PLAIN_ROOMS, ...HARDER_ROOMS] : PLAIN_ROOMS) {
  const framed = values.sensor && shrink !== undefined ? await Promise.all(rows.map((row) => atSensor(row, shrink, room))) : undefined;
  const lit =
    framed?.map((f) => f.crop) ?? rows.map((row) => lowLightImage(row.pixels, 48, 48, room, seededRandom(mixSeed(seed, row.row))));
  const crops = shrink === undefined || framed !== undefined ? lit : await Promise.all(lit.map((crop) => shrinkFace(crop, shrink)));
  const here: Sample[] = [];
  for (let i = 0; i < crops.length; i += 64) {
    const batch = crops.slice(i, i + 64);
    const results = await classifier.classify(batch);
    results.forEach((result, k) => {
      const row = rows[i + k]!;
      const own = framed?.[i + k]?.light;
      here.push({ ...measureFaceLight(batch[k]!, 48), correct: result.label === row.label, ...(own === undefined ? {} : { framed: own }) });
    });
  }
  samples.push(...here);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const label =
    `${(room.exposure ?? 'auto').padEnd(5)} ${String(room.light * 100).padStart(3)}%` +
    (room.backlight === undefined ? '' : ` backlight ${room.backlight}`) +
    (room.cast === undefined ? '' : ` ${room.cast}`);
  const earned = `${((here.filter((s) => s.correct).length / here.length - chance) / (clearest - chance)).toFixed(2)} earned`;
  const given = (light: (s: Sample) => FaceLight): string => (sizeWeight * mean(here.map((s) => weighLight(light(s))))).toFixed(2);
  const votes =
    shrink === undefined
      ? ''
      : framed === undefined
        ? `, vote ${given((s) => s)} given, ${earned}`
        : `, vote ${given((s) => s)} given by the crop's light, ${(sizeWeight * mean(here.map((s) => weighSmall({ side: shrink, framed: s.framed ?? s, sizeWeight, cropWeight: weighLight(s) })))).toFixed(2)} ` +
          `by the framed face's (clarity median ${median(here.map((s) => s.framed?.clarity ?? 0)).toFixed(2)}, noise ` +
          `${median(here.map((s) => s.framed?.noise ?? 0)).toFixed(1)}, brightness ${median(here.map((s) => s.framed?.brightness ?? 0)).toFixed(0)}), ${earned}`;
  console.log(
    `${label}: accuracy ${pct(here)}, clarity median ${median(here.map((s) => s.clarity)).toFixed(2)}, noise ${median(here.map((s) => s.noise)).toFixed(1)}, brightness ${median(here.map((s) => s.brightness)).toFixed(0)}${votes}`,
  );
}
await classifier.stop();

const bins = Number(values.bins);
for (const feature of ['clarity', 'noise', 'brightness'] as const) {
  const sorted = [...samples].sort((a, b) => a[feature] - b[feature]);
  const parts = Array.from({ length: bins }, (_, b) =>
    sorted.slice(Math.floor((b * sorted.length) / bins), Math.floor(((b + 1) * sorted.length) / bins)),
  );
  const accuracies = parts.map((part) => part.filter((s) => s.correct).length / part.length);
  console.log(
    `\nby ${feature} (${bins} bins of ${parts[0]?.length ?? 0} faces): ` +
      parts.map((part, b) => `${mean(part.map((s) => s[feature])).toFixed(2)}→${(accuracies[b]! * 100).toFixed(1)}%`).join('  ') +
      `\n  spread ${((Math.max(...accuracies) - Math.min(...accuracies)) * 100).toFixed(1)} points`,
  );
  if (feature === 'clarity') console.log(`  table to ship (non-decreasing): ${JSON.stringify(monotoneTable(samples, bins))}`);
}

if (values.sensor) {
  // This size's rows of SMALL_FACE_LIGHT: accuracy by the framed face's clarity, dark faces apart.
  const framedOf = samples.map((s) => ({ ...(s.framed ?? s), correct: s.correct }));
  const rowsToShip = Object.fromEntries(
    (['lit', 'dark'] as const).map((row) => {
      const part = framedOf.filter((s) => s.brightness < SMALL_FACE_LIGHT.darkBelow === (row === 'dark'));
      return [row, monotoneTable(part, Math.max(1, Math.min(row === 'lit' ? 8 : 6, Math.floor(part.length / 500))))];
    }),
  );
  console.log(`\nSMALL_FACE_LIGHT rows to ship for ${shrink} px (dark below ${SMALL_FACE_LIGHT.darkBelow}): ${JSON.stringify(rowsToShip)}`);
}

/**
 * Accuracy by clarity in `bins` equal-count bins, made non-decreasing (clearer never reads worse:
 * adjacent bins that break the order are pooled): keys are the bins' mean clarities.
 */
function monotoneTable(part: ReadonlyArray<{ clarity: number; correct: boolean }>, bins: number): Record<string, number> {
  const sorted = [...part].sort((a, b) => a.clarity - b.clarity);
  const parts = Array.from({ length: bins }, (_, b) =>
    sorted.slice(Math.floor((b * sorted.length) / bins), Math.floor(((b + 1) * sorted.length) / bins)),
  );
  const monotone = poolAdjacentViolators(parts.map((p) => p.filter((s) => s.correct).length / Math.max(1, p.length)));
  return Object.fromEntries(parts.map((p, b) => [mean(p.map((s) => s.clarity)).toFixed(2), Number(monotone[b]!.toFixed(4))]));
}

/**
 * A face `size` px wide through the camera at its own size: the clean face shrunk (area average),
 * the room's light and grain added to the small face, then smoothed by its grain and scaled up to
 * 48x48 as the daemon crops it (`face-crops.ts`); with the light measured on the small face, as framed.
 */
async function atSensor(row: FerRow, size: number, room: LowLightOptions): Promise<{ crop: Uint8Array; light: FaceLight }> {
  const cv = await loadOpencv();
  const face = new cv.Mat(Buffer.from(row.pixels), 48, 48, cv.CV_8UC1);
  const small = face.resize(size, size, 0, 0, cv.INTER_AREA);
  const dark = lowLightImage(new Uint8Array(small.getData()), size, size, room, seededRandom(mixSeed(seed, row.row)));
  const framed = new cv.Mat(Buffer.from(dark), size, size, cv.CV_8UC1);
  const { crop, framed: light } = scaleToCropMeasured(cv, framed, 48);
  for (const m of [framed, small, face]) m.release();
  if (light === undefined) throw new RangeError(`Expected a face of at least 3x3 px, got ${size}`);
  return { crop, light };
}

/** The non-decreasing sequence nearest `values` in least squares (equal weights): runs that decrease are replaced by their mean. */
function poolAdjacentViolators(values: readonly number[]): number[] {
  const blocks: Array<{ sum: number; count: number }> = [];
  for (const value of values) {
    blocks.push({ sum: value, count: 1 });
    while (blocks.length > 1) {
      const last = blocks.at(-1)!;
      const before = blocks.at(-2)!;
      if (before.sum / before.count <= last.sum / last.count) break;
      blocks.splice(-2, 2, { sum: before.sum + last.sum, count: before.count + last.count });
    }
  }
  return blocks.flatMap((block) => Array.from({ length: block.count }, () => block.sum / block.count));
}

function pct(xs: Sample[]): string {
  return `${((100 * xs.filter((s) => s.correct).length) / Math.max(1, xs.length)).toFixed(1)}%`;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}
