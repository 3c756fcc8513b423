import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { FACE_SIZE_BANDS, makeDetectionSet, matchesFace, recallBySize, scoreDetector, scoreFrame } from './detection-set.js';
import type { FerRow } from '../fer-csv.js';
import type { Box, FaceDetector } from '../face-detector.js';
import { FACE_PIXELS } from '../preprocess.js';

const face = { x: 100, y: 100, width: 100, height: 100 };

function rows(n: number): FerRow[] {
  return Array.from({ length: n }, (_, i) => ({
    line: i + 2,
    row: i + 1,
    emotion: 3,
    label: 'happy' as const,
    pixels: new Uint8Array(FACE_PIXELS).fill(40 + i),
    usage: 'PublicTest',
    votes: undefined,
  }));
}

describe('matchesFace and scoreFrame', () => {
  it('accepts a box centred on the face at a similar size, and nothing else', () => {
    expect(matchesFace({ x: 110, y: 95, width: 90, height: 95 }, face)).toBe(true);
    expect(matchesFace({ x: 140, y: 100, width: 100, height: 100 }, face)).toBe(false);
    expect(matchesFace({ x: 135, y: 135, width: 35, height: 35 }, face)).toBe(true);
    expect(matchesFace({ x: 140, y: 140, width: 25, height: 25 }, face)).toBe(false);
    expect(matchesFace({ x: 0, y: 0, width: 300, height: 300 }, face)).toBe(false);
  });

  it('matches each detection to one face at most and counts the rest as false faces', () => {
    const other = { x: 300, y: 100, width: 80, height: 80 };
    expect(scoreFrame([face, { ...face, x: 102 }, { x: 0, y: 400, width: 50, height: 50 }], [face, other])).toEqual({
      found: 1,
      falseFaces: 2,
      isFound: [true, false],
    });
    expect(scoreFrame([], [face])).toEqual({ found: 0, falseFaces: 0, isFound: [false] });
  });
});

describe('recallBySize', () => {
  it('counts each labelled face in the band of its larger side, from the lower bound up to the next', () => {
    const sized = (width: number, height: number, isFound: boolean): { face: Box; isFound: boolean } => ({
      face: { x: 0, y: 0, width, height },
      isFound,
    });
    const bands = recallBySize([
      sized(14, 14, true),
      sized(20, 23, false),
      sized(20, 24, true),
      sized(31, 20, true),
      sized(47, 40, false),
      sized(48, 30, true),
      sized(170, 170, true),
      // Smaller than every band: counted nowhere.
      sized(10, 10, true),
    ]);
    expect(bands.map((b) => b.label)).toEqual(FACE_SIZE_BANDS.map((b) => b.label));
    expect(bands.map((b) => [b.faces, b.found])).toEqual([
      [2, 1],
      [2, 2],
      [1, 0],
      [2, 2],
    ]);
    expect(bands[0]?.recall).toBe(0.5);
    expect(recallBySize([]).every((b) => b.faces === 0 && b.recall === 1)).toBe(true);
  });
});

describe('makeDetectionSet', () => {
  it('pastes faces at their labelled boxes, apart and inside the frame, the same for the same seed', async () => {
    const a = await makeDetectionSet({ random: seededRandom(7) }, rows(50), { frames: 10 });
    const b = await makeDetectionSet({ random: seededRandom(7) }, rows(50), { frames: 10 });
    expect(a.map((f) => f.faces)).toEqual(b.map((f) => f.faces));
    expect(a[9]?.faces).toEqual([]);
    expect(a.slice(0, 9).every((f) => f.faces.length >= 1 && f.faces.length <= 4)).toBe(true);
    for (const frame of a) {
      expect([frame.image.cols, frame.image.rows]).toEqual([640, 480]);
      for (const box of frame.faces) {
        expect(box.x + box.width).toBeLessThanOrEqual(640);
        expect(box.y + box.height).toBeLessThanOrEqual(480);
        // The face's own grey (40 + its index, at a brightness gain of 0.75-1.2 and offset of ±20)
        // sits at the box's centre: the face is pasted over the background, not blended into it.
        const {
          x: blue,
          y: green,
          z: red,
        } = frame.image.at(Math.round(box.y + box.height / 2), Math.round(box.x + box.width / 2)) as unknown as {
          x: number;
          y: number;
          z: number;
        };
        expect(blue).toBe(green);
        expect(green).toBe(red);
        expect(blue).toBeGreaterThanOrEqual(10);
        expect(blue).toBeLessThanOrEqual(150);
      }
    }
    for (const f of [...a, ...b]) f.image.release();
  });
});

describe('scoreDetector', () => {
  it('sums recall, false faces per frame and exact counts over the frames', async () => {
    const frames = await makeDetectionSet({ random: seededRandom(3) }, rows(20), { frames: 4 });
    const labelled = frames.flatMap((f) => f.faces);
    // A detector that finds every labelled face but the first, plus one false face in every frame.
    const detector: FaceDetector = {
      detect: async (image) => {
        const frame = frames.find((f) => f.image === image);
        const found = (frame?.faces ?? []).filter((b) => b !== labelled[0]);
        return [...found, { x: 0, y: 0, width: 20, height: 20 }];
      },
    };
    const score = await scoreDetector(detector, frames);
    expect(score).toMatchObject({ frames: 4, faces: labelled.length, found: labelled.length - 1, falseFaces: 4, falseFacesPerFrame: 1 });
    expect(score.recall).toBeCloseTo((labelled.length - 1) / labelled.length, 10);
    expect(score.misses).toHaveLength(4);
    // Every pasted face is 56 px or more: all in the top band, the first one missed.
    expect(score.bySize.at(-1)).toMatchObject({ faces: labelled.length, found: labelled.length - 1 });
    expect(score.bySize.slice(0, 3).every((b) => b.faces === 0)).toBe(true);
    for (const f of frames) f.image.release();
  });
});
