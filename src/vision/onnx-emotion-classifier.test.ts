import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { softmax, type EmotionResult } from './emotion-classifier.js';
import { readFerCsv } from './fer-csv.js';
import { denoiseFace, type FaceDenoise } from './denoise-crop.js';
import { measureLight } from './light-measure.js';
import { stepFor } from './noise-steps.js';
import { OnnxEmotionClassifier } from './onnx-emotion-classifier.js';
import { FACE_PIXELS, mirrorFace } from './preprocess.js';

const MODELS = join(import.meta.dirname, '..', '..', 'models');
const INT8 = join(MODELS, 'emotion-int8.onnx');
const FLOAT = join(MODELS, 'emotion-float.onnx');
const signal = new AbortController().signal;

let faces: Uint8Array[] = [];
const started: OnnxEmotionClassifier[] = [];

async function classifier(
  modelPath: string,
  options: { flipTta?: boolean; maxBatch?: number; mirrorUpToFaces?: number; mirrorBelowMargin?: number } = {},
): Promise<OnnxEmotionClassifier> {
  const c = new OnnxEmotionClassifier({}, { modelPath, ...options });
  await c.start(signal);
  started.push(c);
  return c;
}

const probs = (r: EmotionResult | undefined): number[] => Object.values(r?.probabilities ?? {});

beforeAll(async () => {
  for await (const row of readFerCsv(join(import.meta.dirname, 'testing', 'fixtures', 'fer-tiny.csv'))) faces.push(row.pixels);
  faces = [...faces, new Uint8Array(FACE_PIXELS), new Uint8Array(FACE_PIXELS).fill(255)];
});

afterAll(async () => {
  await Promise.all(started.map((c) => c.stop()));
});

/** Each face with seeded grain of ±60 grey levels added (a grain of 20 or more, as measured). */
function grainyCopies(clean: readonly Uint8Array[]): Uint8Array[] {
  const rng = (
    (seed) => () =>
      (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  )(7);
  return clean.map((face) => face.map((v) => Math.min(255, Math.max(0, v + Math.round((rng() - 0.5) * 120)))));
}

/** The shipped int8 model with flip-TTA, read without its denoising rule and offsets. */
function plainModel(): Promise<OnnxEmotionClassifier> {
  return classifier(
    copy((e) => {
      delete e['denoise'];
      delete e['labelOffsets'];
    }),
    { flipTta: true },
  );
}

/** A copy of the int8 model whose manifest entry is edited by `edit`. */
function copy(edit: (entry: Record<string, unknown>) => void, bytes?: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-onnx-'));
  const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as {
    models: Record<string, Record<string, unknown>>;
  };
  const entry = manifest.models['emotion-int8.onnx'] ?? {};
  edit(entry);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ models: { 'emotion-int8.onnx': entry } }));
  if (bytes === undefined) copyFileSync(INT8, join(dir, 'emotion-int8.onnx'));
  else writeFileSync(join(dir, 'emotion-int8.onnx'), bytes);
  return join(dir, 'emotion-int8.onnx');
}

describe('OnnxEmotionClassifier', () => {
  it('classifies faces into probabilities per label that sum to 1', async () => {
    const c = await classifier(INT8);
    expect(c.labels).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
    const results = await c.classify(faces);
    expect(results).toHaveLength(faces.length);
    for (const r of results) {
      expect(Object.keys(r.probabilities)).toEqual(c.labels);
      expect(probs(r).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(r.confidence).toBe(Math.max(...probs(r)));
      expect(r.probabilities[r.label]).toBe(r.confidence);
    }
    expect(await c.classify([])).toEqual([]);
  });

  it("gives each face's logits and its 192-value embedding, which differ between faces", async () => {
    const c = await classifier(INT8, { flipTta: false });
    const results = await c.classify(faces);
    for (const r of results) {
      expect(r.logits).toHaveLength(7);
      expect(r.embedding).toHaveLength(192);
      // The probabilities are the softmax of the returned logits plus the offsets for the face's
      // grain (the shipped model has them), divided by the temperature.
      const offsets = stepFor(c.model!.entry.labelOffsets!, r.light!.noise)!.offsets;
      const p = softmax(
        Array.from(r.logits ?? [], (v, k) => v + offsets[k]!),
        0,
        7,
        c.model?.entry.temperature ?? 1,
      );
      probs(r).forEach((q, k) => expect(q).toBeCloseTo(p[k] ?? NaN, 5));
    }
    expect(Array.from(results[0]?.embedding ?? [])).not.toEqual(Array.from(results[1]?.embedding ?? []));
  });

  it('still classifies with a manifest that lists no embedding (an older model), giving logits only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-onnx-'));
    const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as { models: Record<string, Record<string, unknown>> };
    const entry = manifest.models['emotion-int8.onnx'] ?? {};
    delete entry['embedding'];
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ models: { 'emotion-int8.onnx': entry } }));
    copyFileSync(INT8, join(dir, 'emotion-int8.onnx'));
    const c = await classifier(join(dir, 'emotion-int8.onnx'));
    const [with_, without] = [await (await classifier(INT8)).classify(faces), await c.classify(faces)];
    without.forEach((r, i) => {
      expect(r.embedding).toBeUndefined();
      expect(r.label).toBe(with_[i]?.label);
    });
  });

  it('gives int8 results close to the float model it was quantized from', async () => {
    const [int8, float] = [await classifier(INT8), await classifier(FLOAT)];
    const [a, b] = [await int8.classify(faces), await float.classify(faces)];
    let agree = 0;
    a.forEach((r, i) => {
      const diff = Math.max(...probs(r).map((p, k) => Math.abs(p - (probs(b[i])[k] ?? 0))));
      expect(diff, `face ${i}`).toBeLessThan(0.1);
      if (r.label === b[i]?.label) agree++;
    });
    expect(agree).toBeGreaterThanOrEqual(faces.length - 1);
  });

  it('gives the same result for a face alone, in a batch, and split over several calls', async () => {
    const whole = await (await classifier(INT8)).classify(faces);
    const split = await (await classifier(INT8, { maxBatch: 2 })).classify(faces);
    const alone = await (await classifier(INT8)).classify([faces[3] ?? new Uint8Array()]);
    split.forEach((r, i) => probs(r).forEach((p, k) => expect(p).toBeCloseTo(probs(whole[i])[k] ?? NaN, 5)));
    probs(alone[0]).forEach((p, k) => expect(p).toBeCloseTo(probs(whole[3])[k] ?? NaN, 5));
  });

  it('with flip-TTA averages the probabilities of each face and its mirror', async () => {
    const plain = await classifier(INT8, { flipTta: false });
    const tta = await classifier(INT8, { flipTta: true });
    expect(tta.flipTta).toBe(true);
    const some = faces.slice(0, 4);
    const [a, m, t] = [await plain.classify(some), await plain.classify(some.map(mirrorFace)), await tta.classify(some)];
    t.forEach((r, i) => probs(r).forEach((p, k) => expect(p).toBeCloseTo(((probs(a[i])[k] ?? 0) + (probs(m[i])[k] ?? 0)) / 2, 5)));
    expect(t.some((r, i) => Math.abs((probs(r)[0] ?? 0) - (probs(a[i])[0] ?? 0)) > 1e-4)).toBe(true);
  });

  it('with mirrorUpToFaces mirrors a small group but reads a crowd once a face', async () => {
    const limited = await classifier(INT8, { flipTta: true, mirrorUpToFaces: 2 });
    const mirrored = await classifier(INT8, { flipTta: true });
    const plain = await classifier(INT8, { flipTta: false });
    const group = faces.slice(0, 2);
    expect((await limited.classify(group)).map(probs)).toEqual((await mirrored.classify(group)).map(probs));
    const crowd = faces.slice(0, 3);
    expect((await limited.classify(crowd)).map(probs)).toEqual((await plain.classify(crowd)).map(probs));
    expect((await limited.classify(crowd)).map(probs)).not.toEqual((await mirrored.classify(crowd)).map(probs));
  });

  it('with mirrorBelowMargin reads a face twice only when its first read is unsure, each face as the full reads give it', async () => {
    const plain = await classifier(INT8, { flipTta: false });
    const mirrored = await classifier(INT8, { flipTta: true });
    const gated = await classifier(INT8, { flipTta: true, mirrorBelowMargin: 0.5 });
    const [once, twice, read] = [await plain.classify(faces), await mirrored.classify(faces), await gated.classify(faces)];
    const margin = (r: EmotionResult | undefined): number => {
      const [first = 0, second = 0] = probs(r).sort((x, y) => y - x);
      return first - second;
    };
    const unsure = once.map((r) => margin(r) < 0.5);
    // These faces hold both kinds, or the test would prove nothing.
    expect(unsure).toContain(true);
    expect(unsure).toContain(false);
    read.forEach((r, i) => {
      const as = unsure[i] ? twice[i] : once[i];
      probs(r).forEach((p, k) => expect(p, `face ${i}`).toBeCloseTo(probs(as)[k] ?? 0, 5));
      expect(r.logits?.length).toBe(as?.logits?.length);
      expect(r.embedding?.length).toBe(as?.embedding?.length);
    });
    expect(gated.reads).toEqual({ faces: faces.length, twice: unsure.filter(Boolean).length });
  });

  it("divides the logits by the manifest's temperature before the softmax: same labels, tempered confidence", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-temperature-'));
    const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as {
      models: Record<string, Record<string, unknown>>;
    };
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ models: { 'emotion-int8.onnx': { ...manifest.models['emotion-int8.onnx'], temperature: 2 } } }),
    );
    copyFileSync(INT8, join(dir, 'emotion-int8.onnx'));
    const some = faces.slice(0, 6);
    const plain = await (await classifier(INT8, { flipTta: false })).classify(some);
    const tempered = await (await classifier(join(dir, 'emotion-int8.onnx'), { flipTta: false })).classify(some);
    tempered.forEach((r, i) => {
      // log p = logits - constant, so softmax(log p / 2) = softmax(logits / 2).
      const expected = softmax(
        probs(plain[i]).map((p) => Math.log(p)),
        0,
        7,
        2,
      );
      probs(r).forEach((p, k) => expect(p).toBeCloseTo(expected[k] ?? NaN, 5));
      expect(r.label).toBe(plain[i]?.label);
      expect(r.confidence).toBeLessThan(plain[i]?.confidence ?? 0);
    });
  });

  it("smooths a grainy face by the manifest's denoising rule before it reads it, and reads a clean one as it came", async () => {
    const rule: FaceDenoise = { steps: [{ fromNoise: 20, kernel: [10, 61, 114, 61, 10] }] };
    const denoising = await classifier(
      copy((e) => {
        e['denoise'] = rule;
        delete e['labelOffsets']; // the rule alone
      }),
      { flipTta: true },
    );
    const plain = await plainModel();
    const grainy = grainyCopies(faces.slice(0, 6));
    const read = await denoising.classify([...faces.slice(0, 6), ...grainy]);
    expect(read.map(probs)).toEqual((await plain.classify([...faces.slice(0, 6), ...grainy.map((f) => denoiseFace(f, rule))])).map(probs));
    expect(grainy.every((f) => denoiseFace(f, rule) !== f)).toBe(true); // each grainy face was smoothed
    // The light it measured to choose comes with each reading, for the face's vote.
    expect(read.map((r) => r.light)).toEqual([...faces.slice(0, 6), ...grainy].map((f) => measureLight(f, 48, 48)));
    expect(read.slice(6).map(probs)).not.toEqual((await plain.classify(grainy)).map(probs));
  });

  it("adds the manifest's offsets for each face's grain to its logits and its mirror's before the softmax, and none below the first step", async () => {
    const labelOffsets = { steps: [{ fromNoise: 20, offsets: [0, 0, 0, 3, 0, 0, -1] }] };
    const offsetting = await classifier(
      copy((e) => {
        delete e['denoise'];
        e['labelOffsets'] = labelOffsets;
      }),
      { flipTta: true },
    );
    const plain = await plainModel();
    const clean = faces.slice(0, 6);
    const grainy = grainyCopies(clean);
    expect(grainy.every((f) => measureLight(f, 48, 48).noise >= 20) && clean.every((f) => measureLight(f, 48, 48).noise < 20)).toBe(true);
    const read = await offsetting.classify([...clean, ...grainy]);
    const before = await plain.classify([...clean, ...grainy]);
    expect(read.slice(0, 6).map(probs)).toEqual(before.slice(0, 6).map(probs));
    const offsets = labelOffsets.steps[0]!.offsets;
    read.slice(6).forEach((r, i) => {
      const was = before[6 + i]!;
      // Without flip-TTA the probabilities would be the softmax of logits + offsets; with it, the
      // mean of the face's and its mirror's, each offset alike: happy up, neutral down, the rest by the total.
      expect(r.probabilities['happy']).toBeGreaterThan(was.probabilities['happy'] ?? 1);
      expect(r.probabilities['neutral']).toBeLessThan(was.probabilities['neutral'] ?? 0);
      // The logits stay the model's own (a personal calibration learns from them).
      expect(r.logits).toEqual(was.logits);
      expect(r.light).toEqual(measureLight(grainy[i]!, 48, 48));
    });
    // One face without its mirror: exactly the softmax of its logits plus the offsets.
    const [single] = await (await classifier(offsetting.model!.path, { flipTta: false })).classify([grainy[0]!]);
    const [singleBefore] = await (await classifier(plain.model!.path, { flipTta: false })).classify([grainy[0]!]);
    const shifted = Float32Array.from(singleBefore!.logits!, (v, k) => v + offsets[k]!);
    probs(single).forEach((p, k) => expect(p).toBeCloseTo(softmax(shifted, 0, 7)[k]!, 6));
  });

  it('rejects a face of the wrong size, naming it', async () => {
    const c = await classifier(INT8, { maxBatch: 2 });
    await expect(c.classify([...faces.slice(0, 4), new Uint8Array(10)])).rejects.toThrow(
      /Expected `faces\[4\]` to be a Uint8Array of 2304 bytes/,
    );
  });

  it('refuses to classify before start and after stop', async () => {
    const c = new OnnxEmotionClassifier({}, { modelPath: INT8 });
    await expect(c.classify(faces)).rejects.toThrow(ModelError);
    expect(c.labels).toEqual([]);
    await c.start(signal);
    await c.stop();
    await expect(c.classify(faces)).rejects.toThrow(/not started/);
  });

  it('logs the model it loaded, with flip-TTA as the shipped manifest sets it (on)', async () => {
    const lines: [object, string][] = [];
    const c = new OnnxEmotionClassifier(
      { log: { info: (obj, msg) => lines.push([obj, msg]), warn: (obj, msg) => lines.push([obj, msg]) } },
      { modelPath: INT8 },
    );
    await c.start(signal);
    started.push(c);
    expect(c.flipTta).toBe(true);
    expect(lines).toEqual([
      [expect.objectContaining({ model: INT8, labels: c.labels, flipTta: true, threads: 1 }), 'emotion model loaded'],
    ]);
  });

  describe('refuses a model that does not match its manifest', () => {
    async function refusal(path: string): Promise<ModelError> {
      const c = new OnnxEmotionClassifier({}, { modelPath: path });
      try {
        await c.start(signal);
      } catch (err) {
        await c.stop();
        expect(err).toBeInstanceOf(ModelError);
        return err as ModelError;
      }
      throw new Error('expected the model to be refused');
    }

    it('an input name the graph does not have', async () => {
      const err = await refusal(copy((e) => ((e['input'] as Record<string, unknown>)['name'] = 'image')));
      expect(err.code).toBe('MB_ERR_MODEL_INVALID');
      expect(err.message).toMatch(/input image is not in the graph \(inputs: input\)/);
    });

    it('more labels than the graph has outputs', async () => {
      const err = await refusal(
        copy((e) => {
          e['labels'] = [...(e['labels'] as string[]), 'contempt'];
          (e['output'] as Record<string, unknown>)['shape'] = ['N', 8];
          delete e['labelOffsets']; // seven offsets would not fit eight labels either
        }),
      );
      expect(err.code).toBe('MB_ERR_MODEL_INVALID');
      expect(err.message).toMatch(/output logits is float32 \[N, 7\], the manifest says float32 \[N, 8\]/);
    });

    it('an embedding width the graph does not have', async () => {
      const err = await refusal(copy((e) => ((e['embedding'] as Record<string, unknown>)['shape'] = ['N', 64])));
      expect(err.code).toBe('MB_ERR_MODEL_INVALID');
      expect(err.message).toMatch(/output embedding is float32 \[N, 192\], the manifest says float32 \[N, 64\]/);
    });

    it('a denoising rule that is not one, naming the field', async () => {
      const err = await refusal(copy((e) => (e['denoise'] = { steps: [{ fromNoise: 5, kernel: [1, 2, 1] }] })));
      expect(err.code).toBe('MB_ERR_MODEL_MANIFEST');
      expect(err.message).toMatch(/denoise\.steps\[0\]\.kernel: expected a symmetric list .* that sum to 256/);
    });

    it('offsets by grain that are not one per label, naming the field', async () => {
      const err = await refusal(copy((e) => (e['labelOffsets'] = { steps: [{ fromNoise: 0, offsets: [0.1, 0.2] }] })));
      expect(err.code).toBe('MB_ERR_MODEL_MANIFEST');
      expect(err.message).toMatch(/labelOffsets\.steps\[0\]\.offsets: expected 7 numbers \(one per label\)/);
    });

    it('a file that is not the one the manifest describes', async () => {
      const err = await refusal(copy(() => undefined, readFileSync(FLOAT)));
      expect(err.code).toBe('MB_ERR_MODEL_CHECKSUM');
    });

    it('a file onnxruntime cannot load', async () => {
      const junk = Buffer.from('not an onnx model');
      const { createHash } = await import('node:crypto');
      const err = await refusal(copy((e) => (e['sha256'] = createHash('sha256').update(junk).digest('hex')), junk));
      expect(err.code).toBe('MB_ERR_MODEL_LOAD');
      expect(err.message).toMatch(/onnxruntime cannot load/);
    });
  });

  it('rejects a thread count that is not a positive integer', async () => {
    const c = new OnnxEmotionClassifier({}, { modelPath: INT8, intraOpThreads: 0 });
    await expect(c.start(signal)).rejects.toThrow('Expected `intraOpThreads` to be an integer >= 1, got `0`');
  });
});

describe('softmax', () => {
  it('is stable for large scores', () => {
    expect(Array.from(softmax([1000, 1000, 0], 0, 3))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(softmax([9, 0, 0, 9], 1, 2))).toEqual([0.5, 0.5]);
  });

  it('divides the scores by the temperature', () => {
    const [a = 0, b = 0] = softmax([Math.log(3), 0], 0, 2, 2);
    expect(a).toBeCloseTo(Math.sqrt(3) / (Math.sqrt(3) + 1), 12);
    expect(b).toBeCloseTo(1 / (Math.sqrt(3) + 1), 12);
  });
});
