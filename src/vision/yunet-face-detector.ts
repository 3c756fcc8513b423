import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Mat } from '@u4/opencv4nodejs';
import type * as OnnxRuntime from 'onnxruntime-node';
import { loadOnnxRuntime } from './onnxruntime.js';
import { ModelError } from './errors.js';
import { expandBox, type Box, type DetectOptions, type FaceDetector, type Point } from './face-detector.js';
import { smoothForDetection } from './light-reader.js';
import { loadOpencv, type Cv } from './opencv.js';
import { yunetSettings, type YunetFaceDetectorOptions, type YunetSettings } from './yunet-options.js';
import {
  batchCost,
  batchScans,
  centreInside,
  cost,
  inputOf,
  isWeakNeighbour,
  mergeScans,
  overlap,
  suppress,
  type Batch,
  type Scan,
  type YunetFace,
} from './yunet-scans.js';
import { clamp, decode, fillInput, INPUT, OUTPUTS } from './yunet-tensors.js';

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

/** What `load` makes ready. */
interface Loaded {
  readonly cv: Cv;
  readonly ort: Ort;
  readonly session: InferenceSession;
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
 * on onnxruntime-node with one thread (on the libuv thread pool); OpenCV scales the frame and lays
 * out the tensor (a fraction of a millisecond, on the caller's thread), and the decoding is plain
 * TypeScript. A full scan of a 640x480 frame at 320 px (the default) takes about 2 ms of CPU on
 * one thread (docs/face-detector.md), where `HaarFaceDetector` takes 11–26 ms. A place the full scan finds doubtful (a score from
 * `secondLookThreshold` to `scoreThreshold`), and a face under 16 px in the scan (32 px of a 640 px
 * frame), is looked at again in its own region at up to full resolution, which wins back the faces
 * the smaller scan blurs and places the boxes of small faces well. Nearby regions are merged into
 * one scan where that costs less (`mergeScans`), so a table of faces is one scan. A one-face frame
 * costs what it did (one scan); a crowd of 20 faces of 16–40 px costs about two full scans.
 *
 * With `near`, each tracked face is searched for in a region around its box, scaled so that the
 * face is 48 px whatever its size in the frame. Regions of one input size, and second looks of one
 * size, are scanned in one run of the model (a batch, `batchScans`). Measured on the group test
 * image (one thread, Intel Xeon, VNNI): one region 0.6 ms, four 1.5 ms (2.5 ms as four runs
 * scaled by INTER_AREA at any factor), against 2.6 ms for a full scan. When the regions would cost
 * more than a full scan (seven tracked faces or more; nearby regions are merged first) the
 * detector makes a full scan, second looks only where they can find a tracked face, and keeps the
 * faces inside the regions.
 *
 * Refuses a model file whose sha256 is not the expected one (`MB_ERR_MODEL_CHECKSUM`).
 */
export class YunetFaceDetector implements FaceDetector {
  readonly #modelPath: string;
  readonly #sha256: string;
  readonly #o: YunetSettings;
  #loading: Promise<Loaded> | undefined;
  #loaded: Loaded | undefined;
  /**
   * The input tensors' data: one buffer, grown to the largest run so far (a full scan's is about a
   * megabyte, which a new array would allocate and zero on every frame); each run uses its start.
   * Scans run one at a time, so it is never in use twice.
   */
  #input = new Float32Array(0);
  #last: Promise<unknown> = Promise.resolve();
  readonly #work = { scans: 0, pixels: 0 };

  constructor(options: YunetFaceDetectorOptions = {}) {
    this.#o = yunetSettings(options);
    this.#modelPath = options.modelPath ?? DEFAULT_YUNET_MODEL;
    this.#sha256 = (options.sha256 ?? YUNET_SHA256).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(this.#sha256)) throw new TypeError(`Expected \`sha256\` to be 64 hex digits, got \`${this.#sha256}\``);
  }

  /**
   * The work done so far: YuNet runs (a batch of regions is one) and their input pixels (padded),
   * a measure of cost that other work on the machine does not disturb
   * (`scripts/measure-detect-width.ts`).
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
    const ort = await loadOnnxRuntime();
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
    const whole: Scan = { region: { x: 0, y: 0, width: cols, height: rows }, scale: Math.min(1, this.#o.detectWidth / cols) };
    const smooth = options.smooth ?? 0;
    if (options.near === undefined)
      return this.#finish(await this.#smoothed(image, smooth, (seen) => this.#fullScan(seen, whole)), cols, rows, true);
    const regions = this.#regions(options.near, cols, rows, (size) => REGION_FACE / size, Number.POSITIVE_INFINITY);
    const tiles = mergeScans(regions);
    const batches = batchScans(tiles);
    const found: YunetFace[] = [];
    if (batches.reduce((sum, b) => sum + batchCost(b), 0) >= cost(whole)) {
      // Cheaper to scan everything once (with its second looks at small faces) and keep what lies
      // near the tracked faces.
      // A sure face where a tracked face is needs no second look: earlier frames confirmed it.
      const all = await this.#smoothed(image, smooth, (seen) => this.#fullScan(seen, whole, regions));
      found.push(...all.filter((f) => regions.some((r) => centreInside(f, r.region))));
    } else {
      // Each region smoothed on its own (with a margin, the same pixels as the whole frame smoothed):
      // a few regions are a fraction of the frame.
      const seen = await this.#scanTiles(image, batches, this.#o.scoreThreshold, smooth);
      for (const tile of tiles) found.push(...(seen.get(tile) ?? []));
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
   * face. With `tracked` (the regions of faces earlier frames confirmed, scanned this way when they
   * would cost more), only faces in them are wanted: a sure small face inside one gets no second
   * look, and a place whose look does not meet one gets none either.
   */
  async #fullScan(image: Mat, whole: Scan, tracked: readonly Scan[] = []): Promise<YunetFace[]> {
    const found = suppress(await this.#scan(image, whole, this.#o.secondLookThreshold));
    const small = this.#o.smallFaceScanPx / whole.scale;
    const isTracked = (f: YunetFace): boolean => tracked.some((r) => centreInside(f, r.region));
    const isLooked = (f: YunetFace): boolean => f.score < this.#o.scoreThreshold || (Math.max(f.width, f.height) < small && !isTracked(f));
    const faces = found.filter((f) => !isLooked(f));
    const places = found.filter((f) => isLooked(f) && !faces.some((k) => overlap(k, f)));
    if (places.length === 0) return faces;
    // Sure small faces first, then the doubtful places by score (`found` is sorted best first).
    places.sort((a, b) => Number(b.score >= this.#o.scoreThreshold) - Number(a.score >= this.#o.scoreThreshold));
    const scans = this.#regions(places, image.cols, image.rows, (size) => this.#lookScale(size), this.#o.maxUpscale);
    const all: Look[] = scans.map((scan, i) => ({
      scan,
      sure: (places[i]?.score ?? 0) >= this.#o.scoreThreshold ? places[i] : undefined,
    }));
    // Scanning in place of the tracked regions, only faces in them are kept: a look that cannot
    // reach one of them would find what is dropped.
    const looks = tracked.length === 0 ? all : all.filter((l) => tracked.some((r) => meets(l.scan.region, r.region)));
    // The looks in order until the budget is spent; all of them scanned together, in batches.
    let budget = this.#o.secondLookBudget * cost(whole);
    const tiles = mergeScans(looks.map((l) => l.scan));
    const made = tiles.filter((tile) => (budget -= cost(tile)) >= 0);
    const seenIn = await this.#scanTiles(image, batchScans(made), this.#o.scoreThreshold);
    for (const tile of tiles) {
      const members = looks.filter((l) => tile.parts?.includes(l.scan.region) ?? l.scan.region === tile.region);
      const seen = (seenIn.get(tile) ?? []).filter((f) => this.#passes(f));
      faces.push(...seen);
      for (const { scan, sure } of members) {
        if (sure !== undefined && !seen.some((f) => centreInside(f, scan.region))) faces.push(sure);
      }
    }
    return faces;
  }

  /** Whether `face` scores enough for its size: `smallFaceThreshold` under `SMALL_LOOK_FACE`, `scoreThreshold` above. */
  #passes(face: YunetFace): boolean {
    return face.score >= (Math.max(face.width, face.height) < SMALL_LOOK_FACE ? this.#o.smallFaceThreshold : this.#o.scoreThreshold);
  }

  /** The scale a second look gives a face `size` px wide: small ones up to `SMALL_LOOK_FACE`, others down to `SECOND_LOOK_FACE`. */
  #lookScale(size: number): number {
    return size < SMALL_LOOK_FACE ? Math.min(this.#o.maxUpscale, SMALL_LOOK_FACE / size) : Math.min(1, SECOND_LOOK_FACE / size);
  }

  /** The regions to search around `boxes`, each scaled by `scaleFor(size)`, never above `maxScale`. */
  #regions(boxes: readonly Box[], cols: number, rows: number, scaleFor: (size: number) => number, maxScale: number): Scan[] {
    const regions: Scan[] = [];
    for (const near of boxes) {
      const size = Math.max(near.width, near.height);
      const grown = expandBox(near, this.#o.roiMargin, cols, rows);
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

  /** `scan` of `image` smoothed with `kernel` (0: as it is), the smoothed copy released after. */
  async #smoothed<T>(image: Mat, kernel: 0 | 3 | 5, scan: (seen: Mat) => Promise<T>): Promise<T> {
    const seen = await smoothForDetection(image, kernel);
    try {
      return await scan(seen);
    } finally {
      if (seen !== image) seen.release();
    }
  }

  /** Each tile of `batches` scanned, with the faces centred in one of its parts. */
  async #scanTiles(image: Mat, batches: readonly Batch[], threshold: number, smooth: 0 | 3 | 5 = 0): Promise<Map<Scan, YunetFace[]>> {
    const seen = new Map<Scan, YunetFace[]>();
    for (const batch of batches) {
      const found = await this.#scanBatch(image, batch, threshold, smooth);
      batch.scans.forEach((tile, i) => {
        const parts = tile.parts ?? [tile.region];
        seen.set(
          tile,
          (found[i] ?? []).filter((f) => parts.some((p) => centreInside(f, p))),
        );
      });
    }
    return seen;
  }

  /**
   * `region` of `image`, smoothed with `kernel`: cut with a margin of the kernel's side, smoothed,
   * and the margin left out, which gives the same pixels as the whole frame smoothed. `release`
   * lets go of what was made for it (nothing for the whole frame as it is).
   */
  #regionOf(cv: Cv, image: Mat, region: Box, kernel: 0 | 3 | 5): { pixels: Mat; release: () => void } {
    const isWhole = region.width === image.cols && region.height === image.rows;
    if (kernel === 0) {
      if (isWhole) return { pixels: image, release: () => undefined };
      const pixels = image.getRegion(new cv.Rect(region.x, region.y, region.width, region.height));
      return { pixels, release: () => pixels.release() };
    }
    const x = Math.max(0, region.x - kernel);
    const y = Math.max(0, region.y - kernel);
    const width = Math.min(image.cols, region.x + region.width + kernel) - x;
    const height = Math.min(image.rows, region.y + region.height + kernel) - y;
    // A copy: smoothed in place of the frame's own memory, a region's edges differ by a grey level.
    const view = image.getRegion(new cv.Rect(x, y, width, height));
    const around = view.copy();
    view.release();
    const smoothed = around.gaussianBlur(new cv.Size(kernel, kernel), 0);
    around.release();
    const pixels = smoothed.getRegion(new cv.Rect(region.x - x, region.y - y, region.width, region.height));
    return {
      pixels,
      release: () => {
        pixels.release();
        smoothed.release();
      },
    };
  }

  /** `#scanBatch` of one scan. */
  async #scan(image: Mat, scan: Scan, threshold: number): Promise<YunetFace[]> {
    return (await this.#scanBatch(image, { input: inputOf(scan), scans: [scan] }, threshold, 0))[0] ?? [];
  }

  /**
   * Runs YuNet once on the scans of `batch`, each `scan.region` of `image` (smoothed with `smooth`)
   * scaled by `scan.scale` and padded with black to `batch.input`: for each scan, in order, the
   * faces scoring at least `threshold`, in frame pixels, not yet clipped or suppressed.
   */
  async #scanBatch(image: Mat, batch: Batch, threshold: number, smooth: 0 | 3 | 5): Promise<YunetFace[][]> {
    const { cv, ort, session } = this.#loaded as Loaded;
    const { input, scans } = batch;
    const each = 3 * input.width * input.height;
    const size = scans.length * each;
    if (this.#input.length < size) this.#input = new Float32Array(size);
    const data = this.#input.subarray(0, size);
    const scaledTo = scans.map(({ region, scale }, i) => {
      const width = Math.max(1, Math.round(region.width * scale));
      const height = Math.max(1, Math.round(region.height * scale));
      const roi = this.#regionOf(cv, image, region, smooth);
      // Always a new, continuous Mat, released here. Synchronous: scaling a region takes a few
      // hundredths of a millisecond, less than handing it to the thread pool and back. A scan that
      // covers the frame (the full scan, or tracked regions merged over a small frame) is scaled by
      // INTER_AREA (by 2 for 640 px at 320: OpenCV's fast path); a region, by whatever factor makes
      // its face 48 px, in two fast steps (`scaleRegion`).
      const isWhole = region.width === image.cols && region.height === image.rows;
      const { scaled, used } = isWhole
        ? { scaled: roi.pixels.resize(height, width, 0, 0, scale < 1 ? cv.INTER_AREA : cv.INTER_LINEAR), used: region }
        : scaleRegion(cv, roi.pixels, width, height);
      roi.release();
      try {
        fillInput(cv, scaled, input.width, input.height, data.subarray(i * each, (i + 1) * each));
      } finally {
        scaled.release();
      }
      return { sx: used.width / width, sy: used.height / height };
    });
    this.#work.scans += 1;
    this.#work.pixels += size / 3;
    const tensor = new ort.Tensor('float32', data, [scans.length, 3, input.height, input.width]);
    let outputs: OnnxRuntime.InferenceSession.ReturnType;
    try {
      outputs = await session.run({ [INPUT]: tensor });
    } catch (err) {
      throw new ModelError('MB_ERR_MODEL_LOAD', `the face detection model failed to run: ${(err as Error).message}`, { cause: err });
    }
    return scans.map(({ region }, index) =>
      decode(
        outputs,
        input.width,
        input.height,
        threshold,
        { x: region.x, y: region.y, ...scaledTo[index]! },
        { index, size: scans.length },
      ),
    );
  }

  /** Best faces first, overlapping ones dropped; then clipped to the image, small ones dropped, sorted by position. */
  #finish(found: readonly YunetFace[], width: number, height: number, isFullScan: boolean): YunetFace[] {
    const all = suppress(found);
    const kept = all.filter((f) => (!isFullScan || this.#passes(f)) && !isWeakNeighbour(f, all));
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
      if (box.width <= 0 || box.height <= 0 || Math.max(box.width, box.height) < this.#o.minFaceSize) continue;
      const landmarks = face.landmarks.map(([px, py]): Point => [
        clamp(Math.round(px), 0, width - 1),
        clamp(Math.round(py), 0, height - 1),
      ]);
      faces.push({ ...box, score: face.score, landmarks });
    }
    return faces.sort((a, b) => a.x - b.x || a.y - b.y);
  }
}

/**
 * `pixels` scaled to `width` x `height`: a new, continuous Mat, and the part of `pixels` it shows
 * (from the top left). Down by a whole factor k of 2 or more, INTER_AREA first averages k x k blocks
 * (OpenCV's fast path; the region cut to a multiple of k, at most k - 1 px less), and the rest, a
 * factor of 0.5–1, is bilinear; up, or down by less than 2, bilinear. INTER_AREA by another factor
 * took 0.08–0.15 ms for a tracked face's region of 100–200 px (one thread, Intel Xeon).
 */
function scaleRegion(cv: Cv, pixels: Mat, width: number, height: number): { scaled: Mat; used: { width: number; height: number } } {
  const k = Math.floor(Math.min(pixels.cols / width, pixels.rows / height));
  if (k < 2) return { scaled: pixels.resize(height, width, 0, 0, cv.INTER_LINEAR), used: { width: pixels.cols, height: pixels.rows } };
  const used = { width: pixels.cols - (pixels.cols % k), height: pixels.rows - (pixels.rows % k) };
  const cut =
    used.width === pixels.cols && used.height === pixels.rows ? pixels : pixels.getRegion(new cv.Rect(0, 0, used.width, used.height));
  const blocks = cut.resize(used.height / k, used.width / k, 0, 0, cv.INTER_AREA);
  if (cut !== pixels) cut.release();
  if (blocks.cols === width && blocks.rows === height) return { scaled: blocks, used };
  const scaled = blocks.resize(height, width, 0, 0, cv.INTER_LINEAR);
  blocks.release();
  return { scaled, used };
}

/** Whether boxes `a` and `b` share pixels. */
function meets(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
