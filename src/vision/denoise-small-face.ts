/**
 * A small face's grain, smoothed where the sensor put it. A webcam adds its grain pixel by pixel,
 * so a face 24 px wide in a dim room carries the grain of 24 px, which scaling it up to the
 * model's 48 px blurs into blotches the model reads as features (and that the crop's own
 * denoising rule no longer sees as grain). Smoothing the face at its own size, before it is scaled
 * up, takes the grain away while it is still one pixel wide. The grain is measured on the small
 * face itself (`measureLight`'s `noise`: at this size a face's own features answer it too, a median
 * of 7-10 grey levels in daylight, so the steps start above that).
 *
 * Int8 with flip-TTA (the shipped model, its denoising rule and offsets), FER-2013 PublicTest,
 * each face shrunk to its size and then through the webcam model of `dim-camera.ts` at that size
 * (the grain a sensor gives it), scaled up as the daemon scales it; without → with these steps
 * (`scripts/measure-light-weights.ts --sensor`, docs/light.md):
 *
 * | face | daylight | 25% | 12% | 4% |
 * | --- | --- | --- | --- | --- |
 * | 24 px | 59.57 → 59.60% | 55.28 → 55.48% | 48.84 → 53.05% | 34.38 → 41.96% |
 * | 16 px | 47.95 → 47.95% | 42.85 → 44.83% | 37.17 → 43.44% | 25.36 → 35.14% |
 * | 12 px | 42.63 → 42.46% | 39.48 → 39.37% | 33.74 → 37.89% | 23.60 → 28.95% |
 *
 * A face without grain (shrunk from a clean picture, `moodbox eval --shrink`) measures as grainy
 * as a daylight one at this size and is smoothed about as rarely: 32 px 67.54 → 67.54%, 24 px
 * 65.20 → 65.06%, 16 px 58.37 → 58.48%, 12 px 50.63 → 50.18%. Steps from a grain of 11.5 (σ 0.5)
 * and 16 (σ 0.7) gained a little more at 25% (24 px 55.67%, 16 px 45.70%) but cost clean faces
 * more (16 px 57.70%); smoothing every small face at σ 0.5 costs a clean 24 px face 1.3 points.
 * The steps were chosen on these PublicTest faces.
 */
import type { Mat } from '@u4/opencv4nodejs';
import { measureLight, type FaceLight } from './light-measure.js';
import { stepFor, type NoiseStep } from './noise-steps.js';
import type { Cv } from './opencv.js';

/** From a small face's grain (grey levels, measured at its own size) on, it is smoothed with this Gaussian σ (px). */
export interface SmallFaceStep extends NoiseStep {
  readonly sigma: number;
}

/** The shipped steps: chosen on PublicTest through the webcam model at 24, 16 and 12 px (above). */
export const SMALL_FACE_STEPS: readonly SmallFaceStep[] = [
  { fromNoise: 14, sigma: 0.5 },
  { fromNoise: 17, sigma: 0.7 },
];

/** The σ a small face of this light (measured at its own size) is smoothed with: 0 for none. */
export function sigmaFor(light: FaceLight, steps: readonly SmallFaceStep[] = SMALL_FACE_STEPS): number {
  return stepFor({ steps }, light.noise)?.sigma ?? 0;
}

/**
 * `face` (a grey Mat of a face at its own size) smoothed by its grain: a new Mat, or `face` itself
 * when its grain asks for nothing (the caller releases what it gets unless it is `face`).
 */
export function smoothSmallFace(cv: Cv, face: Mat, steps: readonly SmallFaceStep[] = SMALL_FACE_STEPS): Mat {
  return smoothMeasured(cv, face, steps).image;
}

/** `smoothSmallFace`, with the light it measured on the face (undefined for a face under 3x3). */
function smoothMeasured(cv: Cv, face: Mat, steps: readonly SmallFaceStep[]): { image: Mat; light: FaceLight | undefined } {
  if (face.cols < 3 || face.rows < 3) return { image: face, light: undefined };
  const bytes = greyBytes(face);
  const light = measureLight(bytes, face.cols, face.rows);
  const sigma = sigmaFor(light, steps);
  if (sigma === 0) return { image: face, light };
  // Blurred on its own (the edge pixel repeated), not with the frame around it, so that a face cut
  // out of a frame and one shrunk by `moodbox eval --shrink` are smoothed alike.
  const own = new cv.Mat(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), face.rows, face.cols, cv.CV_8UC1);
  const smoothed = blurBy(cv, own, sigma);
  own.release();
  return { image: smoothed, light };
}

/**
 * A grey face (a Mat, at its size in the frame) as the `size` x `size` crop the model reads: one
 * larger than the crop shrunk by area, one smaller smoothed at its own size by its grain
 * (`smoothSmallFace`) and scaled up bicubically. The daemon's crops (`face-crops.ts`) and
 * `moodbox eval --shrink` (`lab/shrink-face.ts`) both come through here.
 */
export function scaleToCrop(cv: Cv, face: Mat, size: number): Uint8Array {
  return scaleToCropMeasured(cv, face, size).crop;
}

/** `scaleToCrop`, with the light of a face smaller than the crop as framed (measured for its smoothing). */
export function scaleToCropMeasured(cv: Cv, face: Mat, size: number): { crop: Uint8Array; framed: FaceLight | undefined } {
  const { image: seen, light } = face.cols < size ? smoothMeasured(cv, face, SMALL_FACE_STEPS) : { image: face, light: undefined };
  // A small face scaled up bicubically reads better than bilinearly: int8 (AMD EPYC, VNNI), flip-TTA, on the
  // validation split of FER-2013 Training (2,872 faces), 68.1% -> 70.1% at 24 px and 58.8% -> 59.3%
  // at 16 px (Lanczos: 70.4%, 58.8%).
  const crop = seen.resize(size, size, 0, 0, face.cols > size ? cv.INTER_AREA : cv.INTER_CUBIC);
  const bytes = new Uint8Array(crop.getData());
  crop.release();
  if (seen !== face) seen.release();
  return { crop: bytes, framed: light };
}

/** The bytes of a grey Mat, a region of a larger one too (which has no data of its own to hand out). */
export function greyBytes(image: Mat): Uint8Array {
  const copy = image.copy();
  const bytes = new Uint8Array(copy.getData());
  copy.release();
  return bytes;
}

/** A Gaussian blur of σ `sigma`, the edge pixel repeated: as the small faces were measured with it. */
export function blurBy(cv: Cv, image: Mat, sigma: number): Mat {
  return image.gaussianBlur(new cv.Size(0, 0), sigma, sigma, cv.BORDER_REPLICATE);
}
