import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blurFace, denoiseFace, denoiseProblems, type FaceDenoise } from './denoise-crop.js';
import { stepFor } from './noise-steps.js';
import { measureLight } from './light-measure.js';
import { FACE_SIZE } from './preprocess.js';

/** Written by scripts/model/make_test_fixtures.py with the training code's twin, face_denoise.py. */
interface Golden {
  faces: string[];
  grain: number[];
  kernels: number[][];
  blurred: string[][];
  rule: FaceDenoise;
  denoised: string[];
}

const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'testing', 'fixtures', 'denoise-golden.json'), 'utf8')) as Golden;
const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
const faces = golden.faces.map(bytes);
const grain = (face: Uint8Array): number => measureLight(face, FACE_SIZE, FACE_SIZE).noise;

describe('the face denoising step', () => {
  it("measures each face's grain to the same bits as the training code's twin", () => {
    expect(faces.map(grain)).toEqual(golden.grain);
  });

  it('blurs a face to the same bytes as the training code, with every kernel', () => {
    faces.forEach((face, i) => {
      golden.kernels.forEach((kernel, k) => expect(blurFace(face, kernel)).toEqual(bytes(golden.blurred[i]![k]!)));
    });
  });

  it('smooths each face by the step its grain reaches, as training does, and leaves a clean face as it came', () => {
    expect(faces.map((face) => denoiseFace(face, golden.rule))).toEqual(golden.denoised.map(bytes));
    const clean = faces.find((face) => grain(face) < golden.rule.steps[0]!.fromNoise);
    expect(clean).toBeDefined();
    expect(denoiseFace(clean!, golden.rule)).toBe(clean);
  });

  it('takes most of the grain of a face seen in a dim room', () => {
    const dim = faces.at(-1)!; // a FER face through the webcam model at 4% of daylight
    const step = stepFor(golden.rule, grain(dim));
    expect(step).toBe(golden.rule.steps.at(-1));
    expect(grain(denoiseFace(dim, golden.rule))).toBeLessThan(grain(dim) / 2);
  });

  it('names what is wrong with a rule', () => {
    expect(denoiseProblems(golden.rule)).toEqual([]);
    expect(denoiseProblems({ steps: [] })).toEqual(['denoise.steps: expected at least one step, got []']);
    expect(denoiseProblems([1, 2])).toEqual([expect.stringMatching(/^denoise: expected an object \{steps/)]);
    const problems = denoiseProblems({
      steps: [
        { fromNoise: 8, kernel: [27, 202, 27] },
        { fromNoise: 4, kernel: [27, 202, 28] },
        { fromNoise: 12, kernel: [28, 201, 27] },
        { fromNoise: 16, kernel: [256] },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^denoise\.steps\[1\]\.fromNoise: expected a grain ≥ 0 above the step before, got `4`/),
      expect.stringMatching(/^denoise\.steps\[1\]\.kernel: expected a symmetric list .* that sum to 256/),
      expect.stringMatching(/^denoise\.steps\[2\]\.kernel: expected a symmetric list/),
      expect.stringMatching(/^denoise\.steps\[3\]\.kernel: expected a symmetric list/),
    ]);
  });
});
