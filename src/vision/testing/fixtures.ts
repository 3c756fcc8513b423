import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder of test images made by `scripts/make-face-fixtures.mjs`. */
export const FIXTURES_DIR = join(import.meta.dirname, 'fixtures');

/** The images there, by name (without `.png`). */
export const FIXTURE_NAMES = ['happy-face', 'group', 'no-face'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** Where a face was pasted, and the emotion its dataset label gives. */
export interface PlacedFace {
  emotion: string;
  box: [x: number, y: number, width: number, height: number];
}

/** The faces pasted into each fixture image. */
export const FIXTURE_FACES = JSON.parse(readFileSync(join(FIXTURES_DIR, 'faces.json'), 'utf8')) as Record<FixtureName, PlacedFace[]>;

export const fixturePath = (name: FixtureName): string => join(FIXTURES_DIR, `${name}.png`);

/** True when `box` is centred on `face` (within a quarter of its size) and of a similar size (a baby's face can fill its whole dataset crop, so Haar boxes may be larger). */
export function isOnFace(box: { x: number; y: number; width: number; height: number }, face: PlacedFace): boolean {
  const [x, y, w, h] = face.box;
  const dx = Math.abs(box.x + box.width / 2 - (x + w / 2));
  const dy = Math.abs(box.y + box.height / 2 - (y + h / 2));
  const ratio = box.width / w;
  return dx < w / 4 && dy < h / 4 && ratio > 0.6 && ratio < 1.8;
}
