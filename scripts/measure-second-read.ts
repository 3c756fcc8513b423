/**
 * Chooses when a face is read a second time (mirrored): the shipped emotion model on FER-2013's
 * PublicTest, at daylight, through the webcam of `dim-camera.ts` at 25%, 12% and 4% of daylight
 * (auto exposure), and as faces 24 and 16 px wide in the frame (`shrink-face.ts`), read with each
 * face mirrored too only when its first read's top two probabilities are closer than a margin
 * (`OnnxEmotionClassifier`'s `mirrorBelowMargin`). Prints, per margin, the share of faces read
 * twice and the accuracy (FER-2013 labels and the FER+ majority) in each condition, with its
 * distance from reading every face twice, and the smallest margin that keeps every figure within
 * `--within` points of it: the one the daemon reads by (`SECOND_READ_BELOW_MARGIN` in
 * `src/vision/onnx-emotion-classifier.ts`).
 *
 *   node --import tsx scripts/measure-second-read.ts [--csv ../shared/datasets/fer2013/fer2013.csv.gz]
 *     [--model models/emotion-int8.onnx] [--margins 0,0.1,0.2,0.3,0.4,0.5,0.6,1] [--within 0.3]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/kernel/clock.js';
import { evaluate } from '../src/vision/lab/evaluate.js';
import { readFerCsv, type FerRow } from '../src/vision/fer-csv.js';
import { lowLightRows } from '../src/vision/lab/dim-camera.js';
import { OnnxEmotionClassifier } from '../src/vision/onnx-emotion-classifier.js';
import { shrinkRows } from '../src/vision/lab/shrink-face.js';

const ROOT = join(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    csv: { type: 'string', default: join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') },
    model: { type: 'string', default: join(ROOT, 'models', 'emotion-int8.onnx') },
    margins: { type: 'string', default: '0,0.1,0.2,0.3,0.4,0.5,0.6,1' },
    within: { type: 'string', default: '0.3' },
  },
});
const margins = (values.margins ?? '').split(',').map(Number);
const within = Number(values.within) / 100;

/** All of `rows`, read once. */
async function collect(rows: AsyncIterable<FerRow>): Promise<FerRow[]> {
  const out: FerRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** `rows` again, as the readers of a data set take them. */
async function* replay(rows: readonly FerRow[]): AsyncIterable<FerRow> {
  yield* rows;
}

const publicTest = (await collect(readFerCsv(values.csv ?? ''))).filter((row) => row.usage === 'PublicTest');
const CONDITIONS: ReadonlyArray<{ name: string; rows: () => AsyncIterable<FerRow> }> = [
  { name: 'daylight', rows: () => replay(publicTest) },
  { name: '25%', rows: () => lowLightRows(replay(publicTest), { light: 0.25, exposure: 'auto', seed: 1 }) },
  { name: '12%', rows: () => lowLightRows(replay(publicTest), { light: 0.12, exposure: 'auto', seed: 1 }) },
  { name: '4%', rows: () => lowLightRows(replay(publicTest), { light: 0.04, exposure: 'auto', seed: 1 }) },
  { name: '24 px', rows: () => shrinkRows(replay(publicTest), 24) },
  { name: '16 px', rows: () => shrinkRows(replay(publicTest), 16) },
];

interface Figure {
  fer: number;
  ferPlus: number;
  twice: number;
}

/** The figures of one condition at each margin (Infinity: every face twice). */
async function measure(rows: readonly FerRow[]): Promise<Map<number, Figure>> {
  const out = new Map<number, Figure>();
  for (const margin of [Number.POSITIVE_INFINITY, ...margins]) {
    const classifier = new OnnxEmotionClassifier(
      {},
      {
        modelPath: values.model ?? '',
        flipTta: true,
        ...(Number.isFinite(margin) ? { mirrorBelowMargin: margin } : {}),
      },
    );
    await classifier.start(new AbortController().signal);
    try {
      const report = await evaluate({ classifier, clock: systemClock }, replay(rows), { usage: 'PublicTest', batchSize: 64 });
      const { faces, twice } = classifier.reads;
      out.set(margin, { fer: report.accuracy, ferPlus: report.ferPlusMajority?.accuracy ?? 0, twice: twice / faces });
    } finally {
      await classifier.stop();
    }
  }
  return out;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const points = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`;

const results = new Map<string, Map<number, Figure>>();
for (const condition of CONDITIONS) {
  const started = systemClock.monotonic();
  results.set(condition.name, await measure(await collect(condition.rows())));
  process.stderr.write(`${condition.name}: ${((systemClock.monotonic() - started) / 1000).toFixed(0)} s\n`);
}

console.log(
  `PublicTest (${publicTest.length} faces), ${values.model}; accuracy FER-2013 / FER+ majority, and its distance from every face read twice`,
);
console.log(['margin', 'read twice', ...CONDITIONS.map((c) => c.name)].join('\t'));
const all = (name: string): Figure => results.get(name)?.get(Number.POSITIVE_INFINITY) as Figure;
console.log(['(all)', '100.00%', ...CONDITIONS.map((c) => `${pct(all(c.name).fer)} / ${pct(all(c.name).ferPlus)}`)].join('\t'));
let chosen: number | undefined;
for (const margin of margins) {
  const figures = CONDITIONS.map((c) => results.get(c.name)?.get(margin) as Figure);
  const twice = figures.reduce((sum, f) => sum + f.twice, 0) / figures.length;
  const cells = CONDITIONS.map((c, i) => {
    const f = figures[i] as Figure;
    const a = all(c.name);
    return `${pct(f.fer)} (${points(f.fer - a.fer)}) / ${pct(f.ferPlus)} (${points(f.ferPlus - a.ferPlus)})`;
  });
  console.log([String(margin), pct(twice), ...cells].join('\t'));
  const holds = CONDITIONS.every((c, i) => {
    const f = figures[i] as Figure;
    const a = all(c.name);
    return f.fer >= a.fer - within && f.ferPlus >= a.ferPlus - within;
  });
  if (holds && chosen === undefined) chosen = margin;
}
console.log(
  chosen === undefined
    ? `no margin keeps every figure within ${values.within} points of reading every face twice`
    : `smallest margin within ${values.within} points of every face read twice: ${chosen}`,
);
