import { describe, expect, it } from 'vitest';
import { mixSeed, seededRandom } from './lab/dim-camera.js';
import { loadOpencv } from './opencv.js';
import { measureLight } from './light-measure.js';
import { SMALL_FACE_STEPS, sigmaFor, smoothSmallFace } from './denoise-small-face.js';

const SIDE = 20;
/** A smooth face-like shading (a bright oval on a darker ground), plus grain of deviation `grain`. */
function face(grain: number, seed = 1): Uint8Array {
  const random = seededRandom(mixSeed(seed, 7));
  return Uint8Array.from({ length: SIDE * SIDE }, (_, i) => {
    const [x, y] = [(i % SIDE) - SIDE / 2, Math.floor(i / SIDE) - SIDE / 2];
    const shade = x * x + (y * y) / 1.5 < 60 ? 150 : 90;
    // Box–Muller from two uniform draws.
    const g = Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());
    return Math.min(255, Math.max(0, Math.round(shade + grain * g)));
  });
}

describe('sigmaFor', () => {
  it('leaves a clean or lightly grained small face alone and smooths a grainier one more', () => {
    expect(sigmaFor(measureLight(face(0), SIDE, SIDE))).toBe(0);
    expect(sigmaFor(measureLight(face(4), SIDE, SIDE))).toBe(0);
    expect(sigmaFor(measureLight(face(10), SIDE, SIDE))).toBe(0);
    expect(sigmaFor(measureLight(face(17), SIDE, SIDE))).toBe(SMALL_FACE_STEPS[0]?.sigma);
    expect(sigmaFor(measureLight(face(25), SIDE, SIDE))).toBe(SMALL_FACE_STEPS.at(-1)?.sigma);
  });
});

describe('smoothSmallFace', () => {
  it('takes the grain out of a grainy small face before it is scaled up, and hands back a clean one as it is', async () => {
    const cv = await loadOpencv();
    const clean = new cv.Mat(Buffer.from(face(0)), SIDE, SIDE, cv.CV_8UC1);
    expect(smoothSmallFace(cv, clean)).toBe(clean);
    const grainy = new cv.Mat(Buffer.from(face(25)), SIDE, SIDE, cv.CV_8UC1);
    const smoothed = smoothSmallFace(cv, grainy);
    expect(smoothed).not.toBe(grainy);
    const off = (m: typeof grainy): number => {
      const truth = face(0);
      return new Uint8Array(m.getData()).reduce((sum, v, i) => sum + Math.abs(v - truth[i]!), 0) / truth.length;
    };
    // Closer to the face under the grain than the grainy picture was.
    expect(off(smoothed)).toBeLessThan(0.7 * off(grainy));
    for (const m of [clean, grainy, smoothed]) m.release();
  });
});
