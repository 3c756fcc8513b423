import type { Mat } from '@u4/opencv4nodejs';
import type { Random } from '../../kernel/random.js';
import { iou, type Box, type FaceDetector } from '../face-detector.js';
import type { FerRow } from '../fer-csv.js';
import { loadOpencv } from '../opencv.js';
import { FACE_SIZE } from '../preprocess.js';

/**
 * A labelled set of camera frames for measuring face detection: FER-2013 faces pasted at known
 * boxes onto generated backgrounds (walls, furniture, windows, clutter, noise), 0–4 faces a frame,
 * of 56–170 px, at varied brightness. The frames are made from the dataset at run time, never
 * stored: FER-2013 images are not shipped.
 */

/** One frame and the faces it holds. */
export interface LabelledFrame {
  readonly name: string;
  /** 8-bit BGR. The caller releases it. */
  readonly image: Mat;
  /** Each face's box, and for pasted faces the emotion its dataset label gives. */
  readonly faces: readonly LabelledFace[];
}

export interface LabelledFace extends Box {
  readonly emotion?: string;
}

export interface DetectionSetOptions {
  /** Frames to make. @default 100 */
  frames?: number;
  /** @default 640 */
  width?: number;
  /** @default 480 */
  height?: number;
  /** Each face is turned by up to this many degrees either way (a tilted head). @default 0 */
  maxRotation?: number;
}

/**
 * Makes `frames` frames from `faces` (FER rows; each used once at most, in the order `random`
 * picks them). Deterministic for a given seed and rows.
 */
export async function makeDetectionSet(
  deps: { random: Random },
  faces: readonly FerRow[],
  options: DetectionSetOptions = {},
): Promise<LabelledFrame[]> {
  const cv = await loadOpencv();
  const { random } = deps;
  const count = options.frames ?? 100;
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const range = (lo: number, hi: number): number => lo + random.next() * (hi - lo);
  const order = shuffled(faces.length, random);
  // Sensor noise, made once: ±8 grey levels per channel (triangular around 128), flipped per frame.
  const bytes = Buffer.alloc(width * height * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = 120 + random.int(9) + random.int(9);
  const noise = new cv.Mat(bytes, height, width, cv.CV_8UC3);
  let next = 0;
  const frames: LabelledFrame[] = [];
  for (let f = 0; f < count; f++) {
    const image = await background(width, height, random, noise);
    // One frame in ten is an empty room; the rest hold 1-4 faces, mostly one or two.
    const wanted = f % 10 === 9 ? 0 : ([1, 1, 1, 2, 2, 3, 4][random.int(7)] ?? 1);
    const boxes: LabelledFace[] = [];
    for (let tries = 0; boxes.length < wanted && tries < 50; tries++) {
      const side = Math.round(range(56, Math.min(170, height / 2)));
      const box = { x: random.int(width - side), y: random.int(height - side), width: side, height: side };
      // Faces keep apart: a detector is not asked to split a face that overlaps another.
      if (boxes.some((b) => iou(expand(b, 0.15), box) > 0 || iou(b, expand(box, 0.15)) > 0)) continue;
      const row = faces[order[next++ % order.length] ?? 0];
      if (row === undefined) break;
      const gain = range(0.75, 1.2);
      const offset = range(-20, 20);
      const grey = new cv.Mat(
        Buffer.from(row.pixels.map((p) => Math.max(0, Math.min(255, Math.round(p * gain + offset))))),
        FACE_SIZE,
        FACE_SIZE,
        cv.CV_8UC1,
      );
      let face = (await grey.resizeAsync(side, side, 0, 0, cv.INTER_CUBIC)).cvtColor(cv.COLOR_GRAY2BGR);
      const turn = (options.maxRotation ?? 0) * (2 * random.next() - 1);
      if (turn !== 0) {
        const rotation = cv.getRotationMatrix2D(new cv.Point2(side / 2, side / 2), turn, 1);
        const turned = await face.warpAffineAsync(rotation, new cv.Size(side, side), cv.INTER_LINEAR, cv.BORDER_REPLICATE);
        face.release();
        face = turned;
      }
      face.copyTo(image.getRegion(new cv.Rect(box.x, box.y, side, side)));
      face.release();
      grey.release();
      boxes.push({ ...box, emotion: row.label });
    }
    frames.push({ name: `generated-${String(f).padStart(3, '0')}`, image, faces: boxes });
  }
  noise.release();
  return frames;
}

/** A generated room: a lit wall, a floor, furniture and windows, some clutter and sensor noise. */
async function background(width: number, height: number, random: Random, noise: Mat): Promise<Mat> {
  const cv = await loadOpencv();
  const colour = (lo: number, hi: number): InstanceType<typeof cv.Vec3> =>
    new cv.Vec3(lo + random.int(hi - lo), lo + random.int(hi - lo), lo + random.int(hi - lo));
  const base = 60 + random.int(150);
  const mat = new cv.Mat(height, width, cv.CV_8UC3, [base, base + random.int(30) - 15, base + random.int(30) - 15]);
  const floor = Math.round(height * (0.6 + random.next() * 0.3));
  mat.drawRectangle(new cv.Rect(0, floor, width, height - floor), colour(30, 160), -1);
  for (let i = random.int(6); i > 0; i--) {
    const w = 40 + random.int(Math.round(width / 3));
    const h = 40 + random.int(Math.round(height / 2));
    mat.drawRectangle(new cv.Rect(random.int(width - w), random.int(height - h), w, h), colour(20, 240), random.next() < 0.7 ? -1 : 3);
  }
  for (let i = random.int(5); i > 0; i--) {
    mat.drawCircle(new cv.Point2(random.int(width), random.int(height)), 10 + random.int(60), colour(20, 240), -1);
  }
  for (let i = random.int(12); i > 0; i--) {
    const from = new cv.Point2(random.int(width), random.int(height));
    const to = new cv.Point2(random.int(width), random.int(height));
    mat.drawLine(from, to, colour(0, 255), 1 + random.int(4));
  }
  const blurred = await mat.gaussianBlurAsync(new cv.Size(0, 0), 0.5 + random.next() * 3);
  mat.release();
  const flipped = noise.flip(random.int(3) - 1);
  const out = blurred.addWeighted(1, flipped, 1, -128);
  flipped.release();
  blurred.release();
  return out;
}

function expand(box: Box, fraction: number): Box {
  const dx = box.width * fraction;
  const dy = box.height * fraction;
  return { x: box.x - dx, y: box.y - dy, width: box.width + 2 * dx, height: box.height + 2 * dy };
}

function shuffled(n: number, random: Random): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] ?? 0, out[i] ?? 0];
  }
  return out;
}

/**
 * Whether a detected box is on a labelled face: centred within a quarter of its size, and 0.3–1.8
 * times as wide. The lower bound is loose because a FER-2013 crop sometimes holds a small face
 * with much around it, and a detector's box is then rightly a third of the crop.
 */
export function matchesFace(box: Box, face: Box): boolean {
  const dx = Math.abs(box.x + box.width / 2 - (face.x + face.width / 2));
  const dy = Math.abs(box.y + box.height / 2 - (face.y + face.height / 2));
  const ratio = box.width / face.width;
  return dx < face.width / 4 && dy < face.height / 4 && ratio > 0.3 && ratio < 1.8;
}

/** How a detector did on a labelled set. */
export interface DetectionScore {
  readonly frames: number;
  /** Labelled faces in all frames. */
  readonly faces: number;
  /** Labelled faces a detection matched (each detection matches one face at most). */
  readonly found: number;
  /** `found / faces`. */
  readonly recall: number;
  /** Detections that matched no face. */
  readonly falseFaces: number;
  readonly falseFacesPerFrame: number;
  /** Share of frames where exactly the labelled number of faces was detected. */
  readonly exactCount: number;
  /** Frames with a missed face or a false one, by name (at most 20). */
  readonly misses: readonly string[];
  /** Recall by face size (the larger side of the labelled box), in `FACE_SIZE_BANDS` order. */
  readonly bySize: readonly BandScore[];
}

/**
 * The face-size bands recall is reported in (px, the larger side of the face's box): a 640x480
 * webcam with a 70° lens sees a face about 23 px wide at 3 m, 35 px at 2 m and 48 px at 1.5 m.
 */
export const FACE_SIZE_BANDS = [
  { label: '14–24 px', from: 14, to: 24 },
  { label: '24–32 px', from: 24, to: 32 },
  { label: '32–48 px', from: 32, to: 48 },
  { label: '>= 48 px', from: 48, to: Number.POSITIVE_INFINITY },
] as const;

/** Recall over the labelled faces of one size band, `from` (inclusive) to `to` (exclusive). */
export interface BandScore {
  readonly label: string;
  readonly from: number;
  readonly to: number;
  readonly faces: number;
  readonly found: number;
  /** `found / faces`; 1 for a band with no face. */
  readonly recall: number;
}

/**
 * Scores one frame's detections against its labels: greedy one-to-one matching, the labelled faces
 * in their order. `isFound[i]` says whether labelled face `i` was matched.
 */
export function scoreFrame(detected: readonly Box[], faces: readonly Box[]): { found: number; falseFaces: number; isFound: boolean[] } {
  const used = new Set<number>();
  const isFound = faces.map((face) => {
    const i = detected.findIndex((d, k) => !used.has(k) && matchesFace(d, face));
    if (i >= 0) used.add(i);
    return i >= 0;
  });
  const found = isFound.filter(Boolean).length;
  return { found, falseFaces: detected.length - used.size, isFound };
}

/** Recall by `FACE_SIZE_BANDS` over labelled faces and whether each was found. */
export function recallBySize(faces: readonly { face: Box; isFound: boolean }[]): BandScore[] {
  return FACE_SIZE_BANDS.map(({ label, from, to }) => {
    const inBand = faces.filter(({ face }) => {
      const size = Math.max(face.width, face.height);
      return size >= from && size < to;
    });
    const found = inBand.filter((f) => f.isFound).length;
    return { label, from, to, faces: inBand.length, found, recall: inBand.length === 0 ? 1 : found / inBand.length };
  });
}

/** Runs `detector` (full scans) on every frame and scores it. */
export async function scoreDetector(detector: FaceDetector, frames: readonly LabelledFrame[]): Promise<DetectionScore> {
  let faces = 0;
  let found = 0;
  let falseFaces = 0;
  let exact = 0;
  const misses: string[] = [];
  const outcomes: { face: Box; isFound: boolean }[] = [];
  for (const frame of frames) {
    const detected = await detector.detect(frame.image);
    const s = scoreFrame(detected, frame.faces);
    frame.faces.forEach((face, i) => outcomes.push({ face, isFound: s.isFound[i] === true }));
    faces += frame.faces.length;
    found += s.found;
    falseFaces += s.falseFaces;
    if (detected.length === frame.faces.length) exact++;
    if ((s.found < frame.faces.length || s.falseFaces > 0) && misses.length < 20) misses.push(frame.name);
  }
  const n = frames.length;
  return {
    frames: n,
    faces,
    found,
    recall: faces === 0 ? 1 : found / faces,
    falseFaces,
    falseFacesPerFrame: n === 0 ? 0 : falseFaces / n,
    exactCount: n === 0 ? 0 : exact / n,
    misses,
    bySize: recallBySize(outcomes),
  };
}
