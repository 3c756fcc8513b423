/**
 * Offline evaluation of the personal expression calibration (src/vision/personal-calibration.ts).
 *
 *   node --import tsx scripts/eval-calibration.ts [--csv FILE] [--model FILE] [--people N]
 *        [--calibration N] [--test N] [--seed N] [--no-flip-tta] [--cache FILE]
 *
 * Simulated people are built from FER-2013 faces read by the shipped model with the daemon's own
 * classifier (preprocessing, flip-TTA as the manifest says). A person asks for five expressions
 * (neutral, happy, sad, surprise, angry); a biased person's face for one of them is drawn only from
 * faces of that label that the model misreads in one systematic way (their resting face reads as
 * sad, say). Each person calibrates on `--calibration` faces per expression from Usage=Training and
 * is measured on `--test` faces per expression of the same kind from Usage=PublicTest (disjoint
 * images). Prints, per person, the accuracy of the generic model and with the personal head (the
 * generic model wherever the head was not used). `--cache FILE` keeps the model's outputs for the
 * faces (JSON, numbers only) so that a second run skips the classification.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { readFerCsv } from '../src/vision/fer-csv.js';
import { OnnxEmotionClassifier } from '../src/vision/onnx-emotion-classifier.js';
import { argmax, fitPersonalHead, personalLogits, type CalibrationSample } from '../src/vision/personal-calibration.js';

const ROOT = join(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: {
    csv: { type: 'string', default: '/work/shared/datasets/fer2013/fer2013.csv.gz' },
    model: { type: 'string', default: join(ROOT, 'models', 'emotion-int8.onnx') },
    people: { type: 'string', default: '6' },
    calibration: { type: 'string', default: '12' },
    test: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    'no-flip-tta': { type: 'boolean', default: false },
    cache: { type: 'string' },
  },
});
const int = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name}: expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
};
const PEOPLE = int('people', opts.people);
const CAL = int('calibration', opts.calibration);
const TEST = int('test', opts.test);
let seed = int('seed', opts.seed);

const EXPRESSIONS = ['neutral', 'happy', 'sad', 'surprise', 'angry'] as const;
/** A kind of person: for an expression, the model's (mis)reading their faces get. */
const KINDS: { name: string; bias?: { expression: string; readAs: string } }[] = [
  { name: 'unbiased' },
  { name: 'resting face reads sad', bias: { expression: 'neutral', readAs: 'sad' } },
  { name: 'resting face reads angry', bias: { expression: 'neutral', readAs: 'angry' } },
  { name: 'smile reads neutral', bias: { expression: 'happy', readAs: 'neutral' } },
  { name: 'sad face reads neutral', bias: { expression: 'sad', readAs: 'neutral' } },
];

interface Face {
  readonly label: string;
  readonly read: string;
  readonly logits: number[];
  readonly embedding: number[];
}

function random(): number {
  // mulberry32: a seeded generator, so the figures can be reproduced.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function draw<T>(pool: readonly T[], n: number): T[] {
  const copy = [...pool];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

const started = Date.now();
const cached = opts.cache !== undefined && existsSync(opts.cache);
const classifier = new OnnxEmotionClassifier({}, { modelPath: opts.model, ...(opts['no-flip-tta'] ? { flipTta: false } : {}) });
await classifier.start(new AbortController().signal);
const labels = classifier.labels;
const faces: Record<string, Face[]> = cached
  ? (JSON.parse(readFileSync(opts.cache ?? '', 'utf8')) as Record<string, Face[]>)
  : { Training: [], PublicTest: [] };
let batch: { usage: string; label: string; pixels: Uint8Array }[] = [];
const flush = async (): Promise<void> => {
  const results = await classifier.classify(batch.map((b) => b.pixels));
  results.forEach((r, i) => {
    const b = batch[i];
    if (b === undefined || r.logits === undefined || r.embedding === undefined) throw new Error(`${opts.model} gives no embedding`);
    faces[b.usage]?.push({ label: b.label, read: r.label, logits: Array.from(r.logits), embedding: Array.from(r.embedding) });
  });
  batch = [];
};
if (!cached) {
  for await (const row of readFerCsv(opts.csv)) {
    if (!(row.usage in faces) || !(EXPRESSIONS as readonly string[]).includes(row.label)) continue;
    batch.push({ usage: row.usage, label: row.label, pixels: row.pixels });
    if (batch.length === 256) await flush();
  }
  await flush();
  if (opts.cache !== undefined) writeFileSync(opts.cache, JSON.stringify(faces));
}
await classifier.stop();
const classified = (Date.now() - started) / 1000;

function pool(usage: string, kind: (typeof KINDS)[number], expression: string): Face[] {
  return (faces[usage] ?? []).filter(
    (f) => f.label === expression && (kind.bias?.expression !== expression || f.read === kind.bias.readAs),
  );
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
console.log(
  `model ${opts.model} (flip-TTA ${classifier.flipTta ? 'on' : 'off'}); ${faces['Training']?.length} Training and ` +
    `${faces['PublicTest']?.length} PublicTest faces classified in ${classified.toFixed(0)} s`,
);
console.log(`${PEOPLE} people per kind; per expression ${CAL} calibration faces (Training), up to ${TEST} test faces (PublicTest)\n`);
console.log('kind                        person  generic  personal  head    fit ms  reason');
let fitMsMax = 0;
const summary: string[] = [];
for (const kind of KINDS) {
  const sizes = kind.bias
    ? `biased pool: ${pool('Training', kind, kind.bias.expression).length} Training, ${pool('PublicTest', kind, kind.bias.expression).length} PublicTest faces`
    : '';
  let generic = 0;
  let personal = 0;
  let worst = Infinity;
  for (let p = 0; p < PEOPLE; p++) {
    const samples: CalibrationSample[] = [];
    const tests: Face[] = [];
    for (const expression of EXPRESSIONS) {
      for (const f of draw(pool('Training', kind, expression), CAL)) samples.push({ expression, logits: f.logits, embedding: f.embedding });
      tests.push(...draw(pool('PublicTest', kind, expression), TEST));
    }
    const t0 = performance.now();
    const head = fitPersonalHead(labels, samples);
    const fitMs = performance.now() - t0;
    fitMsMax = Math.max(fitMsMax, fitMs);
    const right = (f: Face, logits: readonly number[]): number => (argmax(logits) === labels.indexOf(f.label) ? 1 : 0);
    const g = tests.reduce((a, f) => a + right(f, f.logits), 0) / tests.length;
    const q = tests.reduce((a, f) => a + right(f, personalLogits(head, f.logits, f.embedding)), 0) / tests.length;
    generic += g / PEOPLE;
    personal += q / PEOPLE;
    worst = Math.min(worst, q - g);
    const used = head.used ? (head.kind ?? '') : 'off';
    console.log(
      `${kind.name.padEnd(28)}${String(p + 1).padStart(6)}  ${pct(g).padStart(7)}  ${pct(q).padStart(8)}  ${used.padEnd(6)}  ` +
        `${fitMs.toFixed(0).padStart(6)}  ${head.reason}`,
    );
  }
  summary.push(
    `${kind.name.padEnd(28)} generic ${pct(generic)}  personal ${pct(personal)}  mean gain ${((personal - generic) * 100).toFixed(1)} points, ` +
      `worst person ${(worst * 100).toFixed(1)}${sizes ? `  (${sizes})` : ''}`,
  );
}
console.log(`\nmean over ${PEOPLE} people per kind:`);
for (const line of summary) console.log(line);
console.log(`\nslowest fit ${fitMsMax.toFixed(0)} ms; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
