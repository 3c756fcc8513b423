import { iou, type Box, type DetectedFace } from './face-detector.js';

/**
 * The geometry of YuNet's scans: where a scan lies in the frame, what it costs, how nearby scans are
 * merged into one, and which of the boxes the scans found are one face.
 */

/** A face found by YuNet: its box, score and five landmarks, all in pixels of the frame. */
export type YunetFace = Required<DetectedFace>;

/** Input sides must be multiples of the largest stride (32); the frame is padded with black. */
export const ALIGN = 32;
/** Boxes overlapping a better one by more than this IoU are the same face. */
const NMS_IOU = 0.3;
/**
 * Two boxes are one face when they overlap by more than `NMS_IOU`, or when most of the smaller lies
 * inside the larger (this share of its area): the scans at different scales give the same small
 * face boxes a few pixels apart, whose IoU can stay under `NMS_IOU`.
 */
const NMS_INSIDE = 0.6;
/**
 * A face scoring under this whose box meets a better face's box is dropped: a half of a face or the
 * face beside a face, which the scans at two scales find next to the whole one. Faces in a crowd
 * do not share pixels of their boxes (YuNet's box is narrower than the head). On 60 crowd frames
 * this dropped 7 of 12 false faces, and 2 of the 1,028 faces it had found.
 */
const WEAK_NEIGHBOUR = 0.7;
/**
 * What one run of the model costs besides its input pixels, in input pixels: onnxruntime's call
 * and its outputs. Measured on one thread (Intel Xeon, VNNI, `yunet_n`): a run takes about 0.15 ms
 * plus 0.03 ms per 1000 input pixels, so regions of one size are scanned in one run (`batchScans`):
 * four 96x96 regions took 1.2 ms in one run, 1.6 ms in four.
 */
const RUN_OVERHEAD_PIXELS = 5_000;
/**
 * What each scanned region costs besides its input pixels, in input pixels: cutting it out,
 * scaling it, laying out its tensor and decoding its outputs: 0.05–0.15 ms by the same measure
 * (more for a near face's region scaled down to 48 px), counted at the upper end.
 */
const REGION_OVERHEAD_PIXELS = 5_000;
/**
 * What merging two nearby regions into one scan of the box around them may add, in input pixels:
 * the regions are merged where the box's input is smaller than theirs plus this. A region around a
 * small face is little more than the face; merged with its neighbours', it gives the face the table
 * around it to be found in. On the bench's crowd set (`moodbox bench vision`), merging at 10,000
 * found 92.0% of the faces of 14–24 px, at 5,000 87.6%, at 1,500 83.2%, with the same scans
 * otherwise.
 */
const MERGE_ALLOWANCE_PIXELS = 10_000;

/** Where a scanned area sits in the frame, and how it was scaled to the detector's input. */
export interface Scan {
  /** The area of the frame, px. */
  readonly region: Box;
  /** Input pixels per frame pixel. */
  readonly scale: number;
  /**
   * The areas a merged scan was made of (`mergeScans`); faces found elsewhere in `region` are
   * not kept. Undefined: `region` alone.
   */
  readonly parts?: readonly Box[];
}

/** The input a scan gives the model: its region scaled by its scale, padded to multiples of `ALIGN`. */
export function inputOf({ region, scale }: Scan): { readonly width: number; readonly height: number } {
  return { width: padded(region.width, scale), height: padded(region.height, scale) };
}

function padded(side: number, scale: number): number {
  return Math.ceil(Math.max(1, Math.round(side * scale)) / ALIGN) * ALIGN;
}

/** What scanning `scan` on its own costs, in input pixels (padded) plus the fixed costs of a run and a region. */
export function cost(scan: Scan): number {
  const { width, height } = inputOf(scan);
  return width * height + REGION_OVERHEAD_PIXELS + RUN_OVERHEAD_PIXELS;
}

/** Scans run together in one call of the model, each padded (black) to `input`. */
export interface Batch {
  readonly input: { readonly width: number; readonly height: number };
  readonly scans: readonly Scan[];
}

/** What running `batch` costs, in the units of `cost`. */
export function batchCost({ input, scans }: Batch): number {
  return runCost(input, scans.length);
}

/** What one run of `count` scans padded to `input` costs, in the units of `cost`. */
function runCost(input: { readonly width: number; readonly height: number }, count: number): number {
  return RUN_OVERHEAD_PIXELS + count * (input.width * input.height + REGION_OVERHEAD_PIXELS);
}

/**
 * `scans` in batches, each one run of the model: scans of one input size together, and two sizes
 * together (the smaller padded to the larger) where that costs less than a run of their own. Every
 * scan is in one batch, in the order of `scans` within it.
 */
export function batchScans(scans: readonly Scan[]): Batch[] {
  const bySize = new Map<string, Scan[]>();
  for (const scan of scans) {
    const { width, height } = inputOf(scan);
    const key = `${width}x${height}`;
    const same = bySize.get(key);
    if (same === undefined) bySize.set(key, [scan]);
    else same.push(scan);
  }
  const batches = joinWhileCheaper(
    [...bySize.values()].map((same): Batch => ({ input: inputOf(same[0]!), scans: same })),
    batchCost,
    (a, b) => runCost(inputAround(a, b), a.scans.length + b.scans.length),
    (a, b) => ({ input: inputAround(a, b), scans: [...a.scans, ...b.scans] }),
  );
  const order = new Map(scans.map((s, i) => [s, i]));
  return batches.map((b) => ({ ...b, scans: [...b.scans].sort((x, y) => order.get(x)! - order.get(y)!) }));
}

/** What a region counts for when nearby regions are merged (`MERGE_ALLOWANCE_PIXELS`). */
function mergeCost(width: number, height: number, scale: number): number {
  return padded(width, scale) * padded(height, scale) + MERGE_ALLOWANCE_PIXELS;
}

/**
 * Scans merged where one scan of the box around them has less input than theirs apart plus
 * `MERGE_ALLOWANCE_PIXELS`: faces close together, as at a table, are scanned together, at the
 * larger of their scales. The
 * merged scans keep their parts, in the order of `scans`, and come in the order of their first part.
 * Each round merges the pair that saves most.
 */
export function mergeScans(scans: readonly Scan[]): Scan[] {
  return joinWhileCheaper(
    scans.map((s) => ({ ...s, parts: s.parts ?? [s.region] })),
    ({ region, scale }) => mergeCost(region.width, region.height, scale),
    (a, b) => {
      const { width, height } = around(a.region, b.region);
      return mergeCost(width, height, Math.max(a.scale, b.scale));
    },
    (a, b) => ({
      region: around(a.region, b.region),
      scale: Math.max(a.scale, b.scale),
      parts: [...(a.parts ?? []), ...(b.parts ?? [])],
    }),
  );
}

/**
 * `items` with pairs joined, greedily: each round joins the pair whose joined cost (`costTogether`)
 * is most below the two apart (`costOf`), while a join saves anything; the join (`join`, built only
 * for the pair chosen) takes its first item's place.
 */
function joinWhileCheaper<T>(
  items: readonly T[],
  costOf: (item: T) => number,
  costTogether: (a: T, b: T) => number,
  join: (a: T, b: T) => T,
): T[] {
  const joined = [...items];
  const costs = joined.map(costOf);
  for (;;) {
    let best = { i: -1, j: -1, saving: 0 };
    for (let i = 0; i < joined.length; i++) {
      for (let j = i + 1; j < joined.length; j++) {
        const saving = costs[i]! + costs[j]! - costTogether(joined[i]!, joined[j]!);
        if (saving > best.saving) best = { i, j, saving };
      }
    }
    if (best.i < 0) return joined;
    const item = join(joined[best.i]!, joined[best.j]!);
    joined[best.i] = item;
    costs[best.i] = costOf(item);
    joined.splice(best.j, 1);
    costs.splice(best.j, 1);
  }
}

/** The input two batches need together: each padded to the larger side. */
function inputAround(a: Batch, b: Batch): { readonly width: number; readonly height: number } {
  return { width: Math.max(a.input.width, b.input.width), height: Math.max(a.input.height, b.input.height) };
}

/** The smallest box around `a` and `b`. */
function around(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** Best faces first, each dropped when it is the same face as a better one (`overlap`). */
export function suppress(found: readonly YunetFace[]): YunetFace[] {
  const kept: YunetFace[] = [];
  for (const face of [...found].sort((a, b) => b.score - a.score)) {
    if (kept.some((k) => overlap(k, face))) continue;
    kept.push(face);
  }
  return kept;
}

/** Whether `face`, one of `all`, is a doubtful box touching a better face's (`WEAK_NEIGHBOUR`). */
export function isWeakNeighbour(face: YunetFace, all: readonly YunetFace[]): boolean {
  return face.score < WEAK_NEIGHBOUR && all.some((k) => k.score > face.score && interShare(k, face) > 0);
}

/** The share of the smaller box's area that lies in both boxes, 0–1. */
function interShare(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (ix * iy) / Math.min(a.width * a.height, b.width * b.height);
}

/** Whether two boxes are one face: IoU above `NMS_IOU`, or most of the smaller inside the larger. */
export function overlap(a: Box, b: Box): boolean {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  if (inter === 0) return false;
  return iou(a, b) > NMS_IOU || inter > NMS_INSIDE * Math.min(a.width * a.height, b.width * b.height);
}

/** Whether the centre of `box` lies in `region`. */
export function centreInside(box: Box, region: Box): boolean {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return cx >= region.x && cx < region.x + region.width && cy >= region.y && cy < region.y + region.height;
}
