import { dirname, join } from 'node:path';
import { ModelError } from './errors.js';
import { cpuInfo, describeCpu, type CpuInfo } from './cpu-info.js';
import type { Service } from '../kernel/lifecycle.js';
import type { EmotionClassifier, EmotionResult } from './emotion-classifier.js';
import { readFerCsv } from './fer-csv.js';
import { loadModelManifest } from './model-manifest.js';
import { FACE_PIXELS, FACE_SIZE } from './preprocess.js';

/**
 * Does the int8 model read faces as its float original does, on this CPU? onnxruntime's int8
 * kernels differ between CPUs (x86 with or without VNNI, arm64), and a quantization that holds on
 * one can lose points on another. This runs both models on a small built-in set of faces and
 * compares their probabilities.
 */

/** The built-in faces, a FER-2013-format CSV beside the models (models/README.md). */
export const AGREEMENT_SAMPLE_FILE = 'int8-check.csv';

/**
 * What a sound int8 model achieves. Seen on the shipped model (x86 AVX2, 162 sample variants):
 * 7-bit weights 97.5% agreement, mean difference 0.013; 8-bit weights, saturating, 88.3% and
 * 0.094. Over all 3,589 PublicTest faces the same pair gave 98.0% / 0.013 and 81.0% / 0.145.
 */
export const AGREEMENT_LIMITS = {
  /** Least share of faces whose most probable emotion is the same in both models. */
  minAgreement: 0.9,
  /** Largest mean (over faces) of the largest per-emotion probability difference. */
  maxMeanDifference: 0.04,
} as const;

export interface Int8Agreement {
  /** Faces compared (the sample's faces, each in several variants). */
  readonly faces: number;
  /** Share of faces whose most probable emotion agrees, 0–1. */
  readonly agreement: number;
  /** Mean over faces of the largest probability difference, 0–1. */
  readonly meanDifference: number;
  /** Largest probability difference seen, 0–1. */
  readonly maxDifference: number;
  /** Both limits met. */
  readonly ok: boolean;
  readonly cpu: CpuInfo;
  /** The int8 model and the float model it was compared with. */
  readonly int8Model: string;
  readonly floatModel: string;
}

/** Compares two models' readings of the same faces, in order. */
export function compareReadings(
  int8: readonly EmotionResult[],
  float: readonly EmotionResult[],
): Pick<Int8Agreement, 'faces' | 'agreement' | 'meanDifference' | 'maxDifference' | 'ok'> {
  if (int8.length !== float.length || int8.length === 0) {
    throw new RangeError(`Expected two non-empty lists of readings of the same faces, got ${int8.length} and ${float.length}`);
  }
  let agree = 0;
  let sum = 0;
  let max = 0;
  int8.forEach((a, i) => {
    const b = float[i] as EmotionResult;
    let d = 0;
    for (const [label, p] of Object.entries(a.probabilities)) d = Math.max(d, Math.abs(p - (b.probabilities[label] ?? 0)));
    sum += d;
    max = Math.max(max, d);
    if (a.label === b.label) agree++;
  });
  const agreement = agree / int8.length;
  const meanDifference = sum / int8.length;
  return {
    faces: int8.length,
    agreement,
    meanDifference,
    maxDifference: max,
    ok: agreement >= AGREEMENT_LIMITS.minAgreement && meanDifference <= AGREEMENT_LIMITS.maxMeanDifference,
  };
}

/**
 * Each face in 18 variants: shifted by -3, 0 or 3 px in each direction, at lower and higher
 * contrast. Deterministic; more faces give the comparison more to go on.
 */
export function sampleVariants(faces: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const face of faces) {
    for (const dx of [-3, 0, 3]) {
      for (const dy of [-3, 0, 3]) {
        for (const contrast of [0.85, 1.15]) {
          const v = new Uint8Array(FACE_PIXELS);
          for (let y = 0; y < FACE_SIZE; y++) {
            const sy = Math.min(FACE_SIZE - 1, Math.max(0, y + dy));
            for (let x = 0; x < FACE_SIZE; x++) {
              const sx = Math.min(FACE_SIZE - 1, Math.max(0, x + dx));
              const p = face[sy * FACE_SIZE + sx] ?? 0;
              v[y * FACE_SIZE + x] = Math.max(0, Math.min(255, Math.round((p - 128) * contrast + 128)));
            }
          }
          out.push(v);
        }
      }
    }
  }
  return out;
}

/** The float model an int8 model was quantized from (its manifest's `quantization.from`), or undefined. */
export async function floatOriginal(int8Path: string): Promise<string | undefined> {
  const model = await loadModelManifest(int8Path);
  const from = model.entry.quantization?.from?.file;
  return from === undefined ? undefined : join(dirname(int8Path), from);
}

export interface AgreementOptions {
  /** The int8 model; its manifest names the float model it came from. */
  int8Model: string;
  /** The sample CSV. @default `int8-check.csv` beside the model */
  samplePath?: string;
  /** Opens a classifier on a model file, flip-TTA off (`OnnxEmotionClassifier`). */
  open: (modelPath: string) => EmotionClassifier & Pick<Service, 'start' | 'stop'>;
  /** Injected for tests. @default this machine's */
  cpu?: CpuInfo;
}

/**
 * Runs the int8 model and its float original (one thread each, no flip-TTA) on the built-in
 * faces and compares them. Throws `ModelError` when the model is not a quantized one, or either
 * model or the sample cannot be loaded. About 0.3 s.
 */
export async function checkInt8Agreement(options: AgreementOptions): Promise<Int8Agreement> {
  const floatModel = await floatOriginal(options.int8Model);
  if (floatModel === undefined) {
    throw new ModelError('MB_ERR_MODEL_MANIFEST', `${options.int8Model} names no float model it was quantized from (quantization.from)`);
  }
  const samplePath = options.samplePath ?? join(dirname(options.int8Model), AGREEMENT_SAMPLE_FILE);
  const faces: Uint8Array[] = [];
  for await (const row of readFerCsv(samplePath)) faces.push(row.pixels);
  const variants = sampleVariants(faces);
  const readings: EmotionResult[][] = [];
  for (const modelPath of [options.int8Model, floatModel]) {
    const classifier = options.open(modelPath);
    try {
      await classifier.start(new AbortController().signal);
      readings.push(await classifier.classify(variants));
    } finally {
      await classifier.stop();
    }
  }
  return {
    ...compareReadings(readings[0] ?? [], readings[1] ?? []),
    cpu: options.cpu ?? cpuInfo(),
    int8Model: options.int8Model,
    floatModel,
  };
}

/** One line for logs, doctor and health: `int8 agrees with float on 98% of 162 faces (mean difference 0.013) on AMD EPYC (…)`. */
export function describeAgreement(a: Int8Agreement): string {
  return (
    `int8 ${a.ok ? 'agrees' : 'does NOT agree'} with float on ${(100 * a.agreement).toFixed(1)}% of ${a.faces} faces ` +
    `(mean probability difference ${a.meanDifference.toFixed(3)}; limits ≥ ${100 * AGREEMENT_LIMITS.minAgreement}% and ≤ ${AGREEMENT_LIMITS.maxMeanDifference}) ` +
    `on ${describeCpu(a.cpu)}`
  );
}
