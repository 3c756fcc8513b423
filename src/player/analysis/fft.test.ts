import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { Fft, hann } from './fft.js';

/** The power spectrum by the definition of the DFT. */
function naive(x: Float32Array, window: Float64Array): number[] {
  const n = window.length;
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += (x[t] ?? 0) * window[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= (x[t] ?? 0) * window[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    return re * re + im * im;
  });
}

describe('Fft.powerSpectrum', () => {
  it.each([4, 8, 64, 512])('matches the DFT of random frames of %i samples', (size) => {
    const random = seededRandom(size);
    const x = Float32Array.from({ length: size }, () => random.next() * 2 - 1);
    const window = hann(size);
    const out = new Float64Array(size / 2 + 1);
    new Fft(size).powerSpectrum(x, 0, window, out);
    naive(x, window).forEach((p, k) => expect(out[k]).toBeCloseTo(p, 6));
  });

  it('puts a sine in its bin, and reads past the end of the samples as silence', () => {
    const size = 256;
    const x = Float32Array.from({ length: 200 }, (_, t) => Math.sin((2 * Math.PI * 16 * t) / size));
    const out = new Float64Array(size / 2 + 1);
    const fft = new Fft(size);
    fft.powerSpectrum(x, 0, new Float64Array(size).fill(1), out);
    naive(x, new Float64Array(size).fill(1)).forEach((p, k) => expect(out[k]).toBeCloseTo(p, 6));
    expect(() => new Fft(100)).toThrow(/power of two/);
  });
});
