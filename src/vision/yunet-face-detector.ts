import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Mat } from '@u4/opencv4nodejs';
import type * as OnnxRuntime from 'onnxruntime-node';
import { ModelError } from './errors.js';
import { expandBox, iou, type Box, type DetectedFace, type DetectOptions, type FaceDetector, type Point } from './face-detector.js';
import { loadOpencv, type Cv } from './opencv.js';

type Ort = typeof OnnxRuntime;
type InferenceSession = OnnxRuntime.InferenceSession;

/** The YuNet model's file name in `models/` (models/README.md, "YuNet"). */
export const YUNET_MODEL_FILE = 'face-detection-yunet-n.onnx';

/** The shipped model, beside the sources (`src/vision` or `dist/vision`) in the install folder. */
export const DEFAULT_YUNET_MODEL = fileURLToPath(new URL(`../../models/${YUNET_MODEL_FILE}`, import.meta.url));

/**
 * sha256 of the shipped model: `yunet_n_dynamic.onnx` of ShiqiYu/libfacedetection.train, commit
 * 0047ac24afb1a50a0c6105001c89d1b5b805dbf1. A file with other bytes is refused.
 */
export const YUNET_SHA256 = '104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12';

/** A face found by YuNet: its box, score and five landmarks, all in pixels of the frame. */
export type YunetFace = Required<DetectedFace>;

export interface YunetFaceDetectorOptions {
  /** The YuNet `.onnx` file. @default DEFAULT_YUNET_MODEL (models/face-detection-yunet-n.onnx) */
  modelPath?: string;
  /** Hex sha256 the model file must have; another YuNet build needs its own. @default YUNET_SHA256 */
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

/** The graph's input and the strides of its three output heads (models/README.md). */
const INPUT = 'input';
const STRIDES = [8, 16, 32] as const;
const OUTPUTS = STRIDES.flatMap((s) => [`cls_${s}`, `obj_${s}`, `bbox_${s}`, `kps_${s}`]);
/** Input sides must be multiples of the largest stride; the frame is padded with black. */
const ALIGN = 32;
/** Boxes overlapping a better one by more than this IoU are the same face. */
const NMS_IOU = 0.3;
/**
 * In a region around a tracked face, the face is scaled to this size (px) before YuNet sees it:
 * the test faces score 0.87–0.92 at 48 px (0.64 at 32 px), and a region then costs about a quarter
 * of a full scan.
 */
const REGION_FACE = 48;
/**
 * A second look scales its region so that the face is this size (px), or leaves it at the frame's
 * resolution when it is smaller. On the labelled frames, faces that the 320 px scan scores low
 * score best near this size: 48 px (the tracked regions' size) found 162 of 176 faces, 64 px 162,
 * 96 px 163, 128 px 164, the frame's own resolution 163 (scripts/measure-detect-width.ts).
 */
const SECOND_LOOK_FACE = 128;
/**
 * A second look at a small face (under 32 px in the frame) scales its region so that the face is
 * this size (px), up to `maxUpscale` times: YuNet places the boxes of faces of 24–32 px better than
 * those of 12–16 px.
 */
const SMALL_LOOK_FACE = 32;
/**
 * Two boxes are one face when they overlap by more than `NMS_IOU`, or when most of the smaller lies
 * inside the larger (this share of its area): the scans at different scales give the same small
 * face boxes a few pixels apart, whose IoU can stay under `NMS_IOU`.
 */
const NMS_INSIDE = 0.6;
/**
 * A face scoring under this whose box meets a better face's box is dropped: a half of a face or the
 * face beside a face, which the scans at two scales find next to the whole one. Faces in a crowd
 * do not share pixels of their boxes (YuNet's box is narrower than the head). On 60 crowd frames
 * this dropped 7 of 12 false faces, and 2 of the 1,028 faces it had found.
 */
const WEAK_NEIGHBOUR = 0.7;
/** Input buffers kept for reuse: the full scan's size and those of a few regions. */
const KEPT_INPUTS = 6;
/**
 * What one scan costs besides its input pixels, in input pixels. Measured on one thread with
 * 640x480 frames, a scan (scaling, tensor, run, decoding) takes about 0.55 ms plus 0.055 ms per
 * 1000 input pixels: about 1.1 ms for a 96x96 region, 5 ms for a 320x256 full scan.
 */
const SCAN_OVERHEAD_PIXELS = 10_000;

/** What `load` makes ready. */
interface Loaded {
  readonly cv: Cv;
  readonly ort: Ort;
  readonly session: InferenceSession;
}

/** Where a scanned area sits in the frame, and how it was scaled to the detector's input. */
export interface Scan {
  /** The area of the frame, px. */
  readonly region: Box;
  /** Input pixels per frame pixel. */
  readonly scale: number;
  /**
   * The areas a merged scan was made of (`mergeScans`); faces found elsewhere in `region` are
   * not kept. Undefined: `region` alone.
   */
  readonly parts?: readonly Box[];
}

/** A place the full scan looks at again: its region, and the scan's own face there when it was sure of it. */
interface Look {
  readonly scan: Scan;
  /** Kept when the second look is not made (over budget) or finds no face in its region. */
  readonly sure: YunetFace | undefined;
}

/**
 * `FaceDetector` on YuNet (Wu, Peng and Yu, 2023), a 76k-parameter CNN (WIDER FACE AP 0.81–0.89,
 * where Haar cascades score about 0.2–0.38) that gives each face a score and five landmarks. Runs
 * on onnxruntime-node with one thread; OpenCV (async calls, on the libuv thread pool) scales the
 * frame, and the tensor and the decoding are plain TypeScript. A full scan of a 640x480 frame at
 * 320 px (the default) takes about 4 ms of CPU on one thread (480 px about 10 ms), where
 * `HaarFaceDetector` takes 11–26 ms. A place the full scan finds doubtful (a score from
 * `secondLookThreshold` to `scoreThreshold`), and a face under 16 px in the scan (32 px of a 640 px
 * frame), is looked at again in its own region at up to full resolution, which wins back the faces
 * the smaller scan blurs and places the boxes of small faces well. Nearby regions are merged into
 * one scan where that costs less (`mergeScans`), so a table of faces is one scan. A one-face frame
 * costs what it did (one scan); a crowd of 20 faces of 16–40 px costs about two full scans.
 *
 * With `near`, each tracked face is searched for in a region around its box, scaled so that the
 * face is 48 px whatever its size in the frame. Measured on the group test image: one region 1.1 ms,
 * two 1.8 ms, four 3.9 ms, against 4.3 ms for a full scan. When the regions would cost more than a
 * full scan (about five tracked faces or more; nearby regions are merged first) the detector makes
 * a full scan, second looks included, and keeps the faces inside the regions.
 *
 * Refuses a model file whose sha256 is not the expected one (`MB_ERR_MODEL_CHECKSUM`).
 */
export class YunetFaceDetector implements FaceDetector {
  readonly #modelPath: string;
  readonly #sha256: string;
  readonly #detectWidth: number;
  readonly #threshold: number;
  readonly #minFace: number;
  readonly #roiMargin: number;
  readonly #secondLook: number;
  readonly #smallFaceScan: number;
  readonly #maxUpscale: number;
  readonly #budget: number;
  readonly #smallThreshold: number;
  #loading: Promise<Loaded> | undefined;
  #loaded: Loaded | undefined;
  /** Input tensors' data by padded size ("WxH"), reused by the next scan of that size. */
  readonly #inputs = new Map<string, Float32Array>();
  #last: Promise<unknown> = Promise.resolve();
  readonly #work = { scans: 0, pixels: 0 };

  constructor(options: YunetFaceDetectorOptions = {}) {
    this.#modelPath = options.modelPath ?? DEFAULT_YUNET_MODEL;
    this.#sha256 = (options.sha256 ?? YUNET_SHA256).toLowerCase();
    this.#detectWidth = options.detectWidth ?? 320;
    this.#threshold = options.scoreThreshold ?? 0.5;
    this.#minFace = options.minFaceSize ?? 12;
    this.#roiMargin = options.roiMargin ?? 0.5;
    this.#secondLook = options.secondLookThreshold ?? Math.min(0.1, this.#threshold);
    this.#smallFaceScan = options.smallFaceScanPx ?? 16;
    this.#maxUpscale = options.maxUpscale ?? 1;
    this.#budget = options.secondLookBudget ?? 3;
    this.#smallThreshold = Math.max(this.#threshold, options.smallFaceThreshold ?? 0.6);
    if (!(this.#smallFaceScan >= 0)) throw new RangeError(`Expected \`smallFaceScanPx\` to be >= 0, got \`${this.#smallFaceScan}\``);
    if (!(this.#maxUpscale >= 1 && this.#maxUpscale <= 4))
      throw new RangeError(`Expected \`maxUpscale\` to be 1–4, got \`${this.#maxUpscale}\``);
    if (!(this.#budget >= 0)) throw new RangeError(`Expected \`secondLookBudget\` to be >= 0, got \`${this.#budget}\``);
    if (!(this.#detectWidth >= ALIGN)) throw new RangeError(`Expected \`detectWidth\` to be >= ${ALIGN}, got \`${this.#detectWidth}\``);
    if (!(this.#threshold > 0 && this.#threshold < 1))
      throw new RangeError(`Expected \`scoreThreshold\` to be between 0 and 1, got \`${this.#threshold}\``);
    if (!(this.#minFace >= 1)) throw new RangeError(`Expected \`minFaceSize\` to be >= 1, got \`${this.#minFace}\``);
    if (!(this.#secondLook > 0 && this.#secondLook <= this.#threshold))
      throw new RangeError(
        `Expected \`secondLookThreshold\` to be above 0 and at most \`scoreThreshold\` (${this.#threshold}), got \`${this.#secondLook}\``,
      );
    if (!(this.#roiMargin >= 0)) throw new RangeError(`Expected \`roiMargin\` to be >= 0, got \`${this.#roiMargin}\``);
    if (!/^[0-9a-f]{64}$/.test(this.#sha256)) throw new TypeError(`Expected \`sha256\` to be 64 hex digits, got \`${this.#sha256}\``);
  }

  /**
   * The work done so far: YuNet runs and their input pixels (padded), a measure of cost that other
   * work on the machine does not disturb (`scripts/measure-detect-width.ts`).
   */
  get work(): { readonly scans: number; readonly pixels: number } {
    return { ...this.#work };
  }

  /**
   * Loads OpenCV, onnxruntime and the model; `detect` does this itself on first use. Throws
   * `ModelError`: `MB_ERR_MODEL_LOAD` (the file cannot be read, or onnxruntime cannot load it as a
   * YuNet graph) or `MB_ERR_MODEL_CHECKSUM` (the file's sha256 is not the expected one). A failed
   * load is tried again on the next call.
   */
  async load(): Promise<void> {
    if (this.#loaded) return;
    const loading = (this.#loading ??= this.#open());
    try {
      this.#loaded = await loading;
    } catch (err) {
      if (this.#loading === loading) this.#loading = undefined;
      throw err;
    }
  }

  async #open(): Promise<Loaded> {
    const path = this.#modelPath;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_LOAD', `cannot read the face detection model ${path}: ${(err as Error).message}`, { cause: err });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== this.#sha256) {
      throw new ModelError(
        'MB_ERR_MODEL_CHECKSUM',
        `the face detection model ${path} has sha256 ${sha256}, expected ${this.#sha256}: the file is damaged or not the shipped YuNet model (models/README.md)`,
      );
    }
    const cv = await loadOpencv();
    const ort = await import('onnxruntime-node');
    let session: InferenceSession;
    try {
      // The bytes that were checked are the bytes that are loaded.
      session = await ort.InferenceSession.create(bytes, {
        // No memory plan per input shape: the shapes vary (regions, batches of faces), and each plan
        // kept its own buffers (C heap 75 -> 60 MiB in demo mode, CPU time within the noise).
        enableMemPattern: false,
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_LOAD', `onnxruntime cannot load the face detection model ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const missing = [INPUT].filter((n) => !session.inputNames.includes(n)).concat(OUTPUTS.filter((n) => !session.outputNames.includes(n)));
    if (missing.length > 0) {
      await session.release();
      throw new ModelError('MB_ERR_MODEL_LOAD', `${path} is not a YuNet graph: it has no ${missing.join(', ')}`);
    }
    return { cv, ort, session };
  }

  async detect(image: Mat, options: DetectOptions = {}): Promise<YunetFace[]> {
    // One detection at a time, so that the detector keeps to one core (onnxruntime would run
    // concurrent calls side by side) and answers frames in the order they came.
    const run = this.#last.then(() => this.#detect(image, options));
    this.#last = run.catch(() => undefined);
    return run;
  }

  async #detect(image: Mat, options: DetectOptions): Promise<YunetFace[]> {
    await this.load();
    const { cv } = this.#loaded as Loaded;
    const { cols, rows } = image;
    if (!(image.channels === 1 || image.channels === 3 || image.channels === 4) || image.depth !== cv.CV_8U) {
      throw new TypeError(`Expected \`image\` to be an 8-bit BGR or grey Mat, got ${image.channels} channels of depth ${image.depth}`);
    }
    const whole: Scan = { region: { x: 0, y: 0, width: cols, height: rows }, scale: Math.min(1, this.#detectWidth / cols) };
    if (options.near === undefined) return this.#finish(await this.#fullScan(image, whole), cols, rows, true);
    const regions = this.#regions(options.near, cols, rows, (size) => REGION_FACE / size, Number.POSITIVE_INFINITY);
    const tiles = mergeScans(regions);
    const found: YunetFace[] = [];
    if (tiles.reduce((sum, r) => sum + cost(r), 0) >= cost(whole)) {
      // Cheaper to scan everything once (with its second looks at small faces) and keep what lies
      // near the tracked faces.
      // A sure face where a tracked face is needs no second look: earlier frames confirmed it.
      found.push(...(await this.#fullScan(image, whole, regions)).filter((f) => regions.some((r) => centreInside(f, r.region))));
    } else {
      for (const tile of tiles) found.push(...(await this.#scanParts(image, tile, this.#threshold)));
    }
    // Tracked faces were seen in earlier frames and are looked at scaled to 48 px: the score a
    // small face needs in a full scan does not apply to them.
    return this.#finish(found, cols, rows, false);
  }

  /**
   * The whole frame at `whole.scale`, then second looks: each place scoring from
   * `secondLookThreshold` to `scoreThreshold` that no sure face covers, and each sure face smaller
   * than `smallFaceScanPx` pixels of the scan, is looked at again in its own region (nearby
   * regions merged into one scan), small faces scaled up. A sure small face stays when its second
   * look is not made or finds nothing; a doubtful place counts only when its second look finds a
   * face. A sure small face inside one of `tracked` (faces earlier frames confirmed) gets no second look.
   */
  async #fullScan(image: Mat, whole: Scan, tracked: readonly Scan[] = []): Promise<YunetFace[]> {
    const found = suppress(await this.#scan(image, whole, this.#secondLook));
    const small = this.#smallFaceScan / whole.scale;
    const isTracked = (f: YunetFace): boolean => tracked.some((r) => centreInside(f, r.region));
    const isLooked = (f: YunetFace): boolean => f.score < this.#threshold || (Math.max(f.width, f.height) < small && !isTracked(f));
    const faces = found.filter((f) => !isLooked(f));
    const places = found.filter((f) => isLooked(f) && !faces.some((k) => overlap(k, f)));
    if (places.length === 0) return faces;
    // Sure small faces first, then the doubtful places by score (`found` is sorted best first).
    places.sort((a, b) => Number(b.score >= this.#threshold) - Number(a.score >= this.#threshold));
    const scans = this.#regions(places, image.cols, image.rows, (size) => this.#lookScale(size), this.#maxUpscale);
    const looks: Look[] = scans.map((scan, i) => ({ scan, sure: (places[i]?.score ?? 0) >= this.#threshold ? places[i] : undefined }));
    let budget = this.#budget * cost(whole);
    for (const tile of mergeScans(looks.map((l) => l.scan))) {
      const members = looks.filter((l) => tile.parts?.includes(l.scan.region) ?? l.scan.region === tile.region);
      budget -= cost(tile);
      const seen = budget < 0 ? [] : (await this.#scanParts(image, tile, this.#threshold)).filter((f) => this.#passes(f));
      faces.push(...seen);
      for (const { scan, sure } of members) {
        if (sure !== undefined && !seen.some((f) => centreInside(f, scan.region))) faces.push(sure);
      }
    }
    return faces;
  }

  /** Whether `face` scores enough for its size: `smallFaceThreshold` under `SMALL_LOOK_FACE`, `scoreThreshold` above. */
  #passes(face: YunetFace): boolean {
    return face.score >= (Math.max(face.width, face.height) < SMALL_LOOK_FACE ? this.#smallThreshold : this.#threshold);
  }

  /** The scale a second look gives a face `size` px wide: small ones up to `SMALL_LOOK_FACE`, others down to `SECOND_LOOK_FACE`. */
  #lookScale(size: number): number {
    return size < SMALL_LOOK_FACE ? Math.min(this.#maxUpscale, SMALL_LOOK_FACE / size) : Math.min(1, SECOND_LOOK_FACE / size);
  }

  /** The regions to search around `boxes`, each scaled by `scaleFor(size)`, never above `maxScale`. */
  #regions(boxes: readonly Box[], cols: number, rows: number, scaleFor: (size: number) => number, maxScale: number): Scan[] {
    const regions: Scan[] = [];
    for (const near of boxes) {
      const size = Math.max(near.width, near.height);
      const grown = expandBox(near, this.#roiMargin, cols, rows);
      // Whole pixels: tracked boxes may be smoothed to fractions.
      const x = Math.round(grown.x);
      const y = Math.round(grown.y);
      const region = {
        x,
        y,
        width: Math.min(cols, Math.round(grown.x + grown.width)) - x,
        height: Math.min(rows, Math.round(grown.y + grown.height)) - y,
      };
      if (size > 0 && region.width > 0 && region.height > 0) regions.push({ region, scale: Math.min(maxScale, scaleFor(size)) });
    }
    return regions;
  }

  /** `#scan` of a tile, keeping the faces centred in one of its parts. */
  async #scanParts(image: Mat, tile: Scan, threshold: number): Promise<YunetFace[]> {
    const parts = tile.parts ?? [tile.region];
    return (await this.#scan(image, tile, threshold)).filter((f) => parts.some((p) => centreInside(f, p)));
  }

  /** Runs YuNet on `scan.region` of `image` scaled by `scan.scale`; faces scoring at least `threshold`, in frame pixels, not yet clipped or suppressed. */
  async #scan(image: Mat, scan: Scan, threshold: number): Promise<YunetFace[]> {
    const { cv, ort, session } = this.#loaded as Loaded;
    const { region, scale } = scan;
    const width = Math.max(1, Math.round(region.width * scale));
    const height = Math.max(1, Math.round(region.height * scale));
    const isWhole = region.width === image.cols && region.height === image.rows;
    const roi = isWhole ? image : image.getRegion(new cv.Rect(region.x, region.y, region.width, region.height));
    // Always a new, continuous Mat (getData refuses a region), released here.
    const scaled = await roi.resizeAsync(height, width, 0, 0, scale < 1 ? cv.INTER_AREA : cv.INTER_LINEAR);
    if (roi !== image) roi.release();
    let pixels: Buffer;
    try {
      // A copy of at most a few hundred kilobytes: done here, it costs a third of the CPU time
      // that handing it to a worker thread does.
      pixels = scaled.getData();
    } finally {
      scaled.release();
    }
    const input = { width: Math.ceil(width / ALIGN) * ALIGN, height: Math.ceil(height / ALIGN) * ALIGN };
    this.#work.scans += 1;
    this.#work.pixels += input.width * input.height;
    const data = this.#input(input.width, input.height);
    planarBgr(pixels, width, height, image.channels, input.width, input.height, data);
    const tensor = new ort.Tensor('float32', data, [1, 3, input.height, input.width]);
    let outputs: OnnxRuntime.InferenceSession.ReturnType;
    try {
      outputs = await session.run({ [INPUT]: tensor });
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_LOAD', `the face detection model failed to run: ${(err as Error).message}`, { cause: err });
    }
    return decode(outputs, input.width, input.height, threshold, {
      x: region.x,
      y: region.y,
      sx: region.width / width,
      sy: region.height / height,
    });
  }

  /**
   * The data of a `width` x `height` input tensor, kept for the next scan of that size: a full
   * scan's is about a megabyte, which a new array would allocate and zero on every frame. Scans run
   * one at a time, so a buffer is never in use twice. Regions around faces come in many sizes, so
   * only the last few sizes are kept.
   */
  #input(width: number, height: number): Float32Array {
    const key = `${width}x${height}`;
    let data = this.#inputs.get(key);
    if (data === undefined) {
      if (this.#inputs.size >= KEPT_INPUTS) this.#inputs.delete(this.#inputs.keys().next().value ?? key);
      data = new Float32Array(3 * width * height);
    } else {
      // Most recently used last, so the oldest size is the one let go.
      this.#inputs.delete(key);
    }
    this.#inputs.set(key, data);
    return data;
  }

  /** Best faces first, overlapping ones dropped; then clipped to the image, small ones dropped, sorted by position. */
  #finish(found: readonly YunetFace[], width: number, height: number, isFullScan: boolean): YunetFace[] {
    const all = suppress(found);
    const kept = all.filter(
      (f) => (!isFullScan || this.#passes(f)) && !(f.score < WEAK_NEIGHBOUR && all.some((k) => k.score > f.score && interShare(k, f) > 0)),
    );
    const faces: YunetFace[] = [];
    for (const face of kept) {
      const x = clamp(Math.round(face.x), 0, width);
      const y = clamp(Math.round(face.y), 0, height);
      const box = {
        x,
        y,
        width: clamp(Math.round(face.x + face.width), 0, width) - x,
        height: clamp(Math.round(face.y + face.height), 0, height) - y,
      };
      if (box.width <= 0 || box.height <= 0 || Math.max(box.width, box.height) < this.#minFace) continue;
      const landmarks = face.landmarks.map(([px, py]): Point => [
        clamp(Math.round(px), 0, width - 1),
        clamp(Math.round(py), 0, height - 1),
      ]);
      faces.push({ ...box, score: face.score, landmarks });
    }
    return faces.sort((a, b) => a.x - b.x || a.y - b.y);
  }
}

/** Best faces first, each dropped when it is the same face as a better one (`overlap`). */
function suppress(found: readonly YunetFace[]): YunetFace[] {
  const kept: YunetFace[] = [];
  for (const face of [...found].sort((a, b) => b.score - a.score)) {
    if (kept.some((k) => overlap(k, face))) continue;
    kept.push(face);
  }
  return kept;
}

function interShare(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (ix * iy) / Math.min(a.width * a.height, b.width * b.height);
}

/** Whether two boxes are one face: IoU above `NMS_IOU`, or most of the smaller inside the larger. */
function overlap(a: Box, b: Box): boolean {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  if (inter === 0) return false;
  return iou(a, b) > NMS_IOU || inter > NMS_INSIDE * Math.min(a.width * a.height, b.width * b.height);
}

/**
 * Scans merged where one scan of the box around them costs less than scanning them apart (`cost`):
 * faces close together, as at a table, are scanned together, at the larger of their scales. The
 * merged scans keep their parts, in the order of `scans`, and come in the order of their first part.
 */
export function mergeScans(scans: readonly Scan[]): Scan[] {
  let tiles: Scan[] = scans.map((s) => ({ ...s, parts: s.parts ?? [s.region] }));
  for (;;) {
    let best: { i: number; j: number; merged: Scan; saving: number } | undefined;
    for (let i = 0; i < tiles.length; i++) {
      for (let j = i + 1; j < tiles.length; j++) {
        const [a, b] = [tiles[i]!, tiles[j]!];
        const x = Math.min(a.region.x, b.region.x);
        const y = Math.min(a.region.y, b.region.y);
        const merged: Scan = {
          region: {
            x,
            y,
            width: Math.max(a.region.x + a.region.width, b.region.x + b.region.width) - x,
            height: Math.max(a.region.y + a.region.height, b.region.y + b.region.height) - y,
          },
          scale: Math.max(a.scale, b.scale),
          parts: [...(a.parts ?? []), ...(b.parts ?? [])],
        };
        const saving = cost(a) + cost(b) - cost(merged);
        if (saving > 0 && (best === undefined || saving > best.saving)) best = { i, j, merged, saving };
      }
    }
    if (best === undefined) return tiles;
    const { i, j, merged } = best;
    tiles = tiles.flatMap((t, k) => (k === i ? [merged] : k === j ? [] : [t]));
  }
}

/** What scanning `scan` costs, in input pixels (padded) plus the fixed cost of a scan. */
export function cost({ region, scale }: Scan): number {
  const pad = (n: number): number => Math.ceil(Math.max(1, Math.round(n * scale)) / ALIGN) * ALIGN;
  return pad(region.width) * pad(region.height) + SCAN_OVERHEAD_PIXELS;
}

/**
 * Writes the input tensor's data into `data`: `width` x `height` pixels of 8-bit BGR, BGRA or grey
 * (`channels`), row-major, as float32 B, G and R planes of `paddedWidth` x `paddedHeight`, values
 * 0–255, zero (black) outside the image. Every value of `data` is written, so it may hold an
 * earlier scan's.
 */
export function planarBgr(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  paddedWidth: number,
  paddedHeight: number,
  data: Float32Array = new Float32Array(3 * paddedWidth * paddedHeight),
): Float32Array {
  const plane = paddedWidth * paddedHeight;
  if (data.length !== 3 * plane) throw new RangeError(`Expected \`data\` to hold ${3 * plane} values, got ${data.length}`);
  // A grey pixel is read three times; BGRA's alpha is skipped.
  const green = channels === 1 ? 0 : 1;
  const red = channels === 1 ? 0 : 2;
  for (let y = 0; y < height; y++) {
    let s = y * width * channels;
    const start = y * paddedWidth;
    const end = start + width;
    for (let d = start; d < end; d++, s += channels) {
      data[d] = pixels[s]!;
      data[plane + d] = pixels[s + green]!;
      data[2 * plane + d] = pixels[s + red]!;
    }
    if (width < paddedWidth) {
      const rowEnd = start + paddedWidth;
      data.fill(0, end, rowEnd);
      data.fill(0, plane + end, plane + rowEnd);
      data.fill(0, 2 * plane + end, 2 * plane + rowEnd);
    }
  }
  if (height < paddedHeight) {
    for (let c = 0; c < 3; c++) data.fill(0, c * plane + height * paddedWidth, (c + 1) * plane);
  }
  return data;
}

/**
 * The faces scoring at least `threshold` in YuNet's outputs for a `width` x `height` input, mapped
 * to the frame: input pixel (u, v) is frame pixel (x + u * sx, y + v * sy). For the cell at column
 * c, row r of stride s: score = sqrt(cls * obj), both clamped to 0–1; centre = ((c + dx) s,
 * (r + dy) s); size = (exp(dw) s, exp(dh) s); landmark k = ((c + kx) s, (r + ky) s).
 */
function decode(
  outputs: OnnxRuntime.InferenceSession.ReturnType,
  width: number,
  height: number,
  threshold: number,
  to: { x: number; y: number; sx: number; sy: number },
): YunetFace[] {
  const faces: YunetFace[] = [];
  for (const stride of STRIDES) {
    const cols = width / stride;
    const cells = cols * (height / stride);
    const cls = output(outputs, `cls_${stride}`, cells);
    const obj = output(outputs, `obj_${stride}`, cells);
    const bbox = output(outputs, `bbox_${stride}`, cells * 4);
    const kps = output(outputs, `kps_${stride}`, cells * 10);
    for (let i = 0; i < cells; i++) {
      const score = Math.sqrt(clamp(cls[i]!, 0, 1) * clamp(obj[i]!, 0, 1));
      if (!(score >= threshold)) continue;
      const c = i % cols;
      const r = (i - c) / cols;
      const w = Math.exp(bbox[4 * i + 2]!) * stride;
      const h = Math.exp(bbox[4 * i + 3]!) * stride;
      const cx = (c + bbox[4 * i]!) * stride;
      const cy = (r + bbox[4 * i + 1]!) * stride;
      const landmarks: Point[] = [];
      for (let k = 0; k < 5; k++) {
        landmarks.push([to.x + (c + kps[10 * i + 2 * k]!) * stride * to.sx, to.y + (r + kps[10 * i + 2 * k + 1]!) * stride * to.sy]);
      }
      faces.push({ x: to.x + (cx - w / 2) * to.sx, y: to.y + (cy - h / 2) * to.sy, width: w * to.sx, height: h * to.sy, score, landmarks });
    }
  }
  return faces;
}

function output(outputs: OnnxRuntime.InferenceSession.ReturnType, name: string, length: number): Float32Array {
  const data = outputs[name]?.data;
  if (!(data instanceof Float32Array) || data.length !== length) {
    throw new ModelError('MB_ERR_MODEL_LOAD', `the face detection model gave no float32 output ${name} of ${length} values`);
  }
  return data;
}

function centreInside(box: Box, region: Box): boolean {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return cx >= region.x && cx < region.x + region.width && cy >= region.y && cy < region.y + region.height;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
