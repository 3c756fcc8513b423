/**
 * What a face's reading is worth in the room's vote, written once: by its size, by its light, and
 * for a face framed smaller than the model's crop by both together. A face still counts as a person
 * at any size and however dark; only its vote shrinks. The mood tracker multiplies the size's
 * weight by the light's (`LightReader.weighFace` gives both for each face read).
 *
 * By size: the emotion model reads a small face less well (`accuracyBySize` in the model's manifest
 * entry: its accuracy on FER-2013 PublicTest with each face shrunk to that many pixels and scaled
 * back up), and a face votes with the weight its size earns.
 *
 * By light: a face's clarity measured on its crop (`light-measure.ts`) read against the accuracy
 * the model reaches at that clarity (`ACCURACY_BY_CLARITY`).
 *
 * A small face by both: a face smaller than the model's crop is scaled up to it, which
 * smooths away the grain the crop's clarity measures (`light-measure.ts`): a 24 px face in a dim bar
 * measures as clear as one in daylight, and its vote kept the weight of its size alone. So a
 * small face's light is measured where the sensor put it, on its square as framed, before it is
 * scaled up (`cropFacesFramed`: the measure its smoothing takes), and read against a table of its
 * own size: at that size a face's own features answer the grain measure too, so the 48 px table
 * does not hold for it; and a dark face (the exposure fixed in a dim room) has little grain and
 * would measure clear, so below `darkBelow` grey levels it is read by a row of its own.
 *
 * The table gives the accuracy the model reads such a face with; its vote is that accuracy on the
 * 48 px rule's scale, `(acc − chance) / (clear − chance)` with `clear` the clearest 48 px faces'
 * (`ACCURACY_BY_CLARITY`), and its light weight is that vote over its size's weight
 * (`faceWeigher`), so that the mood tracker's product of the two is the vote: under 0.5 the
 * light has taken half of what the face is worth at its size, and it is too dark to read.
 * Between the listed sizes the votes are interpolated; from the largest listed size to the
 * crop's, towards the crop's own rule (its size's weight times its crop's light weight).
 */
import { describeValue } from '../kernel/errors.js';
import { linearTable } from './linear-table.js';
import type { FaceLight } from './light-measure.js';

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
 * A face's weight by its size under the emotion model loaded now: `faceWeigher` of its table,
 * rebuilt when the model (its table or its labels) changes; every face weighs 1 while it gives no
 * labels yet (it reads nothing then). The vision loop and `moodbox analyze` weigh faces by this one.
 */
export function modelFaceWeigher(model: {
  readonly accuracyBySize?: AccuracyBySize | undefined;
  readonly labels: readonly string[];
}): FaceWeigher {
  let made: { table: AccuracyBySize | undefined; labels: number; weigh: FaceWeigher } | undefined;
  return (sizePx) => {
    const table = model.accuracyBySize;
    const labels = model.labels.length;
    if (made === undefined || made.table !== table || made.labels !== labels) {
      // A table the manifest check let through always beats chance.
      made = { table, labels, weigh: labels >= 2 ? faceWeigher(table, labels) : () => 1 };
    }
    return made.weigh(sizePx);
  };
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

/** The model's accuracy by a face's clarity (contrast over noise), as measured on faces through a dim camera: keys are clarities. */
export type AccuracyByClarity = Readonly<Record<string, number>>;

/** The weight of a face's reading by its light, 0–1. */
export type LightWeigher = (light: FaceLight) => number;

/**
 * The light rule, as the size rule (`faceWeigher`): a face of clarity c weighs
 * `(acc(c) − chance) / (acc(clear) − chance)`, clamped to 0–1, where `acc` is linear between the
 * measured clarities and `clear` is the clearest one measured (a face at least that clear weighs 1).
 *
 * @param labels how many labels the model tells apart (7 for FER-2013)
 */
export function lightWeigher(table: AccuracyByClarity, labels: number): LightWeigher {
  const accuracyAt = accuracyByClarity(table);
  const clearest = accuracyAt(Number.POSITIVE_INFINITY);
  const chance = 1 / labels;
  const full = clearest - chance;
  if (!(full > 0)) throw new RangeError(`Expected the accuracy of the clearest faces above chance (${chance.toFixed(3)}), got ${clearest}`);
  return (light) => Math.min(1, Math.max(0, (accuracyAt(light.clarity) - chance) / full));
}

/** The accuracy `table` gives a clarity: linear between the listed clarities, the nearest listed one's outside them. */
export function accuracyByClarity(table: AccuracyByClarity): (clarity: number) => number {
  return linearTable(table, 'an accuracy for at least one clarity');
}

/**
 * How the shipped int8 model (the dim-light one, sha256 `63786ec0…`, with its denoising rule and its
 * offsets by grain) reads FER-2013 PublicTest faces by clarity, through the dim webcam of
 * `dim-camera.ts`: 3,589 faces in 23 rooms (13 lights from daylight to 3% of it, auto and fixed exposure; a backlit face at 4 lights;
 * a warm bulb and candles at 3 each), 12 equal-count bins, made non-decreasing (`node --import tsx
 * scripts/measure-light-weights.ts --bins 12 --rooms all`, Intel Xeon). A face clearer than the
 * last key weighs 1. Measure again when the model changes; see docs/light.md.
 */
export const ACCURACY_BY_CLARITY: AccuracyByClarity = {
  '1.38': 0.5119,
  '1.78': 0.5758,
  '2.16': 0.5917,
  '2.75': 0.5959,
  '3.55': 0.599,
  '4.45': 0.599,
  '5.49': 0.6191,
  '6.57': 0.6284,
  '7.82': 0.6441,
  '9.38': 0.6463,
  '11.29': 0.6512,
  '14.97': 0.6512,
};

/** Accuracy by the clarity of a face as framed, at each listed size, for lit faces and for dark ones. */
export interface SmallFaceLightTable {
  /** A face whose mean grey level as framed is under this is read by the `dark` row. */
  readonly darkBelow: number;
  /** Keys: the side of the face's square as framed (px); values: accuracy by clarity (as `ACCURACY_BY_CLARITY`), lit and dark. */
  readonly sizes: Readonly<Record<string, { readonly lit: AccuracyByClarity; readonly dark: AccuracyByClarity }>>;
}

/** A small face as weighed: its square's side as framed (px), its light there, its size's weight and its crop's light weight. */
export interface SmallFace {
  readonly side: number;
  readonly framed: FaceLight;
  readonly sizeWeight: number;
  readonly cropWeight: number;
}

/** A small face's light weight, 0–1. */
export type SmallFaceWeigher = (face: SmallFace) => number;

/**
 * The rule over `table` (above). A face framed at `cropSize` or larger, or whose size earns no
 * vote, weighs its crop's light weight.
 *
 * @param clear the accuracy of the clearest 48 px faces (the top of `ACCURACY_BY_CLARITY`)
 * @param labels how many labels the model tells apart (7 for FER-2013)
 */
export function smallFaceWeigher(table: SmallFaceLightTable, clear: number, labels: number, cropSize: number): SmallFaceWeigher {
  const chance = 1 / labels;
  if (!(clear > chance))
    throw new RangeError(`Expected the clearest accuracy above chance (${chance.toFixed(3)}), got ${describeValue(clear)}`);
  const anchors = Object.entries(table.sizes)
    .map(([side, rows]) => ({ side: Number(side), lit: accuracyByClarity(rows.lit), dark: accuracyByClarity(rows.dark) }))
    .sort((a, b) => a.side - b.side);
  const largest = anchors.at(-1);
  if (largest === undefined || !(largest.side < cropSize) || !(anchors[0]!.side > 0)) {
    throw new RangeError(
      `Expected sizes from 1 px to under the crop's ${cropSize} px, got ${Object.keys(table.sizes).join(', ') || 'none'}`,
    );
  }
  const vote = (anchor: (typeof anchors)[number], framed: FaceLight): number =>
    Math.min(
      1,
      Math.max(0, ((framed.brightness < table.darkBelow ? anchor.dark : anchor.lit)(framed.clarity) - chance) / (clear - chance)),
    );
  const voteAt = ({ side, framed, sizeWeight, cropWeight }: SmallFace): number => {
    if (side >= largest.side) {
      const t = (side - largest.side) / (cropSize - largest.side);
      return (1 - t) * vote(largest, framed) + t * sizeWeight * cropWeight;
    }
    let lo = anchors[0]!;
    if (!(side > lo.side)) return vote(lo, framed);
    for (const hi of anchors.slice(1)) {
      if (side <= hi.side) {
        const t = (side - lo.side) / (hi.side - lo.side);
        return (1 - t) * vote(lo, framed) + t * vote(hi, framed);
      }
      lo = hi;
    }
    return vote(largest, framed);
  };
  return (face) => {
    if (!(face.side < cropSize) || !(face.sizeWeight > 0)) return face.cropWeight;
    return Math.min(1, Math.max(0, voteAt(face) / face.sizeWeight));
  };
}

/**
 * How the shipped int8 model (`63786ec0…`, with its denoising rule, offsets and the smoothing of
 * small faces) reads FER-2013 PublicTest faces shrunk to each size and then through the dim webcam
 * of `dim-camera.ts` at that size, by the clarity of the face as framed: 3,589 faces in each of 23
 * rooms (the rooms of `ACCURACY_BY_CLARITY`), equal-count bins made non-decreasing
 * (`node --import tsx scripts/measure-light-weights.ts --rooms all --shrink S --sensor`, its
 * `SMALL_FACE_LIGHT` rows; Intel Xeon). Measure again when the model changes; see docs/light.md.
 */
export const SMALL_FACE_LIGHT: SmallFaceLightTable = {
  darkBelow: 48,
  sizes: {
    '16': {
      lit: {
        '1.35': 0.3439,
        '1.76': 0.3717,
        '2.22': 0.4051,
        '2.84': 0.4304,
        '3.66': 0.4304,
        '4.78': 0.4304,
        '6.36': 0.4304,
        '9.55': 0.4304,
      },
      dark: { '1.36': 0.2839, '2.92': 0.2839, '4.11': 0.2839, '5.17': 0.2839, '6.39': 0.3071, '8.91': 0.3195 },
    },
    '24': {
      lit: {
        '1.44': 0.395,
        '1.86': 0.4413,
        '2.40': 0.498,
        '3.22': 0.5393,
        '4.27': 0.5457,
        '5.55': 0.5457,
        '7.18': 0.5457,
        '10.22': 0.5457,
      },
      dark: { '1.46': 0.3268, '3.13': 0.3268, '4.20': 0.356, '5.15': 0.38, '6.22': 0.3966, '8.26': 0.4267 },
    },
    '32': {
      lit: {
        '1.48': 0.4405,
        '1.94': 0.5011,
        '2.61': 0.5416,
        '3.81': 0.5913,
        '5.62': 0.6032,
        '7.67': 0.6032,
        '10.02': 0.6032,
        '13.68': 0.6032,
      },
      dark: { '1.49': 0.3523, '3.29': 0.3717, '4.50': 0.4149, '5.62': 0.4435, '6.91': 0.4766, '9.21': 0.5127 },
    },
  },
};
