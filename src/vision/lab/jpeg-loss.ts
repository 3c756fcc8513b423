/**
 * What a JPEG camera (MJPEG over USB, as most webcams send) does to a picture, without writing a
 * file: the codec's lossy steps on 8-bit BGR pixels. The colours go to JFIF's YCbCr, the chroma is
 * averaged over 2x2 pixels (4:2:0), each 8x8 block's DCT is quantised with the standard tables of
 * ITU-T T.81 Annex K scaled for a quality as libjpeg scales them, and it all comes back. The
 * entropy coding a JPEG file adds is lossless, so the pixels come out as a decoder would give them,
 * give or take a grey level of rounding (a decoder's integer IDCT and smoothed chroma upsampling).
 * Pure and deterministic: the crowd set uses it to make its frames look like a webcam's.
 */

/** T.81 Annex K, table K.1: luminance quantisation at quality 50, in row-major order. */
const LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
] as const;
/** Table K.2: chrominance. */
const CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
] as const;

/** cos((2x + 1) u π / 16) scaled by C(u) / 2, at [u * 8 + x]: the orthonormal 8-point DCT-II. */
const BASIS = (() => {
  const out = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    for (let x = 0; x < 8; x++) out[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return out;
})();

/** libjpeg's table for `quality` (1–100): each step scaled, then kept within 1–255. */
export function quantisationTable(base: readonly number[], quality: number): Float64Array {
  if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100))
    throw new RangeError(`Expected \`quality\` to be an integer in [1, 100], got \`${quality}\``);
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  return Float64Array.from(base, (q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

/**
 * `pixels` (8-bit BGR, `width` x `height`, row-major) as a JPEG of `quality` (1–100, libjpeg's
 * scale) would decode: a new array of the same size. Partial blocks at the right and bottom
 * edges are padded by repeating the last row and column, as encoders do.
 */
export function jpegRoundTrip(pixels: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  if (pixels.length !== width * height * 3) throw new RangeError(`Expected ${width * height * 3} bytes of BGR, got ${pixels.length}`);
  const luma = new Float64Array(width * height);
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const cb = new Float64Array(cw * ch);
  const cr = new Float64Array(cw * ch);
  const counts = new Float64Array(cw * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const b = pixels[i]!;
      const g = pixels[i + 1]!;
      const r = pixels[i + 2]!;
      luma[y * width + x] = 0.299 * r + 0.587 * g + 0.114 * b;
      const c = (y >> 1) * cw + (x >> 1);
      cb[c] = cb[c]! + (-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
      cr[c] = cr[c]! + (0.5 * r - 0.418688 * g - 0.081312 * b + 128);
      counts[c] = counts[c]! + 1;
    }
  }
  for (let c = 0; c < counts.length; c++) {
    cb[c] = cb[c]! / counts[c]!;
    cr[c] = cr[c]! / counts[c]!;
  }
  quantisePlane(luma, width, height, quantisationTable(LUMA, quality));
  quantisePlane(cb, cw, ch, quantisationTable(CHROMA, quality));
  quantisePlane(cr, cw, ch, quantisationTable(CHROMA, quality));
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const c = (y >> 1) * cw + (x >> 1);
      const l = luma[y * width + x]!;
      const u = cb[c]! - 128;
      const v = cr[c]! - 128;
      out[i] = byte(l + 1.772 * u);
      out[i + 1] = byte(l - 0.344136 * u - 0.714136 * v);
      out[i + 2] = byte(l + 1.402 * v);
    }
  }
  return out;
}

/**
 * A grey picture (8-bit, `width` x `height`, row-major) as a greyscale JPEG of `quality` would
 * decode: the luma path of `jpegRoundTrip` alone. The low-light camera model uses it
 * (`dim-camera.ts`; `scripts/model/low_light.py` is its twin for training).
 */
export function jpegRoundTripGrey(pixels: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  if (pixels.length !== width * height) throw new RangeError(`Expected ${width * height} grey bytes, got ${pixels.length}`);
  const plane = Float64Array.from(pixels);
  quantisePlane(plane, width, height, quantisationTable(LUMA, quality));
  return Uint8Array.from(plane, byte);
}

/** Every 8x8 block of `plane` (values 0–255) replaced by its DCT quantised with `table` and inverted. */
function quantisePlane(plane: Float64Array, width: number, height: number, table: Float64Array): void {
  const block = new Float64Array(64);
  const rows = new Float64Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const sy = Math.min(height - 1, by + y);
        for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[sy * width + Math.min(width - 1, bx + x)]! - 128;
      }
      // Forward DCT, rows then columns.
      for (let y = 0; y < 8; y++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let x = 0; x < 8; x++) sum += BASIS[u * 8 + x]! * block[y * 8 + x]!;
          rows[y * 8 + u] = sum;
        }
      }
      for (let u = 0; u < 8; u++) {
        for (let v = 0; v < 8; v++) {
          let sum = 0;
          for (let y = 0; y < 8; y++) sum += BASIS[v * 8 + y]! * rows[y * 8 + u]!;
          // Quantised and back: the only lossy step besides the chroma averaging.
          const q = table[v * 8 + u]!;
          block[v * 8 + u] = Math.round(sum / q) * q;
        }
      }
      // Inverse DCT, columns then rows.
      for (let u = 0; u < 8; u++) {
        for (let y = 0; y < 8; y++) {
          let sum = 0;
          for (let v = 0; v < 8; v++) sum += BASIS[v * 8 + y]! * block[v * 8 + u]!;
          rows[y * 8 + u] = sum;
        }
      }
      for (let y = 0; y < 8; y++) {
        const sy = by + y;
        if (sy >= height) break;
        for (let x = 0; x < 8; x++) {
          const sx = bx + x;
          if (sx >= width) break;
          let sum = 0;
          for (let u = 0; u < 8; u++) sum += BASIS[u * 8 + x]! * rows[y * 8 + u]!;
          plane[sy * width + sx] = Math.min(255, Math.max(0, sum + 128));
        }
      }
    }
  }
}

function byte(value: number): number {
  return Math.min(255, Math.max(0, Math.round(value)));
}
