import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { makeCrowdSet } from './crowd-set.js';
import type { FerRow } from '../fer-csv.js';
import { FACE_PIXELS } from '../preprocess.js';

/** `n` faces of one grey each (90 + its index), as FER rows. */
function rows(n: number): FerRow[] {
  return Array.from({ length: n }, (_, i) => ({
    line: i + 2,
    row: i + 1,
    emotion: 6,
    label: 'neutral' as const,
    pixels: new Uint8Array(FACE_PIXELS).fill(90 + i),
    usage: 'Training',
    votes: undefined,
  }));
}

const digest = (pixels: Buffer): string => createHash('sha256').update(pixels).digest('hex');

describe('makeCrowdSet', () => {
  it('makes the same frames, pixel for pixel, from the same seed, and other frames from another', async () => {
    const [a, b, c] = await Promise.all([7, 7, 8].map((seed) => makeCrowdSet({ random: seededRandom(seed) }, rows(60), { frames: 2 })));
    expect(a!.map((f) => f.faces)).toEqual(b!.map((f) => f.faces));
    expect(a!.map((f) => digest(f.image.getData()))).toEqual(b!.map((f) => digest(f.image.getData())));
    expect(c!.map((f) => f.faces)).not.toEqual(a!.map((f) => f.faces));
    for (const f of [...a!, ...b!, ...c!]) f.image.release();
  });

  it('holds 5–30 faces a frame of 14–60 px, most of 16–40, inside the frame and apart by a tenth of their size', async () => {
    const frames = await makeCrowdSet({ random: seededRandom(3) }, rows(80), { frames: 12 });
    const sizes = frames.flatMap((f) => f.faces.map((b) => b.height));
    for (const frame of frames) {
      expect([frame.image.cols, frame.image.rows, frame.image.channels]).toEqual([640, 480, 3]);
      expect(frame.faces.length).toBeGreaterThanOrEqual(5);
      expect(frame.faces.length).toBeLessThanOrEqual(30);
      for (const [i, box] of frame.faces.entries()) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(640);
        expect(box.y + box.height).toBeLessThanOrEqual(480);
        // A turned head is squeezed sideways, never stretched.
        expect(box.width).toBeLessThanOrEqual(box.height);
        expect(box.width).toBeGreaterThanOrEqual(Math.floor(box.height * 0.78));
        expect(box.emotion).toBe('neutral');
        for (const other of frame.faces.slice(i + 1)) {
          const gap = 0.1 * Math.max(box.height, other.height);
          const isApart =
            box.x + box.width + gap <= other.x ||
            other.x + other.width + gap <= box.x ||
            box.y + box.height + gap <= other.y ||
            other.y + other.height + gap <= box.y;
          expect(isApart, `${frame.name}: ${JSON.stringify(box)} and ${JSON.stringify(other)}`).toBe(true);
        }
      }
    }
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(60);
    expect(sizes.filter((s) => s >= 16 && s <= 40).length / sizes.length).toBeGreaterThan(0.7);
    // Some faces of every band the bench reports.
    for (const [lo, hi] of [
      [14, 24],
      [24, 32],
      [32, 48],
      [48, 61],
    ] as const)
      expect(sizes.some((s) => s >= lo && s < hi)).toBe(true);
    // Further back is higher up: the small faces sit higher in the frame than the large ones.
    const faces = frames.flatMap((f) => f.faces);
    const centre = (list: typeof faces): number => list.reduce((sum, b) => sum + b.y + b.height / 2, 0) / list.length;
    expect(centre(faces.filter((b) => b.height < 24))).toBeLessThan(centre(faces.filter((b) => b.height >= 40)));
    for (const f of frames) f.image.release();
  });

  it('pastes each face, tinted to a skin tone, at its box; the camera then changes the picture', async () => {
    const options = { frames: 1, people: [8, 8], sizes: [40, 40], common: [40, 40] } as const;
    const [plain] = await makeCrowdSet({ random: seededRandom(5) }, rows(8), { ...options, camera: false });
    for (const box of plain!.faces) {
      // The face's middle is its own grey times a skin tint: red over green over blue.
      const {
        x: blue,
        y: green,
        z: red,
      } = plain!.image.at(box.y + box.height / 2, box.x + box.width / 2) as unknown as {
        x: number;
        y: number;
        z: number;
      };
      expect(red).toBeGreaterThan(green);
      expect(green).toBeGreaterThan(blue);
      expect(red).toBeGreaterThanOrEqual(Math.round(90 * 0.74));
      expect(red).toBeLessThanOrEqual(Math.round(97 * 1.1));
    }
    expect(plain!.faces).toHaveLength(8);
    const [shot] = await makeCrowdSet({ random: seededRandom(5) }, rows(8), options);
    // Light, blur, noise and JPEG: no face's square is left as the plain one was.
    expect(shot!.faces).toHaveLength(8);
    const grey = (m: typeof plain): Buffer => m!.image.getData();
    expect(digest(grey(shot))).not.toBe(digest(grey(plain)));
    plain!.image.release();
    shot!.image.release();
  });

  it('refuses sizes and counts it cannot make', async () => {
    await expect(makeCrowdSet({ random: seededRandom(1) }, rows(4), { sizes: [2, 10] })).rejects.toThrow(/`sizes`/);
    await expect(makeCrowdSet({ random: seededRandom(1) }, rows(4), { people: [5, 3] })).rejects.toThrow(/`people`/);
    await expect(makeCrowdSet({ random: seededRandom(1) }, [], {})).rejects.toThrow(/at least one FER row/);
  });
});
