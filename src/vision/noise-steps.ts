/**
 * Rules that go by the grain measured on each face (`measureLight`'s `noise`, grey levels): a list of
 * steps by rising `fromNoise`, of which a face takes the last one its grain reaches. The denoising
 * rule (`denoise-crop.ts`) and the label offsets (`label-offsets.ts`) are both such rules.
 */
import { describeValue } from '../kernel/errors.js';

/** One step of a rule by grain. */
export interface NoiseStep {
  /** The grain (grey levels) from which this step applies. */
  readonly fromNoise: number;
}

/** The step a face of this grain takes, or undefined when its grain is below the first. */
export function stepFor<S extends NoiseStep>(rule: { readonly steps: readonly S[] }, noise: number): S | undefined {
  let chosen: S | undefined;
  for (const step of rule.steps) if (noise >= step.fromNoise) chosen = step;
  return chosen;
}

/**
 * What is wrong with `value` as the rule `field` (empty when nothing is), each problem a sentence:
 * an object `{steps: [...]}` with at least one step, each `fromNoise` ≥ 0 and above the one before,
 * and whatever `stepProblem` finds in each step (`shape` names a step in the messages).
 */
export function noiseStepsProblems(
  field: string,
  value: unknown,
  shape: string,
  stepProblem: (step: Record<string, unknown>, at: string) => string | undefined,
): string[] {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { steps?: unknown }).steps)) {
    return [`${field}: expected an object {steps: [${shape}, …]}, got ${describeValue(value)}`];
  }
  const steps = (value as { steps: unknown[] }).steps;
  if (steps.length === 0) return [`${field}.steps: expected at least one step, got []`];
  const problems: string[] = [];
  let previous = -Infinity;
  steps.forEach((raw, i) => {
    const step = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const fromNoise = step['fromNoise'];
    if (typeof fromNoise !== 'number' || !Number.isFinite(fromNoise) || fromNoise < 0 || fromNoise <= previous) {
      problems.push(`${field}.steps[${i}].fromNoise: expected a grain ≥ 0 above the step before, got ${describeValue(fromNoise)}`);
    } else {
      previous = fromNoise;
    }
    const problem = stepProblem(step, `${field}.steps[${i}]`);
    if (problem !== undefined) problems.push(problem);
  });
  return problems;
}
