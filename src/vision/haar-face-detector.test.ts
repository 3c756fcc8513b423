import { beforeAll, describe, expect, it } from 'vitest';
import type { Mat } from '@u4/opencv4nodejs';
import { cropFaces, squareInside } from './face-crops.js';
import { HaarFaceDetector } from './haar-face-detector.js';
import { readImage } from './image-io.js';
import { FIXTURE_FACES, fixturePath, isOnFace, type FixtureName } from './testing/fixtures.js';

const images = new Map<FixtureName, Mat>();
const image = (name: FixtureName): Mat => {
  const found = images.get(name);
  if (found === undefined) throw new Error(`fixture ${name} was not read`);
  return found;
};

beforeAll(async () => {
  for (const name of ['happy-face', 'group', 'no-face'] as const) images.set(name, await readImage(fixturePath(name)));
});

describe('HaarFaceDetector', () => {
  const detector = new HaarFaceDetector();

  it('finds the one face of a portrait, and only it', async () => {
    const boxes = await detector.detect(image('happy-face'));
    expect(boxes).toHaveLength(1);
    expect(isOnFace(boxes[0]!, FIXTURE_FACES['happy-face'][0]!)).toBe(true);
  });

  it('finds every frontal face of a group photo', async () => {
    const boxes = await detector.detect(image('group'));
    expect(boxes).toHaveLength(FIXTURE_FACES.group.length);
    for (const face of FIXTURE_FACES.group) expect(boxes.filter((b) => isOnFace(b, face))).toHaveLength(1);
  });

  it('finds no face in an empty room', async () => {
    expect(await detector.detect(image('no-face'))).toEqual([]);
  });

  it('finds faces in a grey frame too', async () => {
    const grey = image('happy-face').bgrToGray();
    expect(await detector.detect(grey)).toHaveLength(1);
  });

  it('searches only near tracked faces when told where they are', async () => {
    const [first, ...others] = FIXTURE_FACES.group;
    const [x, y, w, h] = first!.box;
    // A slightly stale box, as a tracker would give after the face moved.
    const boxes = await detector.detect(image('group'), { near: [{ x: x + 6, y: y - 4, width: w, height: h }] });
    expect(boxes).toHaveLength(1);
    expect(isOnFace(boxes[0]!, first!)).toBe(true);
    for (const face of others) expect(boxes.some((b) => isOnFace(b, face))).toBe(false);
    expect(await detector.detect(image('group'), { near: [] })).toEqual([]);
  });

  it('reports each face once when the regions around two tracked boxes overlap', async () => {
    const [x, y, w, h] = FIXTURE_FACES['happy-face'][0]!.box;
    const boxes = await detector.detect(image('happy-face'), {
      near: [
        { x, y, width: w, height: h },
        { x: x + 20, y: y + 10, width: w, height: h },
      ],
    });
    expect(boxes).toHaveLength(1);
  });

  it('skips faces outside minFaceSize/maxFaceSize', async () => {
    // The group's faces are 96–140 px wide; Haar boxes come out a little larger.
    const big = await new HaarFaceDetector({ minFaceSize: 170 }).detect(image('group'));
    const small = await new HaarFaceDetector({ maxFaceSize: 100 }).detect(image('group'));
    expect(big.length).toBeLessThan(FIXTURE_FACES.group.length);
    expect(small.length).toBeLessThan(FIXTURE_FACES.group.length);
    for (const box of big) expect(box.width).toBeGreaterThanOrEqual(170);
    for (const box of small) expect(box.width).toBeLessThanOrEqual(100);
  });

  it('fails with a clear ModelError for a missing cascade', async () => {
    const broken = new HaarFaceDetector({ cascadePath: '/nonexistent/cascade.xml' });
    await expect(broken.detect(image('no-face'))).rejects.toMatchObject({ code: 'MB_ERR_MODEL_CASCADE' });
  });

  it('rejects nonsense options', () => {
    expect(() => new HaarFaceDetector({ scaleFactor: 1 })).toThrow(/scaleFactor/);
    expect(() => new HaarFaceDetector({ minFaceSize: 60, maxFaceSize: 30 })).toThrow(/maxFaceSize/);
  });
});

describe('cropFaces', () => {
  it('cuts 48x48 grey crops of each face, in box order', async () => {
    const boxes = FIXTURE_FACES.group.map(({ box: [x, y, width, height] }) => ({ x, y, width, height }));
    const crops = await cropFaces(image('group'), boxes);
    expect(crops).toHaveLength(4);
    for (const crop of crops) {
      expect(crop).toHaveLength(48 * 48);
      // A face, not the flat background: a wide spread of grey levels.
      expect(Math.max(...crop) - Math.min(...crop)).toBeGreaterThan(100);
    }
    expect(crops[0]).not.toEqual(crops[1]);
  });

  it('keeps crops square and inside the frame at the edges', () => {
    expect(squareInside({ x: 0, y: 0, width: 100, height: 100 }, 0.1, 640, 480)).toEqual({ x: 0, y: 0, width: 120, height: 120 });
    expect(squareInside({ x: 590, y: 430, width: 50, height: 50 }, 0.1, 640, 480)).toEqual({ x: 580, y: 420, width: 60, height: 60 });
    expect(squareInside({ x: 0, y: 0, width: 600, height: 500 }, 0, 640, 480)).toEqual({ x: 0, y: 0, width: 600, height: 480 });
  });
});
