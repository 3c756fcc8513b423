/**
 * When a tracked face is read again. The room's mood is smoothed over seconds (each face's average
 * over 600 ms, a dwell of 2 s before the mood changes), so a face whose crop has not changed need
 * not be read at the camera's pace. A new face, and a face whose crop has changed since its last
 * read, are read at once; a steady face every `steadyMs` (docs/face-detector.md, "Reading pace").
 *
 * A crop's change is the mean absolute difference, in grey levels, of its 12x12 block means (4x4 px
 * blocks of the 48 px crop) from those at its last read. A pixel's grain barely moves a block; the
 * crop's alignment on the eyes, found afresh in each frame, moves them more. Through the real
 * detector on the bundled clip `happy-then-sad.mp4` with a webcam's grain (σ 6 grey levels), the
 * same face measured 2–23 (median 8) against its last read, and the change of face 66
 * (`read-pace.test.ts`). So a change above 20 is read at once; a subtler one (a smile on the same
 * face) waits at most `steadyMs`, which the mood's smoothing (600 ms) and dwell (2 s) absorb.
 *
 * While the room's mood is contested (another emotion scores above it: `MoodUpdate.contested`),
 * every face is read every `contestedMs` (0: in every frame), so the dwell that decides the change
 * is judged on fresh readings rather than on two a second, whose noise breaks it. In the room
 * simulator's café days this took the mood's lag at the 90th percentile from 8.5 s (steady faces
 * twice a second throughout) to 5.1 s, against 4.8 s reading every face in every frame, reading
 * 24% of the faces (`scripts/measure-read-pace.ts`).
 */

/** How often faces are read. */
export interface ReadPaceOptions {
  /** A face whose crop has not changed is read again after this long (ms); 0 reads every face in every frame. @default 500 */
  steadyMs?: number;
  /** A crop whose blocks moved by more than this (mean grey levels) since its last read has changed: it is read at once. @default 20 */
  changedAbove?: number;
  /** While the room's mood is contested, a face is read again after this long (ms); 0 reads it in every frame. @default 0 */
  contestedMs?: number;
}

/** The shipped pace: steady faces twice a second, in every frame while the mood is contested, a change of 20 grey levels at once. */
export const READ_PACE = { steadyMs: 500, changedAbove: 20, contestedMs: 0 } as const;

/** Block means per side: 4x4 px blocks of a 48 px crop. */
const BLOCKS = 12;

/** Which tracked faces to read in a frame: pure apart from what it remembers of each face's last read. */
export class ReadPacer {
  readonly #steadyMs: number;
  readonly #changedAbove: number;
  readonly #contestedMs: number;
  readonly #last = new Map<number, { at: number; blocks: Float32Array }>();

  constructor(options: ReadPaceOptions = {}) {
    this.#steadyMs = options.steadyMs ?? READ_PACE.steadyMs;
    this.#changedAbove = options.changedAbove ?? READ_PACE.changedAbove;
    this.#contestedMs = Math.min(this.#steadyMs, options.contestedMs ?? READ_PACE.contestedMs);
    for (const [name, value] of [
      ['steadyMs', this.#steadyMs],
      ['contestedMs', options.contestedMs ?? 0],
    ] as const) {
      if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`Expected \`${name}\` to be a number >= 0, got \`${value}\``);
    }
    if (!(this.#changedAbove >= 0)) throw new RangeError(`Expected \`changedAbove\` to be >= 0, got \`${this.#changedAbove}\``);
  }

  /**
   * Whether the face of `trackId` is read now (`now`, ms): never read yet, due by its last read's
   * age (`isDueAfter`), or its crop (`side` x `side` grey bytes) changed since its last read.
   * `room.contested`: the room's mood, as of the last frame, is contested (`MoodUpdate.contested`).
   */
  isDue(trackId: number, crop: Uint8Array, side: number, now: number, room: { contested?: boolean } = {}): boolean {
    const last = this.#last.get(trackId);
    if (last === undefined || this.isDueAfter(last.at, now, room)) return true;
    return cropChange(last.blocks, blockMeans(crop, side)) > this.#changedAbove;
  }

  /** Whether a face last read at `readAt` (ms) is due again at `now` whatever its crop: after `steadyMs`, or `contestedMs` while the mood is contested. */
  isDueAfter(readAt: number, now: number, room: { contested?: boolean } = {}): boolean {
    return now - readAt >= (room.contested === true ? this.#contestedMs : this.#steadyMs);
  }

  /** Notes that the face of `trackId` was read now from `crop`. */
  read(trackId: number, crop: Uint8Array, side: number, now: number): void {
    this.#last.set(trackId, { at: now, blocks: blockMeans(crop, side) });
  }

  /** When the face of `trackId` was last read (ms), or undefined. */
  readAt(trackId: number): number | undefined {
    return this.#last.get(trackId)?.at;
  }

  /** Forgets the faces whose tracks ended. */
  forget(trackIds: Iterable<number>): void {
    for (const id of trackIds) this.#last.delete(id);
  }
}

/** The means of `crop` (`side` x `side` grey bytes) over a 12x12 grid of blocks, row by row. */
export function blockMeans(crop: Uint8Array, side: number): Float32Array {
  const sums = new Float32Array(BLOCKS * BLOCKS);
  const counts = new Float32Array(BLOCKS * BLOCKS);
  for (let y = 0; y < side; y++) {
    const row = Math.min(BLOCKS - 1, Math.floor((y * BLOCKS) / side)) * BLOCKS;
    for (let x = 0; x < side; x++) {
      const block = row + Math.min(BLOCKS - 1, Math.floor((x * BLOCKS) / side));
      sums[block] = (sums[block] ?? 0) + (crop[y * side + x] ?? 0);
      counts[block] = (counts[block] ?? 0) + 1;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] ?? 0) / Math.max(1, counts[i] ?? 0);
  return sums;
}

/** The mean absolute difference of two sets of block means (grey levels). */
export function cropChange(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return a.length === 0 ? 0 : sum / a.length;
}
