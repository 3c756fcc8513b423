/**
 * Latency of the emotion classifier as the daemon runs it (preprocessing, onnxruntime, softmax):
 * one face and a batch of 4, int8 and float, on one onnxruntime thread.
 *
 *   node --import tsx scripts/bench-emotion.ts [--runs 500] [--warmup 50] [--threads 1] [--models-dir models] [--json]
 *
 * Prints a table, then one JSON object (only the JSON with --json). The faces are the FER-2013
 * rows of the vision test fixture. Budget (DESIGN.md): int8 ≤ 1 ms median per face on one core.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/kernel/clock.js';
import { readFerCsv } from '../src/vision/fer-csv.js';
import { OnnxEmotionClassifier } from '../src/vision/onnx-emotion-classifier.js';

const ROOT = join(import.meta.dirname, '..');
const FACES = join(ROOT, 'src', 'vision', 'testing', 'fixtures', 'fer-tiny.csv');

interface Case {
  model: string;
  batch: number;
  flipTta: boolean;
  runs: number;
  medianMs: number;
  p95Ms: number;
  medianMsPerFace: number;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    threads: { type: 'string', default: '1' },
    'models-dir': { type: 'string', default: join(ROOT, 'models') },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const threads = Number(values.threads);
const modelsDir = resolve(values['models-dir']);
const MODELS = [
  ['int8', join(modelsDir, 'emotion-int8.onnx')],
  ['float', join(modelsDir, 'emotion-float.onnx')],
] as const;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function measure(classifier: OnnxEmotionClassifier, faces: Uint8Array[]): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await classifier.classify(faces);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = systemClock.monotonic();
    await classifier.classify(faces);
    times.push(systemClock.monotonic() - start);
  }
  return times.sort((a, b) => a - b);
}

const faces: Uint8Array[] = [];
for await (const row of readFerCsv(FACES)) faces.push(row.pixels);

const cases: Case[] = [];
for (const [name, modelPath] of MODELS) {
  for (const flipTta of [false, true]) {
    const classifier = new OnnxEmotionClassifier({}, { modelPath, intraOpThreads: threads, flipTta });
    await classifier.start(new AbortController().signal);
    try {
      for (const batch of [1, 4]) {
        const times = await measure(classifier, faces.slice(0, batch));
        const median = quantile(times, 0.5);
        cases.push({ model: name, batch, flipTta, runs, medianMs: median, p95Ms: quantile(times, 0.95), medianMsPerFace: median / batch });
      }
    } finally {
      await classifier.stop();
    }
  }
}

const result = {
  benchmark: 'emotion classifier latency (preprocess + onnxruntime + softmax)',
  node: process.versions.node,
  models: Object.fromEntries(MODELS),
  threads,
  warmup,
  cases,
};
if (values.json !== true) {
  process.stdout.write(
    `emotion classifier, ${threads} onnxruntime thread${threads > 1 ? 's' : ''}, ${runs} runs after ${warmup} warm-up\n`,
  );
  process.stdout.write('model  flip-TTA  batch  median ms  p95 ms  median ms/face\n');
  for (const c of cases) {
    process.stdout.write(
      `${c.model.padEnd(7)}${(c.flipTta ? 'on' : 'off').padEnd(10)}${String(c.batch).padStart(5)}${c.medianMs.toFixed(3).padStart(11)}${c.p95Ms
        .toFixed(3)
        .padStart(8)}${c.medianMsPerFace.toFixed(3).padStart(16)}\n`,
    );
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
