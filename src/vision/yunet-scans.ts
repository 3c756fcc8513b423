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
 * What one scan costs besides its input pixels, in input pixels. Measured on one thread with
 * 640x480 frames, a scan (scaling, tensor, run, decoding) takes about 0.55 ms plus 0.055 ms per
 * 1000 input pixels: about 1.1 ms for a 96x96 region, 5 ms for a 320x256 full scan.
 */
const SCAN_OVERHEAD_PIXELS = 10_000;

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

/** What scanning `scan` costs, in input pixels (padded) plus the fixed cost of a scan. */
export function cost({ region, scale }: Scan): number {
  return scanCost(region.width, region.height, scale);
}

function scanCost(width: number, height: number, scale: number): number {
  const pad = (n: number): number => Math.ceil(Math.max(1, Math.round(n * scale)) / ALIGN) * ALIGN;
  return pad(width) * pad(height) + SCAN_OVERHEAD_PIXELS;
}

/**
 * Scans merged where one scan of the box around them costs less than scanning them apart (`cost`):
 * faces close together, as at a table, are scanned together, at the larger of their scales. The
 * merged scans keep their parts, in the order of `scans`, and come in the order of their first part.
 * Each round merges the pair that saves most; only that pair's merged scan is built.
 */
export function mergeScans(scans: readonly Scan[]): Scan[] {
  const tiles: Scan[] = scans.map((s) => ({ ...s, parts: s.parts ?? [s.region] }));
  const costs = tiles.map(cost);
  for (;;) {
    let best = { i: -1, j: -1, saving: 0 };
    for (let i = 0; i < tiles.length; i++) {
      const a = tiles[i]!.region;
      for (let j = i + 1; j < tiles.length; j++) {
        const b = tiles[j]!.region;
        const x = Math.min(a.x, b.x);
        const y = Math.min(a.y, b.y);
        const width = Math.max(a.x + a.width, b.x + b.width) - x;
        const height = Math.max(a.y + a.height, b.y + b.height) - y;
        const saving = costs[i]! + costs[j]! - scanCost(width, height, Math.max(tiles[i]!.scale, tiles[j]!.scale));
        if (saving > best.saving) best = { i, j, saving };
      }
    }
    if (best.i < 0) return tiles;
    const [a, b] = [tiles[best.i]!, tiles[best.j]!];
    const x = Math.min(a.region.x, b.region.x);
    const y = Math.min(a.region.y, b.region.y);
    const merged: Scan = {
      region: {
        x,
        y,
        width: Math.max(a.region.x + a.region.width, b.region.x + b.region.width) - x,
        height: Math.max(a.region.y + a.region.height, b.region.y + b.region.height) - y,
      },
      scale: Math.max(a.scale, b.scale),
      parts: [...(a.parts ?? []), ...(b.parts ?? [])],
    };
    tiles[best.i] = merged;
    costs[best.i] = cost(merged);
    tiles.splice(best.j, 1);
    costs.splice(best.j, 1);
  }
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
