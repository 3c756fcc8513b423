import type { Mat } from '@u4/opencv4nodejs';
import type { Box } from './face-detector.js';
import { loadOpencv } from './opencv.js';

export interface FaceCropOptions {
  /** Side of the square crop (px). @default 48 */
  size?: number;
  /**
   * Context kept around the detected box, as a fraction of its size on each side. A Haar box is a
   * little tighter than the faces the emotion model learnt from (FER-2013 crops run from the
   * forehead to below the chin), so a small margin matches them better. @default 0.05
   */
  margin?: number;
}

/**
 * Cuts each face out of `image` (BGR or grey) as a square grey crop of `size` x `size` bytes,
 * row-major, values 0–255, without equalizing: the classifier's own preprocessing applies. A box
 * near the edge is shifted inwards to stay square, or clipped when it cannot be.
 */
export async function cropFaces(image: Mat, boxes: readonly Box[], options: FaceCropOptions = {}): Promise<Uint8Array[]> {
  if (boxes.length === 0) return [];
  const cv = await loadOpencv();
  const size = options.size ?? 48;
  const margin = options.margin ?? 0.05;
  const grey = image.channels === 1 ? image : await image.cvtColorAsync(cv.COLOR_BGR2GRAY);
  // One crop at a time: opencv4nodejs is not safe with several async calls in flight at once
  // (concurrent workers on related Mats crash the V8 heap), and each crop takes microseconds.
  const crops: Uint8Array[] = [];
  for (const box of boxes) {
    const r = squareInside(box, margin, grey.cols, grey.rows);
    const region = grey.getRegion(new cv.Rect(r.x, r.y, r.width, r.height));
    const crop = await region.resizeAsync(size, size, 0, 0, r.width > size ? cv.INTER_AREA : cv.INTER_LINEAR);
    crops.push(new Uint8Array(await crop.getDataAsync()));
    crop.release();
    region.release();
  }
  if (grey !== image) grey.release();
  return crops;
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
