import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { loadModelManifest, validateManifestEntry, type ModelManifestEntry } from './model-manifest.js';

const MODELS = join(import.meta.dirname, '..', '..', 'models');
const MODEL_BYTES = Buffer.from('stand-in model bytes');

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sha256: createHash('sha256').update(MODEL_BYTES).digest('hex'),
    input: { name: 'input', shape: ['N', 1, 48, 48], layout: 'NCHW', type: 'float32', normalisation: { scale: 255, mean: 0.5, std: 0.25 } },
    output: { name: 'logits', shape: ['N', 7], type: 'float32', kind: 'logits' },
    labels: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
    flipTta: false,
    provenance: 'a test',
    licence: 'MIT',
    ...overrides,
  };
}

/** A models folder with `emotion-int8.onnx` and a manifest holding `manifest`. */
function folder(manifest: unknown, bytes: Buffer = MODEL_BYTES): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-manifest-'));
  writeFileSync(join(dir, 'emotion-int8.onnx'), bytes);
  if (manifest !== undefined) writeFileSync(join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return join(dir, 'emotion-int8.onnx');
}

async function refusal(modelPath: string): Promise<ModelError> {
  try {
    await loadModelManifest(modelPath);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('expected the model to be refused');
}

describe('loadModelManifest', () => {
  it('accepts a model whose bytes and entry match', async () => {
    const path = folder({ models: { 'emotion-int8.onnx': entry() } });
    const model = await loadModelManifest(path);
    expect(model.file).toBe('emotion-int8.onnx');
    expect(model.manifestPath).toBe(join(path, '..', 'manifest.json'));
    expect(model.entry.labels).toHaveLength(7);
    expect(model.entry.input.normalisation).toEqual({ scale: 255, mean: 0.5, std: 0.25 });
  });

  it('refuses a model whose bytes changed', async () => {
    const err = await refusal(folder({ models: { 'emotion-int8.onnx': entry() } }, Buffer.from('other bytes')));
    expect(err.code).toBe('MB_ERR_MODEL_CHECKSUM');
    expect(err.message).toMatch(/emotion-int8\.onnx does not match its manifest: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/);
  });

  it('refuses a model without a manifest, without an entry, or with an unreadable manifest', async () => {
    const none = await refusal(folder(undefined));
    expect(none.code).toBe('MB_ERR_MODEL_MANIFEST');
    expect(none.message).toMatch(/cannot read the model manifest .*manifest\.json/);
    const other = await refusal(folder({ models: { 'emotion-float.onnx': entry() } }));
    expect(other.message).toMatch(/has no entry for emotion-int8\.onnx \(entries: emotion-float\.onnx\)/);
    const broken = await refusal(folder('{"models": '));
    expect(broken.code).toBe('MB_ERR_MODEL_MANIFEST');
  });

  it('lists every problem of a malformed entry at once, each with its field', async () => {
    const bad = entry({
      input: { name: 'input', shape: ['N', 3, 48, 48], layout: 'NHWC', type: 'float32', normalisation: { scale: 255, mean: 0.5, std: 0 } },
      labels: ['angry', 'happy', 'happy'],
      flipTta: 'yes',
    });
    const err = await refusal(folder({ models: { 'emotion-int8.onnx': bad } }));
    expect(err.code).toBe('MB_ERR_MODEL_MANIFEST');
    expect(err.message).toContain('the entry for emotion-int8.onnx is invalid (6 problems)');
    expect(err.message).toContain('models["emotion-int8.onnx"].input.shape: expected [N, 1, 48, 48]');
    expect(err.message).toContain('models["emotion-int8.onnx"].input.layout: expected "NCHW", got `"NHWC"` (string)');
    expect(err.message).toContain('models["emotion-int8.onnx"].input.normalisation: expected {scale > 0, mean, std > 0}');
    expect(err.message).toContain('models["emotion-int8.onnx"].labels: expected 2 or more distinct emotions');
    expect(err.message).toContain('models["emotion-int8.onnx"].output.shape: expected [N, 3] (one score per label)');
    expect(err.message).toContain('models["emotion-int8.onnx"].flipTta: expected true or false');
  });
});

describe('validateManifestEntry', () => {
  it.each([
    ['sha256', { sha256: 'ABC' }, /^sha256: expected 64 lowercase hex digits/],
    [
      'unknown label',
      { labels: ['angry', 'hungry'], output: { name: 'logits', shape: ['N', 2], type: 'float32', kind: 'logits' } },
      /^labels:/,
    ],
    [
      'output kind',
      { output: { name: 'logits', shape: ['N', 7], type: 'float32', kind: 'probabilities' } },
      /^output\.kind: expected "logits"/,
    ],
    ['output count', { output: { name: 'logits', shape: ['N', 8], type: 'float32', kind: 'logits' } }, /^output\.shape: expected \[N, 7\]/],
    ['input type', { input: { ...(entry()['input'] as object), type: 'uint8' } }, /^input\.type: expected "float32"/],
    ['input name', { input: { ...(entry()['input'] as object), name: '' } }, /^input\.name:/],
    ['batch dimension', { input: { ...(entry()['input'] as object), shape: [0, 1, 48, 48] } }, /^input\.shape:/],
    ['licence', { licence: '' }, /^licence: expected the licence of the model/],
    ['provenance', { provenance: undefined }, /^provenance:/],
    ['temperature of 0', { temperature: 0 }, /^temperature: expected a positive number .*, got `0`/],
    ['temperature as text', { temperature: '1.3' }, /^temperature: expected a positive number/],
  ])('reports a bad %s', (_what, overrides, problem) => {
    const problems = validateManifestEntry(entry(overrides));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('accepts a fixed batch size and the 8 FER+ labels', () => {
    const labels = ['neutral', 'happy', 'surprise', 'sad', 'angry', 'disgust', 'fear', 'contempt'];
    expect(
      validateManifestEntry(
        entry({
          input: { ...(entry()['input'] as object), shape: [1, 1, 48, 48] },
          output: { name: 'y', shape: [1, 8], type: 'float32', kind: 'logits' },
          labels,
        }),
      ),
    ).toEqual([]);
  });

  it('accepts a calibration temperature, and no temperature at all', () => {
    expect(validateManifestEntry(entry({ temperature: 1.35 }))).toEqual([]);
    expect(validateManifestEntry(entry())).toEqual([]);
  });

  it('accepts accuracy by face size, and reports a bad one by its field', () => {
    expect(validateManifestEntry(entry({ accuracyBySize: { '48': 0.682, '32': 0.629, '24': 0.6, '16': 0.446, '12': 0.341 } }))).toEqual([]);
    expect(validateManifestEntry(entry({ accuracyBySize: { '48': 0.682, '16': 44.6 } }))).toEqual([
      'accuracyBySize.16: expected an accuracy in (0, 1], got `44.6` (number)',
    ]);
  });

  it('refuses a model whose accuracy by size is malformed, naming the field', async () => {
    const err = await refusal(folder({ models: { 'emotion-int8.onnx': entry({ accuracyBySize: { '48': 0.68, tiny: 0.3 } }) } }));
    expect(err.code).toBe('MB_ERR_MODEL_MANIFEST');
    expect(err.message).toContain('models["emotion-int8.onnx"].accuracyBySize.tiny: expected a face size in whole px');
  });

  it('rejects what is not an object', () => {
    expect(validateManifestEntry([])).toEqual(['(entry): expected an object, got `[]` (array)']);
  });
});

describe('the shipped models/manifest.json', () => {
  const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as { models: Record<string, ModelManifestEntry> };

  it.each(['emotion-int8.onnx', 'emotion-float.onnx'])('describes %s, which matches it', async (file) => {
    const model = await loadModelManifest(join(MODELS, file));
    expect(model.entry.labels).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
    expect(model.entry.input).toMatchObject({
      name: 'input',
      shape: ['N', 1, 48, 48],
      normalisation: { scale: 255, mean: 0.5, std: 0.25 },
    });
    expect(model.entry.output).toMatchObject({ name: 'logits', shape: ['N', 7] });
  });

  it('keeps the sha256 where `moodbox doctor` reads it', () => {
    const bytes = readFileSync(join(MODELS, 'emotion-int8.onnx'));
    expect(manifest.models['emotion-int8.onnx']?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
