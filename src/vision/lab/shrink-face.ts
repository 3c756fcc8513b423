import type { FerRow } from '../fer-csv.js';
import { loadOpencv } from '../opencv.js';
import { FACE_SIZE } from '../preprocess.js';
import { scaleToCrop } from '../denoise-small-face.js';

/** Smallest and largest sizes `shrinkFace` accepts (px); 48 and above leave the face as it is. */
export const MIN_SHRINK = 4;

/**
 * A 48x48 grey face as it reaches the model from a face `size` px wide in a camera frame: shrunk
 * to `size` x `size` (area average, as a camera's pixels integrate the scene), then smoothed by its
 * grain at that size and scaled back to 48x48 as the daemon does a small face's crop
 * (`scaleToCrop`: smoothed by its grain, then INTER_CUBIC up). A size of 48 or more returns the face
 * unchanged.
 */
export async function shrinkFace(pixels: Uint8Array, size: number): Promise<Uint8Array> {
  if (!Number.isInteger(size) || size < MIN_SHRINK)
    throw new RangeError(`Expected \`size\` to be an integer >= ${MIN_SHRINK}, got \`${size}\``);
  if (pixels.length !== FACE_SIZE * FACE_SIZE)
    throw new RangeError(`Expected \`pixels\` to hold ${FACE_SIZE * FACE_SIZE} values, got ${pixels.length}`);
  if (size >= FACE_SIZE) return pixels;
  const cv = await loadOpencv();
  const face = new cv.Mat(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), FACE_SIZE, FACE_SIZE, cv.CV_8UC1);
  const small = face.resize(size, size, 0, 0, cv.INTER_AREA);
  const out = scaleToCrop(cv, small, FACE_SIZE);
  small.release();
  face.release();
  return out;
}

/** The rows with each face shrunk to `size` px and scaled back (`shrinkFace`). */
export async function* shrinkRows(rows: AsyncIterable<FerRow>, size: number): AsyncIterable<FerRow> {
  for await (const row of rows) yield { ...row, pixels: await shrinkFace(row.pixels, size) };
}
