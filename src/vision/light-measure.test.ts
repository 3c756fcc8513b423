import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureFaceLight } from './light-measure.js';
import { ACCURACY_BY_CLARITY, lightWeigher } from './vote-weight.js';
import { FER_LABELS, readFerCsv } from './fer-csv.js';
import { lowLightImage, mixSeed, normal, seededRandom } from './lab/dim-camera.js';
import { FIXTURES_DIR } from './testing/fixtures.js';

const TINY = join(FIXTURES_DIR, 'fer-tiny.csv');

const SIDE = 48;

/** A smooth face-like crop: a soft gradient and a bright blob, no grain. */
function smooth(): Uint8Array {
  const out = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) out[y * SIDE + x] = Math.round(70 + 1.5 * y + 60 * Math.exp(-((x - 24) ** 2 + (y - 20) ** 2) / 150));
  return out;
}

describe('measureFaceLight', () => {
  it('finds the grain a camera adds, within a tenth, and none on a clean face', () => {
    const clean = measureFaceLight(smooth(), SIDE);
    expect(clean.noise).toBeLessThan(0.8);
    const random = seededRandom(7);
    for (const sigma of [3, 8, 15]) {
      const grainy = smooth().map((v) => Math.min(255, Math.max(0, Math.round(v + sigma * normal(random)))));
      expect(measureFaceLight(grainy, SIDE).noise).toBeGreaterThan(sigma * 0.9);
      expect(measureFaceLight(grainy, SIDE).noise).toBeLessThan(sigma * 1.1);
    }
  });

  it('reads real faces as less clear the dimmer the room, with auto and with fixed exposure', async () => {
    const faces: Uint8Array[] = [];
    for await (const row of readFerCsv(TINY)) faces.push(row.pixels);
    const clarity = (light: number, exposure: 'auto' | 'fixed'): number => {
      const values = faces
        .map((face, i) => measureFaceLight(lowLightImage(face, SIDE, SIDE, { light, exposure }, seededRandom(mixSeed(5, i))), SIDE).clarity)
        .sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)]!;
    };
    for (const exposure of ['auto', 'fixed'] as const) {
      const byLight = [1, 0.25, 0.04].map((light) => clarity(light, exposure));
      expect(byLight[0]!).toBeGreaterThan(byLight[1]!);
      expect(byLight[1]!).toBeGreaterThan(byLight[2]!);
    }
    // The dim bar of the issue (4% with auto-exposure) is in the weights' dark end; daylight in their clear end.
    expect(clarity(0.04, 'auto')).toBeLessThan(2.6);
    expect(clarity(1, 'auto')).toBeGreaterThan(7.9);
  });

  it('refuses a crop that is not square grey bytes', () => {
    expect(() => measureFaceLight(new Uint8Array(10), SIDE)).toThrow(/Expected a square grey crop/);
  });
});

describe('lightWeigher', () => {
  const weigh = lightWeigher(ACCURACY_BY_CLARITY, FER_LABELS.length);
  const at = (clarity: number): number => weigh({ clarity, brightness: 100, noise: 5, contrast: clarity * 5 });

  it('weighs a face by the skill above chance the model has at its clarity, against its skill on the clearest faces', () => {
    const table = lightWeigher({ '2': 0.3, '10': 0.7 }, 7);
    const of = (clarity: number): number => table({ clarity, brightness: 100, noise: 5, contrast: clarity * 5 });
    const chance = 1 / 7;
    expect(of(2)).toBeCloseTo((0.3 - chance) / (0.7 - chance), 6);
    // Between two keys, the accuracy in between; darker than the first, the first's; clearer than the last, a whole vote.
    expect(of(6)).toBeCloseTo((0.5 - chance) / (0.7 - chance), 6);
    expect(of(0.5)).toBe(of(2));
    expect(of(30)).toBe(1);
  });

  it('gives a clear face a whole vote with the shipped table, a face in a dim bar a part of one, and never less for a clearer face', () => {
    expect(at(20)).toBe(1);
    expect(at(1.5)).toBeLessThan(at(8));
    expect(at(1.5)).toBeGreaterThan(0);
    let previous = -1;
    for (let clarity = 0.5; clarity <= 20; clarity += 0.25) {
      expect(at(clarity)).toBeGreaterThanOrEqual(previous);
      previous = at(clarity);
    }
  });

  it('refuses a table whose clearest faces read no better than chance', () => {
    expect(() => lightWeigher({ '10': 0.1 }, 7)).toThrow(/above chance/);
    expect(() => lightWeigher({}, 7)).toThrow(/at least one clarity/);
  });
});
