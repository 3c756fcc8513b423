/**
 * How large faces appear to the camera over the last minutes, and what the owner can change when
 * they appear too small: pure, fed by the vision pipeline, read by its health line (and so by
 * `/api/health`, `moodbox doctor` and the admin's health page).
 */

/** The faces seen over the window, by size: the larger side of each detected box, in px of the frame. */
export interface FaceSizeSummary {
  /** Faces counted (a face seen in many sampled frames counts each time). */
  readonly faces: number;
  readonly medianPx: number;
  readonly smallestPx: number;
  readonly largestPx: number;
  /** The frame's size the faces were seen in (the latest frame's). */
  readonly frameWidth: number;
  readonly frameHeight: number;
  /** How far back the summary reaches (ms): the window, or less since the first sample. */
  readonly overMs: number;
}

export interface FaceSizeLogOptions {
  /** How far back sizes are kept (ms). @default 300000 (5 minutes) */
  windowMs?: number;
  /** At most one frame sampled per this interval (ms), so a busy room does not fill memory. @default 1000 */
  sampleEveryMs?: number;
}

/** The sizes of the faces in sampled frames over the last `windowMs`. */
export class FaceSizeLog {
  readonly #windowMs: number;
  readonly #sampleEveryMs: number;
  #samples: { at: number; sizes: readonly number[] }[] = [];
  #frame = { width: 0, height: 0 };
  #first: number | undefined;

  constructor(options: FaceSizeLogOptions = {}) {
    this.#windowMs = options.windowMs ?? 300_000;
    this.#sampleEveryMs = options.sampleEveryMs ?? 1000;
    if (!(this.#windowMs > 0)) throw new RangeError(`Expected \`windowMs\` to be above 0, got \`${this.#windowMs}\``);
    if (!(this.#sampleEveryMs >= 0)) throw new RangeError(`Expected \`sampleEveryMs\` to be >= 0, got \`${this.#sampleEveryMs}\``);
  }

  /**
   * Notes the faces (boxes in px) of a frame analysed at `at` (ms, a monotonic clock), unless a
   * frame was sampled less than `sampleEveryMs` before. Frames with no face are not sampled.
   */
  record(at: number, frame: { width: number; height: number }, boxes: readonly { width: number; height: number }[]): void {
    this.#first ??= at;
    if (boxes.length === 0) return;
    const last = this.#samples.at(-1);
    if (last !== undefined && at - last.at < this.#sampleEveryMs) return;
    this.#frame = { width: frame.width, height: frame.height };
    this.#samples.push({ at, sizes: boxes.map((b) => Math.max(b.width, b.height)) });
    this.#drop(at);
  }

  /** The faces seen from `now - windowMs` on; undefined when none was. */
  summary(now: number): FaceSizeSummary | undefined {
    this.#drop(now);
    const sizes = this.#samples.flatMap((s) => s.sizes).sort((a, b) => a - b);
    if (sizes.length === 0) return undefined;
    const middle = sizes.length >> 1;
    const median = sizes.length % 2 === 1 ? (sizes[middle] ?? 0) : ((sizes[middle - 1] ?? 0) + (sizes[middle] ?? 0)) / 2;
    return {
      faces: sizes.length,
      medianPx: Math.round(median),
      smallestPx: Math.round(sizes[0] ?? 0),
      largestPx: Math.round(sizes.at(-1) ?? 0),
      frameWidth: this.#frame.width,
      frameHeight: this.#frame.height,
      overMs: Math.min(this.#windowMs, now - (this.#first ?? now)),
    };
  }

  /** Forgets everything (the camera went off, or another camera came). */
  clear(): void {
    this.#samples = [];
    this.#first = undefined;
  }

  #drop(now: number): void {
    const since = now - this.#windowMs;
    const keep = this.#samples.findIndex((s) => s.at >= since);
    this.#samples = keep < 0 ? [] : this.#samples.slice(keep);
  }
}

/**
 * Below this median size (px) the room's faces are small enough that expressions read worse
 * (the int8 model on FER-2013 faces shrunk to 24 px: 59% against 70% at 48 px) and the farthest
 * faces are near what the detector finds (14 px).
 */
export const SMALL_MEDIAN_PX = 24;
/** Below this smallest size (px) faces are at the detector's edge: some at that distance are missed. */
export const EDGE_PX = 16;

/**
 * One line on how large faces appear, and what to change when they appear small: move the camera
 * closer to the tables, a 1280x720 camera (twice the pixels on each face for the same lens), or a
 * narrower lens or zoom. The advice names the frame's own size.
 */
export function describeFaceSizes(s: FaceSizeSummary): { line: string; advice: string | undefined } {
  const minutes = Math.max(1, Math.round(s.overMs / 60_000));
  const line =
    `faces ${s.smallestPx}–${s.largestPx} px, median ${s.medianPx} px, over the last ${minutes} min ` +
    `(${s.faces} faces seen in ${s.frameWidth}x${s.frameHeight} frames)`;
  if (s.medianPx >= SMALL_MEDIAN_PX && s.smallestPx >= EDGE_PX) return { line, advice: undefined };
  const bigger =
    s.frameWidth < 1280
      ? 'a 1280x720 camera (in its MJPEG mode), which doubles each face'
      : "a narrower lens or the camera's zoom, which makes each face larger";
  const why =
    s.medianPx < SMALL_MEDIAN_PX
      ? `most faces are under ${SMALL_MEDIAN_PX} px, where expressions read less well`
      : `the farthest faces are under ${EDGE_PX} px, where some are missed`;
  return { line, advice: `${why}: place the camera nearer the tables or lower, at eye height, or use ${bigger}` };
}

/** The phrase `describeFaceSizes` writes, as a health line carries it. */
const LINE = /^faces (\d+)–(\d+) px, median (\d+) px, over the last (\d+) min \((\d+) faces seen in (\d+)x(\d+) frames\)(?:: (.*))?$/;

/**
 * The face sizes and advice in a health line's parts (`; `-separated), as `describeFaceSizes` put
 * them there; undefined when the line has none.
 */
export function readFaceSizes(
  detail: string,
): { summary: Omit<FaceSizeSummary, 'overMs'> & { minutes: number }; advice: string | undefined } | undefined {
  for (const part of detail.split('; ')) {
    const m = LINE.exec(part);
    if (m === null) continue;
    const [smallestPx, largestPx, medianPx, minutes, faces, frameWidth, frameHeight] = m.slice(1, 8).map(Number);
    return {
      summary: {
        faces: faces ?? 0,
        medianPx: medianPx ?? 0,
        smallestPx: smallestPx ?? 0,
        largestPx: largestPx ?? 0,
        frameWidth: frameWidth ?? 0,
        frameHeight: frameHeight ?? 0,
        minutes: minutes ?? 0,
      },
      advice: m[8],
    };
  }
  return undefined;
}
