import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cropFacesFramed } from './face-crops.js';
import { measureFaceLight, type FaceLight } from './face-light.js';
import { faceWeigher } from './face-weight.js';
import { readFerCsv } from './fer-csv.js';
import { LightReader } from './light-reader.js';
import { lowLightImage, mixSeed, seededRandom, type LowLightOptions } from './low-light.js';
import { loadOpencv, type Cv } from './opencv.js';
import { smallFaceWeigher, type SmallFaceLightTable } from './small-face-light.js';
import { FIXTURES_DIR } from './testing/fixtures.js';

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
