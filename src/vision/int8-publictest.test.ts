import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { cpuInfo, describeCpu } from './cpu-info.js';
import { evaluate } from './lab/evaluate.js';
import { readFerCsv, type FerRow } from './fer-csv.js';
import { OnnxEmotionClassifier } from './onnx-emotion-classifier.js';

/**
 * The shipped models' accuracy, measured here, on this machine's CPU: onnxruntime's int8 kernels
 * differ between CPUs (x86 with and without VNNI, arm64), so a figure holds only where it is
 * measured. Fails wherever int8 falls more than a point below float, or either model more than a
 * point below the figure its manifest claims. Needs FER-2013 (../shared/datasets/fer2013, or
 * MOODBOX_FER_CSV): without it the test fails rather than passing unchecked.
 */

const REPO = resolve(import.meta.dirname, '..', '..');
const MODELS = join(REPO, 'models');
const DATASET = process.env['MOODBOX_FER_CSV'] ?? join(REPO, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz');
/** One point, as a fraction. */
const POINT = 0.01;

interface Claimed {
  accuracy: Record<'publicTest' | 'publicTestFlipTta', { accuracy: number; n: number }>;
}
const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as { models: Record<string, Claimed> };

const rows: FerRow[] = [];

async function accuracy(file: string, flipTta: boolean): Promise<number> {
  const classifier = new OnnxEmotionClassifier({}, { modelPath: join(MODELS, file), flipTta });
  await classifier.start(new AbortController().signal);
  try {
    const report = await evaluate(
      { classifier, clock: systemClock },
      (async function* () {
        yield* rows;
      })(),
    );
    expect(report.n).toBe(rows.length);
    return report.accuracy;
  } finally {
    await classifier.stop();
  }
}

beforeAll(async () => {
  if (!existsSync(DATASET)) {
    throw new Error(`FER-2013 is not at ${DATASET}: put ../shared beside the repository or set MOODBOX_FER_CSV`);
  }
  for await (const row of readFerCsv(DATASET)) if (row.usage === 'PublicTest') rows.push(row);
}, 120_000);

describe(`the shipped emotion models on FER-2013 PublicTest, on this CPU: ${describeCpu(cpuInfo())}`, () => {
  it('covers the whole PublicTest split', () => {
    expect(rows.length).toBe(3589);
    expect(manifest.models['emotion-int8.onnx']?.accuracy.publicTest.n).toBe(rows.length);
  });

  for (const flipTta of [false, true]) {
    const key = flipTta ? 'publicTestFlipTta' : 'publicTest';
    it(`int8 is within a point of float, and both hold their manifest's figures (flip-TTA ${flipTta ? 'on' : 'off'})`, async () => {
      const int8 = await accuracy('emotion-int8.onnx', flipTta);
      const float = await accuracy('emotion-float.onnx', flipTta);
      const claimedInt8 = manifest.models['emotion-int8.onnx']?.accuracy[key].accuracy ?? NaN;
      const claimedFloat = manifest.models['emotion-float.onnx']?.accuracy[key].accuracy ?? NaN;
      const figures = `int8 ${(100 * int8).toFixed(2)}%, float ${(100 * float).toFixed(2)}% (manifest: ${(100 * claimedInt8).toFixed(2)}%, ${(100 * claimedFloat).toFixed(2)}%)`;
      expect(int8, figures).toBeGreaterThanOrEqual(float - POINT);
      expect(int8, figures).toBeGreaterThanOrEqual(claimedInt8 - POINT);
      expect(float, figures).toBeGreaterThanOrEqual(claimedFloat - POINT);
    }, 180_000);
  }
});
