import type { Mat } from '@u4/opencv4nodejs';
import type { Box } from './face-detector.js';
import { loadOpencv, type Cv } from './opencv.js';
import { measureLight, type FaceLight, type FramedLight } from './light-measure.js';
import { blurBy, greyBytes, scaleToCropMeasured, sigmaFor } from './denoise-small-face.js';

export interface FaceCropOptions {
  /** Side of the square crop (px). @default 48 */
  size?: number;
  /**
   * Context kept around the detected box, as a fraction of its size on each side. A Haar box is a
   * little tighter than the faces the emotion model learnt from (FER-2013 crops run from the
   * forehead to below the chin), so a small margin matches them better. @default 0.05
   */
  margin?: number;
  /**
   * For a face with eye landmarks (the YuNet detector gives them): rotate it so the eyes are level
   * and scale and place it so the eyes sit where FER-2013's faces have them (`FER_EYES`), instead
   * of cutting the box out, when the eyes are tilted by more than `alignAboveDegrees`. Faces
   * without landmarks are cut out as usual. @default false
   */
  align?: boolean;
  /**
   * Faces tilted by less than this (degrees) are cut out by their box even with `align`: on
   * upright faces the box reads as well as the eye geometry or a little better
   * (`scripts/measure-alignment.ts`). @default 3
   */
  alignAboveDegrees?: number;
}

/**
 * Where the eyes of a FER-2013 face are, as fractions of its 48 px side: the mean of the YuNet
 * landmarks found on PublicTest faces pasted at known boxes (measured by
 * `scripts/measure-fer-eyes.ts`).
 */
export const FER_EYES = { y: 0.381, distance: 0.368 } as const;

/** The context kept around a box by default (`FaceCropOptions.margin`). */
export const CROP_MARGIN = 0.05;

/** Five landmarks as the YuNet detector gives them: two eyes, nose tip, two mouth corners. */
type Landmarks = readonly (readonly [number, number])[];

/**
 * Cuts each face out of `image` (BGR or grey) as a square grey crop of `size` x `size` bytes,
 * row-major, values 0–255, without equalizing: the classifier's own preprocessing applies. A box
 * near the edge is shifted inwards to stay square, or clipped when it cannot be.
 */
export async function cropFaces(image: Mat, boxes: readonly Box[], options: FaceCropOptions = {}): Promise<Uint8Array[]> {
  return (await cropFacesFramed(image, boxes, options)).crops;
}

/**
 * `cropFaces`, with the light of each face framed smaller than the crop as framed (its square,
 * before it is scaled up: measured for its smoothing, and what its vote is weighed by,
 * `vote-weight.ts`); undefined for a face framed as large as the crop or larger.
 */
export async function cropFacesFramed(
  image: Mat,
  boxes: readonly Box[],
  options: FaceCropOptions = {},
): Promise<{ crops: Uint8Array[]; framed: (FramedLight | undefined)[] }> {
  if (boxes.length === 0) return { crops: [], framed: [] };
  const cv = await loadOpencv();
  const size = options.size ?? 48;
  const margin = options.margin ?? CROP_MARGIN;
  // The whole frame in grey only for aligned faces, which may reach anywhere in it; a face cut out
  // by its box converts just its own square (the same grey levels, a tenth of the work).
  let grey: Mat | undefined = image.channels === 1 ? image : undefined;
  // One crop at a time, on this thread: a crop takes microseconds (a square cut out by its box, or
  // a 48x48 warp of the grey frame: 0.009 ms, where the same warp on a worker thread took 0.05 ms
  // to come back), and opencv4nodejs is not safe with several async calls in flight at once
  // (concurrent workers on related Mats crash the V8 heap). The whole frame's grey, made once for
  // the aligned faces, takes about 0.08 ms of a 640x480 frame.
  const crops: Uint8Array[] = [];
  const framed: (FramedLight | undefined)[] = [];
  for (const box of boxes) {
    const r = squareInside(box, margin, image.cols, image.rows);
    const side = Math.max(r.width, r.height);
    const landmarks = (box as { landmarks?: Landmarks }).landmarks;
    if (options.align === true && landmarks !== undefined && landmarks.length >= 2 && tilt(landmarks) > (options.alignAboveDegrees ?? 3)) {
      grey ??= image.cvtColor(cv.COLOR_BGR2GRAY);
      const transform = alignment(landmarks, size);
      // A face smaller than the crop is scaled up bicubically, as below, and first smoothed at its
      // own size by its grain (measured on its square, as below; only the pixels around it are smoothed).
      const up = Math.hypot(transform[0], transform[1]) > 1;
      const light = up || side < size ? squareLight(cv, grey, r) : undefined;
      const source = up && light !== undefined ? smoothedAround(cv, grey, box, sigmaFor(light)) : undefined;
      const [x, y] = source === undefined ? [0, 0] : [source.x, source.y];
      const m = new cv.Mat([shifted(transform.slice(0, 3), x, y), shifted(transform.slice(3, 6), x, y)], cv.CV_64F);
      const crop = (source?.image ?? grey).warpAffine(m, new cv.Size(size, size), up ? cv.INTER_CUBIC : cv.INTER_AREA, cv.BORDER_REPLICATE);
      crops.push(new Uint8Array(crop.getData()));
      framed.push(side < size && light !== undefined ? { side, light } : undefined);
      crop.release();
      m.release();
      source?.image.release();
      continue;
    }
    const region = image.getRegion(new cv.Rect(r.x, r.y, r.width, r.height));
    const square = image.channels === 1 ? region : region.cvtColor(cv.COLOR_BGR2GRAY);
    const { crop, framed: light } = scaleToCropMeasured(cv, square, size);
    crops.push(crop);
    framed.push(side < size && light !== undefined ? { side, light } : undefined);
    if (square !== region) square.release();
    region.release();
  }
  if (grey !== undefined && grey !== image) grey.release();
  return { crops, framed };
}

/** The light of the square `r` of a grey frame, measured at its own size; undefined under 3x3. */
function squareLight(cv: Cv, grey: Mat, r: Box): FaceLight | undefined {
  if (r.width < 3 || r.height < 3) return undefined;
  const square = grey.getRegion(new cv.Rect(r.x, r.y, r.width, r.height));
  const light = measureLight(greyBytes(square), r.width, r.height);
  square.release();
  return light;
}

/**
 * For a small tilted face: the grey frame around it (its box grown by its own size on each side,
 * all that the upright crop can reach), smoothed with `sigma` (its square's grain's, as
 * `smoothSmallFace` does), and where that region lies; undefined when its grain asks for nothing.
 */
function smoothedAround(cv: Cv, grey: Mat, box: Box, sigma: number): { image: Mat; x: number; y: number } | undefined {
  if (sigma === 0) return undefined;
  const around = squareInside(box, 1, grey.cols, grey.rows);
  const region = grey.getRegion(new cv.Rect(around.x, around.y, around.width, around.height));
  const image = blurBy(cv, region, sigma);
  region.release();
  return { image, x: around.x, y: around.y };
}

/** A row of an affine transform that reads a region whose corner is at (`x`, `y`) of the frame. */
function shifted(row: number[], x: number, y: number): number[] {
  const [a = 0, b = 0, c = 0] = row;
  // a·(xr + x) + b·(yr + y) + c, in the region's own coordinates (xr, yr).
  return [a, b, c + a * x + b * y];
}

/** The square around `box` grown by `margin`, moved to lie inside a `width` x `height` image. */
export function squareInside(box: Box, margin: number, width: number, height: number): Box {
  const side = Math.round(Math.max(box.width, box.height) * (1 + 2 * margin));
  const w = Math.min(side, width);
  const h = Math.min(side, height);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x = Math.min(Math.max(0, Math.round(cx - w / 2)), width - w);
  const y = Math.min(Math.max(0, Math.round(cy - h / 2)), height - h);
  return { x, y, width: w, height: h };
}

/**
 * The 2x3 affine transform (row-major) that takes the eyes in `landmarks` (the first two points)
 * to level eyes `FER_EYES.distance * size` apart, centred at `(size / 2, FER_EYES.y * size)`.
 */
export function alignment(landmarks: Landmarks, size: number): [number, number, number, number, number, number] {
  const [a = [0, 0], b = [0, 0]] = landmarks;
  // Left and right as seen in the image, whatever order the detector names them in.
  const [left, right] = a[0] <= b[0] ? [a, b] : [b, a];
  const dx = right[0] - left[0];
  const dy = right[1] - left[1];
  const distance = Math.hypot(dx, dy) || 1;
  const scale = (FER_EYES.distance * size) / distance;
  const cos = (dx / distance) * scale;
  const sin = (dy / distance) * scale;
  const cx = (left[0] + right[0]) / 2;
  const cy = (left[1] + right[1]) / 2;
  // Rotate by -angle and scale about the eye centre, then move it to its place in the crop.
  return [cos, sin, size / 2 - (cos * cx + sin * cy), -sin, cos, FER_EYES.y * size - (-sin * cx + cos * cy)];
}

/** How far the line through the eyes (the first two landmarks) is from level, in degrees (0–90). */
export function tilt(landmarks: Landmarks): number {
  const [a = [0, 0], b = [0, 0]] = landmarks;
  const degrees = Math.abs((Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI);
  return degrees > 90 ? 180 - degrees : degrees;
}
