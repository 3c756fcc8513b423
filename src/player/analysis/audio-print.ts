/**
 * A recording's audio print, to know two files for copies of one recording when their tags do not
 * say so (a re-tagged copy, an untagged rip): Haitsma and Kalker's robust hash ("A Highly Robust
 * Audio Fingerprinting System", ISMIR 2002), the scheme AcoustID's Chromaprint grew from, on one
 * excerpt the analysis decodes anyway (11 025 Hz mono):
 *
 * - 0.37 s frames (4096 samples, Hann) every 46 ms (512 samples);
 * - the energy of 33 bands spaced evenly on a log scale over 300–2000 Hz, where lossy codecs,
 *   resampling and loudness changes leave the music alone;
 * - 32 bits a frame, bit m set when the energy difference of bands m and m + 1 grew since the frame
 *   before.
 *
 * Copies of one recording (FLAC and MP3, another bit rate, another level) differ in few bits, two
 * recordings in about half. `printDistance` compares two prints with the excerpts up to 1.5 s apart
 * (copies of lengths up to 2 s apart are cut at slightly different places), and `bandsDistance`
 * first compares the prints' band profiles, which do not depend on where the excerpt starts, so
 * that most pairs of a large library are told apart in 33 steps. Pure and deterministic.
 */
import { endianness } from 'node:os';
import { Fft, hann } from './fft.js';

const FRAME = 4096;
const HOP = 512;
const BANDS = 33;
const LOW_HZ = 300;
const HIGH_HZ = 2000;
/** Frames kept: 15 s of excerpt. */
const MAX_FRAMES = 320;
const IS_LITTLE_ENDIAN = endianness() === 'LE';
/** The prints' format, first byte of `encodePrint`. */
const FORMAT = 1;

export interface AudioPrint {
  /** Mean log10 energy of each band, less the mean over the bands: the excerpt's spectral shape, whatever its level. */
  readonly bands: Float32Array;
  /** 32 bits a frame, in time order. */
  readonly frames: Uint32Array;
}

/** Seconds between two frames of a print. */
export const PRINT_HOP_S = HOP / 11_025;

/** The print of `samples` (mono, `rate` Hz, meant for 11 025 Hz); null when it is too short for two frames or silent. */
export function audioPrint(samples: Float32Array, rate: number): AudioPrint | null {
  const count = Math.min(MAX_FRAMES + 1, Math.floor((samples.length - FRAME) / HOP) + 1);
  if (count < 2) return null;
  const fft = new Fft(FRAME);
  const window = hann(FRAME);
  const power = new Float64Array(FRAME / 2 + 1);
  const edges = Array.from({ length: BANDS + 1 }, (_, i) => Math.round((LOW_HZ * (HIGH_HZ / LOW_HZ) ** (i / BANDS) * FRAME) / rate));
  const energy = new Float64Array(BANDS);
  const previous = new Float64Array(BANDS - 1);
  const bands = new Float64Array(BANDS);
  const frames = new Uint32Array(count - 1);
  let heard = false;
  for (let f = 0; f < count; f++) {
    fft.powerSpectrum(samples, f * HOP, window, power);
    for (let m = 0; m < BANDS; m++) {
      let sum = 0;
      for (let k = edges[m]!; k < edges[m + 1]!; k++) sum += power[k]!;
      energy[m] = sum;
      bands[m]! += Math.log10(sum + 1e-12);
      if (sum > 1e-9) heard = true;
    }
    let bits = 0;
    for (let m = 0; m < BANDS - 1; m++) {
      const difference = energy[m]! - energy[m + 1]!;
      if (f > 0 && difference - previous[m]! > 0) bits |= 1 << m;
      previous[m] = difference;
    }
    if (f > 0) frames[f - 1] = bits >>> 0;
  }
  if (!heard) return null;
  let mean = 0;
  for (let m = 0; m < BANDS; m++) mean += bands[m]! / count / BANDS;
  return { bands: Float32Array.from(bands, (v) => v / count - mean), frames };
}

/** Root-mean-square difference of two prints' band profiles (log10 units): near 0 for copies of one recording. */
export function bandsDistance(a: AudioPrint, b: AudioPrint): number {
  let sum = 0;
  for (let m = 0; m < BANDS; m++) sum += (a.bands[m]! - b.bands[m]!) ** 2;
  return Math.sqrt(sum / BANDS);
}

/**
 * The share of bits that differ between two prints (0 … 1) where they agree best, the second
 * shifted by up to `maxShiftS` either way and at least half of the shorter print overlapping: about
 * 0.5 for two recordings, well under 0.3 for copies of one. Every shift is tried on one frame in
 * four, then the best of them and its neighbours on every frame.
 */
export function printDistance(a: AudioPrint, b: AudioPrint, maxShiftS = 1.5): number {
  const maxShift = Math.round(maxShiftS / PRINT_HOP_S);
  let bestShift = 0;
  let bestCoarse = 2;
  for (let shift = -maxShift; shift <= maxShift; shift++) {
    const coarse = differing(a.frames, b.frames, shift, 4);
    if (coarse < bestCoarse) [bestCoarse, bestShift] = [coarse, shift];
  }
  let best = 1;
  for (let shift = bestShift - 1; shift <= bestShift + 1; shift++) best = Math.min(best, differing(a.frames, b.frames, shift, 1));
  return best;
}

/** The share of differing bits of `a` and `b` shifted by `shift`, on every `step`th frame; 2 where less than half the shorter overlaps. */
function differing(a: Uint32Array, b: Uint32Array, shift: number, step: number): number {
  const from = Math.max(0, -shift);
  const to = Math.min(a.length, b.length - shift);
  if (to - from < Math.max(1, Math.floor(Math.min(a.length, b.length) / 2))) return 2;
  let bits = 0;
  let frames = 0;
  for (let i = from; i < to; i += step) {
    bits += bitCount(a[i]! ^ b[i + shift]!);
    frames++;
  }
  return bits / (32 * frames);
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A print as stored: format byte, band count, the bands (float32) and the frames (uint32), little-endian. */
export function encodePrint(print: AudioPrint): Buffer {
  const out = Buffer.alloc(2 + 4 * print.bands.length + 4 * print.frames.length);
  out.writeUInt8(FORMAT, 0);
  out.writeUInt8(print.bands.length, 1);
  let at = 2;
  for (const v of print.bands) at = out.writeFloatLE(v, at);
  for (const v of print.frames) at = out.writeUInt32LE(v, at);
  return out;
}

/**
 * A stored print, or null for bytes of another format or a damaged one. Nothing re-analyses a file
 * for that: it is left out of the grouping by print (its tags and MusicBrainz id still group it)
 * until the features' version next changes and the library is heard again.
 */
export function decodePrint(bytes: Uint8Array): AudioPrint | null {
  if (bytes.length < 2 || bytes[0] !== FORMAT || bytes[1] !== BANDS) return null;
  const frameBytes = bytes.length - 2 - 4 * BANDS;
  if (frameBytes < 4 || frameBytes % 4 !== 0) return null;
  // Copied to a buffer of its own, aligned for the typed arrays; read as little-endian, as written.
  const view = new DataView(bytes.buffer.slice(bytes.byteOffset + 2, bytes.byteOffset + bytes.length));
  const bands = new Float32Array(BANDS);
  for (let m = 0; m < BANDS; m++) bands[m] = view.getFloat32(4 * m, true);
  const frames = IS_LITTLE_ENDIAN ? new Uint32Array(view.buffer, 4 * BANDS) : new Uint32Array(frameBytes / 4);
  if (!IS_LITTLE_ENDIAN) for (let i = 0; i < frames.length; i++) frames[i] = view.getUint32(4 * BANDS + 4 * i, true);
  return { bands, frames };
}
