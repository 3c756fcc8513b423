import { resolve } from 'node:path';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { cpuInfo, describeCpu, type CpuInfo } from '../cpu-info.js';
import { evaluate, type EvaluationReport } from './evaluate.js';
import { DatasetError, readFerCsv } from '../fer-csv.js';
import { OnnxEmotionClassifier } from '../onnx-emotion-classifier.js';
import { CASTS, EXPOSURES, lowLightRows, type Cast, type Exposure } from './dim-camera.js';
import { FACE_SIZE } from '../preprocess.js';
import { MIN_SHRINK, shrinkRows } from './shrink-face.js';

export interface EvalCommandOptions {
  /** FER-2013-format CSV, plain or gzip-compressed. */
  file: string;
  /** The emotion model; its manifest.json sits beside it. */
  model: string;
  /** Only rows with this Usage. */
  usage?: string | undefined;
  /** Override the manifest's flip-TTA setting. */
  flipTta?: boolean | undefined;
  /** With flip-TTA, mirror a face only when its first read's top two probabilities are closer than this (0–1). @default every face */
  mirrorBelowMargin?: number | undefined;
  /** onnxruntime intra-op threads. @default 1 */
  threads?: number | undefined;
  /** Faces per inference call. @default 64 */
  batchSize?: number | undefined;
  /** Print one JSON object instead of the text report. */
  json?: boolean | undefined;
  /**
   * Evaluate each face as it reaches the model from a face this many px wide in a camera frame:
   * shrunk to that size and scaled back up (`shrinkFace`). Undefined or 48 and above: as stored.
   */
  shrink?: number | undefined;
  /**
   * Evaluate each face as a webcam shows it with the room lit at this share of daylight
   * (`dim-camera.ts`: shot and read noise, exposure, the 2.2 curve, JPEG 75), before any `shrink`.
   * Undefined: as stored.
   */
  light?: number | undefined;
  /** With `light`: the camera's exposure. @default 'auto' */
  exposure?: Exposure | undefined;
  /** With `light`: the noise's seed (each face draws from its own stream of it). @default 1 */
  seed?: number | undefined;
  /** With `light`: the background this many times brighter than the face (backlit). @default 1 */
  backlight?: number | undefined;
  /** With `light`: the lamp's colour cast. @default 'none' */
  cast?: Cast | undefined;
}

/** The camera a `--light` evaluation saw the faces through. */
export interface EvalLight {
  readonly light: number;
  readonly exposure: Exposure;
  readonly seed: number;
  readonly backlight: number;
  readonly cast: Cast;
}

export interface EvalCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  clock: Pick<Clock, 'monotonic'>;
}

/** The JSON `moodbox eval --json` prints: the report plus what was evaluated. */
export interface EvalCommandResult extends EvaluationReport {
  readonly file: string;
  readonly usage: string | null;
  readonly model: { readonly path: string; readonly sha256: string; readonly labels: readonly string[] };
  readonly flipTta: boolean;
  /** With flip-TTA: the margin below which a face was read mirrored too, or null (every face). */
  readonly mirrorBelowMargin: number | null;
  /** Share of the faces read twice (mirrored too), 0–1. */
  readonly readTwice: number;
  readonly threads: number;
  readonly batchSize: number;
  /** The face size evaluated (px): 48 when the faces were used as stored. */
  readonly faceSize: number;
  /** The low-light camera the faces went through, or null: as stored. */
  readonly light: EvalLight | null;
  /** Share of the faces read as each of the classifier's labels, 0–1. */
  readonly predictedShare: Readonly<Record<string, number>>;
  /** The CPU it ran on: int8 figures hold only for the kernels they were measured with. */
  readonly cpu: CpuInfo;
}

/**
 * `moodbox eval`: evaluates the emotion model on a FER-2013-format CSV with the daemon's classifier
 * and preprocessing. Returns the exit code: 0, or 1 after printing the error (a malformed row names
 * its line; a model that does not match its manifest is refused).
 */
export async function runEvalCommand(options: EvalCommandOptions, io: EvalCommandIo): Promise<number> {
  const threads = options.threads ?? 1;
  const batchSize = options.batchSize ?? 64;
  const shrink = options.shrink;
  if (shrink !== undefined && !(Number.isInteger(shrink) && shrink >= MIN_SHRINK)) {
    io.stderr(`moodbox eval: Expected \`--shrink\` to be a whole number of pixels >= ${MIN_SHRINK}, got \`${shrink}\`\n`);
    return 1;
  }
  const margin = options.mirrorBelowMargin;
  if (margin !== undefined && !(Number.isFinite(margin) && margin >= 0 && margin <= 1)) {
    io.stderr(`moodbox eval: Expected \`--mirror-below-margin\` to be a probability margin in [0, 1], got \`${margin}\`\n`);
    return 1;
  }
  const faceSize = shrink === undefined ? FACE_SIZE : Math.min(shrink, FACE_SIZE);
  const lightError = checkLight(options);
  if (lightError !== undefined) {
    io.stderr(`moodbox eval: ${lightError}\n`);
    return 1;
  }
  const light: EvalLight | null =
    options.light === undefined
      ? null
      : {
          light: options.light,
          exposure: options.exposure ?? 'auto',
          seed: options.seed ?? 1,
          backlight: options.backlight ?? 1,
          cast: options.cast ?? 'none',
        };
  const classifier = new OnnxEmotionClassifier(
    {},
    {
      modelPath: resolve(options.model),
      intraOpThreads: threads,
      maxBatch: batchSize,
      ...(options.flipTta === undefined ? {} : { flipTta: options.flipTta }),
      ...(margin === undefined ? {} : { mirrorBelowMargin: margin }),
    },
  );
  try {
    await classifier.start(new AbortController().signal);
    const model = classifier.model;
    if (model === undefined) throw new Error('the classifier started without a model');
    const read = readFerCsv(options.file);
    const lit = light === null ? read : lowLightRows(read, light);
    const rows = faceSize < FACE_SIZE ? shrinkRows(lit, faceSize) : lit;
    const report = await evaluate({ classifier, clock: io.clock }, rows, { usage: options.usage, batchSize });
    if (report.n === 0) {
      const found = Object.entries(report.skipped)
        .map(([usage, count]) => `${usage} ${count}`)
        .join(', ');
      throw new DatasetError(
        'MB_ERR_DATASET_INVALID',
        `${options.file}: no rows with Usage=${options.usage ?? '(any)'} (found: ${found || 'no rows'})`,
      );
    }
    const result: EvalCommandResult = {
      file: options.file,
      usage: options.usage ?? null,
      model: { path: model.path, sha256: model.entry.sha256, labels: model.entry.labels },
      flipTta: classifier.flipTta,
      mirrorBelowMargin: classifier.flipTta ? (margin ?? null) : null,
      readTwice: classifier.reads.faces === 0 ? 0 : classifier.reads.twice / classifier.reads.faces,
      threads,
      batchSize,
      faceSize,
      light,
      predictedShare: Object.fromEntries(
        report.predictedLabels.map((label, j) => [label, report.confusion.reduce((sum, row) => sum + (row[j] ?? 0), 0) / report.n]),
      ),
      cpu: cpuInfo(),
      ...report,
    };
    io.stdout(options.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatEvaluation(result));
    return 0;
  } catch (err) {
    if (err instanceof MoodboxError || err instanceof RangeError) {
      io.stderr(`moodbox eval: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await classifier.stop();
  }
}

/** Why `--light`, `--exposure`, `--seed`, `--backlight` or `--cast` cannot be used, or undefined. */
function checkLight(options: EvalCommandOptions): string | undefined {
  const { light, exposure, seed, backlight, cast } = options;
  if (light === undefined) {
    if (exposure !== undefined || seed !== undefined || backlight !== undefined || cast !== undefined)
      return 'Expected `--exposure`, `--seed`, `--backlight` and `--cast` only with `--light`';
    return undefined;
  }
  if (backlight !== undefined && !(Number.isFinite(backlight) && backlight >= 1 && backlight <= 100))
    return `Expected \`--backlight\` to be how many times brighter the background is, in [1, 100], got \`${backlight}\``;
  if (cast !== undefined && !Object.hasOwn(CASTS, cast))
    return `Expected \`--cast\` to be ${Object.keys(CASTS).join(', ')}, got \`${String(cast)}\``;
  if (!(Number.isFinite(light) && light > 0 && light <= 1))
    return `Expected \`--light\` to be a share of daylight in (0, 1], got \`${light}\``;
  if (exposure !== undefined && !EXPOSURES.includes(exposure))
    return `Expected \`--exposure\` to be ${EXPOSURES.join(' or ')}, got \`${String(exposure)}\``;
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    return `Expected \`--seed\` to be a whole number in [0, 2^32), got \`${seed}\``;
  return undefined;
}

const pct = (x: number | null): string => (x === null ? '   -  ' : `${(100 * x).toFixed(2).padStart(6)}%`);

/** The human-readable report. */
export function formatEvaluation(r: EvalCommandResult): string {
  const lines = [
    `model: ${r.model.path} (sha256 ${r.model.sha256.slice(0, 12)}…, flip-TTA ${r.flipTta ? 'on' : 'off'}` +
      (r.mirrorBelowMargin === null ? '' : ` below a margin of ${r.mirrorBelowMargin}`) +
      `; ${pct(r.readTwice).trim()} of faces read twice)`,
    `cpu: ${describeCpu(r.cpu)}`,
    `data: ${r.file}${r.usage === null ? '' : `, Usage=${r.usage}`}: ${r.n} images` +
      (r.light === null
        ? ''
        : `, through a webcam at ${+(100 * r.light.light).toFixed(2)}% of daylight (${r.light.exposure} exposure` +
          (r.light.backlight > 1 ? `, a background ${r.light.backlight}x brighter` : '') +
          (r.light.cast === 'none' ? '' : `, a ${r.light.cast} lamp`) +
          `, seed ${r.light.seed})`) +
      (r.faceSize < FACE_SIZE ? `, each shrunk to ${r.faceSize} px and scaled back up` : ''),
    `accuracy (FER-2013 labels): ${pct(r.accuracy).trim()} (${r.correct}/${r.n}), mean per-class recall ${pct(r.macroRecall).trim()}`,
    '',
    'per-class recall:',
    ...r.labels.map((l) => `  ${l.padEnd(9)}${pct(r.perClass[l].recall)}  (${r.perClass[l].correct}/${r.perClass[l].n})`),
    '',
    `read as: ${r.predictedLabels.map((l) => `${l} ${pct(r.predictedShare[l] ?? 0).trim()}`).join(', ')}`,
    '',
    'confusion (rows: true label, columns: predicted):',
    `  ${''.padEnd(9)}${r.predictedLabels.map((l) => l.slice(0, 7).padStart(8)).join('')}`,
    ...r.labels.map((l, i) => `  ${l.padEnd(9)}${(r.confusion[i] ?? []).map((c) => String(c).padStart(8)).join('')}`),
  ];
  const plus = r.ferPlusMajority;
  lines.push('');
  if (plus === null) {
    lines.push('FER+ majority: no FER+ vote columns (or no votes) in this file');
  } else {
    lines.push(
      `FER+ majority accuracy: ${pct(plus.accuracy).trim()} of ${plus.n} rows with votes; ` +
        `${pct(plus.accuracyExcludingUnpredictable).trim()} of the ${plus.nExcludingUnpredictable} whose majority the model can predict` +
        (plus.tiedMajority > 0 ? `; ${plus.tiedMajority} tied majorities` : ''),
    );
  }
  lines.push(`speed: ${r.imagesPerSecond.toFixed(0)} images/s (${r.threads} thread${r.threads > 1 ? 's' : ''}, batches of ${r.batchSize})`);
  return `${lines.join('\n')}\n`;
}
