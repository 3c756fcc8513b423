/**
 * The tonality of the music: 2048-point spectra of its excerpts folded to 12 pitch classes
 * (chroma), correlated with the Krumhansl–Kessler key profiles, give the key, the mode, how
 * clearly major or minor it is, and how fast the harmony moves. Pure and deterministic.
 */
import { Fft, hann } from './fft.js';

const CHROMA_FRAME = 2048;

const PITCH_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
/** The Krumhansl–Kessler key profiles, tonic first (C major and C minor). */
export const MAJOR_PROFILE: readonly number[] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
export const MINOR_PROFILE: readonly number[] = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

export interface Tonality {
  chromaFlux: number;
  key: string;
  mode: string;
  modeStrength: number;
  keyClarity: number;
}

/** Pearson's correlation of two series of one length (0 when either is constant). */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

/** The key, mode and chroma flux of the excerpts (mono, `rate` Hz), over 55–2000 Hz, their frames pooled. */
export function measureTonality(excerpts: readonly Float32Array[], rate: number): Tonality {
  const fft = new Fft(CHROMA_FRAME);
  const window = hann(CHROMA_FRAME);
  const power = new Float64Array(CHROMA_FRAME / 2 + 1);
  const chroma = new Array<number>(12).fill(0);
  const lowBin = Math.ceil((55 * CHROMA_FRAME) / rate);
  const highBin = Math.min(CHROMA_FRAME / 2, Math.floor((2000 * CHROMA_FRAME) / rate));
  const pitchClass = new Int8Array(highBin + 1);
  for (let k = lowBin; k <= highBin; k++) {
    const midi = 69 + 12 * Math.log2((k * rate) / CHROMA_FRAME / 440);
    pitchClass[k] = ((Math.round(midi) % 12) + 12) % 12;
  }
  const frameChroma = new Float64Array(12);
  const previousChroma = new Float64Array(12);
  let chromaChange = 0;
  let changes = 0;
  for (const samples of excerpts) {
    let hasPrevious = false;
    for (let offset = 0; offset + CHROMA_FRAME <= samples.length; offset += CHROMA_FRAME) {
      fft.powerSpectrum(samples, offset, window, power);
      let frame = 0;
      for (let k = lowBin; k <= highBin; k++) frame += power[k]!;
      if (!(frame > 0)) continue;
      // Each frame counts alike, whatever its level; magnitudes (not powers) soften loud partials.
      frameChroma.fill(0);
      for (let k = lowBin; k <= highBin; k++) frameChroma[pitchClass[k]!]! += Math.sqrt(power[k]! / frame);
      let norm = 0;
      for (let c = 0; c < 12; c++) {
        chroma[c]! += frameChroma[c]!;
        norm += frameChroma[c]!;
      }
      for (let c = 0; c < 12; c++) frameChroma[c] = frameChroma[c]! / norm;
      if (hasPrevious) {
        let change = 0;
        for (let c = 0; c < 12; c++) change += Math.abs(frameChroma[c]! - previousChroma[c]!);
        chromaChange += change / 2;
        changes++;
      }
      previousChroma.set(frameChroma);
      hasPrevious = true;
    }
  }
  let bestMajor = -1;
  let bestMinor = -1;
  let majorKey = 0;
  let minorKey = 0;
  for (let tonic = 0; tonic < 12; tonic++) {
    const rotated = chroma.map((_, i) => chroma[(i + tonic) % 12]!);
    const major = correlation(rotated, MAJOR_PROFILE);
    const minor = correlation(rotated, MINOR_PROFILE);
    if (major > bestMajor) {
      bestMajor = major;
      majorKey = tonic;
    }
    if (minor > bestMinor) {
      bestMinor = minor;
      minorKey = tonic;
    }
  }
  const isMajor = bestMajor >= bestMinor;
  return {
    chromaFlux: changes > 0 ? chromaChange / changes : 0,
    key: isMajor ? `${PITCH_NAMES[majorKey]} major` : `${PITCH_NAMES[minorKey]} minor`,
    mode: isMajor ? 'major' : 'minor',
    modeStrength: bestMajor - bestMinor,
    keyClarity: Math.max(0, Math.max(bestMajor, bestMinor)),
  };
}
