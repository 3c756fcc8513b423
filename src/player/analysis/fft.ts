/**
 * An in-place radix-2 FFT and a reusable magnitude-spectrum helper (pure; no allocation per frame).
 */

/** Precomputed twiddles and bit reversal for one power-of-two size. */
export class Fft {
  readonly size: number;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;
  readonly #reverse: Uint32Array;
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
      throw new RangeError(`Expected the FFT size to be a power of two, got ${size}`);
    }
    this.size = size;
    this.#cos = new Float64Array(size / 2);
    this.#sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.#cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.#sin[i] = -Math.sin((2 * Math.PI * i) / size);
    }
    this.#reverse = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.#reverse[i] = r;
    }
    this.#re = new Float64Array(size);
    this.#im = new Float64Array(size);
  }

  /**
   * Writes the power spectrum (|X[k]|², k = 0 … size/2) of `input[offset … offset+size)` multiplied
   * by `window` into `out` (length size/2 + 1).
   */
  powerSpectrum(input: Float32Array, offset: number, window: Float64Array, out: Float64Array): void {
    const n = this.size;
    const re = this.#re;
    const im = this.#im;
    const reverse = this.#reverse;
    for (let i = 0; i < n; i++) {
      const j = reverse[i]!;
      re[j] = (input[offset + i] ?? 0) * window[i]!;
      im[j] = 0;
    }
    for (let half = 1; half < n; half <<= 1) {
      const step = n / (half * 2);
      for (let start = 0; start < n; start += half * 2) {
        for (let k = 0; k < half; k++) {
          const wr = this.#cos[k * step]!;
          const wi = this.#sin[k * step]!;
          const a = start + k;
          const b = a + half;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
    for (let k = 0; k <= n / 2; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  }
}

/** A periodic Hann window of `size` points. */
export function hann(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return w;
}
