import type { FaceLight } from './light-measure.js';
import type { AccuracyBySize } from './vote-weight.js';

/** One face's emotion reading. */
export interface EmotionResult {
  /** Probability per label of the classifier (each 0–1, summing to 1 within float rounding). */
  readonly probabilities: Readonly<Record<string, number>>;
  /** The most probable label (the first one on a tie, in the classifier's label order). */
  readonly label: string;
  /** The probability of `label`, 0–1. */
  readonly confidence: number;
  /**
   * The model's raw scores in label order (the mean of the face's and its mirror's with flip-TTA),
   * before the temperature. For the personal calibration; absent from fakes that do not give them.
   */
  readonly logits?: Float32Array;
  /** The penultimate layer's features, when the model exposes them (manifest `embedding`). */
  readonly embedding?: Float32Array;
  /**
   * The face's light as measured on its crop, when the classifier measured it (for the model's
   * denoising rule), so that the vision loop need not measure it again for the face's vote.
   */
  readonly light?: FaceLight;
}

/**
 * Reads facial expressions. A port: the onnxruntime adapter is `OnnxEmotionClassifier`; tests above
 * this layer use `FakeEmotionClassifier` (testing/).
 */
export interface EmotionClassifier {
  /** The labels results use, in the model's output order. Empty until the classifier is ready. */
  readonly labels: readonly string[];
  /**
   * The model's measured accuracy by face size (px → 0–1; the manifest's `accuracyBySize`), which
   * sets how much a small face's reading counts. Undefined: every size counts the same.
   */
  readonly accuracyBySize?: AccuracyBySize | undefined;
  /**
   * Classifies faces, each an 8-bit grey 48x48 face, row-major (`FACE_PIXELS` bytes, as cut out
   * and resized by the face detector). Resolves with one result per face, in order; `[]` for no
   * faces. MUST reject with a `RangeError` naming the face when one has the wrong size, and MUST
   * NOT block the event loop while the model runs.
   */
  classify(faces: readonly Uint8Array[]): Promise<EmotionResult[]>;
}

/**
 * Softmax of `scores[offset .. offset + labels.length)` divided by `temperature` (the model's
 * calibration, 1 = none) as a result. With `extra`, the softmax of `extra` at the same offset is
 * averaged in (flip test-time augmentation).
 */
export function resultFromLogits(
  labels: readonly string[],
  scores: ArrayLike<number>,
  offset: number,
  extra?: { scores: ArrayLike<number>; offset: number },
  temperature = 1,
): EmotionResult {
  const p = softmax(scores, offset, labels.length, temperature);
  if (extra !== undefined) {
    const q = softmax(extra.scores, extra.offset, labels.length, temperature);
    for (let i = 0; i < p.length; i++) p[i] = ((p[i] ?? 0) + (q[i] ?? 0)) / 2;
  }
  return resultFromProbabilities(labels, p);
}

/** A result from probabilities in label order. */
export function resultFromProbabilities(labels: readonly string[], probabilities: ArrayLike<number>): EmotionResult {
  const out: Record<string, number> = {};
  let best = 0;
  labels.forEach((label, i) => {
    const p = probabilities[i] ?? 0;
    out[label] = p;
    if (p > (probabilities[best] ?? 0)) best = i;
  });
  return { probabilities: out, label: labels[best] ?? '', confidence: probabilities[best] ?? 0 };
}

/** Numerically stable softmax of `n` scores starting at `offset`, each divided by `temperature` first. */
export function softmax(scores: ArrayLike<number>, offset: number, n: number, temperature = 1): Float64Array {
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, scores[offset + i] ?? -Infinity);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(((scores[offset + i] ?? -Infinity) - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}
