import type { Mat } from '@u4/opencv4nodejs';
import type { Box } from './face-detector.js';
import { loadOpencv } from './opencv.js';

/**
 * When the vision loop scans the whole frame for new faces, by how much the scene moves. Between
 * full scans the detector looks only around the tracked faces; a face that comes in elsewhere is
 * found by the next full scan. Whatever comes in changes the picture where no face is tracked, so
 * the loop keeps a thumbnail of the frame (one grey cell per `CELL` x `CELL` px block, its mean) at
 * each full scan and compares each frame's with it: a cell away from the tracked faces that moved
 * by more than `movedAbove` grey levels asks for a full scan, at most every `movingMs`, and for
 * `stillMs` after it the frame is scanned whole every `movedMs` (a newcomer the scan missed, or
 * only half in the frame, is looked for again); with nothing moving, every `stillMs`
 * (docs/face-detector.md, "Scan pace").
 *
 * A cell is the mean of 64 pixels: a webcam's grain (σ 6 grey levels at a quarter of daylight)
 * moves it by about 1, a face of 14 px or more coming in by tens.
 */

export interface ScanPaceOptions {
  /** Nothing moved away from the tracked faces: the whole frame is scanned after this long (ms). @default 3000 */
  stillMs?: number;
  /** Something moved away from the tracked faces: the whole frame is scanned, at most this often (ms). @default 500 */
  movingMs?: number;
  /**
   * For `stillMs` after the last motion, the whole frame is scanned at least this often (ms),
   * whether or not anything moves since: a newcomer the scan missed is looked for again. @default 1000
   */
  movedMs?: number;
  /** A cell whose mean moved by more than this (grey levels) since the last full scan has moved. @default 12 */
  movedAbove?: number;
}

/** The shipped pace: a full scan twice a second while something moves away from the faces, once a second for 3 s after, every 3 s while nothing does. */
export const SCAN_PACE = { stillMs: 3000, movingMs: 500, movedMs: 1000, movedAbove: 12 } as const;

/** A thumbnail cell's side, in pixels of the frame. */
export const CELL = 8;

/** A frame's thumbnail: one grey byte per `CELL` x `CELL` block, row by row. */
export interface Thumbnail {
  readonly cells: Uint8Array;
  readonly cols: number;
  readonly rows: number;
}

/** Around a tracked face, this share of its box's size on each side (and its body below) is the face's own motion. */
const AROUND = 0.5;
const BELOW = 1;

/** Whether to scan the whole frame now; pure apart from the thumbnail of the last full scan it keeps. */
export class ScanPacer {
  readonly #stillMs: number;
  readonly #movingMs: number;
  readonly #movedMs: number;
  readonly #movedAbove: number;
  #last: { at: number; thumbnail: Thumbnail } | undefined;
  /** When something last moved away from the tracked faces (ms). */
  #movedAt = Number.NEGATIVE_INFINITY;

  constructor(options: ScanPaceOptions = {}) {
    this.#stillMs = options.stillMs ?? SCAN_PACE.stillMs;
    this.#movingMs = Math.min(this.#stillMs, options.movingMs ?? SCAN_PACE.movingMs);
    this.#movedMs = Math.min(this.#stillMs, Math.max(this.#movingMs, options.movedMs ?? SCAN_PACE.movedMs));
    this.#movedAbove = options.movedAbove ?? SCAN_PACE.movedAbove;
    for (const [name, value] of [
      ['stillMs', this.#stillMs],
      ['movingMs', this.#movingMs],
      ['movedMs', this.#movedMs],
      ['movedAbove', this.#movedAbove],
    ] as const) {
      if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`Expected \`${name}\` to be a number >= 0, got \`${value}\``);
    }
  }

  /**
   * Whether the frame of `thumbnail` at `now` (ms) is scanned whole: none scanned yet, `stillMs`
   * since the last, `movingMs` since it and a cell away from `tracked` (boxes in frame pixels)
   * moved since then, or `movedMs` since it and something moved within `stillMs`.
   */
  isDue(now: number, thumbnail: Thumbnail, tracked: readonly Box[]): boolean {
    const last = this.#last;
    if (last === undefined || tracked.length === 0) return true;
    const since = now - last.at;
    if (since >= this.#stillMs) return true;
    if (since < this.#movingMs) return false;
    if (hasMoved(last.thumbnail, thumbnail, tracked, this.#movedAbove)) {
      this.#movedAt = now;
      return true;
    }
    return since >= this.#movedMs && now - this.#movedAt < this.#stillMs;
  }

  /** Notes that the frame of `thumbnail` was scanned whole at `now`. */
  scanned(now: number, thumbnail: Thumbnail): void {
    this.#last = { at: now, thumbnail };
  }
}

/** Whether a cell of `now` away from the `tracked` faces (and their bodies) differs from `before`'s by more than `above`. */
export function hasMoved(before: Thumbnail, now: Thumbnail, tracked: readonly Box[], above: number): boolean {
  if (before.cols !== now.cols || before.rows !== now.rows) return true;
  const own = new Uint8Array(now.cols * now.rows);
  for (const box of tracked) {
    const [dx, dy] = [box.width * AROUND, box.height * AROUND];
    const x0 = Math.max(0, Math.floor((box.x - dx) / CELL));
    const x1 = Math.min(now.cols - 1, Math.floor((box.x + box.width + dx) / CELL));
    const y0 = Math.max(0, Math.floor((box.y - dy) / CELL));
    const y1 = Math.min(now.rows - 1, Math.floor((box.y + box.height * (1 + BELOW)) / CELL));
    for (let y = y0; y <= y1; y++) own.fill(1, y * now.cols + x0, y * now.cols + x1 + 1);
  }
  for (let i = 0; i < now.cells.length; i++) {
    if (own[i] === 0 && Math.abs((now.cells[i] ?? 0) - (before.cells[i] ?? 0)) > above) return true;
  }
  return false;
}

/** The thumbnail of `image` (8-bit BGR or grey): each `CELL` x `CELL` block's mean grey, by OpenCV. */
export async function thumbnailOf(image: Mat): Promise<Thumbnail> {
  const cv = await loadOpencv();
  const [cols, rows] = [Math.max(1, Math.floor(image.cols / CELL)), Math.max(1, Math.floor(image.rows / CELL))];
  const grey = image.channels === 1 ? image : image.cvtColor(cv.COLOR_BGR2GRAY);
  const small = grey.resize(rows, cols, 0, 0, cv.INTER_AREA);
  if (grey !== image) grey.release();
  try {
    return { cells: new Uint8Array(small.getData()), cols, rows };
  } finally {
    small.release();
  }
}
