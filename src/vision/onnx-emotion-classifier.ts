import type * as OnnxRuntime from 'onnxruntime-node';
import { loadOnnxRuntime } from './onnxruntime.js';
import { ModelError } from './errors.js';
import type { Service } from '../kernel/lifecycle.js';
import { resultFromLogits, softmax, type EmotionClassifier, type EmotionResult } from './emotion-classifier.js';
import { checkInt8Agreement, describeAgreement, type Int8Agreement } from './int8-agreement.js';
import type { AccuracyBySize } from './vote-weight.js';
import { loadModelManifest, type VerifiedModel } from './model-manifest.js';
import { applyDenoise } from './denoise-crop.js';
import { measureLight, type FaceLight } from './light-measure.js';
import { addLabelOffsets, type LabelOffsets } from './label-offsets.js';
import { assertFaces, FACE_SIZE, preprocessFaces } from './preprocess.js';
import type { Log } from '../kernel/log.js';

type Ort = typeof OnnxRuntime;
type InferenceSession = OnnxRuntime.InferenceSession;
type ValueMetadata = OnnxRuntime.InferenceSession.ValueMetadata;

export interface OnnxEmotionClassifierOptions {
  /** The `.onnx` file; its `manifest.json` sits beside it and is checked at start. */
  modelPath: string;
  /** Threads onnxruntime may use inside one inference (1 keeps the other cores for detection). @default 1 */
  intraOpThreads?: number;
  /**
   * Average each face's probabilities with those of its mirror image (flip test-time augmentation):
   * a little more accurate, twice the inference work. @default the manifest's `flipTta`
   */
  flipTta?: boolean;
  /** The most faces in one inference call; larger requests are split. @default 64 */
  maxBatch?: number;
  /**
   * With flip-TTA, mirror the faces only when a call has at most this many: a crowd's faces are
   * read once each, which halves its cost (about 0.7 points of accuracy a face, and a room of many
   * faces averages them anyway). @default no limit
   */
  mirrorUpToFaces?: number;
  /**
   * With flip-TTA, read a face a second time (mirrored) only when its first read is unsure: the
   * top two probabilities closer than this margin (0–1). A face read with a clear answer is read
   * once. @default every face is read twice
   */
  mirrorBelowMargin?: number;
  /**
   * For an int8 model: compare it with its float original on the built-in faces at start
   * (`int8-agreement.ts`, about 0.3 s). `fallback` loads the float model instead when they
   * disagree on this CPU; `warn` only logs it; `off` skips the check. @default 'off'
   */
  int8Check?: Int8CheckMode;
}

export type Int8CheckMode = 'fallback' | 'warn' | 'off';

/**
 * The daemon's second read: with flip-TTA, a face is read mirrored too only when its first read's
 * top two probabilities are closer than this. On PublicTest through the webcam of `dim-camera.ts`,
 * the shipped int8 model then reads 33% of faces twice, and its accuracy at daylight, 25%, 12% and
 * 4% of daylight and as 24 and 16 px faces stays within 0.08 points of reading every face twice
 * (0.1 reads 19% twice but loses 0.34 at 16 px): `scripts/measure-second-read.ts`, docs/light.md.
 */
export const SECOND_READ_BELOW_MARGIN = 0.2;

/**
 * The emotion classifier on onnxruntime-node (imported when the service starts). One session,
 * batched inputs (all faces of a frame in one call, mirrors included when flip-TTA is on). At
 * start it checks the model against its manifest (sha256, input and output names and shapes,
 * labels, normalisation) and refuses a model that does not match with a `ModelError`.
 */
export class OnnxEmotionClassifier implements EmotionClassifier, Service {
  readonly name = 'emotion-classifier';
  readonly #log: Pick<Log, 'info' | 'warn'> | undefined;
  readonly #options: OnnxEmotionClassifierOptions;
  #ort: Ort | undefined;
  #session: InferenceSession | undefined;
  #model: VerifiedModel | undefined;
  #flipTta = false;
  #agreement: Int8Agreement | undefined;
  #note: string | undefined;
  #faces = 0;
  #readTwice = 0;

  constructor(deps: { log?: Pick<Log, 'info' | 'warn'> }, options: OnnxEmotionClassifierOptions) {
    this.#log = deps.log;
    this.#options = options;
  }

  /** Faces read since the start, and how many of them were read twice (mirrored too). */
  get reads(): { faces: number; twice: number } {
    return { faces: this.#faces, twice: this.#readTwice };
  }

  /** Labels of the loaded model, in output order; empty before `start`. */
  get labels(): readonly string[] {
    return this.#model?.entry.labels ?? [];
  }

  /** The loaded model's accuracy by face size (its manifest entry's); undefined before `start` or when the entry has none. */
  get accuracyBySize(): AccuracyBySize | undefined {
    return this.#model?.entry.accuracyBySize;
  }

  /** The loaded model and its manifest entry; undefined before `start`. */
  get model(): VerifiedModel | undefined {
    return this.#model;
  }

  /** The int8 check's result at `start`; undefined when it did not run. */
  get int8Agreement(): Int8Agreement | undefined {
    return this.#agreement;
  }

  /** Which model runs and why, for health lines: set when the int8 check ran or failed. */
  get modelNote(): string | undefined {
    return this.#note;
  }

  /** Whether results average each face with its mirror (set at `start`). */
  get flipTta(): boolean {
    return this.#flipTta;
  }

  async start(signal: AbortSignal): Promise<void> {
    const threads = this.#options.intraOpThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`Expected \`intraOpThreads\` to be an integer >= 1, got \`${threads}\``);
    }
    const maxBatch = this.#options.maxBatch ?? 64;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError(`Expected \`maxBatch\` to be an integer >= 1, got \`${maxBatch}\``);
    }
    const model = await this.#chooseModel(await loadModelManifest(this.#options.modelPath));
    signal.throwIfAborted();
    const ort = await loadOnnxRuntime();
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(model.path, {
        // No memory plan per input shape: the shapes vary (regions, batches of faces), and each plan
        // kept its own buffers (C heap 75 -> 60 MiB in demo mode, CPU time within the noise).
        enableMemPattern: false,
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_LOAD', `onnxruntime cannot load ${model.path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      checkSession(session, model);
      signal.throwIfAborted();
    } catch (err) {
      await session.release();
      throw err;
    }
    this.#ort = ort;
    this.#session = session;
    this.#model = model;
    this.#flipTta = this.#options.flipTta ?? model.entry.flipTta;
    this.#log?.info(
      {
        model: model.path,
        sha256: model.entry.sha256,
        labels: model.entry.labels,
        flipTta: this.#flipTta,
        temperature: model.entry.temperature ?? 1,
        threads,
      },
      'emotion model loaded',
    );
  }

  /** The model to load: the configured one, or its float original when the int8 check says so. */
  async #chooseModel(model: VerifiedModel): Promise<VerifiedModel> {
    const mode = this.#options.int8Check ?? 'off';
    this.#agreement = undefined;
    this.#note = undefined;
    if (mode === 'off' || model.entry.quantization?.from === undefined) return model;
    let agreement: Int8Agreement;
    try {
      agreement = await checkInt8Agreement({
        int8Model: model.path,
        open: (modelPath) => new OnnxEmotionClassifier({}, { modelPath, flipTta: false }),
      });
    } catch (err) {
      // The check is a safeguard, not a requirement: a missing sample keeps the configured model.
      this.#note = `int8 model not checked on this CPU: ${(err as Error).message}`;
      this.#log?.warn({ err, model: model.path }, 'the int8 model could not be checked against its float original');
      return model;
    }
    this.#agreement = agreement;
    const line = describeAgreement(agreement);
    if (agreement.ok) {
      this.#note = `int8 model checked: ${line}`;
      return model;
    }
    if (mode === 'warn') {
      this.#note = `int8 model in use although ${line}`;
      this.#log?.warn({ agreement }, `the int8 emotion model reads faces differently from its float original on this CPU: ${line}`);
      return model;
    }
    const float = await loadModelManifest(agreement.floatModel);
    this.#note = `float model in use: ${line}`;
    this.#log?.warn(
      { agreement, model: float.path },
      `the int8 emotion model reads faces differently from its float original on this CPU (${line}); using the float model, about 3x slower per face`,
    );
    return float;
  }

  async stop(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#model = undefined;
    await session?.release();
  }

  async classify(faces: readonly Uint8Array[]): Promise<EmotionResult[]> {
    const session = this.#session;
    const model = this.#model;
    const ort = this.#ort;
    if (session === undefined || model === undefined || ort === undefined) {
      throw new ModelError('MB_ERR_MODEL_LOAD', 'the emotion classifier is not started');
    }
    assertFaces(faces);
    const { entry } = model;
    const maxBatch = this.#options.maxBatch ?? 64;
    const results: EmotionResult[] = [];
    const mirror = this.#flipTta && faces.length <= (this.#options.mirrorUpToFaces ?? Number.POSITIVE_INFINITY);
    const margin = mirror ? this.#options.mirrorBelowMargin : undefined;
    const k = entry.labels.length;
    const width = entry.embedding?.shape[1] ?? 0;
    for (let start = 0; start < faces.length; start += maxBatch) {
      // A grainy face is smoothed first, as the model's rule says (the manifest's `denoise`); its
      // light is measured for that rule and for the offsets by grain (`labelOffsets`).
      const read: Array<{ face: Uint8Array; light?: FaceLight }> = faces.slice(start, start + maxBatch).map((face) => {
        if (entry.denoise !== undefined) return applyDenoise(face, entry.denoise);
        return entry.labelOffsets === undefined ? { face } : { face, light: measureLight(face, FACE_SIZE, FACE_SIZE) };
      });
      const chunk = read.map((r) => r.face);
      const n = chunk.length;
      let out: Inference;
      let twice: ReadonlySet<number>;
      if (margin === undefined) {
        // Every face and its mirror in one call (or every face once).
        out = await this.#infer(model, preprocessFaces(chunk, entry.input.normalisation, { appendMirrored: mirror }), read, mirror);
        twice = mirror ? new Set(chunk.keys()) : new Set();
      } else {
        // Each face once; its mirror only where the first read is unsure, placed as the mirrors above are.
        const once = await this.#infer(model, preprocessFaces(chunk, entry.input.normalisation), read, false);
        const unsure = [...chunk.keys()].filter((i) => topMargin(once.scores, i * k, k, entry.temperature ?? 1) < margin);
        out = widen(once, n, k, width);
        if (unsure.length > 0) {
          const mirrors = preprocessFaces(
            unsure.map((i) => chunk[i] as Uint8Array),
            entry.input.normalisation,
            { appendMirrored: true },
          ).subarray(unsure.length * FACE_SIZE * FACE_SIZE);
          const again = await this.#infer(
            model,
            mirrors,
            unsure.map((i) => read[i] ?? { face: chunk[i] as Uint8Array }),
            false,
          );
          unsure.forEach((i, j) => place(out, again, j, n + i, k, width));
        }
        twice = new Set(unsure);
      }
      this.#faces += n;
      this.#readTwice += twice.size;
      const { raw, scores, features } = out;
      for (let i = 0; i < n; i++) {
        const mirrorRow = twice.has(i) ? n + i : undefined;
        const mirrored = mirrorRow === undefined ? undefined : { scores, offset: mirrorRow * k };
        const result = resultFromLogits(entry.labels, scores, i * k, mirrored, entry.temperature ?? 1);
        const logits = meanRows(raw, i * k, mirrorRow === undefined ? undefined : mirrorRow * k, k);
        const embedding =
          features === undefined
            ? undefined
            : meanRows(features, i * width, mirrorRow === undefined ? undefined : mirrorRow * width, width);
        const light = read[i]?.light;
        results.push({ ...result, logits, ...(embedding === undefined ? {} : { embedding }), ...(light === undefined ? {} : { light }) });
      }
    }
    return results;
  }

  /**
   * One inference call on `data` (`rows` faces: those of `read`, then their mirrors when `mirror`):
   * the model's own scores (`raw`), the scores with the offsets by grain added (`scores`), and the
   * embedding when the model has one.
   */
  async #infer(model: VerifiedModel, data: Float32Array, read: ReadonlyArray<{ light?: FaceLight }>, mirror: boolean): Promise<Inference> {
    const { entry } = model;
    const session = this.#session;
    const ort = this.#ort;
    if (session === undefined || ort === undefined) throw new ModelError('MB_ERR_MODEL_LOAD', 'the emotion classifier is not started');
    const rows = mirror ? 2 * read.length : read.length;
    const width = entry.embedding?.shape[1] ?? 0;
    const input = new ort.Tensor('float32', data, [rows, 1, FACE_SIZE, FACE_SIZE]);
    try {
      const outputs = await session.run({ [entry.input.name]: input });
      const output = outputs[entry.output.name];
      if (output === undefined || output.data.length !== rows * entry.labels.length) {
        throw new Error(`expected output ${entry.output.name} with ${rows * entry.labels.length} values`);
      }
      const raw = output.data as Float32Array;
      // The offsets by grain, like the temperature, turn the model's scores into probabilities;
      // `logits` stay the model's own, which a personal calibration learns from.
      const scores = entry.labelOffsets === undefined ? raw : offsetRows(raw, read, entry.labelOffsets, mirror, entry.labels.length);
      if (entry.embedding === undefined) return { raw, scores, features: undefined };
      const emb = outputs[entry.embedding.name];
      if (emb === undefined || emb.data.length !== rows * width) {
        throw new Error(`expected output ${entry.embedding.name} with ${rows * width} values`);
      }
      return { raw, scores, features: emb.data as Float32Array };
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_LOAD', `the emotion model failed to run: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** What one inference gives: the model's scores, the scores as read (offsets added), the embedding. */
interface Inference {
  raw: Float32Array;
  scores: Float32Array;
  features: Float32Array | undefined;
}

/** `once` (n faces) with room for n mirrors after them, as one inference of faces and mirrors lays them out. */
function widen(once: Inference, n: number, k: number, width: number): Inference {
  const grow = (data: Float32Array, per: number): Float32Array => {
    const out = new Float32Array(2 * n * per);
    out.set(data.subarray(0, n * per));
    return out;
  };
  return {
    raw: grow(once.raw, k),
    scores: once.scores === once.raw ? grow(once.raw, k) : grow(once.scores, k),
    features: once.features === undefined ? undefined : grow(once.features, width),
  };
}

/** Copies row `from` of `source` into row `to` of `target` (scores, raw and embedding alike). */
function place(target: Inference, source: Inference, from: number, to: number, k: number, width: number): void {
  target.raw.set(source.raw.subarray(from * k, (from + 1) * k), to * k);
  target.scores.set(source.scores.subarray(from * k, (from + 1) * k), to * k);
  if (target.features !== undefined && source.features !== undefined)
    target.features.set(source.features.subarray(from * width, (from + 1) * width), to * width);
}

/** How far the most likely label's probability is above the next one's (0–1), for the face at `offset`. */
function topMargin(scores: ArrayLike<number>, offset: number, k: number, temperature: number): number {
  const p = softmax(scores, offset, k, temperature);
  let first = 0;
  let second = 0;
  for (const q of p) {
    if (q > first) {
      second = first;
      first = q;
    } else if (q > second) second = q;
  }
  return first - second;
}

/** The graph's input and output must be the ones the manifest describes. */
function checkSession(session: InferenceSession, model: VerifiedModel): void {
  const { entry } = model;
  const problems: string[] = [];
  const input = session.inputMetadata.find((m) => m.name === entry.input.name);
  if (input === undefined) {
    problems.push(`input ${entry.input.name} is not in the graph (inputs: ${session.inputNames.join(', ')})`);
  } else if (!input.isTensor || input.type !== 'float32' || !sameDims(input.shape, [1, FACE_SIZE, FACE_SIZE])) {
    problems.push(`input ${input.name} is ${describeTensor(input)}, the manifest says float32 [N, 1, ${FACE_SIZE}, ${FACE_SIZE}]`);
  }
  const output = session.outputMetadata.find((m) => m.name === entry.output.name);
  if (output === undefined) {
    problems.push(`output ${entry.output.name} is not in the graph (outputs: ${session.outputNames.join(', ')})`);
  } else if (!output.isTensor || output.type !== 'float32' || !sameDims(output.shape, [entry.labels.length])) {
    problems.push(
      `output ${output.name} is ${describeTensor(output)}, the manifest says float32 [N, ${entry.labels.length}] (one per label)`,
    );
  }
  if (entry.embedding !== undefined) {
    const emb = session.outputMetadata.find((m) => m.name === entry.embedding?.name);
    if (emb === undefined) {
      problems.push(`output ${entry.embedding.name} is not in the graph (outputs: ${session.outputNames.join(', ')})`);
    } else if (!emb.isTensor || emb.type !== 'float32' || !sameDims(emb.shape, [entry.embedding.shape[1]])) {
      problems.push(`output ${emb.name} is ${describeTensor(emb)}, the manifest says float32 [N, ${entry.embedding.shape[1]}]`);
    }
  }
  if (problems.length > 0) {
    throw new ModelError('MB_ERR_MODEL_INVALID', `${model.path} does not match its manifest ${model.manifestPath}: ${problems.join('; ')}`);
  }
}

/** A copy of `raw` with each face's offsets by its grain added to its logits and, with flip-TTA, to its mirror's. */
function offsetRows(
  raw: Float32Array,
  read: ReadonlyArray<{ light?: FaceLight }>,
  rule: LabelOffsets,
  mirror: boolean,
  labels: number,
): Float32Array {
  const scores = Float32Array.from(raw);
  const n = read.length;
  read.forEach(({ light }, i) => {
    const noise = light?.noise ?? 0;
    addLabelOffsets(rule, noise, scores, i * labels, labels);
    if (mirror) addLabelOffsets(rule, noise, scores, (n + i) * labels, labels);
  });
  return scores;
}

/** `width` values from `offset`, averaged with those from `mirror` when given (flip-TTA). */
function meanRows(data: ArrayLike<number>, offset: number, mirror: number | undefined, width: number): Float32Array {
  const out = new Float32Array(width);
  for (let j = 0; j < width; j++) {
    const a = data[offset + j] ?? 0;
    out[j] = mirror === undefined ? a : (a + (data[mirror + j] ?? 0)) / 2;
  }
  return out;
}

/** Whether `shape` is a batch dimension (any) followed by `rest`. */
function sameDims(shape: readonly (number | string)[], rest: readonly number[]): boolean {
  return shape.length === rest.length + 1 && rest.every((d, i) => shape[i + 1] === d);
}

function describeTensor(meta: ValueMetadata): string {
  return meta.isTensor ? `${meta.type} [${meta.shape.join(', ')}]` : 'not a tensor';
}
