/**
 * Loudness as EBU R128 / ITU-R BS.1770-4 defines it, at any sample rate: the K-weighting filter
 * (a high shelf and a high pass, designed for the rate as pyloudnorm does), 400 ms blocks with the
 * absolute (−70 LUFS) and relative (−10 LU) gates, and the loudness range (short-term 3 s
 * loudness, −20 LU relative gate, 10th to 95th percentile). Pure.
 */

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function highShelf(rate: number, fc: number, gainDb: number, q: number): Biquad {
  const a = 10 ** (gainDb / 40);
  const w0 = (2 * Math.PI * fc) / rate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const sq = 2 * Math.sqrt(a) * alpha;
  const a0 = a + 1 - (a - 1) * cos + sq;
  return {
    b0: (a * (a + 1 + (a - 1) * cos + sq)) / a0,
    b1: (-2 * a * (a - 1 + (a + 1) * cos)) / a0,
    b2: (a * (a + 1 + (a - 1) * cos - sq)) / a0,
    a1: (2 * (a - 1 - (a + 1) * cos)) / a0,
    a2: (a + 1 - (a - 1) * cos - sq) / a0,
  };
}

function highPass(rate: number, fc: number, q: number): Biquad {
  const w0 = (2 * Math.PI * fc) / rate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  return { b0: (1 + cos) / 2 / a0, b1: -(1 + cos) / a0, b2: (1 + cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

function filter(input: Float32Array | Float64Array, f: Biquad): Float64Array {
  const out = new Float64Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/** The K-weighted signal's squares, one per sample. */
export function kWeightedSquares(samples: Float32Array, rate: number): Float64Array {
  const out = filter(filter(samples, highShelf(rate, 1500, 4, Math.SQRT1_2)), highPass(rate, 38, 0.5));
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * out[i]!;
  return out;
}

/** Mean squares of windows of `windowS` seconds every `hopS` seconds. */
function blockPowers(squares: Float64Array, rate: number, windowS: number, hopS: number): number[] {
  const size = Math.round(windowS * rate);
  const hop = Math.round(hopS * rate);
  const prefix = new Float64Array(squares.length + 1);
  for (let i = 0; i < squares.length; i++) prefix[i + 1] = prefix[i]! + squares[i]!;
  const powers: number[] = [];
  for (let start = 0; start + size <= squares.length; start += hop) powers.push((prefix[start + size]! - prefix[start]!) / size);
  return powers;
}

const lufs = (power: number): number => -0.691 + 10 * Math.log10(power);

export interface Loudness {
  /** Integrated loudness (LUFS); −70 when everything is below the absolute gate. */
  integratedLufs: number;
  /** Loudness range (LU). */
  rangeLu: number;
  /** Short-term (3 s) loudness values above the gates, to see how the level moves (LUFS). */
  shortTerm: number[];
}

/**
 * The loudness of one or more excerpts taken together: their blocks are pooled, as if they were
 * played one after the other (no block straddles two excerpts).
 */
export function measureLoudness(excerpts: readonly Float32Array[], rate: number): Loudness {
  const blocks: number[] = [];
  const shortTerm: number[] = [];
  for (const excerpt of excerpts) {
    const squares = kWeightedSquares(excerpt, rate);
    blocks.push(...blockPowers(squares, rate, 0.4, 0.1));
    shortTerm.push(...blockPowers(squares, rate, 3, 0.5));
  }
  const integratedLufs = gatedLoudness(blocks, -10);
  const aboveAbsolute = shortTerm.filter((p) => lufs(p) > -70);
  let rangeLu = 0;
  let shortTermLufs: number[] = [];
  if (aboveAbsolute.length > 0) {
    const relative = lufs(mean(aboveAbsolute)) - 20;
    shortTermLufs = aboveAbsolute
      .map(lufs)
      .filter((l) => l > relative)
      .sort((a, b) => a - b);
    rangeLu = percentile(shortTermLufs, 0.95) - percentile(shortTermLufs, 0.1);
  }
  return { integratedLufs, rangeLu, shortTerm: shortTermLufs };
}

function gatedLoudness(blocks: readonly number[], relativeGateLu: number): number {
  const aboveAbsolute = blocks.filter((p) => lufs(p) > -70);
  if (aboveAbsolute.length === 0) return -70;
  const relative = lufs(mean(aboveAbsolute)) + relativeGateLu;
  const gated = aboveAbsolute.filter((p) => lufs(p) > relative);
  return lufs(mean(gated));
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Linear interpolation between the closest ranks of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}
