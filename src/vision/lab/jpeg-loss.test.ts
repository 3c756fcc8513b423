import { describe, expect, it } from 'vitest';
import { jpegRoundTrip, quantisationTable } from './jpeg-loss.js';

/** A `width` x `height` BGR picture whose pixel (x, y) is `f(x, y)` in all three channels. */
function picture(width: number, height: number, f: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.fill(f(x, y), (y * width + x) * 3, (y * width + x + 1) * 3);
  return out;
}

function meanError(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('quantisationTable', () => {
  it('scales the standard tables as libjpeg does: quality 50 is the table itself, 100 all ones, low qualities capped at 255', () => {
    const base = [16, 11, 255, 1];
    expect([...quantisationTable(base, 50)]).toEqual([16, 11, 255, 1]);
    expect([...quantisationTable(base, 100)]).toEqual([1, 1, 1, 1]);
    expect([...quantisationTable(base, 75)]).toEqual([8, 6, 128, 1]);
    expect([...quantisationTable(base, 1)]).toEqual([255, 255, 255, 50]);
    expect(() => quantisationTable(base, 0)).toThrow(/`quality` to be an integer in \[1, 100\], got `0`/);
  });
});

describe('jpegRoundTrip', () => {
  // Noise-like detail (a hash of the position) over a gradient, 37x21: partial blocks at both edges.
  const detailed = picture(37, 21, (x, y) => ((((x * 73856093) ^ (y * 19349663)) >>> 0) % 64) + 4 * x + 2 * y);

  it('keeps a flat grey picture, and a picture at quality 100 nearly as it was', () => {
    const grey = picture(16, 16, () => 128);
    expect(meanError(jpegRoundTrip(grey, 16, 16, 10), grey)).toBeLessThan(1);
    expect(meanError(jpegRoundTrip(detailed, 37, 21, 100), detailed)).toBeLessThan(1.5);
  });

  it('loses more detail the lower the quality', () => {
    const errors = [90, 60, 30, 10].map((q) => meanError(jpegRoundTrip(detailed, 37, 21, q), detailed));
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeGreaterThan(errors[i - 1]!);
    expect(errors[3]).toBeGreaterThan(5);
  });

  it('averages colour over 2x2 pixels (4:2:0), so a one-pixel red dot on grey loses most of its colour', () => {
    const dot = picture(8, 8, () => 128);
    dot.set([0, 0, 255], (3 * 8 + 3) * 3);
    const out = jpegRoundTrip(dot, 8, 8, 100);
    const [b, , r] = [out[(3 * 8 + 3) * 3]!, out[(3 * 8 + 3) * 3 + 1]!, out[(3 * 8 + 3) * 3 + 2]!];
    expect(r - b).toBeLessThan(255 / 2);
    expect(r - b).toBeGreaterThan(0);
  });

  it('refuses pixels that are not width x height BGR', () => {
    expect(() => jpegRoundTrip(new Uint8Array(10), 2, 2, 50)).toThrow(/Expected 12 bytes of BGR, got 10/);
  });
});
