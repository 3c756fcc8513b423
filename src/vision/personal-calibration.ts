/**
 * A person's own expression head, fitted on the device from a short guided session: for each
 * expression they were asked to make, the emotion model's logits and embedding of their face.
 *
 * Two corrections, the second on top of the first:
 * - bias: from their neutral faces, lower every label that outscores `neutral` on them (a resting
 *   face read as sad or angry), so their neutral face reads neutral by `BIAS_MARGIN`;
 * - head: with embeddings for at least `MIN_EXPRESSIONS` expressions, a small multinomial logistic
 *   regression on the embedding that adds to the (bias-corrected) logits, L2-regularised so that it
 *   only moves what the samples show.
 * Each is validated on the person's own held-back samples (the last third of each expression, in
 * the order recorded); the best one that beats the generic model there is kept, refitted on all
 * samples. When none beats it, the head is stored with `used: false` and the reason, and readings
 * stay generic. Pure: numbers in, numbers out.
 */

/** One recorded face: the expression the person was asked to make and the model's outputs. */
export interface CalibrationSample {
  /** The label asked for (one of the model's labels). */
  readonly expression: string;
  /** Raw scores, in label order. */
  readonly logits: readonly number[];
  /** The penultimate layer; absent with a model that does not expose it. */
  readonly embedding?: readonly number[] | undefined;
}

/** The residual logistic head on the embedding. */
export interface EmbeddingHead {
  /** `labels.length` rows of `width` weights. */
  readonly weights: readonly (readonly number[])[];
  readonly offset: readonly number[];
  /** Mean embedding of the samples it was fitted on (features are centred on it). */
  readonly mean: readonly number[];
  /** The features are divided by it (root mean square of the centred embeddings). */
  readonly scale: number;
}

export type HeadKind = 'bias' | 'head';

/** The outcome of a calibration: what was fitted, whether it is used, and why. */
export interface PersonalHead {
  readonly version: 1;
  readonly labels: readonly string[];
  /** Whether readings of this person go through the head. */
  readonly used: boolean;
  /** One line for the person's screen. */
  readonly reason: string;
  readonly kind: HeadKind | null;
  /** Added to the logits (zeros when no neutral faces were recorded). */
  readonly bias: readonly number[];
  readonly head: EmbeddingHead | null;
  /** Accuracy on the held-back samples, generic and personal (of the chosen kind). */
  readonly validation: { readonly n: number; readonly generic: number; readonly personal: number };
  /** Samples recorded per expression. */
  readonly samples: Readonly<Record<string, number>>;
}

/** Samples an expression needs to count (a third of them are held back). */
export const MIN_SAMPLES_PER_EXPRESSION = 6;
/** Expressions with enough samples before the embedding head is tried. */
export const MIN_EXPRESSIONS = 3;
/** How far the person's mean neutral logit is put above any other label by the bias. */
export const BIAS_MARGIN = 0.5;
const L2 = 0.05;
const ITERATIONS = 80;
const LEARNING_RATE = 1;

/** Fits a person's head from their samples; throws a `RangeError` naming the field on malformed input. */
export function fitPersonalHead(labels: readonly string[], samples: readonly CalibrationSample[]): PersonalHead {
  validateSamples(labels, samples);
  const counts: Record<string, number> = {};
  for (const s of samples) counts[s.expression] = (counts[s.expression] ?? 0) + 1;
  const enough = Object.keys(counts).filter((e) => (counts[e] ?? 0) >= MIN_SAMPLES_PER_EXPRESSION);
  const zeros = labels.map(() => 0);
  const none = (reason: string): PersonalHead => ({
    version: 1,
    labels: [...labels],
    used: false,
    reason,
    kind: null,
    bias: zeros,
    head: null,
    validation: { n: 0, generic: 0, personal: 0 },
    samples: counts,
  });
  if (enough.length === 0) {
    return none(`not enough faces recorded: at least ${MIN_SAMPLES_PER_EXPRESSION} of one expression are needed`);
  }
  const usable = samples.filter((s) => enough.includes(s.expression));
  const { fit, held } = holdBack(usable);
  const kinds: HeadKind[] = [];
  if (enough.includes('neutral')) kinds.push('bias');
  const withEmbedding = usable.every((s) => s.embedding !== undefined);
  if (enough.length >= MIN_EXPRESSIONS && withEmbedding) kinds.push('head');
  if (kinds.length === 0) {
    return none(
      withEmbedding
        ? `record a neutral face, or at least ${MIN_EXPRESSIONS} expressions, for a personal head`
        : 'the emotion model in use gives no embedding, and no neutral face was recorded',
    );
  }
  const genericCorrect = held.filter((s) => argmax(s.logits) === labels.indexOf(s.expression)).length;
  let best: { kind: HeadKind; correct: number } | undefined;
  for (const kind of kinds) {
    const trial = fitKind(labels, fit, kind);
    const correct = held.filter((s) => argmax(personalLogits(trial, s.logits, s.embedding)) === labels.indexOf(s.expression)).length;
    if (best === undefined || correct > best.correct) best = { kind, correct };
  }
  const chosen = best ?? { kind: kinds[0] ?? 'bias', correct: 0 };
  const n = held.length;
  const validation = { n, generic: genericCorrect / n, personal: chosen.correct / n };
  const final = fitKind(labels, usable, chosen.kind);
  const what = chosen.kind === 'bias' ? 'the neutral-face correction' : 'the personal head';
  if (chosen.correct <= genericCorrect) {
    const reason =
      genericCorrect === n
        ? `the generic model already reads your held-back faces right (${n} of ${n}); it stays in use`
        : `${what} read ${chosen.correct} of ${n} held-back faces right, the generic model ${genericCorrect}: not better, so the generic model stays in use`;
    return { ...final, used: false, reason, validation, samples: counts };
  }
  return {
    ...final,
    used: true,
    reason: `${what} reads ${chosen.correct} of ${n} held-back faces right, the generic model ${genericCorrect}: in use while you are signed in`,
    validation,
    samples: counts,
  };
}

/** The person's logits for one face: the generic ones when the head is not used. */
export function personalLogits(
  head: Pick<PersonalHead, 'bias' | 'head' | 'used'> | (Pick<PersonalHead, 'bias' | 'head'> & { used?: undefined }),
  logits: readonly number[] | Float32Array,
  embedding?: readonly number[] | Float32Array,
): number[] {
  const out = Array.from(logits);
  if (head.used === false) return out;
  for (let k = 0; k < out.length; k++) out[k] = (out[k] ?? 0) + (head.bias[k] ?? 0);
  const h = head.head;
  if (h === null || embedding === undefined || embedding.length !== h.mean.length) return out;
  const x = features(embedding, h.mean, h.scale);
  for (let k = 0; k < out.length; k++) out[k] = (out[k] ?? 0) + dot(h.weights[k] ?? [], x) + (h.offset[k] ?? 0);
  return out;
}

type Fitted = Pick<PersonalHead, 'version' | 'labels' | 'kind' | 'bias' | 'head'> & { used: true };

function fitKind(labels: readonly string[], samples: readonly CalibrationSample[], kind: HeadKind): Fitted {
  const bias = neutralBias(labels, samples);
  const base: Fitted = { version: 1, labels: [...labels], kind, bias, head: null, used: true };
  if (kind === 'bias') return base;
  return { ...base, head: fitResidual(labels, samples, bias) };
}

/** Lowers every label whose mean logit on the neutral faces is within `BIAS_MARGIN` of neutral's. */
function neutralBias(labels: readonly string[], samples: readonly CalibrationSample[]): number[] {
  const neutral = labels.indexOf('neutral');
  const faces = samples.filter((s) => s.expression === 'neutral');
  if (neutral < 0 || faces.length === 0) return labels.map(() => 0);
  const mean = labels.map((_, k) => faces.reduce((a, s) => a + (s.logits[k] ?? 0), 0) / faces.length);
  return mean.map((m, k) => (k === neutral ? 0 : -Math.max(0, m - (mean[neutral] ?? 0) + BIAS_MARGIN)));
}

/** Multinomial logistic regression on centred, scaled embeddings, offset by the corrected logits. */
function fitResidual(labels: readonly string[], samples: readonly CalibrationSample[], bias: readonly number[]): EmbeddingHead {
  const K = labels.length;
  const width = samples[0]?.embedding?.length ?? 0;
  const n = samples.length;
  const mean = new Array<number>(width).fill(0);
  for (const s of samples) for (let j = 0; j < width; j++) mean[j] = (mean[j] ?? 0) + (s.embedding?.[j] ?? 0) / n;
  let sq = 0;
  for (const s of samples) for (let j = 0; j < width; j++) sq += ((s.embedding?.[j] ?? 0) - (mean[j] ?? 0)) ** 2;
  const scale = Math.sqrt(sq / n) || 1;
  // Flat typed arrays: this loop is the whole cost of a calibration.
  const X = new Float64Array(n * width);
  samples.forEach((s, i) => X.set(features(s.embedding ?? [], mean, scale), i * width));
  const base = new Float64Array(n * K);
  samples.forEach((s, i) => s.logits.forEach((l, k) => (base[i * K + k] = l + (bias[k] ?? 0))));
  const y = samples.map((s) => labels.indexOf(s.expression));
  const W = new Float64Array(K * width);
  const c = new Float64Array(K);
  const gW = new Float64Array(K * width);
  const gc = new Float64Array(K);
  const p = new Float64Array(K);
  for (let it = 0; it < ITERATIONS; it++) {
    gW.fill(0);
    gc.fill(0);
    for (let i = 0; i < n; i++) {
      const xo = i * width;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let z = (base[i * K + k] ?? 0) + (c[k] ?? 0);
        const wo = k * width;
        for (let j = 0; j < width; j++) z += (W[wo + j] ?? 0) * (X[xo + j] ?? 0);
        p[k] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp((p[k] ?? 0) - max);
        p[k] = e;
        sum += e;
      }
      for (let k = 0; k < K; k++) {
        const g = ((p[k] ?? 0) / sum - (k === y[i] ? 1 : 0)) / n;
        gc[k] = (gc[k] ?? 0) + g;
        const wo = k * width;
        for (let j = 0; j < width; j++) gW[wo + j] = (gW[wo + j] ?? 0) + g * (X[xo + j] ?? 0);
      }
    }
    for (let m = 0; m < W.length; m++) W[m] = (W[m] ?? 0) - LEARNING_RATE * ((gW[m] ?? 0) + L2 * (W[m] ?? 0));
    for (let k = 0; k < K; k++) c[k] = (c[k] ?? 0) - LEARNING_RATE * ((gc[k] ?? 0) + L2 * (c[k] ?? 0));
  }
  const weights = Array.from({ length: K }, (_, k) => Array.from(W.subarray(k * width, (k + 1) * width)));
  return { weights, offset: Array.from(c), mean, scale };
}

/** Per expression, the last third (at least one) of its samples in recorded order is held back. */
function holdBack(samples: readonly CalibrationSample[]): { fit: CalibrationSample[]; held: CalibrationSample[] } {
  const byExpression = new Map<string, CalibrationSample[]>();
  for (const s of samples) byExpression.set(s.expression, [...(byExpression.get(s.expression) ?? []), s]);
  const fit: CalibrationSample[] = [];
  const held: CalibrationSample[] = [];
  for (const list of byExpression.values()) {
    const cut = list.length - Math.max(1, Math.round(list.length / 3));
    fit.push(...list.slice(0, cut));
    held.push(...list.slice(cut));
  }
  return { fit, held };
}

function validateSamples(labels: readonly string[], samples: readonly CalibrationSample[]): void {
  let width: number | undefined;
  samples.forEach((s, i) => {
    if (!labels.includes(s.expression)) {
      throw new RangeError(`samples[${i}].expression: expected one of ${labels.join(', ')}, got ${JSON.stringify(s.expression)}`);
    }
    if (s.logits.length !== labels.length || !s.logits.every(Number.isFinite)) {
      throw new RangeError(`samples[${i}].logits: expected ${labels.length} finite numbers`);
    }
    if (s.embedding !== undefined) {
      if (!s.embedding.every(Number.isFinite) || s.embedding.length === 0 || (width !== undefined && s.embedding.length !== width)) {
        throw new RangeError(`samples[${i}].embedding: expected ${width ?? 'some'} finite numbers, like the other samples`);
      }
      width = s.embedding.length;
    }
  });
}

function features(embedding: ArrayLike<number>, mean: readonly number[], scale: number): Float64Array {
  const x = new Float64Array(mean.length);
  for (let j = 0; j < mean.length; j++) x[j] = ((embedding[j] ?? 0) - (mean[j] ?? 0)) / scale;
  return x;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] ?? 0) * (b[j] ?? 0);
  return s;
}

/** Index of the largest value (the first on a tie). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if ((values[k] ?? -Infinity) > (values[best] ?? -Infinity)) best = k;
  return best;
}
