import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFerCsv, type FerRow } from './fer-csv.js';
import { FACE_PIXELS, FACE_SIZE, mirrorFace, normalisationTable, preprocessFaces } from './preprocess.js';

const FIXTURES = join(import.meta.dirname, 'testing', 'fixtures');

/** Written by scripts/model/make_test_fixtures.py with the training code's own `normalise`. */
interface Golden {
  normalisation: { scale: number; mean: number; std: number };
  shape: number[];
  faces: string[];
  tensor: string;
  mirroredTensor: string;
}

const golden = JSON.parse(readFileSync(join(FIXTURES, 'preprocess-golden.json'), 'utf8')) as Golden;
const faces = golden.faces.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
const floats = (b64: string): Float32Array => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
/** The bit patterns, so that -0 vs 0 and every last ulp count. */
const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

async function rows(file: string): Promise<FerRow[]> {
  const out: FerRow[] = [];
  for await (const row of readFerCsv(file)) out.push(row);
  return out;
}

describe('preprocessFaces', () => {
  it('turns the same pixels into the same tensor as the training code, bit for bit', () => {
    expect(golden.shape).toEqual([3, 1, FACE_SIZE, FACE_SIZE]);
    expect(new Set(faces[0]).size).toBe(256); // the synthetic face holds every grey level
    const tensor = preprocessFaces(faces, golden.normalisation);
    expect(tensor.length).toBe(3 * FACE_PIXELS);
    expect(bits(tensor)).toEqual(bits(floats(golden.tensor)));
  });

  it('appends the mirrored faces exactly as flip-TTA does in training', () => {
    const tensor = preprocessFaces(faces, golden.normalisation, { appendMirrored: true });
    expect(tensor.length).toBe(6 * FACE_PIXELS);
    expect(bits(tensor.subarray(0, 3 * FACE_PIXELS))).toEqual(bits(floats(golden.tensor)));
    expect(bits(tensor.subarray(3 * FACE_PIXELS))).toEqual(bits(floats(golden.mirroredTensor)));
  });

  it('reads the FER CSV rows to the same pixels the training code read', async () => {
    const [first, second] = await rows(join(FIXTURES, 'fer-tiny.csv'));
    expect(first?.pixels).toEqual(faces[1]);
    expect(second?.pixels).toEqual(faces[2]);
  });

  it('maps the extremes and the middle grey as the contract says', () => {
    const table = normalisationTable({ scale: 255, mean: 0.5, std: 0.25 });
    expect(table[0]).toBe(-2);
    expect(table[255]).toBe(2);
    expect(table[128]).toBeCloseTo((128 / 255 - 0.5) / 0.25, 6);
    expect(table.every((v, p) => p === 0 || v > (table[p - 1] ?? -Infinity))).toBe(true);
  });

  it('mirrors a face left to right and back', () => {
    const face = Uint8Array.from({ length: FACE_PIXELS }, (_, i) => i % FACE_SIZE);
    const mirrored = mirrorFace(face);
    expect(Array.from(mirrored.subarray(0, 3))).toEqual([47, 46, 45]);
    expect(Array.from(mirrored.subarray(FACE_SIZE, FACE_SIZE + 2))).toEqual([47, 46]);
    expect(mirrorFace(mirrored)).toEqual(face);
  });

  it('returns an empty tensor for no faces', () => {
    expect(preprocessFaces([], golden.normalisation)).toHaveLength(0);
  });

  it('rejects a face of the wrong size, naming it', () => {
    const good = new Uint8Array(FACE_PIXELS);
    expect(() => preprocessFaces([good, new Uint8Array(100)], golden.normalisation)).toThrow(
      new RangeError('Expected `faces[1]` to be a Uint8Array of 2304 bytes (48x48 grey, row-major), got 100 bytes'),
    );
    expect(() => mirrorFace(new Uint8Array(48))).toThrow(RangeError);
  });

  it('rejects a normalisation that would divide by zero or is not a number', () => {
    expect(() => normalisationTable({ scale: 255, mean: 0.5, std: 0 })).toThrow(
      'Expected normalisation `std` to be a finite number > 0, got `0`',
    );
    expect(() => normalisationTable({ scale: Number.NaN, mean: 0.5, std: 0.25 })).toThrow(/`scale`/);
    expect(() => normalisationTable({ scale: 255, mean: Infinity, std: 0.25 })).toThrow(/`mean`/);
  });
});
