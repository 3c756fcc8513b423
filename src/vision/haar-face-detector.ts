import type { CascadeClassifier, Mat } from '@u4/opencv4nodejs';
import { ModelError } from './errors.js';
import { expandBox, iou, type Box, type DetectOptions, type FaceDetector } from './face-detector.js';
import { smoothForDetection } from './light-reader.js';
import { loadOpencv, type Cv } from './opencv.js';

/** The frontal-face cascade that Debian's opencv-data installs. */
export const DEFAULT_CASCADE = '/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml';

export interface HaarFaceDetectorOptions {
  /** Cascade XML file. @default DEFAULT_CASCADE (haarcascade_frontalface_alt2) */
  cascadePath?: string;
  /**
   * Detection runs on the frame scaled down to this width (px); smaller is faster but misses small
   * faces (the cascade's smallest window is 20 px of the scaled frame). Never scaled up. @default 320
   */
  detectWidth?: number;
  /**
   * Smallest face to find, in pixels of the original frame; never below the cascade's 20 px window
   * in the downscaled frame (40 px of a 640 px wide frame at the default width). @default 48
   */
  minFaceSize?: number;
  /** Largest face to find, in pixels of the original frame; 0 means no limit. @default 0 */
  maxFaceSize?: number;
  /** Scale step between cascade passes (> 1); larger is faster and less thorough. @default 1.15 */
  scaleFactor?: number;
  /** Overlapping candidate windows a face needs; higher keeps false positives out. @default 4 */
  minNeighbors?: number;
  /** A tracked face is searched for in its box grown by this fraction of its size on each side. @default 0.5 */
  roiMargin?: number;
}

/**
 * `FaceDetector` on an OpenCV Haar cascade. Works on a grey, histogram-equalized copy of the frame
 * scaled down to `detectWidth`; with `near` it searches only regions around the tracked faces, for
 * a face that has grown or shrunk by at most half. Candidates that are not square enough, too small or
 * too large, or that overlap a better candidate, are dropped. All OpenCV calls are the async ones, so
 * the work runs on the libuv thread pool.
 */
export class HaarFaceDetector implements FaceDetector {
  readonly #cascadePath: string;
  readonly #detectWidth: number;
  readonly #minFace: number;
  readonly #maxFace: number;
  readonly #scaleFactor: number;
  readonly #minNeighbors: number;
  readonly #roiMargin: number;
  #loaded: { cv: Cv; cascade: CascadeClassifier } | undefined;
  #last: Promise<unknown> = Promise.resolve();

  constructor(options: HaarFaceDetectorOptions = {}) {
    this.#cascadePath = options.cascadePath ?? DEFAULT_CASCADE;
    this.#detectWidth = options.detectWidth ?? 320;
    this.#minFace = options.minFaceSize ?? 48;
    this.#maxFace = options.maxFaceSize ?? 0;
    this.#scaleFactor = options.scaleFactor ?? 1.15;
    this.#minNeighbors = options.minNeighbors ?? 4;
    this.#roiMargin = options.roiMargin ?? 0.5;
    if (!(this.#detectWidth >= 32)) throw new RangeError(`Expected \`detectWidth\` to be >= 32, got \`${this.#detectWidth}\``);
    if (!(this.#minFace >= 12)) throw new RangeError(`Expected \`minFaceSize\` to be >= 12, got \`${this.#minFace}\``);
    if (this.#maxFace !== 0 && !(this.#maxFace >= this.#minFace))
      throw new RangeError(`Expected \`maxFaceSize\` to be 0 or >= minFaceSize, got \`${this.#maxFace}\``);
    if (!(this.#scaleFactor > 1)) throw new RangeError(`Expected \`scaleFactor\` to be > 1, got \`${this.#scaleFactor}\``);
    if (!(Number.isInteger(this.#minNeighbors) && this.#minNeighbors >= 1))
      throw new RangeError(`Expected \`minNeighbors\` to be an integer >= 1, got \`${this.#minNeighbors}\``);
  }

  /** Loads OpenCV and the cascade; `detect` does this itself on first use. Throws `ModelError` for a bad cascade. */
  async load(): Promise<void> {
    if (this.#loaded) return;
    const cv = await loadOpencv();
    let cascade: CascadeClassifier;
    try {
      cascade = new cv.CascadeClassifier(this.#cascadePath);
      // The constructor accepts a missing or broken file and leaves the cascade empty; the first
      // detection would then fail with an OpenCV assertion, so probe it once here.
      await cascade.detectMultiScaleAsync(new cv.Mat(24, 24, cv.CV_8UC1, 0));
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_CASCADE', `cannot load the face cascade ${this.#cascadePath}`, { cause: err });
    }
    this.#loaded = { cv, cascade };
  }

  async detect(image: Mat, options: DetectOptions = {}): Promise<Box[]> {
    // Calls are serialised for the same reason regions are scanned one at a time (see below).
    const run = this.#last.then(() => this.#detect(image, options));
    this.#last = run.catch(() => undefined);
    return run;
  }

  async #detect(image: Mat, options: DetectOptions): Promise<Box[]> {
    await this.load();
    // The cascade scans a downscaled copy of the whole frame, regions too: the whole frame is smoothed.
    const seen = await smoothForDetection(image, options.smooth ?? 0);
    try {
      return await this.#detectIn(seen, options);
    } finally {
      if (seen !== image) seen.release();
    }
  }

  async #detectIn(image: Mat, options: DetectOptions): Promise<Box[]> {
    const { cv } = this.#loaded as { cv: Cv };
    const grey = image.channels === 1 ? image : await image.cvtColorAsync(cv.COLOR_BGR2GRAY);
    // Full scans and regions run on the same downscaled, equalized frame, so a tracked face looks
    // to the cascade exactly as it did when the full scan found it.
    const scale = Math.min(1, this.#detectWidth / grey.cols);
    const small =
      scale < 1 ? await grey.resizeAsync(Math.round(grey.rows * scale), Math.round(grey.cols * scale), 0, 0, cv.INTER_AREA) : grey;
    const prepared = await small.equalizeHistAsync();
    const view = { image: prepared, scale };
    const found: Array<Box & { neighbours: number }> = [];
    if (options.near === undefined) {
      found.push(...(await this.#scan(view, { x: 0, y: 0, width: grey.cols, height: grey.rows }, this.#minFace, this.#maxFace)));
    } else {
      // One region at a time: a CascadeClassifier keeps scratch buffers per instance and gives
      // wrong answers when two of its detections run at once on the thread pool.
      for (const near of options.near) {
        const region = expandBox(near, this.#roiMargin, grey.cols, grey.rows);
        const size = Math.max(near.width, near.height);
        const max = this.#maxFace === 0 ? size * 1.5 : Math.min(this.#maxFace, size * 1.5);
        found.push(...(await this.#scan(view, region, Math.max(this.#minFace, size / 1.5), max)));
      }
    }
    const { cols, rows } = grey;
    prepared.release();
    if (small !== grey) small.release();
    if (grey !== image) grey.release();
    return suppress(found, cols, rows);
  }

  /** Runs the cascade on `region` (px of the original frame) of the prepared frame, for faces `minFace`–`maxFace` px. */
  async #scan(
    view: { image: Mat; scale: number },
    region: Box,
    minFace: number,
    maxFace: number,
  ): Promise<Array<Box & { neighbours: number }>> {
    const { cv, cascade } = this.#loaded as { cv: Cv; cascade: CascadeClassifier };
    const { image, scale } = view;
    const x = Math.round(region.x * scale);
    const y = Math.round(region.y * scale);
    const width = Math.min(image.cols - x, Math.round(region.width * scale));
    const height = Math.min(image.rows - y, Math.round(region.height * scale));
    const minSize = Math.max(20, Math.round(minFace * scale));
    if (width < minSize || height < minSize) return [];
    const roi = width === image.cols && height === image.rows ? image : image.getRegion(new cv.Rect(x, y, width, height));
    const maxSize = maxFace > 0 ? Math.max(minSize, Math.round(maxFace * scale)) : 0;
    const { objects, numDetections } = await cascade.detectMultiScaleAsync(
      roi,
      this.#scaleFactor,
      this.#minNeighbors,
      0,
      new cv.Size(minSize, minSize),
      new cv.Size(maxSize, maxSize),
    );
    if (roi !== image) roi.release();
    return objects.map((r, i) => ({
      x: Math.round((x + r.x) / scale),
      y: Math.round((y + r.y) / scale),
      width: Math.round(r.width / scale),
      height: Math.round(r.height / scale),
      neighbours: numDetections[i] ?? 0,
    }));
  }
}

/**
 * Keeps plausible faces only: roughly square, inside the image, and not overlapping a stronger one
 * (regions around two nearby tracked faces can find the same face twice).
 */
function suppress(found: ReadonlyArray<Box & { neighbours: number }>, width: number, height: number): Box[] {
  const kept: Box[] = [];
  const ranked = [...found].sort((a, b) => b.neighbours - a.neighbours || b.width - a.width);
  for (const f of ranked) {
    const aspect = f.width / f.height;
    if (aspect < 0.75 || aspect > 1.33) continue;
    const box = {
      x: Math.max(0, f.x),
      y: Math.max(0, f.y),
      width: Math.min(width, f.x + f.width) - Math.max(0, f.x),
      height: Math.min(height, f.y + f.height) - Math.max(0, f.y),
    };
    if (box.width <= 0 || box.height <= 0) continue;
    if (kept.some((k) => iou(k, box) > 0.3 || contains(k, box) || contains(box, k))) continue;
    kept.push(box);
  }
  return kept.sort((a, b) => a.x - b.x || a.y - b.y);
}

function contains(outer: Box, inner: Box): boolean {
  const cx = inner.x + inner.width / 2;
  const cy = inner.y + inner.height / 2;
  return cx > outer.x && cx < outer.x + outer.width && cy > outer.y && cy < outer.y + outer.height;
}
