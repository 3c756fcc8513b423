import type { Clock } from '../../kernel/clock.js';
import type { EmotionClassifier } from '../emotion-classifier.js';
import { FER_LABELS, FERPLUS_EMOTIONS, type FerLabel, type FerPlusEmotion, type FerRow } from '../fer-csv.js';

/** A model label → the FER+ emotion of the same meaning. */
const FERPLUS_NAME: Readonly<Record<string, FerPlusEmotion>> = {
  neutral: 'neutral',
  happy: 'happiness',
  surprise: 'surprise',
  sad: 'sadness',
  angry: 'anger',
  disgust: 'disgust',
  fear: 'fear',
  contempt: 'contempt',
};

export interface EvaluateOptions {
  /** Only rows whose `Usage` is this (e.g. `PublicTest`); every row when undefined. */
  usage?: string | undefined;
  /** Faces per `classify` call. @default 64 */
  batchSize?: number;
}

export interface ClassRecall {
  /** Rows of this class. */
  readonly n: number;
  /** Of those, predicted as this class. */
  readonly correct: number;
  /** `correct / n`; null when the class has no rows. */
  readonly recall: number | null;
}

/** Accuracy against the FER+ majority label (rows with FER+ votes only). */
export interface FerPlusMajority {
  /** Rows with FER+ votes and at least one vote on the 8 FER+ emotions. */
  readonly n: number;
  /** Correct / n; rows whose majority the model has no label for (contempt, for a 7-class model) count as wrong. */
  readonly accuracy: number;
  /** Rows whose majority label is one the model can predict. */
  readonly nExcludingUnpredictable: number;
  readonly accuracyExcludingUnpredictable: number;
  /** Rows whose majority is tied between two or more emotions (the first in FER+ column order wins). */
  readonly tiedMajority: number;
  /** FER+ emotions: the rows and columns of `confusion`. */
  readonly labels: readonly FerPlusEmotion[];
  /** `confusion[true][predicted]` in FER+ emotion order. */
  readonly confusion: number[][];
}

export interface EvaluationReport {
  /** Rows evaluated. */
  readonly n: number;
  /** Fraction of rows whose most probable label is the FER-2013 label, 0–1. */
  readonly accuracy: number;
  readonly correct: number;
  /** Recall per FER-2013 class. */
  readonly perClass: Readonly<Record<FerLabel, ClassRecall>>;
  /** Mean recall over the classes that have rows. */
  readonly macroRecall: number;
  /** Rows of `confusion`: the FER-2013 classes. */
  readonly labels: readonly FerLabel[];
  /** Columns of `confusion`: the classifier's labels. */
  readonly predictedLabels: readonly string[];
  /** `confusion[true][predicted]`: rows in `labels` order, columns in `predictedLabels` order. */
  readonly confusion: number[][];
  /** Present when the file has FER+ votes for at least one evaluated row. */
  readonly ferPlusMajority: FerPlusMajority | null;
  /** Rows read but not evaluated (another Usage), per Usage. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Faces classified per second of classification (preprocessing and inference, not reading the CSV). */
  readonly imagesPerSecond: number;
  /** Seconds spent in `classify`. */
  readonly classifySeconds: number;
}

/**
 * Runs `classifier` on every row (of `options.usage`) and compares its most probable label with
 * the FER-2013 label and, where the row has FER+ votes, with the FER+ majority label. The rows are
 * classified in batches through the classifier's own `classify`, so the figures are those of the
 * daemon's code path. Errors from the rows (a malformed CSV) or the classifier propagate.
 */
export async function evaluate(
  deps: { classifier: EmotionClassifier; clock: Pick<Clock, 'monotonic'> },
  rows: AsyncIterable<FerRow>,
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const { classifier, clock } = deps;
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`Expected \`batchSize\` to be an integer >= 1, got \`${batchSize}\``);
  const predicted = classifier.labels;
  const column = new Map(predicted.map((label, i) => [label, i]));
  const confusion = FER_LABELS.map(() => predicted.map(() => 0));
  const plus = FERPLUS_EMOTIONS.map(() => FERPLUS_EMOTIONS.map(() => 0));
  const skipped: Record<string, number> = {};
  let n = 0;
  let correct = 0;
  let plusN = 0;
  let plusCorrect = 0;
  let plusPredictable = 0;
  let plusPredictableCorrect = 0;
  let ties = 0;
  let classifyMs = 0;
  const predictable = new Set(predicted.map((l) => FERPLUS_NAME[l]).filter((l) => l !== undefined));

  const flush = async (batch: FerRow[]): Promise<void> => {
    if (batch.length === 0) return;
    const started = clock.monotonic();
    const results = await classifier.classify(batch.map((r) => r.pixels));
    classifyMs += clock.monotonic() - started;
    batch.forEach((row, i) => {
      const label = results[i]?.label ?? '';
      const col = column.get(label);
      if (col === undefined) throw new Error(`the classifier returned the label ${JSON.stringify(label)}, not one of its labels`);
      n++;
      (confusion[row.emotion] as number[])[col] = ((confusion[row.emotion] as number[])[col] ?? 0) + 1;
      if (label === row.label) correct++;
      const majority = ferPlusMajority(row.votes);
      if (majority === undefined) return;
      plusN++;
      if (majority.tied) ties++;
      const guess = FERPLUS_NAME[label];
      const hit = guess === FERPLUS_EMOTIONS[majority.index];
      if (hit) plusCorrect++;
      if (guess !== undefined) {
        const row8 = plus[majority.index] as number[];
        const c = FERPLUS_EMOTIONS.indexOf(guess);
        row8[c] = (row8[c] ?? 0) + 1;
      }
      if (predictable.has(FERPLUS_EMOTIONS[majority.index] as FerPlusEmotion)) {
        plusPredictable++;
        if (hit) plusPredictableCorrect++;
      }
    });
  };

  let batch: FerRow[] = [];
  for await (const row of rows) {
    if (options.usage !== undefined && row.usage !== options.usage) {
      skipped[row.usage] = (skipped[row.usage] ?? 0) + 1;
      continue;
    }
    batch.push(row);
    if (batch.length >= batchSize) {
      await flush(batch);
      batch = [];
    }
  }
  await flush(batch);

  const perClass = {} as Record<FerLabel, ClassRecall>;
  const recalls: number[] = [];
  FER_LABELS.forEach((label, i) => {
    const rowCounts = confusion[i] ?? [];
    const total = rowCounts.reduce((a, b) => a + b, 0);
    const col = column.get(label);
    const hits = col === undefined ? 0 : (rowCounts[col] ?? 0);
    const recall = total === 0 ? null : hits / total;
    if (recall !== null) recalls.push(recall);
    perClass[label] = { n: total, correct: hits, recall };
  });
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    correct,
    perClass,
    macroRecall: recalls.length === 0 ? 0 : recalls.reduce((a, b) => a + b, 0) / recalls.length,
    labels: FER_LABELS,
    predictedLabels: [...predicted],
    confusion,
    ferPlusMajority:
      plusN === 0
        ? null
        : {
            n: plusN,
            accuracy: plusCorrect / plusN,
            nExcludingUnpredictable: plusPredictable,
            accuracyExcludingUnpredictable: plusPredictable === 0 ? 0 : plusPredictableCorrect / plusPredictable,
            tiedMajority: ties,
            labels: FERPLUS_EMOTIONS,
            confusion: plus,
          },
    skipped,
    imagesPerSecond: classifyMs > 0 ? n / (classifyMs / 1000) : 0,
    classifySeconds: classifyMs / 1000,
  };
}

/**
 * The FER+ majority label: the argmax of the 8 emotion votes (`unknown` and `NF` ignored), the first
 * in FER+ column order on a tie. Undefined without votes or when no vote went to an emotion.
 */
export function ferPlusMajority(votes: readonly number[] | undefined): { index: number; tied: boolean } | undefined {
  if (votes === undefined) return undefined;
  const emotions = votes.slice(0, FERPLUS_EMOTIONS.length);
  const max = Math.max(...emotions);
  if (!(max > 0)) return undefined;
  return { index: emotions.indexOf(max), tied: emotions.filter((v) => v === max).length > 1 };
}
