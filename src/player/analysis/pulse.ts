/**
 * The pulse of the music, from the onset envelopes of its excerpts (features.ts): the tempo, from
 * the envelope's autocorrelation with a prior around 120 BPM against octave errors; the pulse
 * clarity (how periodic the onsets are); the onset rate, from the envelope's peaks; and how much
 * the flux varies. Pure and deterministic.
 */

const MIN_BPM = 40;
const MAX_BPM = 220;
/** Below this pulse clarity there is no tempo to speak of. */
const STEADY_PULSE = 0.1;

/** The onset envelope with its slow trend removed (half-wave rectified). */
function detrend(envelope: Float64Array): Float64Array {
  const out = new Float64Array(envelope.length);
  const half = 8;
  for (let i = 0; i < envelope.length; i++) {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(envelope.length - 1, i + half); j++) {
      sum += envelope[j]!;
      n++;
    }
    out[i] = Math.max(0, envelope[i]! - sum / n);
  }
  return out;
}

/** A light low-pass ([1, 2, 1] / 4) so that onsets between two frames still line up at every lag. */
function smooth(envelope: Float64Array): Float64Array {
  const out = new Float64Array(envelope.length);
  for (let i = 0; i < envelope.length; i++) {
    out[i] = 0.25 * (envelope[i - 1] ?? 0) + 0.5 * envelope[i]! + 0.25 * (envelope[i + 1] ?? 0);
  }
  return out;
}

export interface Pulse {
  fluxVariation: number;
  tempoBpm: number | null;
  pulseClarity: number;
  onsetRate: number;
  flux: number;
}

/**
 * The pulse of the excerpts' onset envelopes (`fps` envelope frames per second): their
 * autocorrelations summed over 40–220 BPM give the tempo and the clarity, their peaks the onsets.
 */
export function measurePulse(envelopes: readonly Float64Array[], fps: number): Pulse {
  const minLag = Math.floor((fps * 60) / MAX_BPM);
  const maxLag = Math.ceil((fps * 60) / MIN_BPM);
  const ac = new Float64Array(maxLag + 2);
  let onsets = 0;
  let seconds = 0;
  let fluxSum = 0;
  let fluxSquares = 0;
  let fluxFrames = 0;
  for (const raw of envelopes) {
    for (const v of raw) {
      fluxSum += v;
      fluxSquares += v * v;
    }
    fluxFrames += raw.length;
    const e = smooth(detrend(raw));
    let mean = 0;
    for (const v of e) mean += v;
    mean /= Math.max(1, e.length);
    const centred = e.map((v) => v - mean);
    for (let lag = 0; lag <= maxLag + 1 && lag < centred.length; lag++) {
      let sum = 0;
      for (let i = lag; i < centred.length; i++) sum += centred[i]! * centred[i - lag]!;
      ac[lag] = ac[lag]! + sum;
    }
    onsets += countOnsets(e, fps);
    seconds += raw.length / fps;
  }
  const fluxMean = fluxFrames > 0 ? fluxSum / fluxFrames : 0;
  const fluxVariation = fluxMean > 0 ? Math.sqrt(Math.max(0, fluxSquares / fluxFrames - fluxMean * fluxMean)) / fluxMean : 0;
  if (!(ac[0]! > 0)) return { fluxVariation, tempoBpm: null, pulseClarity: 0, onsetRate: 0, flux: 0 };
  let bestLag = 0;
  let bestScore = -Infinity;
  let clarity = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const r = ac[lag]! / ac[0]!;
    clarity = Math.max(clarity, r);
    const bpm = (60 * fps) / lag;
    const prior = Math.exp(-0.5 * (Math.log2(bpm / 120) / 0.9) ** 2);
    const score = r * prior;
    if (score > bestScore) {
      bestScore = score;
      bestLag = lag;
    }
  }
  // A parabola through the peak and its neighbours places it between lags.
  const y0 = ac[bestLag - 1] ?? 0;
  const y1 = ac[bestLag]!;
  const y2 = ac[bestLag + 1] ?? 0;
  const denominator = y0 - 2 * y1 + y2;
  const shift = denominator < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denominator)) : 0;
  const tempo = (60 * fps) / (bestLag + shift);
  const pulseClarity = Math.max(0, Math.min(1, clarity));
  return {
    fluxVariation,
    tempoBpm: pulseClarity >= STEADY_PULSE ? tempo : null,
    pulseClarity,
    onsetRate: seconds > 0 ? onsets / seconds : 0,
    flux: fluxFrames > 0 ? fluxSum / fluxFrames : 0,
  };
}

/** Local maxima of the envelope that stand out from it, at least 50 ms apart. */
function countOnsets(envelope: Float64Array, fps: number): number {
  let mean = 0;
  for (const v of envelope) mean += v;
  mean /= Math.max(1, envelope.length);
  let variance = 0;
  for (const v of envelope) variance += (v - mean) ** 2;
  const threshold = mean + 0.5 * Math.sqrt(variance / Math.max(1, envelope.length));
  const gap = Math.max(1, Math.round(0.05 * fps));
  let count = 0;
  let last = -Infinity;
  for (let i = 1; i < envelope.length - 1; i++) {
    const v = envelope[i]!;
    if (v > threshold && v >= envelope[i - 1]! && v > envelope[i + 1]! && i - last >= gap) {
      count++;
      last = i;
    }
  }
  return count;
}
