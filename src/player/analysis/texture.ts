/**
 * The spectral texture over time, and where a voice would be: 512-point spectra (hop 256, 23 ms
 * at 11 025 Hz), frames of near silence left out.
 *
 * - `flatnessStd`: the standard deviation, within each excerpt, of the log spectral flatness
 *   (geometric over arithmetic mean of the power): music that moves between tones and noise
 *   against music that stays one or the other;
 * - `voiceShare`: the share of the energy in 300–3400 Hz, the band that carries the voice;
 * - `voiceFlatness`: the mean log flatness within that band (low when it holds harmonic partials,
 *   a sung or played melody, high when it holds noise).
 *
 * Pure and deterministic.
 */
import { Fft, hann } from './fft.js';

const FRAME = 512;
const HOP = 256;

export interface Texture {
  flatnessStd: number;
  voiceShare: number;
  voiceFlatness: number;
}

/** The log spectral flatness of power bins `from` … `to` − 1 (≤ 0; 0 for a flat spectrum). */
export function logFlatness(power: Float64Array, from: number, to: number): number {
  let logSum = 0;
  let sum = 0;
  for (let k = from; k < to; k++) {
    const p = power[k]! + 1e-12;
    logSum += Math.log(p);
    sum += p;
  }
  const n = to - from;
  return logSum / n - Math.log(sum / n);
}

/** The texture of the excerpts (mono, `rate` Hz); each excerpt's deviation, then frames pooled. */
export function measureTexture(excerpts: readonly Float32Array[], rate: number): Texture {
  const fft = new Fft(FRAME);
  const window = hann(FRAME);
  const bins = FRAME / 2 + 1;
  const power = new Float64Array(bins);
  const voiceFrom = Math.round((300 * FRAME) / rate);
  const voiceTo = Math.min(bins, Math.round((3400 * FRAME) / rate) + 1);
  let deviationSum = 0;
  let voiceFlatnessSum = 0;
  let voiceEnergy = 0;
  let energy = 0;
  let frames = 0;
  for (const samples of excerpts) {
    let sum = 0;
    let squares = 0;
    let n = 0;
    for (let offset = 0; offset + FRAME <= samples.length; offset += HOP) {
      let frameSquares = 0;
      for (let i = offset; i < offset + FRAME; i++) frameSquares += samples[i]! * samples[i]!;
      if (Math.sqrt(frameSquares / FRAME) <= 1e-4) continue;
      fft.powerSpectrum(samples, offset, window, power);
      const flatness = logFlatness(power, 1, bins);
      sum += flatness;
      squares += flatness * flatness;
      n++;
      voiceFlatnessSum += logFlatness(power, voiceFrom, voiceTo);
      for (let k = 1; k < bins; k++) {
        energy += power[k]!;
        if (k >= voiceFrom && k < voiceTo) voiceEnergy += power[k]!;
      }
    }
    if (n > 0) {
      const mean = sum / n;
      deviationSum += Math.sqrt(Math.max(0, squares / n - mean * mean)) * n;
      frames += n;
    }
  }
  return {
    flatnessStd: frames > 0 ? deviationSum / frames : 0,
    voiceShare: energy > 0 ? voiceEnergy / energy : 0,
    voiceFlatness: frames > 0 ? voiceFlatnessSum / frames : 0,
  };
}
