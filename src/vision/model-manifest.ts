import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeValue } from '../kernel/errors.js';
import { ModelError } from './errors.js';
import { denoiseProblems, type FaceDenoise } from './denoise-crop.js';
import { labelOffsetsProblems, type LabelOffsets } from './label-offsets.js';
import { accuracyBySizeProblems, type AccuracyBySize } from './vote-weight.js';
import { FACE_SIZE, normalisationTable, type Normalisation } from './preprocess.js';
import { parseJson } from '../kernel/json.js';

/** The manifest's file name; it sits in the same folder as the models it describes. */
export const MANIFEST_FILE = 'manifest.json';

/** Every emotion label a model may use: the 7 FER-2013 classes and FER+'s contempt. */
export const KNOWN_EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral', 'contempt'] as const;

/** A batch dimension: a symbolic name (`"N"`) or a fixed size. */
export type BatchDim = string | number;

/**
 * One model's entry in `models/manifest.json` (`{ "models": { "<file>": entry } }`). The daemon
 * reads the fields it needs and refuses the model when any of them is missing or does not match.
 */
export interface ModelManifestEntry {
  /** Hex sha256 of the model file. */
  readonly sha256: string;
  readonly input: {
    readonly name: string;
    /** `[batch, 1, 48, 48]`. */
    readonly shape: readonly [BatchDim, 1, 48, 48];
    readonly layout: 'NCHW';
    readonly type: 'float32';
    readonly normalisation: Normalisation;
  };
  readonly output: {
    readonly name: string;
    /** `[batch, labels.length]`. */
    readonly shape: readonly [BatchDim, number];
    readonly type: 'float32';
    /** Raw scores: the classifier applies softmax. */
    readonly kind: 'logits';
  };
  /**
   * The penultimate layer as a second output (`scripts/model/add_embedding_output.py`): the
   * features the personal calibration learns from. Absent in older models: no calibration then.
   */
  readonly embedding?: {
    readonly name: string;
    /** `[batch, width]`. */
    readonly shape: readonly [BatchDim, number];
    readonly type: 'float32';
  };
  /** Label of each output, in output order. */
  readonly labels: readonly string[];
  /** Whether the daemon averages each face with its mirror (one more inference per face). */
  readonly flipTta: boolean;
  /**
   * Softmax temperature fitted on the training run's validation split: the logits are divided by
   * it before the softmax so that the confidence matches the accuracy. Absent: 1.
   */
  readonly temperature?: number;
  /**
   * How grainy faces are smoothed before this model reads them (`denoise-crop.ts`): steps by the
   * grain measured on each face. Absent: every face is read as it came.
   */
  readonly denoise?: FaceDenoise;
  /**
   * Offsets added to the logits by the grain measured on each face (`label-offsets.ts`), fitted on
   * faces apart from PublicTest (Training's validation split). Absent: the logits as the model gives them.
   */
  readonly labelOffsets?: LabelOffsets;
  /** Where the model came from (training run, data, commands). */
  readonly provenance: string;
  readonly licence: string;
  /**
   * How a quantized model was made (quantize.py); `from` names the float model it was quantized
   * from, which sits in the same folder. Absent for a float model. Only `from` is read.
   */
  readonly quantization?: { readonly from?: { readonly file: string; readonly sha256: string } } & Record<string, unknown>;
  /**
   * The model's accuracy by face size (px, the keys) on FER-2013 PublicTest, each face shrunk to
   * that size and scaled back up: a small face votes on the room's mood with the weight its size
   * earns (`vote-weight.ts`). Absent: every face weighs the same.
   */
  readonly accuracyBySize?: AccuracyBySize;
  /** Measured figures (shown in the admin panel's model report); not checked. */
  readonly accuracy?: unknown;
  /** How the model was trained; not checked. */
  readonly training?: unknown;
}

/** A model file whose manifest entry is valid and whose bytes match its sha256. */
export interface VerifiedModel {
  readonly path: string;
  readonly manifestPath: string;
  /** The file's key in the manifest (its base name). */
  readonly file: string;
  readonly entry: ModelManifestEntry;
}

/**
 * Reads `manifest.json` beside `modelPath`, validates the model's entry and checks the file's
 * sha256. Throws `ModelError`: `MB_ERR_MODEL_MANIFEST` (no readable manifest, no entry, or an
 * entry that is malformed or describes a model the daemon cannot feed; every problem is listed),
 * `MB_ERR_MODEL_CHECKSUM` (the bytes differ) or `MB_ERR_MODEL_LOAD` (the model file cannot be read).
 */
export async function loadModelManifest(modelPath: string): Promise<VerifiedModel> {
  const manifestPath = join(dirname(modelPath), MANIFEST_FILE);
  const file = basename(modelPath);
  let raw: unknown;
  try {
    raw = parseJson(await readFile(manifestPath, 'utf8'));
  } catch (err) {
    throw new ModelError('MB_ERR_MODEL_MANIFEST', `cannot read the model manifest ${manifestPath}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const models = isObject(raw) ? raw['models'] : undefined;
  const entry: unknown = isObject(models) ? models[file] : undefined;
  if (entry === undefined) {
    const known = isObject(models) ? Object.keys(models).join(', ') || 'none' : 'none (no `models` object)';
    throw new ModelError('MB_ERR_MODEL_MANIFEST', `${manifestPath} has no entry for ${file} (entries: ${known})`);
  }
  const problems = validateManifestEntry(entry);
  if (problems.length > 0) {
    throw new ModelError(
      'MB_ERR_MODEL_MANIFEST',
      `${manifestPath}: the entry for ${file} is invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${problems
        .map((p) => `  - models["${file}"].${p}`)
        .join('\n')}`,
    );
  }
  const valid = entry as ModelManifestEntry;
  let actual: string;
  try {
    actual = await sha256File(modelPath);
  } catch (err) {
    throw new ModelError('MB_ERR_MODEL_LOAD', `cannot read the emotion model ${modelPath}: ${(err as Error).message}`, { cause: err });
  }
  if (actual !== valid.sha256) {
    throw new ModelError(
      'MB_ERR_MODEL_CHECKSUM',
      `${modelPath} does not match its manifest: sha256 ${actual}, expected ${valid.sha256}; reinstall the model files or update ${manifestPath}`,
    );
  }
  return { path: modelPath, manifestPath, file, entry: valid };
}

/** Problems with one manifest entry, each as `field: what is wrong`; empty when it is valid. */
export function validateManifestEntry(entry: unknown): string[] {
  if (!isObject(entry)) return [`(entry): expected an object, got ${describeValue(entry)}`];
  const problems: string[] = [];
  const expect = (ok: boolean, field: string, wanted: string, value: unknown): void => {
    if (!ok) problems.push(`${field}: expected ${wanted}, got ${describeValue(value)}`);
  };
  const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const batchDim = (v: unknown): boolean => nonEmpty(v) || (Number.isInteger(v) && (v as number) > 0);

  expect(
    typeof entry['sha256'] === 'string' && /^[0-9a-f]{64}$/.test(entry['sha256']),
    'sha256',
    '64 lowercase hex digits',
    entry['sha256'],
  );

  const labels = entry['labels'];
  const labelsOk =
    Array.isArray(labels) &&
    labels.length >= 2 &&
    labels.every((l) => (KNOWN_EMOTIONS as readonly unknown[]).includes(l)) &&
    new Set(labels).size === labels.length;
  expect(labelsOk, 'labels', `2 or more distinct emotions from ${KNOWN_EMOTIONS.join(', ')}`, labels);

  const input = entry['input'];
  if (!isObject(input)) {
    expect(false, 'input', 'an object', input);
  } else {
    expect(nonEmpty(input['name']), 'input.name', 'the input tensor name', input['name']);
    const shape = input['shape'];
    const shapeOk =
      Array.isArray(shape) &&
      shape.length === 4 &&
      batchDim(shape[0]) &&
      shape[1] === 1 &&
      shape[2] === FACE_SIZE &&
      shape[3] === FACE_SIZE;
    expect(shapeOk, 'input.shape', `[N, 1, ${FACE_SIZE}, ${FACE_SIZE}] (one grey ${FACE_SIZE}x${FACE_SIZE} face per batch item)`, shape);
    expect(input['layout'] === 'NCHW', 'input.layout', '"NCHW"', input['layout']);
    expect(input['type'] === 'float32', 'input.type', '"float32"', input['type']);
    const n = input['normalisation'];
    if (!isObject(n)) {
      expect(false, 'input.normalisation', 'an object {scale, mean, std}', n);
    } else {
      try {
        normalisationTable({ scale: n['scale'] as number, mean: n['mean'] as number, std: n['std'] as number });
      } catch {
        expect(false, 'input.normalisation', '{scale > 0, mean, std > 0} as finite numbers', n);
      }
    }
  }

  const output = entry['output'];
  if (!isObject(output)) {
    expect(false, 'output', 'an object', output);
  } else {
    expect(nonEmpty(output['name']), 'output.name', 'the output tensor name', output['name']);
    const shape = output['shape'];
    const classes = Array.isArray(labels) ? labels.length : NaN;
    const shapeOk = Array.isArray(shape) && shape.length === 2 && batchDim(shape[0]) && shape[1] === classes;
    expect(shapeOk, 'output.shape', `[N, ${Number.isNaN(classes) ? 'number of labels' : classes}] (one score per label)`, shape);
    expect(output['type'] === 'float32', 'output.type', '"float32"', output['type']);
    expect(output['kind'] === 'logits', 'output.kind', '"logits"', output['kind']);
  }

  const embedding = entry['embedding'];
  if (embedding !== undefined) {
    if (!isObject(embedding)) {
      expect(false, 'embedding', 'an object {name, shape, type} or no field', embedding);
    } else {
      const shape = embedding['shape'];
      expect(nonEmpty(embedding['name']), 'embedding.name', 'the embedding tensor name', embedding['name']);
      expect(
        Array.isArray(shape) && shape.length === 2 && batchDim(shape[0]) && Number.isInteger(shape[1]) && (shape[1] as number) > 0,
        'embedding.shape',
        '[N, width]',
        shape,
      );
      expect(embedding['type'] === 'float32', 'embedding.type', '"float32"', embedding['type']);
    }
  }

  expect(typeof entry['flipTta'] === 'boolean', 'flipTta', 'true or false', entry['flipTta']);
  const temperature = entry['temperature'];
  expect(
    temperature === undefined || (typeof temperature === 'number' && Number.isFinite(temperature) && temperature > 0),
    'temperature',
    'a positive number (the logits are divided by it before the softmax) or no field',
    temperature,
  );
  if (entry['denoise'] !== undefined) {
    problems.push(...denoiseProblems(entry['denoise']));
  }
  if (entry['labelOffsets'] !== undefined) {
    problems.push(...labelOffsetsProblems(entry['labelOffsets'], Array.isArray(labels) ? labels.length : 0));
  }
  const quantization = entry['quantization'];
  if (quantization !== undefined) {
    const from = isObject(quantization) ? quantization['from'] : undefined;
    const fromOk =
      isObject(quantization) &&
      (from === undefined ||
        (isObject(from) && nonEmpty(from['file']) && !/[/\\]/.test(from['file']) && typeof from['sha256'] === 'string'));
    expect(fromOk, 'quantization', 'an object whose `from` names a model file beside it ({file, sha256})', quantization);
  }
  if (entry['accuracyBySize'] !== undefined) {
    problems.push(...accuracyBySizeProblems(entry['accuracyBySize'], Array.isArray(labels) ? labels.length : 0));
  }
  expect(nonEmpty(entry['provenance']), 'provenance', 'a description of where the model came from', entry['provenance']);
  expect(nonEmpty(entry['licence']), 'licence', 'the licence of the model', entry['licence']);
  return problems;
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
