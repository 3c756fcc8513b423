import type { Mat } from '@u4/opencv4nodejs';
import type { Box, DetectOptions, FaceDetector } from '../face-detector.js';

/**
 * The simplest complete face detector: it finds the boxes the test set with `show`, whatever the
 * image, and only those near a tracked face when `near` is given. `failNext` makes the next call reject.
 */
export class FakeFaceDetector implements FaceDetector {
  /** Every call's options, in order: `near` undefined for a full scan. */
  readonly calls: DetectOptions[] = [];
  #faces: Box[] = [];
  #failure: Error | undefined;

  /** The faces every later frame contains. */
  show(faces: readonly Box[]): void {
    this.#faces = [...faces];
  }

  failNext(error: Error): void {
    this.#failure = error;
  }

  async detect(_image: Mat, options: DetectOptions = {}): Promise<Box[]> {
    this.calls.push(options);
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) throw failure;
    const { near } = options;
    if (near === undefined) return [...this.#faces];
    return this.#faces.filter((f) => near.some((n) => Math.abs(n.x - f.x) < n.width && Math.abs(n.y - f.y) < n.height));
  }
}
