import type { Mat } from '@u4/opencv4nodejs';
import type { Random } from '../../kernel/random.js';
import type { LabelledFace, LabelledFrame } from './detection-set.js';
import type { FerRow } from '../fer-csv.js';
import { jpegRoundTrip } from './jpeg-loss.js';
import { loadOpencv, type Cv } from '../opencv.js';
import { FACE_SIZE } from '../preprocess.js';

/**
 * A labelled set of crowd scenes: a café as a webcam on the wall sees it. Generated rooms (a wall
 * with windows and pictures, a floor, tables and chairs) hold 5–30 people a frame, each a body and
 * a FER-2013 face pasted at a known box, 14–60 px wide (most 16–40: the tables 2–4 m away),
 * smaller further back. Faces are tinted to skin tones, lit unevenly, some turned (tilted a few
 * degrees, squeezed sideways as a head turned away), and the frame goes through what a camera
 * does: the room's light falls off to one side and into the corners, the lens blurs a little,
 * the sensor adds noise and the USB link compresses it as a JPEG. Faces never overlap, even by a
 * margin of a tenth of their size.
 *
 * Made from the dataset at run time, never stored: FER-2013 images are not shipped. The same
 * seed and rows give the same frames.
 */

/**
 * The bench's crowd set (and its tests and scripts) draws on the first this many faces of
 * FER-2013's Training split, in the file's order: enough for 60 frames without a face twice, and
 * few enough that the rows do not weigh on the memory the bench reports.
 */
export const CROWD_TRAINING_FACES = 6000;

export interface CrowdSetOptions {
  /** Frames to make. @default 60 */
  frames?: number;
  /** @default 640 */
  width?: number;
  /** @default 480 */
  height?: number;
  /** Fewest and most people a frame, inclusive. @default [5, 30] */
  people?: readonly [number, number];
  /**
   * Face sizes (px, the side of the pasted square, before any sideways squeeze): four faces in
   * five are drawn from `common`, the rest from all of `sizes`. @default [14, 60]
   */
  sizes?: readonly [number, number];
  /** @default [16, 40] */
  common?: readonly [number, number];
  /**
   * What the camera does. Off: sharp, noiseless, evenly lit, uncompressed frames of upright,
   * unsqueezed faces (for tests of the generator). @default true
   */
  camera?: boolean;
}

/** One person about to be drawn. */
interface Person {
  readonly box: LabelledFace;
  readonly row: FerRow;
  /** Degrees, positive anticlockwise. */
  readonly turn: number;
  /** Skin tint per channel (B, G, R), and the face's brightness gain and offset. */
  readonly tint: readonly [number, number, number];
  readonly gain: number;
  readonly offset: number;
  /** Clothes (BGR). */
  readonly clothes: readonly [number, number, number];
}

/** Skin tones as B, G, R gains on a grey face: from pale to dark, warm throughout. */
const SKIN = [
  [0.86, 0.95, 1.08],
  [0.8, 0.92, 1.1],
  [0.74, 0.86, 1.06],
  [0.66, 0.78, 0.98],
  [0.58, 0.68, 0.86],
  [0.5, 0.58, 0.74],
] as const;

/**
 * Makes `frames` crowd frames from `faces` (FER rows, each used once at most until all are used,
 * in the order `random` picks them).
 */
export async function makeCrowdSet(
  deps: { random: Random },
  faces: readonly FerRow[],
  options: CrowdSetOptions = {},
): Promise<LabelledFrame[]> {
  const cv = await loadOpencv();
  const { random } = deps;
  const count = options.frames ?? 60;
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const [fewest, most] = options.people ?? [5, 30];
  const [smallest, largest] = options.sizes ?? [14, 60];
  const [commonLo, commonHi] = options.common ?? [16, 40];
  const isCamera = options.camera ?? true;
  if (!(Number.isInteger(fewest) && fewest >= 0 && most >= fewest))
    throw new RangeError(`Expected \`people\` to be [min, max], got [${fewest}, ${most}]`);
  if (!(smallest >= 4 && largest >= smallest && largest <= Math.min(width, height) / 2))
    throw new RangeError(`Expected \`sizes\` to be [min, max] within 4–${Math.min(width, height) / 2} px, got [${smallest}, ${largest}]`);
  if (faces.length === 0) throw new RangeError('Expected at least one FER row');
  const range = (lo: number, hi: number): number => lo + random.next() * (hi - lo);
  const order = shuffled(faces.length, random);
  let next = 0;
  const frames: LabelledFrame[] = [];
  for (let f = 0; f < count; f++) {
    const horizon = Math.round(height * range(0.3, 0.5));
    const room = await drawRoom(cv, width, height, horizon, random);
    const wanted = fewest + random.int(most - fewest + 1);
    const people: Person[] = [];
    for (let tries = 0; people.length < wanted && tries < wanted * 40; tries++) {
      const isCommon = random.next() < 0.8;
      const side = Math.round(isCommon ? range(Math.max(smallest, commonLo), Math.min(largest, commonHi)) : range(smallest, largest));
      const squeeze = isCamera && random.next() < 0.35 ? range(0.78, 0.95) : 1;
      const w = Math.max(1, Math.round(side * squeeze));
      // Further back is higher up: the smallest faces sit near the horizon, the largest lower down.
      const depth = largest === smallest ? 0.5 : (side - smallest) / (largest - smallest);
      const cy = clamp(horizon - 0.1 * height + depth * 0.45 * height + range(-0.12, 0.12) * height, side / 2, height - side / 2);
      const box = { x: random.int(Math.max(1, width - w)), y: Math.round(cy - side / 2), width: w, height: side };
      if (people.some((p) => overlaps(p.box, box, 0.1))) continue;
      const row = faces[order[next++ % order.length] ?? 0] as FerRow;
      const skin = SKIN[random.int(SKIN.length)] ?? SKIN[0];
      people.push({
        box: { ...box, emotion: row.label },
        row,
        turn: isCamera ? range(-12, 12) : 0,
        tint: skin,
        gain: isCamera ? range(0.8, 1.15) : 1,
        offset: isCamera ? range(-15, 15) : 0,
        clothes: [random.int(200) + 20, random.int(200) + 20, random.int(200) + 20],
      });
    }
    // Bodies first (far ones first), then the faces over them, so no body hides a face.
    people.sort((a, b) => a.box.height - b.box.height);
    for (const p of people) drawBody(cv, room, p);
    const pixels = new Uint8Array(room.getData());
    room.release();
    for (const p of people) await pasteFace(cv, pixels, width, height, p);
    const image = isCamera ? await camera(cv, pixels, width, height, random) : new cv.Mat(Buffer.from(pixels), height, width, cv.CV_8UC3);
    frames.push({
      name: `crowd-${String(f).padStart(3, '0')}`,
      image,
      faces: people.map((p) => p.box).sort((a, b) => a.x - b.x || a.y - b.y),
    });
  }
  return frames;
}

/** A room: a wall with windows and pictures above the horizon, a floor below, tables and chairs. */
async function drawRoom(cv: Cv, width: number, height: number, horizon: number, random: Random): Promise<Mat> {
  const colour = (lo: number, hi: number): InstanceType<Cv['Vec3']> =>
    new cv.Vec3(lo + random.int(hi - lo), lo + random.int(hi - lo), lo + random.int(hi - lo));
  const wall = 90 + random.int(130);
  const mat = new cv.Mat(height, width, cv.CV_8UC3, [wall - random.int(30), wall, wall + random.int(20)]);
  mat.drawRectangle(new cv.Rect(0, horizon, width, height - horizon), colour(40, 150), -1);
  // Floorboards or tiles: lines towards a vanishing point above the frame.
  const lines = colour(20, 120);
  for (let i = 0; i <= 10; i++) {
    mat.drawLine(
      new cv.Point2(Math.round((i / 10) * width), height),
      new cv.Point2(Math.round(width / 2 + (i / 10 - 0.5) * width * 0.4), horizon),
      lines,
      1,
    );
  }
  for (let i = random.int(4); i > 0; i--) {
    // Windows: bright panes in a frame, with mullions; the world outside is a blur of shapes.
    const w = 60 + random.int(Math.round(width / 4));
    const h = Math.max(30, Math.min(horizon - 10, 60 + random.int(Math.round(height / 3))));
    const x = random.int(Math.max(1, width - w));
    const y = random.int(Math.max(1, horizon - h));
    const light = 200 + random.int(55);
    mat.drawRectangle(new cv.Rect(x, y, w, h), new cv.Vec3(light, light, light - random.int(30)), -1);
    for (let k = random.int(4); k > 0; k--) {
      mat.drawCircle(new cv.Point2(x + random.int(w), y + random.int(h)), 5 + random.int(25), colour(120, 230), -1);
    }
    const frame = colour(30, 200);
    mat.drawRectangle(new cv.Rect(x, y, w, h), frame, 4);
    mat.drawLine(new cv.Point2(x + Math.round(w / 2), y), new cv.Point2(x + Math.round(w / 2), y + h), frame, 3);
    mat.drawLine(new cv.Point2(x, y + Math.round(h / 2)), new cv.Point2(x + w, y + Math.round(h / 2)), frame, 3);
  }
  for (let i = random.int(4); i > 0; i--) {
    // Pictures and shelves on the wall.
    const w = 20 + random.int(90);
    const h = 15 + random.int(70);
    mat.drawRectangle(
      new cv.Rect(random.int(width - w), random.int(Math.max(1, horizon - h)), w, h),
      colour(10, 240),
      random.next() < 0.6 ? -1 : 2,
    );
  }
  for (let i = 2 + random.int(7); i > 0; i--) {
    // Tables: an ellipse or a rectangle for the top, an edge, legs; chairs beside them. Further back is smaller.
    const depth = random.next();
    const cy = Math.round(horizon + depth * (height - horizon));
    const scale = 0.35 + depth;
    const cx = random.int(width);
    const tw = Math.round((50 + random.int(60)) * scale);
    const th = Math.round(tw * (0.2 + random.next() * 0.2));
    const wood = colour(30, 200);
    for (const side of [-1, 1]) {
      const chair = colour(20, 180);
      const sx = cx + side * Math.round(tw * 0.7);
      const back = Math.round(45 * scale);
      mat.drawRectangle(new cv.Rect(sx - Math.round(10 * scale), cy - back, Math.max(2, Math.round(20 * scale)), back), chair, -1);
      for (let k = -1; k <= 1; k++)
        mat.drawLine(new cv.Point2(sx + k * Math.round(6 * scale), cy), new cv.Point2(sx + k * Math.round(6 * scale), cy + back), chair, 2);
    }
    mat.drawLine(new cv.Point2(cx - Math.round(tw * 0.4), cy), new cv.Point2(cx - Math.round(tw * 0.4), cy + Math.round(th * 3)), wood, 3);
    mat.drawLine(new cv.Point2(cx + Math.round(tw * 0.4), cy), new cv.Point2(cx + Math.round(tw * 0.4), cy + Math.round(th * 3)), wood, 3);
    if (random.next() < 0.5)
      mat.drawEllipse(new cv.Point2(cx, cy), new cv.Size(Math.round(tw / 2), Math.max(2, Math.round(th / 2))), 0, 0, 360, wood, -1);
    else mat.drawRectangle(new cv.Rect(cx - Math.round(tw / 2), cy - Math.round(th / 2), tw, Math.max(2, th)), wood, -1);
    // Cups and plates.
    for (let k = random.int(3); k > 0; k--)
      mat.drawCircle(
        new cv.Point2(cx + Math.round((random.next() - 0.5) * tw * 0.7), cy),
        Math.max(2, Math.round(5 * scale)),
        colour(150, 255),
        -1,
      );
  }
  for (let i = random.int(6); i > 0; i--) {
    mat.drawLine(
      new cv.Point2(random.int(width), random.int(height)),
      new cv.Point2(random.int(width), random.int(height)),
      colour(0, 255),
      1 + random.int(3),
    );
  }
  const blurred = await mat.gaussianBlurAsync(new cv.Size(0, 0), 0.8);
  mat.release();
  return blurred;
}

/** A person's shoulders and hair around where their face goes. */
function drawBody(cv: Cv, room: Mat, p: Person): void {
  const { x, y, width, height } = p.box;
  const cx = Math.round(x + width / 2);
  const [b, g, r] = p.clothes;
  room.drawEllipse(
    new cv.Point2(cx, Math.round(y + height * 1.75)),
    new cv.Size(Math.round(height * 1.15), Math.round(height * 0.9)),
    0,
    0,
    360,
    new cv.Vec3(b, g, r),
    -1,
  );
  // The neck, in the chin's shadow.
  room.drawRectangle(
    new cv.Rect(Math.round(cx - height * 0.15), y + height - 2, Math.round(height * 0.3), Math.round(height * 0.35)),
    scaled(p.tint, 60),
    -1,
  );
  // Hair: a darker cap just above the face.
  const hair = 20 + ((p.row.row * 37) % 90);
  room.drawEllipse(
    new cv.Point2(cx, Math.round(y + height * 0.25)),
    new cv.Size(Math.round(width * 0.55), Math.round(height * 0.38)),
    0,
    180,
    360,
    new cv.Vec3(hair, hair + 5, hair + 12),
    -1,
  );

  function scaled(tint: readonly [number, number, number], grey: number): InstanceType<Cv['Vec3']> {
    return new cv.Vec3(Math.round(tint[0] * grey), Math.round(tint[1] * grey), Math.round(tint[2] * grey));
  }
}

/**
 * Pastes `p`'s face into `pixels` (BGR, row-major) at its box: tinted, turned, scaled down as a
 * camera's sensor would (area averaging), blended into the room over the outer eighth of its
 * size so that no hard square edge gives it away.
 */
async function pasteFace(cv: Cv, pixels: Uint8Array, width: number, height: number, p: Person): Promise<void> {
  const tinted = Buffer.alloc(FACE_SIZE * FACE_SIZE * 3);
  p.row.pixels.forEach((v, i) => {
    const grey = v * p.gain + p.offset;
    for (let c = 0; c < 3; c++) tinted[3 * i + c] = clamp(Math.round(grey * p.tint[c]!), 0, 255);
  });
  let face = new cv.Mat(tinted, FACE_SIZE, FACE_SIZE, cv.CV_8UC3);
  if (p.turn !== 0) {
    const rotation = cv.getRotationMatrix2D(new cv.Point2(FACE_SIZE / 2, FACE_SIZE / 2), p.turn, 1);
    const turned = await face.warpAffineAsync(rotation, new cv.Size(FACE_SIZE, FACE_SIZE), cv.INTER_LINEAR, cv.BORDER_REPLICATE);
    face.release();
    face = turned;
  }
  const { x, y, width: w, height: h } = p.box;
  const sized = await face.resizeAsync(h, w, 0, 0, h < FACE_SIZE ? cv.INTER_AREA : cv.INTER_CUBIC);
  face.release();
  const data = sized.getData();
  sized.release();
  const feather = Math.max(1, Math.min(w, h) / 8);
  for (let j = 0; j < h; j++) {
    const fy = y + j;
    if (fy < 0 || fy >= height) continue;
    for (let i = 0; i < w; i++) {
      const fx = x + i;
      if (fx < 0 || fx >= width) continue;
      const edge = Math.min(i + 0.5, w - i - 0.5, j + 0.5, h - j - 0.5);
      const alpha = Math.min(1, edge / feather);
      const d = (fy * width + fx) * 3;
      const s = (j * w + i) * 3;
      for (let c = 0; c < 3; c++) pixels[d + c] = Math.round(alpha * data[s + c]! + (1 - alpha) * pixels[d + c]!);
    }
  }
}

/**
 * What the camera makes of the scene: light falling off along a random direction (0.55–1.2 of
 * full) and into the corners (up to 40%), lens blur (sigma 0.3–1.1 px), sensor noise (sigma
 * 1.5–6 grey levels), then a JPEG of quality 40–90.
 */
async function camera(cv: Cv, pixels: Uint8Array, width: number, height: number, random: Random): Promise<Mat> {
  const angle = random.next() * 2 * Math.PI;
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  const low = 0.55 + random.next() * 0.3;
  const high = 1 + random.next() * 0.2;
  const vignette = random.next() * 0.4;
  const half = Math.hypot(width, height) / 2;
  const lit = Buffer.alloc(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const rx = x - width / 2;
      const ry = y - height / 2;
      const along = (rx * dx + ry * dy) / half / 2 + 0.5;
      const r2 = (rx * rx + ry * ry) / (half * half);
      const gain = (low + (high - low) * along) * (1 - vignette * r2);
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) lit[i + c] = clamp(Math.round(pixels[i + c]! * gain), 0, 255);
    }
  }
  const sharp = new cv.Mat(lit, height, width, cv.CV_8UC3);
  const blurred = await sharp.gaussianBlurAsync(new cv.Size(0, 0), 0.3 + random.next() * 0.8);
  sharp.release();
  const soft = new Uint8Array(blurred.getData());
  blurred.release();
  const sigma = 1.5 + random.next() * 4.5;
  for (let i = 0; i < soft.length; i++) {
    // Four uniforms summed: near enough to Gaussian, with sigma 1 per unit.
    const n = (random.next() + random.next() + random.next() + random.next() - 2) * Math.sqrt(3);
    soft[i] = clamp(Math.round(soft[i]! + sigma * n), 0, 255);
  }
  const jpeg = jpegRoundTrip(soft, width, height, 40 + random.int(51));
  return new cv.Mat(Buffer.from(jpeg), height, width, cv.CV_8UC3);
}

/** Whether `a` and `b`, each grown by `margin` of its size on every side, meet. */
function overlaps(a: LabelledFace, b: LabelledFace, margin: number): boolean {
  const grow = (box: LabelledFace): { x0: number; y0: number; x1: number; y1: number } => ({
    x0: box.x - box.width * margin,
    y0: box.y - box.height * margin,
    x1: box.x + box.width * (1 + margin),
    y1: box.y + box.height * (1 + margin),
  });
  const [p, q] = [grow(a), grow(b)];
  return p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1;
}

function shuffled(n: number, random: Random): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] ?? 0, out[i] ?? 0];
  }
  return out;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
