import { describe, expect, it } from 'vitest';
import { addLabelOffsets, labelOffsetsProblems, type LabelOffsets } from './label-offsets.js';

const rule: LabelOffsets = {
  steps: [
    { fromNoise: 0, offsets: [0.1, 0, 0, 0, 0, 0, -0.1] },
    { fromNoise: 6, offsets: [0, 0, 0.3, 0, 0, 0, -0.3] },
  ],
};

describe('label offsets by grain', () => {
  it("adds the offsets of the last step a face's grain reaches, to that face's logits only", () => {
    const scores = new Float32Array(21);
    addLabelOffsets(rule, 5.9, scores, 0, 7);
    addLabelOffsets(rule, 6, scores, 7, 7);
    addLabelOffsets(rule, 30, scores, 14, 7);
    expect(Array.from(scores.subarray(0, 7), (v) => +v.toFixed(4))).toEqual([0.1, 0, 0, 0, 0, 0, -0.1]);
    expect(Array.from(scores.subarray(7, 14), (v) => +v.toFixed(4))).toEqual([0, 0, 0.3, 0, 0, 0, -0.3]);
    expect(Array.from(scores.subarray(14), (v) => +v.toFixed(4))).toEqual([0, 0, 0.3, 0, 0, 0, -0.3]);
  });

  it('leaves a face below the first step as the model read it', () => {
    const scores = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);
    addLabelOffsets({ steps: [{ fromNoise: 10, offsets: [1, 1, 1, 1, 1, 1, 1] }] }, 9.99, scores, 0, 7);
    expect(Array.from(scores)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts a rule of rising steps with one offset per label', () => {
    expect(labelOffsetsProblems(rule, 7)).toEqual([]);
  });

  it('names each field that is wrong', () => {
    expect(labelOffsetsProblems('none', 7)).toEqual([
      'labelOffsets: expected an object {steps: [{fromNoise, offsets}, …]}, got `"none"` (string)',
    ]);
    expect(labelOffsetsProblems({ steps: [] }, 7)).toEqual(['labelOffsets.steps: expected at least one step, got []']);
    expect(
      labelOffsetsProblems(
        {
          steps: [
            { fromNoise: 6, offsets: [0, 0, 0, 0, 0, 0, 0] },
            { fromNoise: 6, offsets: [0, 0, 0, 0, 0, 0] },
            { fromNoise: 9, offsets: [0, 0, 0, 9, 0, 0, 0] },
          ],
        },
        7,
      ),
    ).toEqual([
      'labelOffsets.steps[1].fromNoise: expected a grain ≥ 0 above the step before, got `6` (number)',
      'labelOffsets.steps[1].offsets: expected 7 numbers (one per label) within ±4, got `[0,0,0,0,0,0]` (array)',
      'labelOffsets.steps[2].offsets: expected 7 numbers (one per label) within ±4, got `[0,0,0,9,0,0,0]` (array)',
    ]);
  });
});
