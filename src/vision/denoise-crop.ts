/**
 * A grainy face is smoothed before the emotion model reads it, by as much as its grain calls for.
 * A webcam in a dim room raises its gain and fills the picture with grain; the model, which learnt
 * faces from photographs, then reads a frown or a smile into the noise. A light Gaussian blur of the
 * 48x48 crop takes the grain and keeps the expression: with the shipped model's rule (its manifest),
 * PublicTest through the webcam model reads 64.11% at 12% of daylight (62.36% unsmoothed) and 56.23%
 * at 4% (52.52%), int8 as the daemon runs it, while a clean face is left as it came, since any blur
 * costs it (docs/light.md). So the rule goes by the grain measured on the crop itself
 * (`measureLight`, the same estimate that weighs the face's vote).
 *
 * The rule belongs to the model (its manifest's `denoise`) and is applied the same way, byte for byte,
 * in the daemon, in `moodbox eval` and in training (`scripts/model/face_denoise.py`, its twin): integer
 * kernels whose weights sum to 256, the edge pixel repeated beyond the border, rows then columns,
 * one rounding at the end (denoise-crop.test.ts compares both against a fixture the Python twin wrote).
 */
import { describeValue } from '../kernel/errors.js';
import { measureLight, type FaceLight } from './light-measure.js';
import { noiseStepsProblems, stepFor, type NoiseStep } from './noise-steps.js';
import { FACE_PIXELS, FACE_SIZE } from './preprocess.js';

/** From a grain (`measureLight`'s `noise`, grey levels) on, faces are smoothed with this kernel. */
export interface DenoiseStep extends NoiseStep {
  /** A symmetric kernel of odd length (3 to 9) of integer weights that sum to 256. */
  readonly kernel: readonly number[];
}

/** A model's denoising rule: steps by rising grain; a face below the first is read as it came. */
export interface FaceDenoise {
  readonly steps: readonly DenoiseStep[];
}

/** The weights of every kernel sum to this (8 fractional bits a pass). */
const KERNEL_SUM = 256;
/** Longest kernel accepted: σ ≈ 1.3 needs 9 taps; more is no longer a light blur. */
const MAX_TAPS = 9;

/** What is wrong with `value` as a `denoise` rule (empty when nothing is), each problem a sentence. */
export function denoiseProblems(value: unknown): string[] {
  return noiseStepsProblems('denoise', value, '{fromNoise, kernel}', (step, at) =>
    isKernel(step['kernel'])
      ? undefined
      : `${at}.kernel: expected a symmetric list of 3 to ${MAX_TAPS} (odd) whole weights ≥ 0 that sum to ${KERNEL_SUM}, got ${describeValue(step['kernel'])}`,
  );
}

function isKernel(kernel: unknown): kernel is readonly number[] {
  if (!Array.isArray(kernel) || kernel.length < 3 || kernel.length > MAX_TAPS || kernel.length % 2 === 0) return false;
  if (!kernel.every((w) => Number.isInteger(w) && (w as number) >= 0)) return false;
  const weights = kernel as number[];
  return weights.reduce((a, b) => a + b, 0) === KERNEL_SUM && weights.every((w, i) => w === weights[weights.length - 1 - i]);
}

/**
 * `face` (48x48 grey) as the model's rule reads it: smoothed by its grain, or `face` itself when
 * clean enough; with the light measured to choose (which the vision loop keeps for the face's vote).
 */
export function applyDenoise(face: Uint8Array, denoise: FaceDenoise): { face: Uint8Array; light: FaceLight } {
  const light = measureLight(face, FACE_SIZE, FACE_SIZE);
  const step = stepFor(denoise, light.noise);
  return { face: step === undefined ? face : blurFace(face, step.kernel), light };
}

/** `face` (48x48 grey) as the model's rule reads it (`applyDenoise`). */
export function denoiseFace(face: Uint8Array, denoise: FaceDenoise): Uint8Array {
  return applyDenoise(face, denoise).face;
}

/** `face` (48x48 grey) blurred with `kernel` (a new array): rows, then columns, the edge pixel repeated, one rounding. */
export function blurFace(face: Uint8Array, kernel: readonly number[]): Uint8Array {
  if (face.length !== FACE_PIXELS)
    throw new RangeError(`Expected a ${FACE_SIZE}x${FACE_SIZE} grey face (${FACE_PIXELS} bytes), got ${face.length} bytes`);
  const taps = kernel.length;
  const radius = (taps - 1) >> 1;
  const weights = Int32Array.from(kernel);
  const side = FACE_SIZE + 2 * radius;
  // The face with its edge pixels repeated `radius` times around it, so the loops below never clamp.
  const padded = new Int32Array(side * side);
  for (let y = 0; y < side; y++) {
    const from = Math.min(FACE_SIZE - 1, Math.max(0, y - radius)) * FACE_SIZE;
    for (let x = 0; x < side; x++) padded[y * side + x] = face[from + Math.min(FACE_SIZE - 1, Math.max(0, x - radius))]!;
  }
  // Rows first, over every padded row: sums of at most 255 x 256, then 65,280 x 256, exact in int32.
  const rows = new Int32Array(side * FACE_SIZE);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < FACE_SIZE; x++) {
      let sum = 0;
      const at = y * side + x;
      for (let k = 0; k < taps; k++) sum += weights[k]! * padded[at + k]!;
      rows[y * FACE_SIZE + x] = sum;
    }
  }
  const out = new Uint8Array(FACE_PIXELS);
  for (let y = 0; y < FACE_SIZE; y++) {
    for (let x = 0; x < FACE_SIZE; x++) {
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += weights[k]! * rows[(y + k) * FACE_SIZE + x]!;
      out[y * FACE_SIZE + x] = (sum + 32768) >>> 16;
    }
  }
  return out;
}
