/**
 * How the harmony moves and how major or minor it sounds moment by moment: 2048-point spectra
 * (0.19 s at 11 025 Hz) folded to 12 pitch classes over 55–2000 Hz, as tonality.ts does, then
 *
 * - the harmonic change: the chroma of successive 0.74 s windows (four spectra) compared, half
 *   the L1 distance of the normalised chroma (0 when the chord stays, 1 when no pitch class is
 *   shared), as a rate of chord changes is heard;
 * - the local mode: each 3 s segment (sixteen spectra) correlated with the Krumhansl–Kessler
 *   profiles in all 24 keys; the mean of best major − best minor, the share of segments that
 *   sound minor, and the mean best correlation (how clear the local key is).
 *
 * The key of a whole excerpt (tonality.ts) hides a piece that turns minor for a while, and a slow
 * chorale and a fast progression can share a chroma histogram. Pure and deterministic.
 */
import { Fft, hann } from './fft.js';
import { correlation, MAJOR_PROFILE, MINOR_PROFILE } from './tonality.js';

const FRAME = 2048;
/** Spectra per window of the harmonic change (0.74 s at 11 025 Hz). */
const CHANGE_WINDOW = 4;
/** Spectra per segment of the local key (3.0 s at 11 025 Hz). */
const KEY_SEGMENT = 16;

export interface Harmony {
  /** Mean change of the chroma between successive 0.74 s windows (0 … 1). */
  harmonicChange: number;
  /** Mean over 3 s segments of best major − best minor key correlation (> 0 sounds major). */
  localModeStrength: number;
  /** Share of the 3 s segments whose best key is minor (0 … 1). */
  minorShare: number;
  /** Mean over 3 s segments of the best key correlation (how clear the local key is). */
  localKeyClarity: number;
}

/** Best major and best minor correlation of a chroma vector with the key profiles in all 12 keys. */
export function keyCorrelations(chroma: readonly number[]): { major: number; minor: number } {
  let major = -1;
  let minor = -1;
  const rotated = new Array<number>(12);
  for (let tonic = 0; tonic < 12; tonic++) {
    for (let i = 0; i < 12; i++) rotated[i] = chroma[(i + tonic) % 12]!;
    major = Math.max(major, correlation(rotated, MAJOR_PROFILE));
    minor = Math.max(minor, correlation(rotated, MINOR_PROFILE));
  }
  return { major, minor };
}

/** Half the L1 distance of two chroma vectors, each normalised to sum 1 (0 … 1). */
function chromaDistance(a: readonly number[], b: readonly number[]): number {
  const sa = a.reduce((s, v) => s + v, 0);
  const sb = b.reduce((s, v) => s + v, 0);
  if (!(sa > 0) || !(sb > 0)) return 0;
  let d = 0;
  for (let c = 0; c < 12; c++) d += Math.abs(a[c]! / sa - b[c]! / sb);
  return d / 2;
}

/** The harmonic change and the local mode of the excerpts (mono, `rate` Hz); each excerpt on its own, the results pooled. */
export function measureHarmony(excerpts: readonly Float32Array[], rate: number): Harmony {
  const fft = new Fft(FRAME);
  const window = hann(FRAME);
  const power = new Float64Array(FRAME / 2 + 1);
  const lowBin = Math.ceil((55 * FRAME) / rate);
  const highBin = Math.min(FRAME / 2, Math.floor((2000 * FRAME) / rate));
  const pitchClass = new Int8Array(highBin + 1);
  for (let k = lowBin; k <= highBin; k++) {
    const midi = 69 + 12 * Math.log2((k * rate) / FRAME / 440);
    pitchClass[k] = ((Math.round(midi) % 12) + 12) % 12;
  }
  let changeSum = 0;
  let changes = 0;
  let modeSum = 0;
  let claritySum = 0;
  let minorSegments = 0;
  let segments = 0;
  for (const samples of excerpts) {
    const frames: number[][] = [];
    for (let offset = 0; offset + FRAME <= samples.length; offset += FRAME) {
      fft.powerSpectrum(samples, offset, window, power);
      let total = 0;
      for (let k = lowBin; k <= highBin; k++) total += power[k]!;
      const chroma = new Array<number>(12).fill(0);
      // Each spectrum counts alike, whatever its level (silence counts for nothing); magnitudes soften loud partials.
      if (total > 1e-10) for (let k = lowBin; k <= highBin; k++) chroma[pitchClass[k]!]! += Math.sqrt(power[k]! / total);
      frames.push(chroma);
    }
    const pooled = (from: number, count: number): number[] => {
      const out = new Array<number>(12).fill(0);
      for (let f = from; f < from + count; f++) for (let c = 0; c < 12; c++) out[c]! += frames[f]![c]!;
      return out;
    };
    let previous: number[] | undefined;
    for (let f = 0; f + CHANGE_WINDOW <= frames.length; f += CHANGE_WINDOW) {
      const current = pooled(f, CHANGE_WINDOW);
      const heard = current.some((v) => v > 0);
      if (previous !== undefined && heard) {
        changeSum += chromaDistance(previous, current);
        changes++;
      }
      previous = heard ? current : undefined;
    }
    for (let f = 0; f + KEY_SEGMENT <= frames.length; f += KEY_SEGMENT) {
      const chroma = pooled(f, KEY_SEGMENT);
      if (!chroma.some((v) => v > 0)) continue;
      const { major, minor } = keyCorrelations(chroma);
      modeSum += major - minor;
      claritySum += Math.max(0, major, minor);
      if (minor > major) minorSegments++;
      segments++;
    }
  }
  return {
    harmonicChange: changes > 0 ? changeSum / changes : 0,
    localModeStrength: segments > 0 ? modeSum / segments : 0,
    minorShare: segments > 0 ? minorSegments / segments : 0,
    localKeyClarity: segments > 0 ? claritySum / segments : 0,
  };
}
