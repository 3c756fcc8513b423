/**
 * Faces → the emotion model's input tensor. Pure: no I/O, no native code.
 *
 * The contract is the training pipeline's (scripts/model/README.md): an 8-bit grey 48x48 face,
 * row-major (row 0 is the top), becomes float32 `(pixel / scale - mean) / std` in an NCHW tensor
 * `[N, 1, 48, 48]`. Every step is done in float32 exactly as the training code does it, so the
 * same pixels give the same tensor bit for bit (see preprocess.test.ts and its golden fixture).
 */

/** Side of the square grey face the emotion model reads (pixels). */
export const FACE_SIZE = 48;
/** Bytes in one face: `FACE_SIZE * FACE_SIZE`, one grey level 0–255 each, row-major. */
export const FACE_PIXELS = FACE_SIZE * FACE_SIZE;

/** The normalisation a model expects: `value = (pixel / scale - mean) / std`. */
export interface Normalisation {
  /** Divides the 0–255 grey level first (255 maps pixels to 0–1). MUST be > 0. */
  readonly scale: number;
  /** Subtracted after scaling. */
  readonly mean: number;
  /** Divides last. MUST be > 0. */
  readonly std: number;
}

export interface PreprocessOptions {
  /**
   * Append the left-right mirror of every face after the faces, for flip test-time augmentation:
   * the tensor then holds `2N` faces, the N faces first, then their mirrors in the same order.
   * @default false
   */
  appendMirrored?: boolean;
}

/** The 256 values a grey level can become, computed in float32 as the training code computes them. */
export function normalisationTable(normalisation: Normalisation): Float32Array {
  const { scale, mean, std } = normalisation;
  for (const [name, value, positive] of [
    ['scale', scale, true],
    ['mean', mean, false],
    ['std', std, true],
  ] as const) {
    if (!Number.isFinite(value) || (positive && value <= 0)) {
      throw new RangeError(`Expected normalisation \`${name}\` to be a finite number${positive ? ' > 0' : ''}, got \`${value}\``);
    }
  }
  const f = Math.fround;
  const [s, m, d] = [f(scale), f(mean), f(std)];
  const table = new Float32Array(256);
  // One float32 rounding per operation, as float32 tensor arithmetic does.
  for (let p = 0; p < 256; p++) table[p] = f(f(f(p / s) - m) / d);
  return table;
}

/** The left-right mirror of a 48x48 face (a new array). */
export function mirrorFace(face: Uint8Array): Uint8Array {
  checkFace(face, 'face');
  const out = new Uint8Array(FACE_PIXELS);
  for (let r = 0; r < FACE_SIZE; r++) {
    const row = r * FACE_SIZE;
    for (let c = 0; c < FACE_SIZE; c++) out[row + c] = face[row + FACE_SIZE - 1 - c] ?? 0;
  }
  return out;
}

/**
 * Faces → float32 NCHW tensor data `[N (or 2N), 1, 48, 48]`.
 * Throws `RangeError` when a face is not `FACE_PIXELS` bytes.
 */
export function preprocessFaces(faces: readonly Uint8Array[], normalisation: Normalisation, options: PreprocessOptions = {}): Float32Array {
  assertFaces(faces);
  const table = normalisationTable(normalisation);
  const n = faces.length;
  const out = new Float32Array((options.appendMirrored === true ? 2 * n : n) * FACE_PIXELS);
  faces.forEach((face, i) => {
    const base = i * FACE_PIXELS;
    for (let k = 0; k < FACE_PIXELS; k++) out[base + k] = table[face[k] ?? 0] ?? 0;
    if (options.appendMirrored === true) {
      const mirrored = (n + i) * FACE_PIXELS;
      for (let r = 0; r < FACE_SIZE; r++) {
        const row = r * FACE_SIZE;
        for (let c = 0; c < FACE_SIZE; c++) out[mirrored + row + c] = out[base + row + FACE_SIZE - 1 - c] ?? 0;
      }
    }
  });
  return out;
}

/** Throws `RangeError` naming the first face that is not a Uint8Array of `FACE_PIXELS` bytes. */
export function assertFaces(faces: readonly Uint8Array[]): void {
  faces.forEach((face, i) => checkFace(face, `faces[${i}]`));
}

function checkFace(face: unknown, name: string): asserts face is Uint8Array {
  if (!(face instanceof Uint8Array) || face.length !== FACE_PIXELS) {
    const got = face instanceof Uint8Array ? `${face.length} bytes` : face === null ? 'null' : typeof face;
    throw new RangeError(`Expected \`${name}\` to be a Uint8Array of ${FACE_PIXELS} bytes (48x48 grey, row-major), got ${got}`);
  }
}
