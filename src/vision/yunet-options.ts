import { ALIGN } from './yunet-scans.js';

/** What a `YunetFaceDetector` can be told, its defaults, and the checks they must pass. */

export interface YunetFaceDetectorOptions {
  /** The YuNet `.onnx` file. @default models/face-detection-yunet-n.onnx of the install folder */
  modelPath?: string;
  /** Hex sha256 the model file must have; another YuNet build needs its own. @default that of the shipped model */
  sha256?: string;
  /**
   * A full scan runs on the frame scaled down to this width (px); never scaled up. Smaller is
   * faster but misses small faces, which the second look (`secondLookThreshold`) wins back.
   * Measured on 640x480 frames, one thread, CPU time of a full scan of the one-face scene, and
   * recall on the labelled frame set of `moodbox bench vision` (176 pasted faces in 103 frames)
   * with the second look from 0.1 (`scripts/measure-detect-width.ts`): 256 px 3.3 ms, 90.9%;
   * 320 px 3.9 ms, 93.2%; 384 px 6.5 ms, 94.3%; 480 px 9.9 ms, 93.8% with one false face (93.2%
   * and none without the second look). A width that divides the frame's evenly (320 of 640) is
   * scaled much faster than one that does not. On three other seeds (150 frames each) 320 px with
   * the second look found from 0.4 points more to 1.8 points fewer faces than 480 px
   * (docs/face-detector.md).
   * @default 320
   */
  detectWidth?: number;
  /**
   * Least score (0–1) a face needs; higher keeps doubtful faces out. Faces in the test images
   * score 0.86–0.92 and their backgrounds nothing above 0.3; on 90 pasted FER-2013 faces 0.6 finds
   * 57 and 0.7 finds 52, with no false face at either; on the labelled frame set (480 px) 0.5
   * finds 1% more faces than 0.6, still with no false face. @default 0.5
   */
  scoreThreshold?: number;
  /**
   * Smallest face to report, in pixels of the original frame (the larger side of its box; YuNet's
   * box is about 0.75 of the width and 0.9 of the height of a FER-2013-style crop of the head, so
   * a 14 px face in the crowd set comes out about 12 px). @default 12
   */
  minFaceSize?: number;
  /** A tracked face is searched for in its box grown by this fraction of its size on each side. @default 0.5 */
  roiMargin?: number;
  /**
   * A full scan also notes the places scoring at least this (0–1, at most `scoreThreshold`) and
   * looks at each again in a region around it (its box grown by `roiMargin`), at the frame's
   * resolution or scaled so that the face is 128 px: a face that the downscaled frame blurs scores
   * low there and well in its region. Equal to `scoreThreshold` turns the second look off. On the
   * labelled frame set at 320 px, recall was 88.6% without it and 93.2% from 0.2 or 0.1, with no
   * false face; from 0.05 one false face came in. @default 0.1 (or `scoreThreshold` when that is lower)
   */
  secondLookThreshold?: number;
  /**
   * A face the full scan sees smaller than this many pixels of its own input (16: 32 px of a
   * 640 px frame at 320) is looked at again as a doubtful one is, even when it scored well: so
   * small, the scan places its box loosely, and two boxes on one face or a box on a face's edge
   * are likely. 0 turns it off. @default 16
   */
  smallFaceScanPx?: number;
  /**
   * The most a second look scales a region up: a small face is looked at so that it is
   * `SMALL_LOOK_FACE` (32) px, up to this many times its size in the frame. 1: never above the
   * frame's resolution. On the crowd set 2 found fewer faces of 14–24 px than 1 (86.6% against
   * 89.7%) for 40% more input pixels: YuNet reads a face scaled up from 14 px no better than at
   * 14 px, and its box less well. @default 1
   */
  maxUpscale?: number;
  /**
   * All second looks of one full scan together cost at most this many times the full scan itself
   * (in input pixels and a fixed cost per scan); the most likely places are looked at first.
   * @default 3
   */
  secondLookBudget?: number;
  /**
   * Least score (0–1) a face smaller than 32 px (the larger side of its box) needs in a full scan;
   * `scoreThreshold` when lower. A room's clutter (two cups under a table's edge, the gap between
   * two heads) makes small false faces that score 0.5–0.6. On 60 crowd frames (seed 1), 0.6 kept
   * 1 false face where 0.5 kept 5, and found 11 fewer of 1,063 faces. Faces in tracked regions (seen in
   * earlier frames, looked at scaled to 48 px) need only `scoreThreshold`. @default 0.6
   */
  smallFaceThreshold?: number;
}

/** The tuning options with their defaults filled in, checked (the model file is the detector's own). */
export type YunetSettings = Readonly<Required<Omit<YunetFaceDetectorOptions, 'modelPath' | 'sha256'>>>;

/** `options` with their defaults, checked: throws `RangeError` or `TypeError` naming the option. */
export function yunetSettings(options: YunetFaceDetectorOptions = {}): YunetSettings {
  const scoreThreshold = options.scoreThreshold ?? 0.5;
  const s: YunetSettings = {
    detectWidth: options.detectWidth ?? 320,
    scoreThreshold,
    minFaceSize: options.minFaceSize ?? 12,
    roiMargin: options.roiMargin ?? 0.5,
    secondLookThreshold: options.secondLookThreshold ?? Math.min(0.1, scoreThreshold),
    smallFaceScanPx: options.smallFaceScanPx ?? 16,
    maxUpscale: options.maxUpscale ?? 1,
    secondLookBudget: options.secondLookBudget ?? 3,
    smallFaceThreshold: Math.max(scoreThreshold, options.smallFaceThreshold ?? 0.6),
  };
  if (!(s.smallFaceScanPx >= 0)) throw new RangeError(`Expected \`smallFaceScanPx\` to be >= 0, got \`${s.smallFaceScanPx}\``);
  if (!(s.maxUpscale >= 1 && s.maxUpscale <= 4)) throw new RangeError(`Expected \`maxUpscale\` to be 1–4, got \`${s.maxUpscale}\``);
  if (!(s.secondLookBudget >= 0)) throw new RangeError(`Expected \`secondLookBudget\` to be >= 0, got \`${s.secondLookBudget}\``);
  if (!(s.detectWidth >= ALIGN)) throw new RangeError(`Expected \`detectWidth\` to be >= ${ALIGN}, got \`${s.detectWidth}\``);
  if (!(s.scoreThreshold > 0 && s.scoreThreshold < 1))
    throw new RangeError(`Expected \`scoreThreshold\` to be between 0 and 1, got \`${s.scoreThreshold}\``);
  if (!(s.minFaceSize >= 1)) throw new RangeError(`Expected \`minFaceSize\` to be >= 1, got \`${s.minFaceSize}\``);
  if (!(s.secondLookThreshold > 0 && s.secondLookThreshold <= s.scoreThreshold))
    throw new RangeError(
      `Expected \`secondLookThreshold\` to be above 0 and at most \`scoreThreshold\` (${s.scoreThreshold}), got \`${s.secondLookThreshold}\``,
    );
  if (!(s.roiMargin >= 0)) throw new RangeError(`Expected \`roiMargin\` to be >= 0, got \`${s.roiMargin}\``);
  return s;
}
