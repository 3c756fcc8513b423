import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { CROWD_TRAINING_FACES, makeCrowdSet } from './crowd-set.js';
import { makeDetectionSet, matchesFace, scoreDetector, type LabelledFrame } from './detection-set.js';
import { createFaceDetector } from '../detectors.js';
import { readFerCsv, type FerRow } from '../fer-csv.js';
import { readImage } from '../image-io.js';
import { FIXTURES_DIR } from '../testing/fixtures.js';
import { YunetFaceDetector } from '../yunet-face-detector.js';

/**
 * The default face detector's quality on a labelled frame set: FER-2013 PublicTest faces pasted
 * at known boxes on generated rooms, plus the fixture photos. The same figures as
 * `moodbox bench vision` prints, on fewer frames. Needs FER-2013 (../shared or MOODBOX_FER_CSV).
 */

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const DATASET = process.env['MOODBOX_FER_CSV'] ?? join(REPO, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz');
let frames: LabelledFrame[] = [];
/** The set `moodbox bench vision` scores (seed 2026, 100 generated frames and the photos). */
let benchFrames: LabelledFrame[] = [];
/** The first 20 frames of the crowd set `moodbox bench vision` scores (seed 2037): 5–30 faces of 14–60 px a frame. */
let crowd: LabelledFrame[] = [];

beforeAll(async () => {
  if (!existsSync(DATASET)) throw new Error(`FER-2013 is not at ${DATASET}: put ../shared beside the repository or set MOODBOX_FER_CSV`);
  const rows: FerRow[] = [];
  const training: FerRow[] = [];
  for await (const row of readFerCsv(DATASET)) {
    if (row.usage === 'PublicTest') rows.push(row);
    else if (row.usage === 'Training' && training.length < CROWD_TRAINING_FACES) training.push(row);
  }
  const placed = JSON.parse(readFileSync(join(FIXTURES_DIR, 'faces.json'), 'utf8')) as Record<string, Array<{ box: number[] }>>;
  const photos = await Promise.all(
    Object.entries(placed).map(async ([name, faces]) => ({
      name,
      image: await readImage(join(FIXTURES_DIR, `${name}.png`)),
      faces: faces.map(({ box: [x = 0, y = 0, width = 0, height = 0] }) => ({ x, y, width, height })),
    })),
  );
  frames = [...(await makeDetectionSet({ random: seededRandom(11) }, rows, { frames: 60 })), ...photos];
  benchFrames = [...(await makeDetectionSet({ random: seededRandom(2026) }, rows, { frames: 100 })), ...photos];
  crowd = await makeCrowdSet({ random: seededRandom(2037) }, training, { frames: 20 });
}, 180_000);

afterAll(() => {
  for (const f of [...frames, ...benchFrames, ...crowd]) f.image.release();
});

describe('face detection on a labelled frame set', () => {
  it('the YuNet detector finds at least 90% of the faces, with at most 0.05 false faces per frame', async () => {
    const detector = createFaceDetector('yunet', { installDir: REPO });
    const score = await scoreDetector(detector, frames);
    const figures = `recall ${score.found}/${score.faces}, ${score.falseFaces} false faces in ${score.frames} frames; misses: ${score.misses.join(', ')}`;
    expect(score.faces, figures).toBeGreaterThan(90);
    expect(score.recall, figures).toBeGreaterThanOrEqual(0.9);
    expect(score.falseFacesPerFrame, figures).toBeLessThanOrEqual(0.05);
  }, 60_000);

  it('every face of the group photo is found by the YuNet detector', async () => {
    const detector = createFaceDetector('yunet', { installDir: REPO });
    const group = frames.filter((f) => f.name === 'group');
    expect(group[0]?.faces).toHaveLength(4);
    expect(await scoreDetector(detector, group)).toMatchObject({ found: 4, falseFaces: 0 });
  });

  it('the default full scan (320 px and a second look) finds at least 93% of the faces of the bench set, with no false face', async () => {
    const score = await scoreDetector(createFaceDetector('yunet', { installDir: REPO }), benchFrames);
    const figures = `recall ${score.found}/${score.faces}, ${score.falseFaces} false faces; misses: ${score.misses.join(', ')}`;
    expect(score.faces, figures).toBeGreaterThan(170);
    expect(score.recall, figures).toBeGreaterThanOrEqual(0.93);
    expect(score.falseFaces, figures).toBe(0);
  }, 60_000);

  it('the second look finds faces the 320 px scan alone misses, and loses none it finds', async () => {
    const plain = new YunetFaceDetector({ detectWidth: 320, secondLookThreshold: 0.5 });
    const second = new YunetFaceDetector({ detectWidth: 320 });
    let gained = 0;
    for (const frame of benchFrames) {
      const [before, after] = [await plain.detect(frame.image), await second.detect(frame.image)];
      for (const face of frame.faces) {
        const [was, is] = [before.some((d) => matchesFace(d, face)), after.some((d) => matchesFace(d, face))];
        expect(!was || is, `${frame.name}: a face found without the second look is lost with it`).toBe(true);
        if (is && !was) gained++;
      }
    }
    // 156 of 176 without it, 164 with it.
    expect(gained).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('the default detector finds the small faces of a crowd (issue 37): 85% of 14–24 px, 95% of 24–48 px, at most 0.05 false faces a frame', async () => {
    const score = await scoreDetector(createFaceDetector('yunet', { installDir: REPO }), crowd);
    const [tiny, small, middle, large] = score.bySize;
    const figures = `${score.bySize.map((b) => `${b.label} ${b.found}/${b.faces}`).join(', ')}; ${score.falseFaces} false faces in ${score.frames} frames`;
    expect(tiny!.faces, figures).toBeGreaterThan(80);
    expect(tiny!.recall, figures).toBeGreaterThanOrEqual(0.85);
    expect((small!.found + middle!.found) / (small!.faces + middle!.faces), figures).toBeGreaterThanOrEqual(0.95);
    expect(large!.recall, figures).toBeGreaterThanOrEqual(0.9);
    expect(score.falseFacesPerFrame, figures).toBeLessThanOrEqual(0.05);
  }, 120_000);
});
