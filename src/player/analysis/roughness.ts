/**
 * Sensory dissonance (roughness): partials close in frequency beat against each other and sound
 * rough, a fifth or an octave does not (Plomp & Levelt 1965, in Sethares' parametrisation 1993).
 * The spectral peaks of 2048-point spectra (0.19 s at 11 025 Hz) over 50–5000 Hz, the strongest
 * 24 within 40 dB of the loudest, are taken pair by pair:
 *
 *   d(f1, f2) = e^(−3.5 s Δf) − e^(−5.75 s Δf),  s = 0.24 / (0.021 · min(f1, f2) + 19),
 *
 * weighted by the product of the two amplitudes and divided by the sum of the squared amplitudes,
 * so that the level does not count. Pure and deterministic.
 */
import { Fft, hann } from './fft.js';

const FRAME = 2048;
/** Peaks taken per spectrum (the strongest). */
const PEAKS = 24;
/** Peaks weaker than this share of the strongest's amplitude (−40 dB) are left out. */
const PEAK_FLOOR = 0.01;

export interface Roughness {
  /** Mean dissonance of the spectra with peaks (0 for pure tones apart, about 0.1 for a semitone). */
  roughness: number;
  /** Its standard deviation over the spectra (how much the music moves between rough and smooth). */
  roughnessStd: number;
}

/** The Plomp–Levelt dissonance of two partials of `f1` and `f2` Hz at unit amplitude (0 … about 0.18). */
export function pairDissonance(f1: number, f2: number): number {
  const s = 0.24 / (0.021 * Math.min(f1, f2) + 19);
  const df = Math.abs(f2 - f1);
  return Math.exp(-3.5 * s * df) - Math.exp(-5.75 * s * df);
}

/**
 * The dissonance of one power spectrum (`power`, bins 0 … size/2 of a `size`-point FFT at `rate`
 * Hz); null when it has no peak in 50–5000 Hz.
 */
export function spectrumDissonance(power: Float64Array, size: number, rate: number): number | null {
  const low = Math.max(2, Math.ceil((50 * size) / rate));
  const high = Math.min(power.length - 2, Math.floor((5000 * size) / rate));
  const frequencies: number[] = [];
  const amplitudes: number[] = [];
  for (let k = low; k <= high; k++) {
    const p = power[k]!;
    if (!(p > power[k - 1]! && p >= power[k + 1]!)) continue;
    // Parabolic interpolation of the log power gives the peak's frequency between bins.
    const a = Math.log(power[k - 1]! + 1e-30);
    const b = Math.log(p + 1e-30);
    const c = Math.log(power[k + 1]! + 1e-30);
    const denominator = a - 2 * b + c;
    const shift = denominator < 0 ? (0.5 * (a - c)) / denominator : 0;
    frequencies.push(((k + shift) * rate) / size);
    amplitudes.push(Math.sqrt(p));
  }
  if (amplitudes.length === 0) return null;
  const order = amplitudes.map((_, i) => i).sort((i, j) => amplitudes[j]! - amplitudes[i]!);
  const floor = amplitudes[order[0]!]! * PEAK_FLOOR;
  const kept = order.slice(0, PEAKS).filter((i) => amplitudes[i]! >= floor);
  let sum = 0;
  let energy = 0;
  for (let x = 0; x < kept.length; x++) {
    const i = kept[x]!;
    energy += amplitudes[i]! ** 2;
    for (let y = x + 1; y < kept.length; y++) {
      const j = kept[y]!;
      sum += amplitudes[i]! * amplitudes[j]! * pairDissonance(frequencies[i]!, frequencies[j]!);
    }
  }
  return energy > 0 ? sum / energy : null;
}

/** The roughness of the excerpts (mono, `rate` Hz), over their spectra pooled; spectra of near silence are left out. */
export function measureRoughness(excerpts: readonly Float32Array[], rate: number): Roughness {
  const fft = new Fft(FRAME);
  const window = hann(FRAME);
  const power = new Float64Array(FRAME / 2 + 1);
  const values: number[] = [];
  for (const samples of excerpts) {
    for (let offset = 0; offset + FRAME <= samples.length; offset += FRAME) {
      let squares = 0;
      for (let i = offset; i < offset + FRAME; i++) squares += samples[i]! * samples[i]!;
      if (squares / FRAME < 1e-8) continue;
      fft.powerSpectrum(samples, offset, window, power);
      const d = spectrumDissonance(power, FRAME, rate);
      if (d !== null) values.push(d);
    }
  }
  if (values.length === 0) return { roughness: 0, roughnessStd: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { roughness: mean, roughnessStd: Math.sqrt(variance) };
}
