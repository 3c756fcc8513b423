/**
 * Per-label offsets added to a model's logits by the grain of the face it reads.
 *
 * A model that learnt from soft votes and a teacher's answers leans to "neutral" more than the faces
 * do, and a grainy or dark face leans it further: at 25% of daylight the shipped weights read
 * fearful and angry faces as neutral more often than a frown of that grain earns. One offset per
 * label and step of grain (the same grain estimate as the denoising rule, measured on the crop
 * before it is smoothed) undoes that lean without touching the weights. The offsets belong to the
 * model (its manifest's `labelOffsets`), fitted by `scripts/model/fit_offsets.py` on faces the
 * fine-tuning held out, through the webcam model at several lights; the daemon and `moodbox eval`
 * add them to the logits of the face and of its mirror, before the temperature and the softmax.
 */
import { describeValue } from '../kernel/errors.js';
import { noiseStepsProblems, stepFor, type NoiseStep } from './noise-steps.js';

/** From a grain on, these offsets (one per label, in output order) are added to a face's logits. */
export interface OffsetStep extends NoiseStep {
  readonly offsets: readonly number[];
}

/** A model's offsets by grain; a face below the first step is read as the model gives it. */
export interface LabelOffsets {
  readonly steps: readonly OffsetStep[];
}

/** Larger offsets than this would overrule the model rather than correct its lean. */
const MAX_OFFSET = 4;

/** What is wrong with `value` as `labelOffsets` for a model of `labels` outputs (empty when nothing is). */
export function labelOffsetsProblems(value: unknown, labels: number): string[] {
  return noiseStepsProblems('labelOffsets', value, '{fromNoise, offsets}', (step, at) => {
    const offsets = step['offsets'];
    const ok =
      Array.isArray(offsets) &&
      offsets.length === labels &&
      offsets.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_OFFSET);
    return ok
      ? undefined
      : `${at}.offsets: expected ${labels} numbers (one per label) within ±${MAX_OFFSET}, got ${describeValue(offsets)}`;
  });
}

/**
 * Adds the offsets for a face of grain `noise` to its `labels` logits at `offset` in `scores` (in
 * place); nothing when its grain is below the first step.
 */
export function addLabelOffsets(rule: LabelOffsets, noise: number, scores: Float32Array, offset: number, labels: number): void {
  const step = stepFor(rule, noise);
  if (step === undefined) return;
  for (let j = 0; j < labels; j++) scores[offset + j]! += step.offsets[j] ?? 0;
}
