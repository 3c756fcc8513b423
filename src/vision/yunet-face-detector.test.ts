import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mat } from '@u4/opencv4nodejs';
import { seededRandom } from '../kernel/random.js';
import { makeCrowdSet } from './lab/crowd-set.js';
import { scoreFrame } from './lab/detection-set.js';
import { iou, type Box } from './face-detector.js';
import type { FerRow } from './fer-csv.js';
import { readImage } from './image-io.js';
import { loadOpencv, type Cv } from './opencv.js';
import { FIXTURE_FACES, fixturePath, isOnFace, type FixtureName } from './testing/fixtures.js';
import { DEFAULT_YUNET_MODEL, YUNET_SHA256, YunetFaceDetector } from './yunet-face-detector.js';
import { batchCost, batchScans, cost, inputOf, mergeScans, type YunetFace } from './yunet-scans.js';
import { fillInput } from './yunet-tensors.js';

let cv: Cv;
let tmp: string;
const images = new Map<FixtureName, Mat>();
const image = (name: FixtureName): Mat => {
  const found = images.get(name);
  if (found === undefined) throw new Error(`fixture ${name} was not read`);
  return found;
};
const boxOf = (name: FixtureName, i: number): Box => {
  const [x, y, width, height] = FIXTURE_FACES[name][i]!.box;
  return { x, y, width, height };
};

beforeAll(async () => {
  cv = await loadOpencv();
  for (const name of ['happy-face', 'group', 'no-face'] as const) images.set(name, await readImage(fixturePath(name)));
  tmp = mkdtempSync(join(tmpdir(), 'moodbox-yunet-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Every box and landmark lies inside a `width` x `height` image. */
function expectInside(faces: readonly YunetFace[], width: number, height: number): void {
  for (const f of faces) {
    expect(f.x).toBeGreaterThanOrEqual(0);
    expect(f.y).toBeGreaterThanOrEqual(0);
    expect(f.width).toBeGreaterThan(0);
    expect(f.height).toBeGreaterThan(0);
    expect(f.x + f.width).toBeLessThanOrEqual(width);
    expect(f.y + f.height).toBeLessThanOrEqual(height);
    for (const [x, y] of f.landmarks) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(width);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(height);
    }
  }
}

describe('YunetFaceDetector', () => {
  const detector = new YunetFaceDetector();

  it('finds the one face of a portrait, and only it', async () => {
    const faces = await detector.detect(image('happy-face'));
    expect(faces).toHaveLength(1);
    expect(isOnFace(faces[0]!, FIXTURE_FACES['happy-face'][0]!)).toBe(true);
    expect(faces[0]!.score).toBeGreaterThanOrEqual(0.6);
    expect(faces[0]!.score).toBeLessThanOrEqual(1);
  });

  it('finds every face of a group photo', async () => {
    const faces = await detector.detect(image('group'));
    expect(faces).toHaveLength(FIXTURE_FACES.group.length);
    for (const face of FIXTURE_FACES.group) expect(faces.filter((b) => isOnFace(b, face))).toHaveLength(1);
  });

  it('finds no face in an empty room', async () => {
    expect(await detector.detect(image('no-face'))).toEqual([]);
  });

  it('finds faces in a grey frame too', async () => {
    const grey = image('group').bgrToGray();
    expect(await detector.detect(grey)).toHaveLength(FIXTURE_FACES.group.length);
    grey.release();
  });

  it('gives five landmarks inside each box: eyes above the nose, the nose above the mouth, the right eye on the left', async () => {
    const faces = [...(await detector.detect(image('happy-face'))), ...(await detector.detect(image('group')))];
    expect(faces).toHaveLength(5);
    for (const face of faces) {
      expect(face.landmarks).toHaveLength(5);
      for (const [x, y] of face.landmarks) {
        expect(x).toBeGreaterThanOrEqual(face.x);
        expect(x).toBeLessThanOrEqual(face.x + face.width);
        expect(y).toBeGreaterThanOrEqual(face.y);
        expect(y).toBeLessThanOrEqual(face.y + face.height);
      }
      const [rightEye, leftEye, nose, rightMouth, leftMouth] = face.landmarks as [number, number][];
      expect(Math.max(rightEye![1], leftEye![1])).toBeLessThan(nose![1]);
      expect(nose![1]).toBeLessThan(Math.min(rightMouth![1], leftMouth![1]));
      // The person's right, on the left of the image.
      expect(rightEye![0]).toBeLessThan(leftEye![0]);
      expect(rightMouth![0]).toBeLessThan(leftMouth![0]);
      expect(nose![0]).toBeGreaterThan(rightEye![0]);
      expect(nose![0]).toBeLessThan(leftEye![0]);
    }
  });

  it('searches only near tracked faces when told where they are', async () => {
    const first = boxOf('group', 0);
    // A slightly stale box, as a tracker would give after the face moved.
    const faces = await detector.detect(image('group'), { near: [{ ...first, x: first.x + 6, y: first.y - 4 }] });
    expect(faces).toHaveLength(1);
    expect(isOnFace(faces[0]!, FIXTURE_FACES.group[0]!)).toBe(true);
    expect(faces[0]!.landmarks).toHaveLength(5);
    expect(await detector.detect(image('group'), { near: [] })).toEqual([]);
  });

  it('finds a tracked face that has grown or shrunk', async () => {
    const face = boxOf('happy-face', 0);
    const cx = face.x + face.width / 2;
    const cy = face.y + face.height / 2;
    const [full] = await detector.detect(image('happy-face'));
    // 163 px: a region of 326 px, scaled down by 3 in whole blocks (2 px of it cut) and the rest bilinear.
    for (const size of [110, 163, 220]) {
      const near = { x: Math.round(cx - size / 2), y: Math.round(cy - size / 2), width: size, height: size };
      const faces = await detector.detect(image('happy-face'), { near: [near] });
      expect(faces).toHaveLength(1);
      expect(isOnFace(faces[0]!, FIXTURE_FACES['happy-face'][0]!)).toBe(true);
      for (const key of ['x', 'y', 'width', 'height'] as const)
        expect(Math.abs(faces[0]![key] - full![key])).toBeLessThanOrEqual(full!.width * 0.15);
    }
  });

  it('finds near a tracked box the same face as a full scan, within a few percent', async () => {
    const [full] = await detector.detect(image('happy-face'));
    const [near] = await detector.detect(image('happy-face'), { near: [boxOf('happy-face', 0)] });
    expect(full).toBeDefined();
    expect(near).toBeDefined();
    // The region sees the face at 48 px, the full scan at 80 px (half of 160): boxes differ a little.
    for (const key of ['x', 'y', 'width', 'height'] as const)
      expect(Math.abs(near![key] - full![key])).toBeLessThanOrEqual(full!.width * 0.15);
  });

  it('looks at a tracked face at its own scale, so it keeps a face too small for the full scan', async () => {
    // The group shrunk to 30%: faces of 29–42 px, too small for a full scan at 320 px wide (15–21 px there).
    const canvas = image('no-face').copy();
    const small = await image('group').resizeAsync(144, 192, 0, 0, cv.INTER_AREA);
    small.copyTo(canvas.getRegion(new cv.Rect(100, 60, 192, 144)));
    small.release();
    const [x, y, w, h] = FIXTURE_FACES.group[0]!.box;
    const face = { emotion: 'happy', box: [100 + x * 0.3, 60 + y * 0.3, w * 0.3, h * 0.3] as [number, number, number, number] };
    const near = {
      x: Math.round(face.box[0]),
      y: Math.round(face.box[1]),
      width: Math.round(face.box[2]),
      height: Math.round(face.box[3]),
    };
    const detector = new YunetFaceDetector({ minFaceSize: 24, detectWidth: 320 });
    expect((await detector.detect(canvas)).filter((f) => isOnFace(f, face))).toEqual([]);
    const found = await detector.detect(canvas, { near: [near] });
    expect(found).toHaveLength(1);
    expect(isOnFace(found[0]!, face)).toBe(true);
    canvas.release();
  });

  it('keeps to the tracked regions when there are so many that it scans the whole frame instead', async () => {
    // Seven empty patches of wall and floor, far apart, and the first face: eight regions cost more than one full scan.
    const patches = [
      [10, 10],
      [290, 10],
      [570, 10],
      [10, 410],
      [200, 410],
      [390, 410],
      [570, 410],
    ].map(([x, y]) => ({ x: x!, y: y!, width: 60, height: 60 }));
    const before = detector.work;
    const faces = await detector.detect(image('group'), { near: [boxOf('group', 0), ...patches] });
    // The whole frame at 320 px was scanned.
    expect(detector.work.pixels - before.pixels).toBeGreaterThanOrEqual(320 * 256);
    expect(faces).toHaveLength(1);
    expect(isOnFace(faces[0]!, FIXTURE_FACES.group[0]!)).toBe(true);
    const all = await detector.detect(image('group'), {
      near: [...FIXTURE_FACES.group.keys()].map((i) => boxOf('group', i)).concat(patches),
    });
    expect(all).toHaveLength(FIXTURE_FACES.group.length);
  });

  it('scans the regions of tracked faces in one run, finding in each what it finds scanned alone', async () => {
    const tracked = [...FIXTURE_FACES.group.keys()].map((i) => boxOf('group', i));
    const alone = (await Promise.all(tracked.map((box) => detector.detect(image('group'), { near: [box] })))).flat();
    const before = detector.work;
    const together = await detector.detect(image('group'), { near: tracked });
    // Four regions of one input size (each face scaled to 48 px): one run of the model, where four were made before.
    expect(detector.work.scans - before.scans).toBe(1);
    expect(detector.work.pixels - before.pixels).toBe(4 * 96 * 96);
    expect(together).toHaveLength(4);
    expect(together).toHaveLength(alone.length);
    for (const face of together) {
      const same = alone.find((a) => a.x === face.x && a.y === face.y && a.width === face.width && a.height === face.height);
      expect(same?.landmarks).toEqual(face.landmarks);
      expect(same?.score).toBeCloseTo(face.score, 4);
    }
  });

  it('smooths a grainy frame only where it scans, finding what it finds in the whole frame smoothed', async () => {
    // The group photo with a dim webcam's grain: smoothing changes what the detector sees.
    const grainy = image('group').copy();
    const random = seededRandom(7);
    const pixels = grainy.getData();
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, pixels[i]! + Math.round((random.next() - 0.5) * 60)));
    const frame = new cv.Mat(pixels, 480, 640, cv.CV_8UC3);
    const smoothed = frame.gaussianBlur(new cv.Size(5, 5), 0);
    const tracked = FIXTURE_FACES.group.map((_, i) => boxOf('group', i)).slice(0, 2);
    try {
      for (const near of [tracked, [...tracked, ...[0, 1, 2, 3, 4].map((i) => ({ x: 10 + i * 125, y: 385, width: 90, height: 90 }))]]) {
        const asWhole = await detector.detect(smoothed, { near });
        expect(asWhole.length).toBeGreaterThan(0);
        // The regions alone smoothed give the same boxes, landmarks and scores.
        expect(await detector.detect(frame, { near, smooth: 5 })).toEqual(asWhole);
        expect(await detector.detect(frame, { near })).not.toEqual(asWhole);
      }
      expect(await detector.detect(frame, { smooth: 5 })).toEqual(await detector.detect(smoothed));
    } finally {
      for (const m of [grainy, frame, smoothed]) m.release();
    }
  });

  it('reports each face once when the regions around two tracked boxes overlap', async () => {
    const face = boxOf('happy-face', 0);
    const faces = await detector.detect(image('happy-face'), { near: [face, { ...face, x: face.x + 20, y: face.y + 10 }] });
    expect(faces).toHaveLength(1);
  });

  it('keeps boxes and landmarks inside the image for faces cut by its edges', async () => {
    const [x, y, w, h] = FIXTURE_FACES['happy-face'][0]!.box;
    const [bx, by, bw, bh] = FIXTURE_FACES.group[2]!.box;
    const happy = image('happy-face').getRegion(new cv.Rect(x, y, w, h));
    const baby = image('group').getRegion(new cv.Rect(bx, by, bw, bh));
    // At 320 px the baby's box reaches above its picture, which this test needs.
    const edge = new YunetFaceDetector({ detectWidth: 320 });
    /** A face with its left quarter off the left edge, one with its chin off the bottom, and the baby's face at `babyY`. */
    const frame = async (babyY: number): Promise<YunetFace[]> => {
      const canvas = image('no-face').copy();
      happy.getRegion(new cv.Rect(w / 4, 0, (w * 3) / 4, h)).copyTo(canvas.getRegion(new cv.Rect(0, 100, (w * 3) / 4, h)));
      happy.getRegion(new cv.Rect(0, 0, w, (h * 3) / 4)).copyTo(canvas.getRegion(new cv.Rect(420, 480 - (h * 3) / 4, w, (h * 3) / 4)));
      baby.copyTo(canvas.getRegion(new cv.Rect(220, babyY, bw, bh)));
      const faces = await edge.detect(canvas);
      canvas.release();
      return faces;
    };
    const isBaby = (f: YunetFace): boolean => f.x + f.width / 2 > 220 && f.x + f.width / 2 < 220 + bw;
    // Away from the edge, the baby's box reaches well above its picture (the forehead is cut off)...
    const away = (await frame(100)).find(isBaby);
    expect(away?.y).toBeLessThan(90);
    // ...so with the picture at the top edge it would start above the image, and is clipped.
    const faces = await frame(0);
    expect(faces).toHaveLength(3);
    expectInside(faces, 640, 480);
    const atTop = faces.find(isBaby);
    expect(atTop?.y).toBe(0);
    expect(atTop!.height).toBeLessThan(away!.height);
    expect(faces.some((f) => f.x + f.width / 2 < w / 2)).toBe(true);
    expect(faces.some((f) => f.y + f.height === 480)).toBe(true);
  });

  it('skips faces smaller than minFaceSize', async () => {
    // The group's faces come out 95–181 px tall; only the baby's is 120 px or more.
    const faces = await new YunetFaceDetector({ minFaceSize: 120 }).detect(image('group'));
    expect(faces).toHaveLength(1);
    expect(isOnFace(faces[0]!, FIXTURE_FACES.group[2]!)).toBe(true);
  });

  it('runs one detection at a time and gives each caller its own answer', async () => {
    const [happy, group, none] = await Promise.all([
      detector.detect(image('happy-face')),
      detector.detect(image('group')),
      detector.detect(image('no-face')),
    ]);
    expect(happy).toEqual(await detector.detect(image('happy-face')));
    expect(group).toEqual(await detector.detect(image('group')));
    expect([happy.length, group.length, none.length]).toEqual([1, 4, 0]);
  });

  it('refuses a model file whose sha256 is not the expected one', async () => {
    const bytes = readFileSync(DEFAULT_YUNET_MODEL);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(YUNET_SHA256);
    // One byte changed in the middle of the weights.
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0x01;
    const tampered = join(tmp, 'tampered.onnx');
    writeFileSync(tampered, bytes);
    const broken = new YunetFaceDetector({ modelPath: tampered });
    await expect(broken.detect(image('no-face'))).rejects.toMatchObject({
      code: 'MB_ERR_MODEL_CHECKSUM',
      message: expect.stringContaining(tampered) as string,
    });
    // A failed load is tried again, and fails again.
    await expect(broken.load()).rejects.toMatchObject({ code: 'MB_ERR_MODEL_CHECKSUM' });
  });

  it('fails with a clear ModelError for a missing model file', async () => {
    const missing = new YunetFaceDetector({ modelPath: join(tmp, 'nonexistent.onnx') });
    await expect(missing.load()).rejects.toMatchObject({
      code: 'MB_ERR_MODEL_LOAD',
      message: expect.stringContaining('nonexistent.onnx') as string,
    });
  });

  it('refuses a model that is not YuNet, even when its sha256 is the one given', async () => {
    const other = join(import.meta.dirname, '../../models/emotion-float.onnx');
    const sha256 = createHash('sha256').update(readFileSync(other)).digest('hex');
    await expect(new YunetFaceDetector({ modelPath: other, sha256 }).load()).rejects.toMatchObject({
      code: 'MB_ERR_MODEL_LOAD',
      message: expect.stringContaining('not a YuNet graph') as string,
    });
  });

  it("finds the fixture photos' faces at 320 px with the second look where a 480 px scan finds them", async () => {
    const wide = new YunetFaceDetector({ detectWidth: 480, secondLookThreshold: 0.5 });
    for (const name of ['happy-face', 'group', 'no-face'] as const) {
      const [now, before] = [await detector.detect(image(name)), await wide.detect(image(name))];
      expect(now, name).toHaveLength(before.length);
      now.forEach((face, i) => expect(iou(face, before[i]!), `${name} face ${i}`).toBeGreaterThan(0.7));
    }
  });

  it('finds the same faces in a frame after scans of other sizes (reused input buffers hold nothing over)', async () => {
    const reused = new YunetFaceDetector();
    const first = await reused.detect(image('group'));
    // A bright frame a little taller (scanned at 320x250, padded to 320x256 as the group's 320x240)
    // and regions of several sizes fill buffers the next scans reuse.
    const bright = new cv.Mat(500, 640, cv.CV_8UC3, [255, 255, 255]);
    await reused.detect(bright);
    await reused.detect(image('happy-face'), { near: [boxOf('happy-face', 0)] });
    await reused.detect(image('group'), { near: FIXTURE_FACES.group.map((_, i) => boxOf('group', i)) });
    expect(await reused.detect(image('group'))).toEqual(first);
    expect(first).toEqual(await new YunetFaceDetector().detect(image('group')));
    bright.release();
  });

  it('writes every value of a reused tensor buffer: pixels as B, G, R planes, black padding', () => {
    // 3x2 BGR pixels padded to 4x3.
    const bgr = new cv.Mat(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]), 2, 3, cv.CV_8UC3);
    const dirty = new Float32Array(36).fill(99);
    const out = fillInput(cv, bgr, 4, 3, dirty);
    expect(out).toBe(dirty);
    expect([...out]).toEqual([
      ...[1, 4, 7, 0, 10, 13, 16, 0, 0, 0, 0, 0],
      ...[2, 5, 8, 0, 11, 14, 17, 0, 0, 0, 0, 0],
      ...[3, 6, 9, 0, 12, 15, 18, 0, 0, 0, 0, 0],
    ]);
    // Unpadded, the planes fill the buffer exactly.
    expect([...fillInput(cv, bgr, 3, 2, new Float32Array(18).fill(99))]).toEqual([
      1, 4, 7, 10, 13, 16, 2, 5, 8, 11, 14, 17, 3, 6, 9, 12, 15, 18,
    ]);
    // Grey is read into all three planes; BGRA's alpha is left out.
    const grey = new cv.Mat(Buffer.from([1, 2, 3, 4, 5, 6]), 2, 3, cv.CV_8UC1);
    const greyPlane = [1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0];
    expect([...fillInput(cv, grey, 4, 3, new Float32Array(36).fill(99))]).toEqual([...greyPlane, ...greyPlane, ...greyPlane]);
    const bgra = new cv.Mat(Buffer.from([1, 2, 3, 255, 4, 5, 6, 255]), 1, 2, cv.CV_8UC4);
    expect([...fillInput(cv, bgra, 2, 1, new Float32Array(6))]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => fillInput(cv, bgr, 4, 3, new Float32Array(12))).toThrow(/`data` to hold 36 values, got 12/);
    expect(() => fillInput(cv, bgr, 2, 2, new Float32Array(12))).toThrow(/at most 2x2, got 3x2/);
    for (const mat of [bgr, grey, bgra]) mat.release();
  });

  it('rejects nonsense options and images', async () => {
    expect(() => new YunetFaceDetector({ detectWidth: 16 })).toThrow(/detectWidth/);
    expect(() => new YunetFaceDetector({ scoreThreshold: 1.5 })).toThrow(/scoreThreshold/);
    expect(() => new YunetFaceDetector({ minFaceSize: 0 })).toThrow(/minFaceSize/);
    expect(() => new YunetFaceDetector({ secondLookThreshold: 0.6 })).toThrow(
      /`secondLookThreshold` to be above 0 and at most `scoreThreshold` \(0.5\), got `0.6`/,
    );
    expect(() => new YunetFaceDetector({ secondLookThreshold: 0 })).toThrow(/secondLookThreshold/);
    expect(() => new YunetFaceDetector({ scoreThreshold: 0.05 })).not.toThrow();
    expect(() => new YunetFaceDetector({ sha256: 'abc' })).toThrow(/sha256/);
    const float = new cv.Mat(48, 48, cv.CV_32FC3, [0, 0, 0]);
    await expect(detector.detect(float)).rejects.toThrow(/8-bit/);
  });

  it('sees the small faces of a room that a 320 px scan alone misses, at a bounded extra cost', async () => {
    const frame = await smallFaceRoom();
    expect(frame.faces).toHaveLength(20);
    const room = new YunetFaceDetector();
    const found = await room.detect(frame.image);
    const { found: seen, falseFaces } = scoreFrame(found, frame.faces);
    expect(seen).toBeGreaterThanOrEqual(17);
    expect(falseFaces).toBe(0);
    // The full scan, then second looks at the frame's resolution: less than three 320 px scans' input.
    expect(room.work.pixels).toBeLessThan(3 * 320 * 256);
    // One scan at 320 px, without the looks at small faces, finds far fewer (11 of 20).
    const plain = await new YunetFaceDetector({ smallFaceScanPx: 0, secondLookThreshold: 0.5 }).detect(frame.image);
    expect(scoreFrame(plain, frame.faces).found).toBeLessThan(seen - 3);
    frame.image.release();
  });

  it('scanning in place of many tracked regions, looks again only where a tracked face can be', async () => {
    const frame = await smallFaceRoom();
    const plain = new YunetFaceDetector();
    const all = await plain.detect(frame.image);
    // Eight tracked faces: their regions cost more than a full scan, which is made instead.
    const near = all.slice(0, 8);
    const room = new YunetFaceDetector();
    const found = await room.detect(frame.image, { near });
    // Each tracked face found again (a sure small one keeps the 320 px scan's box: no second look), nothing else.
    expect(found).toHaveLength(near.length);
    for (const face of found) expect(near.some((n) => iou(n, face) > 0.3)).toBe(true);
    // The 320 px scan and the looks at the tracked places only, where the plain scan looked at all twenty.
    expect(room.work.pixels).toBeLessThan(320 * 256 + (plain.work.pixels - 320 * 256) / 2);
    frame.image.release();
  });

  it('merges scans of nearby places where one scan of the box around them costs less, and keeps far ones apart', () => {
    const at = (x: number, y: number, side = 40, scale = 1): { region: Box; scale: number } => ({
      region: { x, y, width: side, height: side },
      scale,
    });
    const [a, b, far] = [at(100, 100), at(150, 105), at(500, 400)];
    const tiles = mergeScans([a, b, far]);
    expect(tiles).toHaveLength(2);
    expect(tiles[0]).toEqual({ region: { x: 100, y: 100, width: 90, height: 45 }, scale: 1, parts: [a.region, b.region] });
    expect(tiles[1]).toEqual({ ...far, parts: [far.region] });
    expect(cost(tiles[0]!)).toBeLessThan(cost(a) + cost(b));
    // Merged at the larger scale of the two.
    expect(mergeScans([a, at(150, 105, 40, 2)])[0]?.scale).toBe(2);
    expect(mergeScans([])).toEqual([]);
  });

  it('runs scans of one input size together, and a small one with them where a run of its own costs more', () => {
    const at = (x: number, side: number, scale = 1): { region: Box; scale: number } => ({
      region: { x, y: 0, width: side, height: side },
      scale,
    });
    const [a, b, small, c, whole] = [at(0, 60), at(100, 64), at(200, 20), at(300, 50), at(0, 640, 0.5)];
    expect(inputOf(a)).toEqual({ width: 64, height: 64 });
    expect(inputOf(small)).toEqual({ width: 32, height: 32 });
    const batches = batchScans([a, b, small, c, whole]);
    expect(batches).toHaveLength(2);
    // The 20 px region padded to 64x64 costs less than a run of its own; the full scan runs alone.
    expect(batches).toContainEqual({ input: { width: 64, height: 64 }, scans: [a, b, small, c] });
    expect(batches).toContainEqual({ input: { width: 320, height: 320 }, scans: [whole] });
    const apart = batchCost({ input: inputOf(small), scans: [small] }) + batchCost({ input: inputOf(a), scans: [a, b, c] });
    expect(batchCost({ input: inputOf(a), scans: [a, b, small, c] })).toBeLessThan(apart);
    expect(batchCost({ input: inputOf(a), scans: [a] })).toBe(cost(a));
    expect(batchScans([])).toEqual([]);
  });
});

/** The fixtures' five faces as 48x48 grey crops, pasted as a crowd of 20 at 14–20 px: 7–10 px in a 320 px scan. */
async function smallFaceRoom(): Promise<{ image: Mat; faces: readonly Box[] }> {
  const rows: FerRow[] = [];
  for (const name of ['happy-face', 'group'] as const) {
    for (const [i, placed] of FIXTURE_FACES[name].entries()) {
      const box = boxOf(name, i);
      const grey = image(name)
        .getRegion(new cv.Rect(box.x, box.y, box.width, box.height))
        .bgrToGray();
      const crop = await grey.resizeAsync(48, 48, 0, 0, cv.INTER_AREA);
      rows.push({
        line: 0,
        row: rows.length,
        emotion: 3,
        label: 'happy',
        pixels: new Uint8Array(crop.getData()),
        usage: placed.emotion,
        votes: undefined,
      });
      crop.release();
      grey.release();
    }
  }
  const [frame] = await makeCrowdSet({ random: seededRandom(1) }, rows, {
    frames: 1,
    people: [20, 20],
    sizes: [14, 20],
    common: [14, 20],
  });
  return frame!;
}
