/**
 * What a small face's light earns. A face smaller than the model's crop is scaled up to it, which
 * smooths away the grain the crop's clarity measures (`face-light.ts`): a 24 px face in a dim bar
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
 * (`face-weight.ts`), so that the mood tracker's product of the two is the vote: under 0.5 the
 * light has taken half of what the face is worth at its size, and it is too dark to read.
 * Between the listed sizes the votes are interpolated; from the largest listed size to the
 * crop's, towards the crop's own rule (its size's weight times its crop's light weight).
 */
import { describeValue } from '../kernel/errors.js';
import { accuracyByClarity, type AccuracyByClarity, type FaceLight } from './face-light.js';

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
 * of `low-light.ts` at that size, by the clarity of the face as framed: 3,589 faces in each of 23
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
