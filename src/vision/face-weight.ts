/**
 * How much a face's reading is worth by its size. The emotion model reads a small face less well
 * (`accuracyBySize` in the model's manifest entry: its accuracy on FER-2013 PublicTest with each
 * face shrunk to that many pixels and scaled back up); a face still counts as a person at any size,
 * but votes on the room's mood only with the weight its size earns.
 */
import { describeValue } from '../kernel/errors.js';
import { linearTable } from './linear-table.js';

/** The face size (px) the model's full accuracy is measured at: faces this large and larger weigh 1. */
export const FULL_SIZE_PX = 48;

/** Accuracy (0–1) by face size: keys are whole pixels (`"48"`, `"32"`…), as in the manifest. */
export type AccuracyBySize = Readonly<Record<string, number>>;

/** The weight of a face by its size (its box's larger side, px of the frame), 0–1. */
export type FaceWeigher = (sizePx: number) => number;

/**
 * The model's accuracy at `sizePx`: linear between the listed sizes, the nearest listed size's
 * outside them. Throws a `RangeError` for an empty table.
 */
export function accuracyAt(table: AccuracyBySize, sizePx: number): number {
  return accuracyBySize(table)(sizePx);
}

/** `accuracyAt` as a function of the size, the table sorted once. */
function accuracyBySize(table: AccuracyBySize): (sizePx: number) => number {
  return linearTable(table, '`accuracyBySize` to list at least one size');
}

/**
 * The weight rule: a face of size s weighs `(acc(s) − chance) / (acc(48) − chance)`, clamped to
 * 0–1, where chance is 1 / the number of labels (what a guess scores). A 48 px face and any larger
 * one weigh 1: nearness never buys more than one person's vote. Without a table (a model measured
 * at full size only) every face weighs 1.
 *
 * @param labels how many labels the model tells apart (7 for FER-2013)
 */
export function faceWeigher(table: AccuracyBySize | undefined, labels: number): FaceWeigher {
  if (table === undefined) return () => 1;
  if (!(Number.isInteger(labels) && labels >= 2)) throw new RangeError(`Expected \`labels\` to be an integer >= 2, got \`${labels}\``);
  const chance = 1 / labels;
  const accuracy = accuracyBySize(table);
  const full = accuracy(FULL_SIZE_PX) - chance;
  if (!(full > 0)) {
    throw new RangeError(`Expected the accuracy at ${FULL_SIZE_PX} px to be above chance (${chance.toFixed(3)}), got \`${full + chance}\``);
  }
  return (sizePx) => Math.min(1, Math.max(0, (accuracy(sizePx) - chance) / full));
}

/**
 * Problems with an `accuracyBySize` value, each as `field: what is wrong` (the field under
 * `accuracyBySize`); empty when it is valid. Keys must be whole sizes in px (1–4096), values
 * accuracies in (0, 1], and the accuracy at 48 px must beat chance (1 / `labels`).
 */
export function accuracyBySizeProblems(value: unknown, labels: number): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      `accuracyBySize: expected an object of accuracies by face size in px ({"48": 0.68, "24": 0.6, …}), got ${describeValue(value)}`,
    ];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return ['accuracyBySize: expected at least one size, got {}'];
  const problems: string[] = [];
  for (const [key, accuracy] of entries) {
    if (!/^[1-9]\d{0,3}$/.test(key) || Number(key) > 4096) {
      problems.push(`accuracyBySize.${key}: expected a face size in whole px (1–4096) as the key`);
    }
    if (!(typeof accuracy === 'number' && Number.isFinite(accuracy) && accuracy > 0 && accuracy <= 1)) {
      problems.push(`accuracyBySize.${key}: expected an accuracy in (0, 1], got ${describeValue(accuracy)}`);
    }
  }
  if (problems.length > 0) return problems;
  const chance = Number.isInteger(labels) && labels >= 2 ? 1 / labels : undefined;
  const full = accuracyAt(value as AccuracyBySize, FULL_SIZE_PX);
  if (chance !== undefined && !(full > chance)) {
    problems.push(`accuracyBySize: expected the accuracy at ${FULL_SIZE_PX} px above chance (1/${labels}), got ${full}`);
  }
  return problems;
}
