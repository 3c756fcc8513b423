import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuInfo } from './cpu-info.js';
import { resultFromProbabilities } from './emotion-classifier.js';
import { checkInt8Agreement, compareReadings, describeAgreement, sampleVariants } from './int8-agreement.js';
import { OnnxEmotionClassifier } from './onnx-emotion-classifier.js';
import { FACE_PIXELS } from './preprocess.js';
import { disagreeingPair } from './testing/int8-models.js';

const MODELS = join(import.meta.dirname, '..', '..', 'models');
const INT8 = join(MODELS, 'emotion-int8.onnx');
const open = (modelPath: string): OnnxEmotionClassifier => new OnnxEmotionClassifier({}, { modelPath, flipTta: false });
const LABELS = ['happy', 'sad', 'neutral'];
const reading = (...p: number[]) => resultFromProbabilities(LABELS, p);

describe('compareReadings', () => {
  it('counts faces whose top emotion agrees and the mean of the largest probability difference', () => {
    const r = compareReadings(
      [reading(0.8, 0.1, 0.1), reading(0.2, 0.5, 0.3), reading(0.1, 0.1, 0.8), reading(0.5, 0.4, 0.1)],
      [reading(0.78, 0.12, 0.1), reading(0.2, 0.5, 0.3), reading(0.1, 0.2, 0.7), reading(0.3, 0.6, 0.1)],
    );
    expect(r.faces).toBe(4);
    expect(r.agreement).toBe(0.75);
    expect(r.meanDifference).toBeCloseTo((0.02 + 0 + 0.1 + 0.2) / 4, 10);
    expect(r.maxDifference).toBeCloseTo(0.2, 10);
    expect(r.ok).toBe(false);
  });

  it('passes readings that agree closely', () => {
    const a = Array.from({ length: 20 }, (_, i) => reading(0.6, 0.3 - i / 1000, 0.1 + i / 1000));
    const b = a.map((x) =>
      reading((x.probabilities['happy'] ?? 0) - 0.01, (x.probabilities['sad'] ?? 0) + 0.01, x.probabilities['neutral'] ?? 0),
    );
    expect(compareReadings(a, b)).toMatchObject({ agreement: 1, ok: true });
  });

  it('refuses lists of different lengths', () => {
    expect(() => compareReadings([reading(1, 0, 0)], [])).toThrow(RangeError);
  });
});

describe('sampleVariants', () => {
  it('makes 18 distinct variants of each face, the unshifted ones keeping the face', () => {
    const face = new Uint8Array(FACE_PIXELS).map((_, i) => (i * 7) % 256);
    const variants = sampleVariants([face, face.map((p) => 255 - p)]);
    expect(variants).toHaveLength(36);
    expect(new Set(variants.map((v) => Buffer.from(v).toString('base64'))).size).toBe(36);
    // dx 0, dy 0, contrast 0.85: pixel 128 stays 128, the others move towards it.
    const centre = variants[8];
    expect(centre?.[0]).toBe(Math.round((face[0]! - 128) * 0.85 + 128));
  });
});

describe('checkInt8Agreement', () => {
  it('finds the shipped int8 model in line with its float original on this CPU', async () => {
    const a = await checkInt8Agreement({ int8Model: INT8, open });
    expect(a.floatModel).toBe(join(MODELS, 'emotion-float.onnx'));
    expect(a.faces).toBe(9 * 18);
    expect(a.cpu).toEqual(cpuInfo());
    expect(a.ok, describeAgreement(a)).toBe(true);
  });

  it('catches an int8 model that reads faces differently', async () => {
    const a = await checkInt8Agreement({ int8Model: disagreeingPair(), open });
    expect(a.ok).toBe(false);
    expect(describeAgreement(a)).toMatch(/^int8 does NOT agree with float on \d+\.\d% of 162 faces/);
  });

  it('refuses a model that was not quantized from a float one', async () => {
    await expect(checkInt8Agreement({ int8Model: join(MODELS, 'emotion-float.onnx'), open })).rejects.toThrow(/names no float model/);
  });
});

describe('OnnxEmotionClassifier with the int8 check', () => {
  const signal = new AbortController().signal;
  const logs: Array<[string, object, string]> = [];
  const log = { info: (o: object, m: string) => logs.push(['info', o, m]), warn: (o: object, m: string) => logs.push(['warn', o, m]) };

  it('keeps the int8 model when it holds on this CPU, and says so', async () => {
    const c = new OnnxEmotionClassifier({ log }, { modelPath: INT8, int8Check: 'fallback' });
    await c.start(signal);
    expect(c.model?.file).toBe('emotion-int8.onnx');
    expect(c.int8Agreement?.ok).toBe(true);
    expect(c.modelNote).toMatch(/^int8 model checked: int8 agrees with float/);
    await c.stop();
  });

  it('falls back to the float model when the int8 one disagrees, with a warning', async () => {
    logs.length = 0;
    const c = new OnnxEmotionClassifier({ log }, { modelPath: disagreeingPair(), int8Check: 'fallback' });
    await c.start(signal);
    expect(c.model?.file).toBe('emotion-float.onnx');
    expect(c.modelNote).toMatch(/^float model in use: int8 does NOT agree/);
    expect(logs.filter(([level]) => level === 'warn')).toEqual([
      [
        'warn',
        expect.objectContaining({ model: expect.stringMatching(/emotion-float\.onnx$/) }),
        expect.stringMatching(/using the float model/),
      ],
    ]);
    expect(await c.classify([new Uint8Array(FACE_PIXELS).fill(128)])).toHaveLength(1);
    await c.stop();
  });

  it('only warns in warn mode, and checks nothing by default', async () => {
    const path = disagreeingPair();
    const warn = new OnnxEmotionClassifier({ log }, { modelPath: path, int8Check: 'warn' });
    await warn.start(signal);
    expect(warn.model?.file).toBe('emotion-int8.onnx');
    expect(warn.modelNote).toMatch(/^int8 model in use although int8 does NOT agree/);
    await warn.stop();
    const off = new OnnxEmotionClassifier({ log }, { modelPath: path });
    await off.start(signal);
    expect(off.model?.file).toBe('emotion-int8.onnx');
    expect(off.int8Agreement).toBeUndefined();
    expect(off.modelNote).toBeUndefined();
    await off.stop();
  });
});
