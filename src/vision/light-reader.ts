import type { Mat } from '@u4/opencv4nodejs';
import { isTooDarkToSee, lightFrom, measureFaceLight, type FaceLight, type FramedLight } from './light-measure.js';
import type { FaceCropOptions } from './face-crops.js';
import type { Box, DetectedFace, DetectOptions, FaceDetector } from './face-detector.js';
import { loadOpencv, type Cv } from './opencv.js';
import {
  ACCURACY_BY_CLARITY,
  lightWeigher,
  SMALL_FACE_LIGHT,
  smallFaceWeigher,
  type LightWeigher,
  type SmallFaceWeigher,
} from './vote-weight.js';

export interface LightReaderOptions {
  /** What a face's light earns (0–1), from its crop's measured light. @default `lightWeigher` with `ACCURACY_BY_CLARITY` */
  lightWeight?: (light: FaceLight) => number;
  /**
   * Whether the whole frame's light is measured at each full scan, so that a room too dark to see
   * in holds its mood rather than reading empty (`isTooDarkToSee`). @default true
   */
  frameLight?: boolean;
  /** The crops the model reads (their side, `face-crops.ts`): a face framed smaller than the crop is weighed by `SMALL_FACE_LIGHT`. */
  crop?: Pick<FaceCropOptions, 'size'> | undefined;
}

/**
 * The vision loop's eye for light: what each face's light earns, by the rule of the model loaded
 * now, and whether the whole frame, measured at each full scan, is too dark to see faces in.
 */
export class LightReader {
  readonly #labels: () => number;
  readonly #weight: ((light: FaceLight) => number) | undefined;
  readonly #isFrameMeasured: boolean;
  readonly #cropSize: number;
  #weigher: { labels: number; weigh: LightWeigher; small: SmallFaceWeigher } | undefined;
  #frame: FaceLight | undefined;

  readonly #sizeWeight: (sizePx: number) => number;

  constructor(
    deps: {
      /** How many labels the model loaded now tells apart. */
      labels: () => number;
      /** A face's vote weight by its size (px), as the mood tracker weighs it. @default every size 1 */
      sizeWeight?: (sizePx: number) => number;
    },
    options: LightReaderOptions = {},
  ) {
    this.#labels = deps.labels;
    this.#sizeWeight = deps.sizeWeight ?? (() => 1);
    this.#weight = options.lightWeight;
    this.#isFrameMeasured = options.frameLight !== false;
    this.#cropSize = options.crop?.size ?? 48;
  }

  /**
   * What a face's light earns, 0–1 (1 while no model with labels is loaded): by its crop's light, or
   * for a face framed smaller than the crop (`cropFacesFramed`), by its light as framed and its size
   * (`sizePx`, its box's larger side) together (`SMALL_FACE_LIGHT`).
   */
  weigh(light: FaceLight, framed?: FramedLight, sizePx = this.#cropSize): number {
    if (this.#weight !== undefined) return this.#weight(light);
    const labels = this.#labels();
    if (labels < 2) return 1;
    if (this.#weigher?.labels !== labels) {
      const clear = Math.max(...Object.values(ACCURACY_BY_CLARITY));
      const small = smallFaceWeigher(SMALL_FACE_LIGHT, clear, labels, this.#cropSize);
      this.#weigher = { labels, weigh: lightWeigher(ACCURACY_BY_CLARITY, labels), small };
    }
    const cropWeight = this.#weigher.weigh(light);
    if (framed === undefined) return cropWeight;
    return this.#weigher.small({ side: framed.side, framed: framed.light, sizeWeight: this.#sizeWeight(sizePx), cropWeight });
  }

  /**
   * One face as read, weighed once for the mood (the vision loop and `moodbox analyze` both weigh
   * so): its light measured on its crop (or as the classifier measured it for the model's denoising
   * rule), what that light earns (`weigh`, 1 without a crop), and the light to show: as framed for
   * a face framed smaller than the crop, else its crop's.
   */
  weighFace(face: { box: Box; crop: Uint8Array | undefined; framed: FramedLight | undefined; measured: FaceLight | undefined }): {
    weight: number;
    light: FaceLight | undefined;
  } {
    const measured = face.measured ?? (face.crop === undefined ? undefined : measureFaceLight(face.crop, this.#cropSize));
    const weight = measured === undefined ? 1 : this.weigh(measured, face.framed, Math.max(face.box.width, face.box.height));
    return { weight, light: face.framed?.light ?? measured };
  }

  /** Measures the middle of `image` (half its width and height, at full resolution, where the grain is). */
  async measureFrame(image: Mat): Promise<void> {
    if (!this.#isFrameMeasured) return;
    const cv = await loadOpencv();
    const [width, height] = [Math.max(3, Math.floor(image.cols / 2)), Math.max(3, Math.floor(image.rows / 2))];
    const region = image.getRegion(new cv.Rect(Math.floor((image.cols - width) / 2), Math.floor((image.rows - height) / 2), width, height));
    const grey = image.channels === 1 ? region : region.cvtColor(cv.COLOR_BGR2GRAY);
    try {
      this.#frame = measurePicture(cv, grey);
    } finally {
      if (grey !== region) grey.release();
      region.release();
    }
  }

  /** The last frame's light as measured (the middle half of it), or undefined before the first. */
  get frame(): FaceLight | undefined {
    return this.#frame;
  }

  /** Whether the last frame measured was too dark to see faces in (`isTooDarkToSee`). */
  get isTooDarkToSee(): boolean {
    return this.#frame !== undefined && isTooDarkToSee(this.#frame);
  }

  /**
   * Faces in `image` as the vision loop looks for them: the frame's light measured first (when
   * `measure`, at each full scan), a grainy frame smoothed as its grain asks (`detectionKernel`),
   * the smoothed copy released. The pipeline, `moodbox analyze` and the bench all look this way.
   */
  async findFaces(detector: FaceDetector, image: Mat, options: { measure: boolean } & DetectOptions): Promise<DetectedFace[]> {
    if (options.measure) await this.measureFrame(image);
    // The detector smooths what it scans: around the tracked faces, only their regions.
    const smooth = this.detectionKernel;
    return detector.detect(image, { ...(options.near === undefined ? {} : { near: options.near }), ...(smooth === 0 ? {} : { smooth }) });
  }

  /** The kernel the frames are smoothed with before faces are looked for, by the last frame's grain (`detectionKernel`). */
  get detectionKernel(): DetectionKernel {
    return detectionKernel(this.#frame);
  }
}

/** A Gaussian kernel's side (px), or 0 for none. */
export type DetectionKernel = 0 | 3 | 5;

/**
 * Grain (the frame's noise, grey levels) from which a frame is smoothed before faces are looked
 * for in it, and with which kernel. A webcam in dim light raises its gain and fills the picture with
 * grain, in which the detector loses small faces; a light blur takes the grain and leaves the faces.
 * Measured on the bench's crowd frames through the webcam model (`moodbox bench vision`,
 * `crowdByLight`; YuNet, 30 frames, recall with no blur → 3x3 → 5x5): at 25% of daylight (grain
 * about 6) 71.4% → 76.5% → 76.1%, at 12% (17) 52.2% → 66.3% → 68.9%, at 6% (21) 26.7% → 47.3% →
 * 54.4%, at 4% (24) 15.1% → 28.1% → 39.0%; in daylight (grain about 1) 79.3% → 80.0% → 77.4%.
 * A 7x7 kernel found more at 4% still, with twice the false faces.
 */
export const DETECTION_BLUR = { from3: 3, from5: 12 } as const;

/** The kernel for a frame of this light (`DETECTION_BLUR`); 0 before any frame was measured. */
export function detectionKernel(frame: FaceLight | undefined): DetectionKernel {
  if (frame === undefined || !(frame.noise >= DETECTION_BLUR.from3)) return 0;
  return frame.noise >= DETECTION_BLUR.from5 ? 5 : 3;
}

/** `image` smoothed with `kernel` for the detector (a new Mat the caller releases), or `image` itself for 0. */
export async function smoothForDetection(image: Mat, kernel: DetectionKernel): Promise<Mat> {
  if (kernel === 0) return image;
  const cv = await loadOpencv();
  return image.gaussianBlur(new cv.Size(kernel, kernel), 0);
}

/**
 * `measureLight` of a grey picture (8-bit, one channel, at least 3x3) in OpenCV's native code: the
 * same sums, Immerkær's mask as a 3x3 filter with exact 16-bit responses. On a 320x240 middle of a
 * frame it takes about a fifth of the JavaScript loop's time (`scripts/bench-light.ts`).
 */
export function measurePicture(cv: Cv, grey: Mat): FaceLight {
  const { cols: width, rows: height } = grey;
  if (grey.channels !== 1 || grey.depth !== cv.CV_8U || width < 3 || height < 3) {
    throw new RangeError(`Expected an 8-bit grey picture of at least 3x3, got ${width}x${height} with ${grey.channels} channels`);
  }
  const { mean, stddev } = grey.meanStdDev();
  const mask = new cv.Mat(IMMERKAER_MASK, cv.CV_32F);
  const responses = grey.filter2D(cv.CV_16S, mask, new cv.Point2(-1, -1), 0, cv.BORDER_REPLICATE);
  // The mask's responses inside the edge pixels only, as `measureLight` sums them.
  const inner = responses.getRegion(new cv.Rect(1, 1, width - 2, height - 2));
  try {
    return lightFrom(mean.at(0, 0), stddev.at(0, 0), inner.norm(cv.NORM_L1), width, height);
  } finally {
    inner.release();
    responses.release();
    mask.release();
    mean.release();
    stddev.release();
  }
}

const IMMERKAER_MASK = [
  [1, -2, 1],
  [-2, 4, -2],
  [1, -2, 1],
];
