/**
 * The power spectrum of real frames: a radix-2 complex FFT of half the size over the even and odd
 * samples packed as real and imaginary parts, then split into the real signal's spectrum (the
 * usual "real FFT" trick: half the work of a complex FFT of the whole frame). Pure; nothing is
 * allocated per frame.
 */

/** Precomputed twiddles and bit reversal for one power-of-two frame size. */
export class Fft {
  readonly size: number;
  readonly #half: number;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;
  readonly #reverse: Uint32Array;
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`Expected the FFT size to be a power of two, at least 4, got ${size}`);
    }
    this.size = size;
    const half = size / 2;
    this.#half = half;
    // Twiddles e^(−2πik/size) for k < size/2: the half-size FFT uses every other one.
    this.#cos = new Float64Array(half);
    this.#sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.#cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.#sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.#reverse = new Uint32Array(half);
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.#reverse[i] = r;
    }
    this.#re = new Float64Array(half);
    this.#im = new Float64Array(half);
  }

  /**
   * Writes the power spectrum (|X[k]|², k = 0 … size/2) of `input[offset … offset+size)` times
   * `window` into `out` (length size/2 + 1). Samples past the end of `input` count as 0.
   */
  powerSpectrum(input: Float32Array, offset: number, window: Float64Array, out: Float64Array): void {
    const m = this.#half;
    const re = this.#re;
    const im = this.#im;
    const cos = this.#cos;
    const sin = this.#sin;
    const reverse = this.#reverse;
    const available = input.length - offset;
    for (let n = 0; n < m; n++) {
      const j = reverse[n]!;
      re[j] = 2 * n < available ? input[offset + 2 * n]! * window[2 * n]! : 0;
      im[j] = 2 * n + 1 < available ? input[offset + 2 * n + 1]! * window[2 * n + 1]! : 0;
    }
    for (let len = 1; len < m; len <<= 1) {
      // The half-size FFT's twiddle e^(−2πik/(2·len)) is this table's entry k · size/(2·len).
      const step = m / len;
      for (let start = 0; start < m; start += len * 2) {
        for (let k = 0; k < len; k++) {
          const wr = cos[k * step]!;
          const wi = -sin[k * step]!;
          const a = start + k;
          const b = a + len;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
    for (let k = 0; k <= m; k++) {
      const a = re[k % m]!;
      const b = im[k % m]!;
      const c = re[(m - k) % m]!;
      const d = im[(m - k) % m]!;
      // Even samples' spectrum E and odd samples' spectrum O, then X[k] = E + e^(−2πik/size) · O.
      const er = (a + c) / 2;
      const ei = (b - d) / 2;
      const or = (b + d) / 2;
      const oi = -(a - c) / 2;
      const wr = k < m ? cos[k]! : -1;
      const ws = k < m ? sin[k]! : 0;
      const xr = er + or * wr + oi * ws;
      const xi = ei + oi * wr - or * ws;
      out[k] = xr * xr + xi * xi;
    }
  }
}

/** A periodic Hann window of `size` points. */
export function hann(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return w;
}
