import { describe, expect, it } from 'vitest';
import { alignment, cropFaces, cropFacesFramed, FER_EYES, squareInside, tilt } from './face-crops.js';
import { measureLight } from './light-measure.js';
import { readImage } from './image-io.js';
import { mixSeed, seededRandom } from './lab/dim-camera.js';
import { loadOpencv } from './opencv.js';
import { shrinkFace } from './lab/shrink-face.js';
import { greyBytes, sigmaFor } from './denoise-small-face.js';
import { FIXTURE_FACES, fixturePath } from './testing/fixtures.js';

const apply = (m: number[], [x, y]: readonly [number, number]): [number, number] => [
  (m[0] ?? 0) * x + (m[1] ?? 0) * y + (m[2] ?? 0),
  (m[3] ?? 0) * x + (m[4] ?? 0) * y + (m[5] ?? 0),
];

describe('alignment', () => {
  it('takes tilted eyes, in either order, to level eyes where FER-2013 faces have them', () => {
    for (const eyes of [
      [
        [100, 120],
        [160, 150],
      ],
      [
        [160, 150],
        [100, 120],
      ],
      [
        [300, 80],
        [340, 40],
      ],
    ] as const) {
      const m = alignment(eyes, 48);
      const [a, b] = eyes.map((e) => apply(m, e)).sort((p, q) => p[0] - q[0]);
      expect(a?.[1]).toBeCloseTo(FER_EYES.y * 48, 6);
      expect(b?.[1]).toBeCloseTo(FER_EYES.y * 48, 6);
      expect((a?.[0] ?? 0) + (b?.[0] ?? 0)).toBeCloseTo(48, 6);
      expect((b?.[0] ?? 0) - (a?.[0] ?? 0)).toBeCloseTo(FER_EYES.distance * 48, 6);
    }
  });

  it('measures the tilt of the eyes in degrees, whichever eye comes first', () => {
    expect(
      tilt([
        [0, 0],
        [10, 0],
      ]),
    ).toBe(0);
    expect(
      tilt([
        [10, 0],
        [0, 0],
      ]),
    ).toBe(0);
    expect(
      tilt([
        [0, 0],
        [10, 10],
      ]),
    ).toBeCloseTo(45, 10);
    expect(
      tilt([
        [10, 10],
        [0, 0],
      ]),
    ).toBeCloseTo(45, 10);
  });
});

describe('cropFaces with align', () => {
  it('turns a tilted face upright, and cuts an upright one out by its box', async () => {
    const cv = await loadOpencv();
    // A 200x200 grey frame with two dark "eyes" on a line tilted by 30 degrees.
    const frame = new cv.Mat(200, 200, cv.CV_8UC1, 200);
    const left: [number, number] = [70, 100];
    const right: [number, number] = [70 + 60 * Math.cos(Math.PI / 6), 100 + 60 * Math.sin(Math.PI / 6)];
    for (const [x, y] of [left, right]) frame.drawCircle(new cv.Point2(Math.round(x), Math.round(y)), 6, new cv.Vec3(0, 0, 0), -1);
    const face = { x: 40, y: 60, width: 120, height: 120, landmarks: [left, right, [100, 140], [80, 160], [120, 170]] as const };
    const [aligned] = await cropFaces(frame, [face], { align: true });
    const [boxed] = await cropFaces(frame, [face]);
    const pixel = (crop: Uint8Array | undefined, [x, y]: [number, number]): number => crop?.[Math.round(y) * 48 + Math.round(x)] ?? -1;
    // Aligned: both eyes dark at their FER places, on one row.
    const eyeY = FER_EYES.y * 48;
    const half = (FER_EYES.distance * 48) / 2;
    expect(pixel(aligned, [24 - half, eyeY])).toBeLessThan(60);
    expect(pixel(aligned, [24 + half, eyeY])).toBeLessThan(60);
    expect(aligned).not.toEqual(boxed);
    // A face tilted by less than the threshold is cut out exactly as without `align`.
    const level = { ...face, landmarks: [left, [130, 101]] as const };
    expect(await cropFaces(frame, [level], { align: true })).toEqual(await cropFaces(frame, [level]));
    frame.release();
  });
});

describe('cropFaces of a small grainy tilted face', () => {
  it('smooths it at its own size by its grain before turning it upright, as the frame smoothed whole would give', async () => {
    const cv = await loadOpencv();
    // Grain of deviation 25 over a 160x160 frame, two dark eyes 14 px apart on a tilted line: a face about 24 px wide.
    const random = seededRandom(mixSeed(3, 1));
    const frame = new cv.Mat(
      Buffer.from(
        Uint8Array.from({ length: 160 * 160 }, () =>
          Math.min(255, Math.max(0, Math.round(120 + 25 * (random() + random() + random() - 1.5) * 2))),
        ),
      ),
      160,
      160,
      cv.CV_8UC1,
    );
    const left: [number, number] = [74, 78];
    const right: [number, number] = [74 + 14 * Math.cos(Math.PI / 9), 78 + 14 * Math.sin(Math.PI / 9)];
    for (const [x, y] of [left, right]) frame.drawCircle(new cv.Point2(Math.round(x), Math.round(y)), 2, new cv.Vec3(0, 0, 0), -1);
    const box = { x: 68, y: 70, width: 24, height: 24, landmarks: [left, right] as const };
    const [aligned] = await cropFaces(frame, [box], { align: true });

    const r = squareInside(box, 0.05, 160, 160);
    const sigma = sigmaFor(measureLight(greyBytes(frame.getRegion(new cv.Rect(r.x, r.y, r.width, r.height))), r.width, r.height));
    expect(sigma).toBeGreaterThan(0);
    const whole = frame.gaussianBlur(new cv.Size(0, 0), sigma, sigma, cv.BORDER_REPLICATE);
    const m = new cv.Mat([alignment(box.landmarks, 48).slice(0, 3), alignment(box.landmarks, 48).slice(3, 6)], cv.CV_64F);
    const expected = whole.warpAffine(m, new cv.Size(48, 48), cv.INTER_CUBIC, cv.BORDER_REPLICATE);
    const raw = frame.warpAffine(m, new cv.Size(48, 48), cv.INTER_CUBIC, cv.BORDER_REPLICATE);
    const furthest = (want: Uint8Array): number => Math.max(...want.map((v, i) => Math.abs(v - (aligned?.[i] ?? -255))));
    // Within a grey level of the warp of the frame smoothed whole (the warp's fixed-point sampling
    // rounds a little differently from another origin), and far from the grainy frame's.
    expect(furthest(new Uint8Array(expected.getData()))).toBeLessThanOrEqual(1);
    expect(furthest(new Uint8Array(raw.getData()))).toBeGreaterThan(20);
    for (const mat of [frame, whole, m, expected, raw]) mat.release();
  });
});

describe('cropFaces from a colour frame', () => {
  it('gives the grey levels of the whole frame turned grey, near the edges too', async () => {
    const cv = await loadOpencv();
    const frame = await readImage(fixturePath('group'));
    const grey = frame.cvtColor(cv.COLOR_BGR2GRAY);
    const boxes = [
      ...FIXTURE_FACES.group.map(({ box: [x, y, width, height] }) => ({ x, y, width, height })),
      // Off the corner (shifted inwards) and larger than the frame's height (clipped).
      { x: frame.cols - 30, y: -10, width: 60, height: 60 },
      { x: 10, y: 0, width: frame.rows + 40, height: frame.rows + 40 },
    ];
    const crops = await cropFaces(frame, boxes);
    expect(crops).toHaveLength(boxes.length);
    expect(crops).toEqual(await cropFaces(grey, boxes));
    frame.release();
    grey.release();
  });
});

describe('cropFaces of a small face', () => {
  it('scales it up as `moodbox eval --shrink` does, so that the accuracy by face size is what the daemon gets', async () => {
    const cv = await loadOpencv();
    // A 48 px face with detail at every scale, as a camera 20 px wide would see it, in a frame.
    const face = Uint8Array.from({ length: 48 * 48 }, (_, i) => (((i % 48) * 7 + Math.floor(i / 48) * 13 + ((i * i) % 31)) * 5) % 256);
    const small = new cv.Mat(Buffer.from(face), 48, 48, cv.CV_8UC1).resize(20, 20, 0, 0, cv.INTER_AREA);
    const frame = new cv.Mat(120, 160, cv.CV_8UC1, 90);
    small.copyTo(frame.getRegion(new cv.Rect(70, 40, 20, 20)));

    const [crop] = await cropFaces(frame, [{ x: 70, y: 40, width: 20, height: 20 }], { margin: 0 });
    expect(crop).toEqual(await shrinkFace(face, 20));
    small.release();
    frame.release();
  });

  it('hands back its light as framed, where the sensor put its grain: the same cut out by its box or turned upright', async () => {
    const cv = await loadOpencv();
    const random = seededRandom(mixSeed(5, 2));
    const pixels = Uint8Array.from({ length: 120 * 160 }, () => Math.min(255, Math.max(0, Math.round(110 + 40 * (random() - 0.5)))));
    const frame = new cv.Mat(Buffer.from(pixels), 120, 160, cv.CV_8UC1);
    const tilted = {
      x: 60,
      y: 40,
      width: 22,
      height: 22,
      landmarks: [
        [65, 50],
        [77, 55],
      ] as const,
    };
    const large = { x: 10, y: 10, width: 60, height: 60 };
    const boxed = await cropFacesFramed(frame, [tilted, large]);
    const upright = await cropFacesFramed(frame, [tilted, large], { align: true });
    const r = squareInside(tilted, 0.05, 160, 120);
    const expected = measureLight(greyBytes(frame.getRegion(new cv.Rect(r.x, r.y, r.width, r.height))), r.width, r.height);
    expect(boxed.framed).toEqual([{ side: r.width, light: expected }, undefined]);
    expect(upright.framed).toEqual(boxed.framed);
    expect(upright.crops[0]).not.toEqual(boxed.crops[0]);
    expect(boxed.crops).toEqual(await cropFaces(frame, [tilted, large]));
    frame.release();
  });
});
