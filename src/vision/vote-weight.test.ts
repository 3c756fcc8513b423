import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cropFacesFramed } from './face-crops.js';
import { readFerCsv } from './fer-csv.js';
import { lowLightImage, mixSeed, seededRandom, type LowLightOptions } from './lab/dim-camera.js';
import { measureFaceLight, type FaceLight } from './light-measure.js';
import { LightReader } from './light-reader.js';
import { loadOpencv, type Cv } from './opencv.js';
import { FIXTURES_DIR } from './testing/fixtures.js';
import { accuracyAt, accuracyBySizeProblems, faceWeigher, smallFaceWeigher, type SmallFaceLightTable } from './vote-weight.js';

/** The shipped int8 model's accuracy by face size (PublicTest, shrunk and scaled back, flip-TTA). */
const MEASURED = { '48': 0.682, '32': 0.629, '24': 0.6, '16': 0.446, '12': 0.341 };

describe('accuracyAt', () => {
  it('reads a listed size as listed, interpolates between sizes and holds the ends', () => {
    expect(accuracyAt(MEASURED, 24)).toBeCloseTo(0.6, 10);
    expect(accuracyAt(MEASURED, 20)).toBeCloseTo((0.6 + 0.446) / 2, 10);
    expect(accuracyAt(MEASURED, 40)).toBeCloseTo((0.682 + 0.629) / 2, 10);
    expect(accuracyAt(MEASURED, 8)).toBe(0.341);
    expect(accuracyAt(MEASURED, 200)).toBe(0.682);
  });

  it('does not care in which order the sizes are listed', () => {
    expect(accuracyAt({ '12': 0.3, '48': 0.7 }, 30)).toBeCloseTo(accuracyAt({ '48': 0.7, '12': 0.3 }, 30), 12);
  });
});

describe('faceWeigher', () => {
  const weigh = faceWeigher(MEASURED, 7);
  const chance = 1 / 7;
  const full = 0.682 - chance;

  it('weighs a face by what its size earns above chance, relative to a 48 px face', () => {
    expect(weigh(48)).toBe(1);
    expect(weigh(32)).toBeCloseTo((0.629 - chance) / full, 10);
    expect(weigh(24)).toBeCloseTo((0.6 - chance) / full, 10);
    expect(weigh(16)).toBeCloseTo((0.446 - chance) / full, 10);
    expect(weigh(12)).toBeCloseTo((0.341 - chance) / full, 10);
    // About 0.9 at 32 px, 0.85 at 24, 0.56 at 16 and 0.37 at 12.
    expect([32, 24, 16, 12].map((s) => Math.round(weigh(s) * 100))).toEqual([90, 85, 56, 37]);
  });

  it('never gives a near face more than one vote, nor a tiny one less than the smallest listed size earns', () => {
    expect(weigh(180)).toBe(1);
    expect(weigh(6)).toBe(weigh(12));
  });

  it('grows with the face between the listed sizes', () => {
    let last = 0;
    for (let s = 10; s <= 60; s++) {
      expect(weigh(s)).toBeGreaterThanOrEqual(last);
      last = weigh(s);
    }
  });

  it('gives weight 0, not a negative one, where the model does no better than a guess', () => {
    const weak = faceWeigher({ '48': 0.6, '16': 0.1 }, 7);
    expect(weak(16)).toBe(0);
    expect(weak(48)).toBe(1);
  });

  it('weighs every face 1 when the manifest has no table', () => {
    const same = faceWeigher(undefined, 7);
    expect([8, 16, 48, 300].map(same)).toEqual([1, 1, 1, 1]);
  });

  it('refuses a table whose full-size accuracy is no better than chance', () => {
    expect(() => faceWeigher({ '48': 0.1 }, 7)).toThrow(/above chance/);
  });
});

describe('accuracyBySizeProblems', () => {
  it('accepts the measured table', () => {
    expect(accuracyBySizeProblems(MEASURED, 7)).toEqual([]);
  });

  it.each([
    ['a list', [0.68, 0.6], /^accuracyBySize: expected an object of accuracies by face size/],
    ['no size', {}, /^accuracyBySize: expected at least one size/],
    ['a size that is not whole px', { '48': 0.68, '24.5': 0.6 }, /^accuracyBySize\.24\.5: expected a face size in whole px/],
    ['a percentage', { '48': 68.2 }, /^accuracyBySize\.48: expected an accuracy in \(0, 1\], got `68\.2` \(number\)/],
    ['text', { '48': '0.68' }, /^accuracyBySize\.48: expected an accuracy in \(0, 1\], got `"0\.68"` \(string\)/],
    ['full size at chance', { '48': 0.12, '24': 0.1 }, /^accuracyBySize: expected the accuracy at 48 px above chance \(1\/7\)/],
  ])('names the field of %s', (_what, value, problem) => {
    const problems = accuracyBySizeProblems(value, 7);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});

const CHANCE = 1 / 7;

describe('smallFaceWeigher', () => {
  const table: SmallFaceLightTable = {
    darkBelow: 48,
    sizes: {
      '16': { lit: { '2': 0.3, '6': 0.45 }, dark: { '2': 0.2, '6': 0.25 } },
      '32': { lit: { '2': 0.4, '6': 0.6 }, dark: { '2': 0.3, '6': 0.35 } },
    },
  };
  const weigh = smallFaceWeigher(table, 0.65, 7, 48);
  const light = (clarity: number, brightness = 120): FaceLight => ({ clarity, brightness, noise: 5, contrast: clarity * 5 });
  const vote = (accuracy: number): number => (accuracy - CHANCE) / (0.65 - CHANCE);

  it('weighs a small face by what the model reads at its size and light, over what its size alone earns', () => {
    expect(weigh({ side: 32, framed: light(6), sizeWeight: 0.95, cropWeight: 1 })).toBeCloseTo(vote(0.6) / 0.95, 6);
    expect(weigh({ side: 32, framed: light(4), sizeWeight: 0.95, cropWeight: 1 })).toBeCloseTo(vote(0.5) / 0.95, 6);
    // A dark face, whose grain is faint, is read by its own row.
    expect(weigh({ side: 32, framed: light(6, 30), sizeWeight: 0.95, cropWeight: 1 })).toBeCloseTo(vote(0.35) / 0.95, 6);
    // Smaller than the smallest size listed: the smallest's; clearer than its last clarity: the last's.
    expect(weigh({ side: 10, framed: light(9), sizeWeight: 0.7, cropWeight: 1 })).toBeCloseTo(vote(0.45) / 0.7, 6);
  });

  it('goes between the sizes listed, and from the largest one to the crop, towards the crop’s own rule', () => {
    const at16 = vote(0.45);
    const at32 = vote(0.6);
    expect(weigh({ side: 24, framed: light(6), sizeWeight: 0.9, cropWeight: 1 })).toBeCloseTo((at16 + at32) / 2 / 0.9, 6);
    expect(weigh({ side: 40, framed: light(6), sizeWeight: 0.98, cropWeight: 0.8 })).toBeCloseTo((at32 + 0.98 * 0.8) / 2 / 0.98, 6);
    expect(weigh({ side: 48, framed: light(1), sizeWeight: 1, cropWeight: 0.8 })).toBe(0.8);
  });

  it('never gives more than a whole weight, and leaves a face whose size earns no vote to its crop', () => {
    expect(weigh({ side: 32, framed: light(6), sizeWeight: 0.2, cropWeight: 1 })).toBe(1);
    expect(weigh({ side: 16, framed: light(1), sizeWeight: 0, cropWeight: 0.7 })).toBe(0.7);
  });

  it('refuses a table it cannot weigh by', () => {
    expect(() => smallFaceWeigher({ darkBelow: 48, sizes: { '48': table.sizes['32']! } }, 0.65, 7, 48)).toThrow(/under the crop's 48 px/);
    expect(() => smallFaceWeigher({ darkBelow: 48, sizes: {} }, 0.65, 7, 48)).toThrow(/got none/);
    expect(() => smallFaceWeigher(table, 0.1, 7, 48)).toThrow(/above chance/);
  });
});

// FER-2013 faces shrunk to 24 px and then through the webcam model at that size, as a sensor
// frames a guest across the room; weighed by the shipped tables, as the vision loop weighs them.
describe('a small face in a dim room, as the vision loop weighs it', () => {
  const SIDE = 24;
  let cv: Cv;
  const faces: Uint8Array[] = [];
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'models', 'manifest.json'), 'utf8')) as {
    models: Record<string, { accuracyBySize?: Record<string, number> }>;
  };
  const sizeWeight = faceWeigher(manifest.models['emotion-int8.onnx']?.accuracyBySize, 7);
  const reader = new LightReader({ labels: () => 7, sizeWeight });

  beforeAll(async () => {
    cv = await loadOpencv();
    for (const file of ['fer-tiny.csv', 'dim-room-faces.csv']) {
      for await (const row of readFerCsv(join(FIXTURES_DIR, file))) {
        const face = new cv.Mat(Buffer.from(row.pixels), 48, 48, cv.CV_8UC1);
        const small = face.resize(SIDE, SIDE, 0, 0, cv.INTER_AREA);
        faces.push(new Uint8Array(small.getData()));
        small.release();
        face.release();
      }
    }
  });
  afterAll(() => faces.splice(0));

  /** The mean light weight of the faces in `room`: by their light as framed, and by their crops' light alone. */
  const weights = async (room: LowLightOptions): Promise<{ framed: number; crop: number }> => {
    let [framed, crop] = [0, 0];
    for (const [i, face] of faces.entries()) {
      const seen = new cv.Mat(Buffer.from(lowLightImage(face, SIDE, SIDE, room, seededRandom(mixSeed(3, i)))), SIDE, SIDE, cv.CV_8UC1);
      // As the vision loop crops it: the face's square cut out, its light measured there, smoothed, scaled up.
      const {
        crops,
        framed: [own],
      } = await cropFacesFramed(seen, [{ x: 0, y: 0, width: SIDE, height: SIDE }], { margin: 0 });
      const cropLight = measureFaceLight(crops[0]!, 48);
      seen.release();
      expect(own?.side).toBe(SIDE);
      framed += reader.weigh(cropLight, own, SIDE);
      crop += reader.weigh(cropLight);
    }
    return { framed: framed / faces.length, crop: crop / faces.length };
  };

  it('keeps most of its vote in daylight and is too dark to read in a dim bar with the exposure fixed, which its crop alone cannot see', async () => {
    const daylight = await weights({ light: 1, exposure: 'auto' });
    const dimAuto = await weights({ light: 0.04, exposure: 'auto' });
    const dimFixed = await weights({ light: 0.04, exposure: 'fixed' });
    expect(daylight.framed).toBeGreaterThan(0.7);
    expect(dimAuto.framed).toBeLessThan(daylight.framed - 0.15);
    expect(dimFixed.framed).toBeLessThan(0.5);
    // Scaled up to the crop, the grain and the darkness are gone from what is measured.
    expect(dimFixed.crop).toBeGreaterThan(0.5);
  });

  it('measures nothing for a face framed as large as the crop', async () => {
    const big = new cv.Mat(64, 64, cv.CV_8UC1, 128);
    expect((await cropFacesFramed(big, [{ x: 4, y: 4, width: 56, height: 56 }])).framed).toEqual([undefined]);
    big.release();
  });
});
