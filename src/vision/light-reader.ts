import type { Mat } from '@u4/opencv4nodejs';
import { ACCURACY_BY_CLARITY, isTooDarkToSee, lightWeigher, measureLight, type FaceLight, type LightWeigher } from './face-light.js';
import { loadOpencv } from './opencv.js';

export interface LightReaderOptions {
  /** What a face's light earns (0–1), from its crop's measured light. @default `lightWeigher` with `ACCURACY_BY_CLARITY` */
  lightWeight?: (light: FaceLight) => number;
  /**
   * Whether the whole frame's light is measured at each full scan, so that a room too dark to see
   * in holds its mood rather than reading empty (`isTooDarkToSee`). @default true
   */
  frameLight?: boolean;
}

/**
 * The vision loop's eye for light: what each face's light earns, by the rule of the model loaded
 * now, and whether the whole frame, measured at each full scan, is too dark to see faces in.
 */
export class LightReader {
  readonly #labels: () => number;
  readonly #weight: ((light: FaceLight) => number) | undefined;
  readonly #isFrameMeasured: boolean;
  #weigher: { labels: number; weigh: LightWeigher } | undefined;
  #frame: FaceLight | undefined;

  constructor(deps: { /** How many labels the model loaded now tells apart. */ labels: () => number }, options: LightReaderOptions = {}) {
    this.#labels = deps.labels;
    this.#weight = options.lightWeight;
    this.#isFrameMeasured = options.frameLight !== false;
  }

  /** What a face's light earns, 0–1 (1 while no model with labels is loaded). */
  weigh(light: FaceLight): number {
    if (this.#weight !== undefined) return this.#weight(light);
    const labels = this.#labels();
    if (labels < 2) return 1;
    if (this.#weigher?.labels !== labels) this.#weigher = { labels, weigh: lightWeigher(ACCURACY_BY_CLARITY, labels) };
    return this.#weigher.weigh(light);
  }

  /** Measures the middle of `image` (half its width and height, at full resolution, where the grain is). */
  async measureFrame(image: Mat): Promise<void> {
    if (!this.#isFrameMeasured) return;
    const cv = await loadOpencv();
    const [width, height] = [Math.max(3, Math.floor(image.cols / 2)), Math.max(3, Math.floor(image.rows / 2))];
    const region = image.getRegion(new cv.Rect(Math.floor((image.cols - width) / 2), Math.floor((image.rows - height) / 2), width, height));
    // The region is a view into the frame: a copy (or the grey conversion) makes its bytes whole.
    const grey = image.channels === 1 ? region.copy() : region.cvtColor(cv.COLOR_BGR2GRAY);
    const pixels = new Uint8Array(grey.getData());
    grey.release();
    region.release();
    this.#frame = measureLight(pixels, width, height);
  }

  /** The last frame's light as measured (the middle half of it), or undefined before the first. */
  get frame(): FaceLight | undefined {
    return this.#frame;
  }

  /** Whether the last frame measured was too dark to see faces in (`isTooDarkToSee`). */
  get isTooDarkToSee(): boolean {
    return this.#frame !== undefined && isTooDarkToSee(this.#frame);
  }
}
