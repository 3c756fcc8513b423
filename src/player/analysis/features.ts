/**
 * From decoded excerpts (mono float samples) to the features the mood model reads. Pure and
 * deterministic: the same samples give the same numbers.
 *
 * - A 512-point STFT (hop 256: 23 ms at 11 025 Hz) gives the spectral shape (centroid, rolloff, flatness, brightness,
 *   bass), the frame energies (how often the music drops, how much its level moves) and the
 *   onset envelope (spectral flux of log band energies, half-wave rectified).
 * - The onset envelope's autocorrelation gives the tempo (with a prior around 120 BPM against octave
 *   errors) and the pulse clarity (how periodic the onsets are); its peaks give the onset rate (pulse.ts).
 * - A 2048-point spectrum folded to 12 pitch classes (chroma), correlated with the Krumhansl–Kessler
 *   key profiles, gives the key, the mode and how clearly major or minor the music is (tonality.ts).
 * - Loudness per EBU R128 (loudness.ts).
 * - The same spectra give the timbre (timbre.ts): cepstral coefficients and their movement, and
 *   octave-band spectral contrast.
 */
import { Fft, hann } from './fft.js';
import { measureLoudness } from './loudness.js';
import { measurePulse } from './pulse.js';
import { MFCC_COUNT, CONTRAST_EDGES_HZ, TimbreMeter, type Timbre } from './timbre.js';
import { measureTonality } from './tonality.js';

type CoefficientIndex = 0 | 1 | 2 | 3 | 4;
type BandIndex = 0 | 1 | 2 | 3 | 4 | 5;
/**
 * Timbre (timbre.ts), over the frames that are not near silence: `mfccNMean`, `mfccNStd` and
 * `mfccNDelta` (mean, standard deviation within an excerpt, root-mean-square change from frame to
 * frame) of the cepstral coefficients c0 … c4, and `spectralContrastB`, the log peak-to-valley
 * ratio in the octave bands 0–200, 200–400, 400–800, 800–1600, 1600–3200 and 3200–5512 Hz.
 */
export type TimbreFeatures = Record<`mfcc${CoefficientIndex}${'Mean' | 'Std' | 'Delta'}` | `spectralContrast${BandIndex}`, number>;

/** What the analysis measures. Numbers are means over the excerpts unless said otherwise. */
export interface AudioFeatures extends TimbreFeatures {
  /** The whole file's length (s). */
  durationS: number;
  /** Seconds of audio decoded and analysed (the excerpts together). */
  excerptS: number;
  /** Beats per minute; null when there is no steady pulse. */
  tempoBpm: number | null;
  /** How periodic the onsets are, 0 (no pulse) … 1 (a metronome). */
  pulseClarity: number;
  /** Onsets (notes, hits) per second. */
  onsetRate: number;
  /** Integrated loudness of the excerpts (LUFS, EBU R128 gating). */
  loudnessLufs: number;
  /** Loudness range of the excerpts (LU). */
  loudnessRangeLu: number;
  /** Mean spectral centroid (Hz). */
  spectralCentroidHz: number;
  /** Mean frequency below which 85% of the spectrum's magnitude lies (Hz). */
  spectralRolloffHz: number;
  /** Mean spectral spread around the centroid (Hz). */
  spectralSpreadHz: number;
  /** Mean spectral flatness, 0 (tonal) … 1 (noise). */
  spectralFlatness: number;
  /** Mean spectral flux of the log band energies (level-independent). */
  spectralFlux: number;
  /** Mean spectral flux of the log magnitudes bin by bin (notes changing, vibrato; level-independent). */
  binFlux: number;
  /** Standard deviation of the band flux relative to its mean (accents against a steady flow). */
  fluxVariation: number;
  /** Share of the spectral flux below 300 Hz (kick drums, bass notes). */
  lowFlux: number;
  /** Share of the spectral flux above 2 kHz (hi-hats, cymbals, consonants). */
  highFlux: number;
  /** Peak to RMS ratio of the excerpts (dB): low for compressed, loud masters. */
  crestDb: number;
  /** Mean change of the normalised chroma between frames (how fast the harmony moves). */
  chromaFlux: number;
  /** Share of the energy above 1500 Hz. */
  brightness: number;
  /** Share of the energy below 150 Hz. */
  bass: number;
  /** Share of frames quieter than the excerpt's mean (high for music with pauses). */
  lowEnergy: number;
  /** Coefficient of variation of the frames' RMS (how much the level moves). */
  rmsVariation: number;
  /** Zero crossings per second, mean over frames (noisiness, percussion). */
  zeroCrossingRate: number;
  /** The best-matching key, e.g. `C major`, `A minor`. */
  key: string;
  /** `major` or `minor`. */
  mode: string;
  /** Best major-key correlation minus best minor-key correlation (−1 … 1; > 0 sounds major). */
  modeStrength: number;
  /** The best key profile correlation (0 … 1: how tonal, how clear the key is). */
  keyClarity: number;
  [name: string]: number | string | null;
}

const FRAME = 512;
const HOP = 256;

/** Log-spaced band edges (FFT bins) for the onset envelope. */
function bandEdges(rate: number): number[] {
  const edges: number[] = [];
  const low = 40;
  const high = Math.min(rate / 2, 10000);
  const bands = 24;
  for (let b = 0; b <= bands; b++) {
    const f = low * (high / low) ** (b / bands);
    edges.push(Math.max(1, Math.round((f * FRAME) / rate)));
  }
  return edges;
}

interface ExcerptMeasures {
  frames: number;
  centroid: number;
  spread: number;
  rolloff: number;
  highFlux: number;
  lowFlux: number;
  binFlux: number;
  peak: number;
  rms: number;
  flatness: number;
  brightness: number;
  bass: number;
  lowEnergy: number;
  rmsVariation: number;
  zcr: number;
  envelope: Float64Array;
  timbre: Timbre;
}

function measureExcerpt(samples: Float32Array, rate: number, fft: Fft, window: Float64Array): ExcerptMeasures {
  const frames = Math.max(0, Math.floor((samples.length - FRAME) / HOP) + 1);
  const bins = FRAME / 2 + 1;
  const power = new Float64Array(bins);
  const edges = bandEdges(rate);
  const bands = edges.length - 1;
  const previous = new Float64Array(bands);
  const current = new Float64Array(bands);
  const envelope = new Float64Array(frames);
  const rms = new Float64Array(frames);
  const brightBin = Math.round((1500 * FRAME) / rate);
  const bassBin = Math.round((150 * FRAME) / rate);
  // The flux is measured on the excerpt scaled to unit RMS, so that it does not follow the level.
  let sumSquares = 0;
  for (let i = 0; i < samples.length; i++) sumSquares += samples[i]! * samples[i]!;
  const level = Math.sqrt(sumSquares / Math.max(1, samples.length)) || 1;
  let centroidSum = 0;
  let spreadSum = 0;
  let fluxAll = 0;
  let fluxHigh = 0;
  let fluxLow = 0;
  let binFluxSum = 0;
  const lowBand = edges.findIndex((e) => (e * rate) / FRAME >= 300);
  const logBins = new Float64Array(bins);
  const previousLogBins = new Float64Array(bins);
  const highBand = edges.findIndex((e) => (e * rate) / FRAME >= 2000);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
  let rolloffSum = 0;
  let flatnessSum = 0;
  let zcrSum = 0;
  let voiced = 0;
  let totalEnergy = 0;
  let brightEnergy = 0;
  let bassEnergy = 0;
  const timbre = new TimbreMeter(rate, FRAME);
  let previousVoiced = false;
  for (let f = 0; f < frames; f++) {
    const offset = f * HOP;
    fft.powerSpectrum(samples, offset, window, power);
    let energy = 0;
    let magnitudeSum = 0;
    let weighted = 0;
    let weighted2 = 0;
    let logSum = 0;
    // The log of a product of 16 bins, not 16 logs: each factor lies in 1e-12 … 7e4 (a 512-point
    // frame of samples within ±1), so a product of 16 stays well inside a double's range.
    let product = 1;
    for (let k = 1; k < bins; k++) {
      const p = power[k]!;
      energy += p;
      const m = Math.sqrt(p);
      magnitudeSum += m;
      weighted += m * k;
      weighted2 += m * k * k;
      product *= p + 1e-12;
      if ((k & 15) === 0) {
        logSum += Math.log(product);
        product = 1;
      }
      if (k >= brightBin) brightEnergy += p;
      if (k < bassBin) bassEnergy += p;
    }
    logSum += Math.log(product);
    totalEnergy += energy;
    let frameSquares = 0;
    let crossings = 0;
    for (let i = offset; i < offset + FRAME; i++) {
      const s = samples[i]!;
      frameSquares += s * s;
      if (i > offset && s >= 0 !== samples[i - 1]! >= 0) crossings++;
    }
    rms[f] = Math.sqrt(frameSquares / FRAME);
    const scale = 1 / (level * level * FRAME);
    let binFlux = 0;
    for (let k = 1; k < bins; k++) {
      const l = Math.log1p(100 * power[k]! * scale);
      if (f > 0) binFlux += Math.max(0, l - previousLogBins[k]!);
      logBins[k] = l;
    }
    previousLogBins.set(logBins);
    binFluxSum += binFlux / (bins - 1);
    for (let b = 0; b < bands; b++) {
      let e = 0;
      for (let k = edges[b]!; k < edges[b + 1]!; k++) e += power[k]!;
      current[b] = Math.log1p(100 * e * scale);
    }
    let flux = 0;
    if (f > 0) {
      for (let b = 0; b < bands; b++) {
        const rise = Math.max(0, current[b]! - previous[b]!);
        flux += rise;
        if (highBand >= 0 && b >= highBand) fluxHigh += rise;
        if (b < lowBand) fluxLow += rise;
      }
    }
    fluxAll += flux;
    previous.set(current);
    envelope[f] = flux;
    // Frames of near silence say nothing about the spectrum's shape.
    const isVoiced = rms[f]! > 1e-4;
    if (isVoiced) {
      voiced++;
      timbre.add(power, scale, previousVoiced);
      const centroidBin = weighted / magnitudeSum;
      centroidSum += (centroidBin * rate) / FRAME;
      spreadSum += (Math.sqrt(Math.max(0, weighted2 / magnitudeSum - centroidBin * centroidBin)) * rate) / FRAME;
      let running = 0;
      let k = 1;
      for (; k < bins; k++) {
        running += Math.sqrt(power[k]!);
        if (running >= 0.85 * magnitudeSum) break;
      }
      rolloffSum += (k * rate) / FRAME;
      flatnessSum += Math.exp(logSum / (bins - 1)) / (energy / (bins - 1) + 1e-12);
      zcrSum += (crossings * rate) / FRAME;
    }
    previousVoiced = isVoiced;
  }
  let rmsMean = 0;
  for (const r of rms) rmsMean += r;
  rmsMean /= Math.max(1, frames);
  let below = 0;
  let variance = 0;
  for (const r of rms) {
    if (r < rmsMean) below++;
    variance += (r - rmsMean) ** 2;
  }
  variance /= Math.max(1, frames);
  return {
    frames,
    centroid: voiced > 0 ? centroidSum / voiced : 0,
    spread: voiced > 0 ? spreadSum / voiced : 0,
    highFlux: fluxAll > 0 ? fluxHigh / fluxAll : 0,
    lowFlux: fluxAll > 0 ? fluxLow / fluxAll : 0,
    binFlux: frames > 1 ? binFluxSum / (frames - 1) : 0,
    peak,
    rms: level,
    rolloff: voiced > 0 ? rolloffSum / voiced : 0,
    flatness: voiced > 0 ? flatnessSum / voiced : 0,
    brightness: totalEnergy > 0 ? brightEnergy / totalEnergy : 0,
    bass: totalEnergy > 0 ? bassEnergy / totalEnergy : 0,
    lowEnergy: frames > 0 ? below / frames : 0,
    rmsVariation: rmsMean > 0 ? Math.sqrt(variance) / rmsMean : 0,
    zcr: voiced > 0 ? zcrSum / voiced : 0,
    envelope,
    timbre: timbre.result(),
  };
}

/** The excerpts' timbre, each weighted by its frames of sound. */
function timbreFeatures(measures: readonly ExcerptMeasures[]): TimbreFeatures {
  const frames = measures.reduce((s, m) => s + m.timbre.frames, 0);
  const average = (pick: (t: Timbre) => readonly number[], i: number): number =>
    measures.reduce((s, m) => s + pick(m.timbre)[i]! * m.timbre.frames, 0) / Math.max(1, frames);
  const out: Record<string, number> = {};
  for (let i = 0; i < MFCC_COUNT; i++) {
    out[`mfcc${i}Mean`] = average((t) => t.mfccMean, i);
    out[`mfcc${i}Std`] = average((t) => t.mfccStd, i);
    out[`mfcc${i}Delta`] = average((t) => t.mfccDelta, i);
  }
  for (let b = 0; b < CONTRAST_EDGES_HZ.length; b++) out[`spectralContrast${b}`] = average((t) => t.contrast, b);
  return out as TimbreFeatures;
}

/**
 * Measures decoded excerpts (mono, `rate` Hz, samples in −1 … 1) of a file `durationS` long.
 * Throws a `RangeError` when there is less than one frame of audio.
 */
export function extractFeatures(excerpts: readonly Float32Array[], rate: number, durationS: number): AudioFeatures {
  const usable = excerpts.filter((e) => e.length >= FRAME * 2);
  if (usable.length === 0) throw new RangeError(`Expected at least ${(FRAME * 2) / rate} s of audio, got less`);
  const fft = new Fft(FRAME);
  const window = hann(FRAME);
  const measures = usable.map((e) => measureExcerpt(e, rate, fft, window));
  const totalFrames = measures.reduce((s, m) => s + m.frames, 0);
  const average = (pick: (m: ExcerptMeasures) => number): number =>
    measures.reduce((s, m) => s + pick(m) * m.frames, 0) / Math.max(1, totalFrames);
  const pulse = measurePulse(
    measures.map((m) => m.envelope),
    rate / HOP,
  );
  const loudness = measureLoudness(usable, rate);
  const tonality = measureTonality(usable, rate);
  return {
    durationS,
    excerptS: usable.reduce((s, e) => s + e.length, 0) / rate,
    tempoBpm: pulse.tempoBpm,
    pulseClarity: pulse.pulseClarity,
    onsetRate: pulse.onsetRate,
    loudnessLufs: loudness.integratedLufs,
    loudnessRangeLu: loudness.rangeLu,
    spectralCentroidHz: average((m) => m.centroid),
    spectralSpreadHz: average((m) => m.spread),
    spectralRolloffHz: average((m) => m.rolloff),
    spectralFlatness: average((m) => m.flatness),
    spectralFlux: pulse.flux,
    binFlux: average((m) => m.binFlux),
    fluxVariation: pulse.fluxVariation,
    lowFlux: average((m) => m.lowFlux),
    highFlux: average((m) => m.highFlux),
    crestDb: 20 * Math.log10(Math.max(...measures.map((m) => m.peak), 1e-9) / Math.max(Math.sqrt(average((m) => m.rms * m.rms)), 1e-9)),
    brightness: average((m) => m.brightness),
    bass: average((m) => m.bass),
    lowEnergy: average((m) => m.lowEnergy),
    rmsVariation: average((m) => m.rmsVariation),
    zeroCrossingRate: average((m) => m.zcr),
    ...timbreFeatures(measures),
    ...tonality,
  };
}
