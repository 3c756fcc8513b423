/**
 * A learned taste: sparse logistic-regression weights by feature name (`artist:ann`, `fit`, …) and
 * how many examples shaped them. Plain data, so that it is stored as JSON and exported as it is.
 */
export interface TasteModel {
  weights: Record<string, number>;
  /**
   * Per feature, the sum of its squared gradients (AdaGrad): a feature seen often (the intercept,
   * mood fit) takes ever smaller steps, one seen rarely (an artist) keeps large ones, so a few
   * plays of an artist move that artist's weight and not only what every play shares.
   */
  squares: Record<string, number>;
  /** Examples learned from, counted by their weight (a like counts 2). */
  examples: number;
}

/** One example's features: name → value. Absent features are 0. */
export type Features = Readonly<Record<string, number>>;

export interface LogisticOptions {
  /**
   * Step size of a feature's first update (later ones shrink by AdaGrad). 1: a handful of
   * finished or skipped songs by one artist move that artist's weight by about one (odds ×2.7),
   * and one odd play never swings it.
   */
  learningRate?: number;
  /** L2 pull of the touched weights toward 0 per update: old evidence fades slowly. @default 0.01 */
  l2?: number;
}

/** The name of the intercept: present in every example; it never ranks one track above another. */
export const BIAS = 'bias';

/** An empty model: every weight 0, nothing learned. */
export function emptyModel(): TasteModel {
  return { weights: {}, squares: {}, examples: 0 };
}

/** The model's log-odds for `features` (the intercept included). */
export function logit(model: TasteModel, features: Features): number {
  let z = model.weights[BIAS] ?? 0;
  for (const [name, value] of Object.entries(features)) z += (model.weights[name] ?? 0) * value;
  return z;
}

/** The probability the model gives a positive outcome (a song played to the end). */
export function predict(model: TasteModel, features: Features): number {
  return sigmoid(logit(model, features));
}

/**
 * One step of stochastic gradient descent on the log-loss, in place: `label` 1 for a song played to
 * the end (or liked), 0 for one skipped; `weight` how much the example counts (a like: 2). Touches
 * only the example's features and the intercept, so an update costs O(features), whatever the
 * model's size.
 */
export function learn(model: TasteModel, features: Features, label: 0 | 1, weight = 1, options: LogisticOptions = {}): void {
  if (!(weight > 0 && Number.isFinite(weight))) throw new RangeError(`Expected \`weight\` to be a number above 0, got \`${weight}\``);
  const rate = options.learningRate ?? 1;
  const l2 = options.l2 ?? 0.01;
  const error = weight * (label - predict(model, features));
  const w = model.weights;
  const g2 = model.squares;
  const update = (name: string, value: number): void => {
    const gradient = error * value - l2 * (w[name] ?? 0);
    const squares = (g2[name] ?? 0) + gradient * gradient;
    g2[name] = squares;
    const next = (w[name] ?? 0) + (rate * gradient) / Math.sqrt(1 + squares);
    // Weights that fade to nothing are dropped: the stored model stays as small as what it knows.
    if (Math.abs(next) < 1e-4) delete w[name];
    else w[name] = next;
  };
  update(BIAS, 1);
  for (const [name, value] of Object.entries(features)) if (value !== 0 && name !== BIAS) update(name, value);
  model.examples += weight;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Reads a stored model, checking every field (it comes from the database or an import). */
export function parseModel(value: unknown, field = 'model'): TasteModel {
  if (typeof value !== 'object' || value === null) throw new TypeError(`Expected \`${field}\` to be an object, got \`${String(value)}\``);
  const { weights, squares = {}, examples } = value as { weights?: unknown; squares?: unknown; examples?: unknown };
  if (typeof examples !== 'number' || !(examples >= 0))
    throw new TypeError(`Expected \`${field}.examples\` to be a number ≥ 0, got \`${String(examples)}\``);
  return { weights: numbers(weights, `${field}.weights`), squares: numbers(squares, `${field}.squares`), examples };
}

function numbers(value: unknown, field: string): Record<string, number> {
  if (typeof value !== 'object' || value === null) throw new TypeError(`Expected \`${field}\` to be an object`);
  const out: Record<string, number> = {};
  for (const [name, w] of Object.entries(value)) {
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw new TypeError(`Expected \`${field}.${name}\` to be a finite number, got \`${String(w)}\``);
    out[name] = w;
  }
  return out;
}
