import type { Mat } from '@u4/opencv4nodejs';

/** An axis-aligned rectangle in pixels of the frame it was found in; `x`/`y` is the top-left corner. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A point in pixels of the frame: `[x, y]`. */
export type Point = readonly [x: number, y: number];

/**
 * A face's box and what the detector knows besides it. Detectors that know nothing more (the Haar
 * cascade) return plain boxes; a box is a `DetectedFace` with neither field.
 */
export interface DetectedFace extends Box {
  /** How sure the detector is, 0–1. */
  readonly score?: number;
  /**
   * Five points, in pixels of the frame and inside it: the person's right eye, left eye, nose tip,
   * right mouth corner and left mouth corner. The person's right is on the left of the image for a
   * frontal face (the first point has the smaller x).
   */
  readonly landmarks?: readonly Point[];
}

/** What the detector may use, besides the frame, to spend less time. */
export interface DetectOptions {
  /**
   * Boxes of faces tracked in recent frames. When given (even empty), the detector MUST search only
   * near them (a region around each box) instead of scanning the whole frame; a face that appears
   * elsewhere is found by the next full scan, which the caller schedules.
   */
  near?: readonly Box[];
  /**
   * The side (px) of the Gaussian kernel the frame's grain asks for before faces are looked for in
   * it (`LightReader.detectionKernel`), or 0 for none. The detector smooths only what it scans: a
   * region, with a margin, as the whole frame smoothed would show it. @default 0
   */
  smooth?: 0 | 3 | 5;
}

/**
 * Finds frontal faces. A port: the adapters are `HaarFaceDetector` (Haar cascade) and
 * `YunetFaceDetector` (YuNet CNN, with scores and landmarks); tests above this layer use
 * `FakeFaceDetector`.
 */
export interface FaceDetector {
  /**
   * Finds the faces in `image` (8-bit BGR, any size). Boxes are in pixels of `image`, at most one per
   * face, and MUST lie inside the image. MUST NOT block the event loop for more than a few
   * milliseconds (native work runs on the thread pool). MAY return no face when unsure.
   */
  detect(image: Mat, options?: DetectOptions): Promise<DetectedFace[]>;
}

/** Intersection over union of two boxes, 0–1. */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union <= 0 ? 0 : inter / union;
}

/** `box` grown by `fraction` of its size on every side, clipped to a `width` x `height` image. */
export function expandBox(box: Box, fraction: number, width: number, height: number): Box {
  const dx = Math.round(box.width * fraction);
  const dy = Math.round(box.height * fraction);
  const x = Math.max(0, box.x - dx);
  const y = Math.max(0, box.y - dy);
  return {
    x,
    y,
    width: Math.max(0, Math.min(width, box.x + box.width + dx) - x),
    height: Math.max(0, Math.min(height, box.y + box.height + dy) - y),
  };
}
