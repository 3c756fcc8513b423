/**
 * How well lit a face is, measured on the crop the emotion model reads (48x48 grey): its
 * brightness, and the camera's noise in it. In a dim room a webcam raises its gain and its picture
 * fills with grain, or keeps its exposure and its picture goes dark and flat; either way the model
 * reads the face less well. The noise is estimated from the crop alone (Immerkær's fast estimate:
 * the mean absolute response to a mask that cancels a face's smooth shading and keeps the grain),
 * so nothing about the camera needs to be known. What a face's light earns its vote is `vote-weight.ts`.
 */
import { describeValue } from '../kernel/errors.js';

/** A face's light, as measured on its grey crop. */
export interface FaceLight {
  /** Mean grey level, 0–255. */
  readonly brightness: number;
  /** The camera's noise: the estimated standard deviation of the grain, in grey levels. */
  readonly noise: number;
  /** The face's contrast: the standard deviation of its grey levels. */
  readonly contrast: number;
  /**
   * How much of the face shows through the grain: its contrast over its noise (the signal-to-noise
   * ratio a reader's eye judges by). Dark, flat faces and grainy ones both score low.
   */
  readonly clarity: number;
}

/** A face framed smaller than the crop: its square's side (px) and its light there, measured before it is scaled up. */
export interface FramedLight {
  readonly side: number;
  readonly light: FaceLight;
}

/** √(π/2) / 6: Immerkær's constant for the mask below. */
const IMMERKAER = Math.sqrt(Math.PI / 2) / 6;

/**
 * Measures `crop` (`side` x `side` grey bytes, row-major). Immerkær's mask
 * [[1,−2,1],[−2,4,−2],[1,−2,1]] is the difference of two Laplacians: a plane or a smooth gradient
 * gives 0, independent noise of deviation σ gives a mean absolute response of 6σ·√(2/π).
 */
export function measureFaceLight(crop: Uint8Array, side: number): FaceLight {
  if (!(Number.isInteger(side) && side >= 3) || crop.length !== side * side) {
    throw new RangeError(
      `Expected a square grey crop of at least 3x3 (${side}x${side} = ${side * side} bytes), got ${describeValue(crop.length)} bytes`,
    );
  }
  return measureLight(crop, side, side);
}

/** `measureFaceLight` of any `width` x `height` grey picture (at least 3x3), a whole frame's for one. */
export function measureLight(pixels: Uint8Array, width: number, height: number): FaceLight {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 3 && height >= 3) || pixels.length !== width * height) {
    throw new RangeError(`Expected ${width}x${height} grey bytes (at least 3x3), got ${describeValue(pixels.length)} bytes`);
  }
  let sum = 0;
  let squares = 0;
  for (const v of pixels) {
    sum += v;
    squares += v * v;
  }
  const n = pixels.length;
  const brightness = sum / n;
  const contrast = Math.sqrt(Math.max(0, squares / n - brightness * brightness));
  let response = 0;
  for (let y = 1; y < height - 1; y++) {
    const up = (y - 1) * width;
    const at = y * width;
    const down = (y + 1) * width;
    for (let x = 1; x < width - 1; x++) {
      const r =
        pixels[up + x - 1]! -
        2 * pixels[up + x]! +
        pixels[up + x + 1]! -
        2 * (pixels[at + x - 1]! - 2 * pixels[at + x]! + pixels[at + x + 1]!) +
        pixels[down + x - 1]! -
        2 * pixels[down + x]! +
        pixels[down + x + 1]!;
      response += Math.abs(r);
    }
  }
  return lightFrom(brightness, contrast, response, width, height);
}

/**
 * A picture's light from its sums: mean and standard deviation of its grey levels, and the sum of
 * the absolute responses to Immerkær's mask over the pixels inside its edge (`width - 2` x `height - 2`).
 */
export function lightFrom(brightness: number, contrast: number, response: number, width: number, height: number): FaceLight {
  const noise = (IMMERKAER * response) / ((width - 2) * (height - 2));
  // A perfectly clean picture (a drawing, a flat patch) has no grain at all: its clarity is bounded, not infinite.
  const clarity = contrast / Math.max(noise, 0.5);
  return { brightness, noise, contrast, clarity };
}

/**
 * Whether a whole frame is too dark to see faces in, let alone read them: the grain of a camera at
 * its highest gain (`noise` at or above `DARK_FRAME.noise`: about 6% of daylight with
 * auto-exposure), or a picture too dark to hold a face (`brightness` at or below
 * `DARK_FRAME.brightness`: about 4% with the exposure fixed). Measured on the frame at full
 * resolution, where the grain is; the thresholds are where the detector starts to lose faces and
 * the model reads fewer than one in three (docs/light.md).
 */
export function isTooDarkToSee(frame: FaceLight): boolean {
  return frame.noise >= DARK_FRAME.noise || frame.brightness <= DARK_FRAME.brightness;
}

/** Where a frame becomes too dark to see faces in (`isTooDarkToSee`): grey levels. */
export const DARK_FRAME = { noise: 17, brightness: 32 } as const;
