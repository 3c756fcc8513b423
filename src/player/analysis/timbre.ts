/**
 * Timbre, frame by frame, from the power spectra the analysis already computes: mel-frequency
 * cepstral coefficients (how the spectrum's envelope is shaped, and how much and how fast that
 * shape moves) and octave-band spectral contrast (peaks against valleys: clear notes against
 * noise and dense mixes). Pure: the same frames give the same numbers.
 *
 * - MFCC: 26 triangular mel bands over 30–5000 Hz, log energies, a DCT-II (orthonormal); the first
 *   `MFCC_COUNT` coefficients. c0 follows the level of the frame (relative to the excerpt's, since
 *   the caller scales the spectra to unit RMS), c1 the tilt (positive for dark, negative for
 *   bright), the higher ones finer detail. Per coefficient: the mean over frames, the standard
 *   deviation (how much the timbre changes within an excerpt) and the root-mean-square change from
 *   one frame to the next (how fast it changes).
 * - Spectral contrast (Jiang et al. 2002): in each octave band of `CONTRAST_EDGES_HZ`, the log
 *   ratio of the mean of the strongest 20% of its bins to the mean of the weakest 20%, averaged
 *   over every other frame.
 */

/** How many cepstral coefficients are kept (c0 … c4). */
export const MFCC_COUNT = 5;
/** The mel bands the cepstrum is computed from. */
export const MEL_BANDS = 26;
const MEL_LOW_HZ = 30;
const MEL_HIGH_HZ = 5000;
/** The octave bands of the spectral contrast (Hz; the last one ends at the Nyquist frequency). */
export const CONTRAST_EDGES_HZ = [0, 200, 400, 800, 1600, 3200] as const;
/** Share of a band's bins that are its peak, and its valley. */
const CONTRAST_SHARE = 0.2;
/** The contrast is measured on every `CONTRAST_EVERY`th frame. */
const CONTRAST_EVERY = 2;
/** Keeps the logarithms finite for silent bands (the spectra are scaled to unit RMS). */
const FLOOR = 1e-10;

export interface Timbre {
  /** The frames measured. */
  frames: number;
  /** Per coefficient c0 … c4: mean over frames. */
  mfccMean: number[];
  /** Per coefficient: standard deviation over the frames of each excerpt. */
  mfccStd: number[];
  /** Per coefficient: root-mean-square change between neighbouring frames. */
  mfccDelta: number[];
  /** Per octave band of `CONTRAST_EDGES_HZ`: mean log peak-to-valley ratio. */
  contrast: number[];
}

interface MelBand {
  first: number;
  weights: Float64Array;
}

const mel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
const hzOfMel = (m: number): number => 700 * (10 ** (m / 2595) - 1);

/** Triangular mel filters over the bins of a `frameSize`-point spectrum at `rate` Hz. */
function melBands(rate: number, frameSize: number): MelBand[] {
  const bins = frameSize / 2 + 1;
  const low = mel(MEL_LOW_HZ);
  const high = mel(Math.min(MEL_HIGH_HZ, rate / 2));
  const centres = Array.from({ length: MEL_BANDS + 2 }, (_, i) => hzOfMel(low + ((high - low) * i) / (MEL_BANDS + 1)));
  return Array.from({ length: MEL_BANDS }, (_, m) => {
    const [a, b, c] = [centres[m]!, centres[m + 1]!, centres[m + 2]!];
    const first = Math.max(1, Math.floor((a * frameSize) / rate));
    const last = Math.min(bins - 1, Math.ceil((c * frameSize) / rate));
    const weights = new Float64Array(last - first + 1);
    for (let k = first; k <= last; k++) {
      const hz = (k * rate) / frameSize;
      weights[k - first] = hz <= a || hz >= c ? 0 : hz <= b ? (hz - a) / (b - a) : (c - hz) / (c - b);
    }
    // The lowest bands are narrower than a bin: they take the bin nearest their centre.
    if (weights.every((w) => w === 0)) {
      const nearest = Math.min(last, Math.max(first, Math.round((b * frameSize) / rate)));
      weights[nearest - first] = 1;
    }
    return { first, weights };
  });
}

/**
 * Reorders `values[from … to)` so that its `count` smallest values come first (in no particular
 * order) and the rest after them: Hoare's selection, in place, expected linear time.
 */
export function selectSmallest(values: Float64Array, from: number, to: number, count: number): void {
  let low = from;
  let high = to - 1;
  const k = from + count;
  if (count <= 0 || k >= to) return;
  // Invariant: the k smallest lie in [from, high], and everything in [from, low) is among them.
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) high = j;
    else if (k - 1 >= i) low = i;
    else return;
  }
}

/**
 * Collects the timbre of one excerpt's frames: `add` each frame's power spectrum, then `result`.
 * Frames need not be contiguous: `add(…, false)` says the frame before it was left out, so no
 * change is counted across the gap.
 */
export class TimbreMeter {
  readonly #bands: MelBand[];
  readonly #cosines: Float64Array;
  readonly #contrastRanges: [number, number][];
  readonly #scratch: Float64Array;
  readonly #logMel = new Float64Array(MEL_BANDS);
  readonly #coefficients = new Float64Array(MFCC_COUNT);
  readonly #previous = new Float64Array(MFCC_COUNT);
  readonly #sum = new Float64Array(MFCC_COUNT);
  readonly #squares = new Float64Array(MFCC_COUNT);
  readonly #changes = new Float64Array(MFCC_COUNT);
  readonly #contrastSum: Float64Array;
  #frames = 0;
  #contrastFrames = 0;
  #changeCount = 0;

  /** For spectra of `frameSize`-point frames (`frameSize / 2 + 1` bins) at `rate` Hz. */
  constructor(rate: number, frameSize: number) {
    const bins = frameSize / 2 + 1;
    this.#bands = melBands(rate, frameSize);
    this.#cosines = new Float64Array(MFCC_COUNT * MEL_BANDS);
    for (let i = 0; i < MFCC_COUNT; i++) {
      const norm = Math.sqrt((i === 0 ? 1 : 2) / MEL_BANDS);
      for (let m = 0; m < MEL_BANDS; m++) this.#cosines[i * MEL_BANDS + m] = norm * Math.cos((Math.PI * i * (m + 0.5)) / MEL_BANDS);
    }
    this.#contrastRanges = CONTRAST_EDGES_HZ.map((hz, b) => {
      const first = Math.max(1, Math.round((hz * frameSize) / rate));
      const next = CONTRAST_EDGES_HZ[b + 1];
      const end = next === undefined ? bins : Math.round((next * frameSize) / rate);
      return [first, Math.max(first + 1, end)];
    });
    this.#scratch = new Float64Array(bins);
    this.#contrastSum = new Float64Array(CONTRAST_EDGES_HZ.length);
  }

  /**
   * Adds one frame: `power[k]` is the frame's power in bin k, multiplied by `scale`. `follows` is
   * false when the frame before this one was not added.
   */
  add(power: Float64Array, scale: number, follows: boolean): void {
    for (let m = 0; m < MEL_BANDS; m++) {
      const band = this.#bands[m]!;
      let energy = 0;
      for (let j = 0; j < band.weights.length; j++) energy += band.weights[j]! * power[band.first + j]!;
      this.#logMel[m] = Math.log(energy * scale + FLOOR);
    }
    const hasPrevious = follows && this.#frames > 0;
    for (let i = 0; i < MFCC_COUNT; i++) {
      let c = 0;
      for (let m = 0; m < MEL_BANDS; m++) c += this.#cosines[i * MEL_BANDS + m]! * this.#logMel[m]!;
      this.#coefficients[i] = c;
      this.#sum[i] = this.#sum[i]! + c;
      this.#squares[i] = this.#squares[i]! + c * c;
      if (hasPrevious) this.#changes[i] = this.#changes[i]! + (c - this.#previous[i]!) ** 2;
    }
    if (hasPrevious) this.#changeCount++;
    this.#previous.set(this.#coefficients);
    // The contrast changes slowly from frame to frame: every other frame tells as much, at half the cost.
    if (this.#frames % CONTRAST_EVERY === 0) this.#addContrast(power, scale);
    this.#frames++;
  }

  #addContrast(power: Float64Array, scale: number): void {
    const values = this.#scratch;
    for (let b = 0; b < this.#contrastRanges.length; b++) {
      const [first, end] = this.#contrastRanges[b]!;
      const size = end - first;
      for (let k = first; k < end; k++) values[k - first] = power[k]!;
      const n = Math.max(1, Math.round(CONTRAST_SHARE * size));
      // Only the sums of the n weakest and the n strongest are needed, not the order within them.
      selectSmallest(values, 0, size, n);
      selectSmallest(values, n, size, size - 2 * n);
      let valley = 0;
      let peak = 0;
      for (let i = 0; i < n; i++) {
        valley += values[i]!;
        peak += values[size - 1 - i]!;
      }
      this.#contrastSum[b] = this.#contrastSum[b]! + Math.log((peak * scale + n * FLOOR) / (valley * scale + n * FLOOR));
    }
    this.#contrastFrames++;
  }

  /** The timbre of the frames added (zeros when none were). */
  result(): Timbre {
    const n = Math.max(1, this.#frames);
    const mean = Array.from(this.#sum, (s) => s / n);
    return {
      frames: this.#frames,
      mfccMean: mean,
      mfccStd: Array.from(this.#squares, (s, i) => Math.sqrt(Math.max(0, s / n - mean[i]! ** 2))),
      mfccDelta: Array.from(this.#changes, (s) => Math.sqrt(s / Math.max(1, this.#changeCount))),
      contrast: Array.from(this.#contrastSum, (s) => s / Math.max(1, this.#contrastFrames)),
    };
  }
}
