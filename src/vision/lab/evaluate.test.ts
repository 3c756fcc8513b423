import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, ferPlusMajority } from './evaluate.js';
import { FER_LABELS, readFerCsv, type FerRow } from '../fer-csv.js';
import { FACE_PIXELS } from '../preprocess.js';
import { FakeEmotionClassifier, oneHot } from '../testing/fake-emotion-classifier.js';

const TINY = join(import.meta.dirname, '..', 'testing', 'fixtures', 'fer-tiny.csv');

/** A clock that advances 10 ms every time it is read. */
function steppingClock(): { monotonic: () => number } {
  let t = 0;
  return { monotonic: () => (t += 10) };
}

function row(emotion: number, options: { usage?: string; votes?: number[]; first?: number } = {}): FerRow {
  const pixels = new Uint8Array(FACE_PIXELS);
  pixels[0] = options.first ?? emotion;
  return {
    line: 0,
    row: 0,
    emotion,
    label: FER_LABELS[emotion] ?? 'angry',
    pixels,
    usage: options.usage ?? 'PublicTest',
    votes: options.votes,
  };
}

async function* from(rows: FerRow[]): AsyncGenerator<FerRow> {
  for (const r of rows) yield r;
}

/** FER+ votes in column order: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF. */
const votes = (
  v: Partial<
    Record<'neutral' | 'happiness' | 'surprise' | 'sadness' | 'anger' | 'disgust' | 'fear' | 'contempt' | 'unknown' | 'NF', number>
  >,
): number[] =>
  ['neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'NF'].map(
    (k) => v[k as keyof typeof v] ?? 0,
  );

describe('evaluate', () => {
  it('counts accuracy, per-class recall and the confusion matrix', async () => {
    // The fake reads a face as FER class `pixels[0]`: rows 1-3 right, row 4 (sad) read as happy.
    const rows = [row(0), row(3), row(3), row(4, { first: 3 })];
    const report = await evaluate({ classifier: new FakeEmotionClassifier(), clock: steppingClock() }, from(rows));
    expect(report.n).toBe(4);
    expect(report.correct).toBe(3);
    expect(report.accuracy).toBe(0.75);
    expect(report.perClass.angry).toEqual({ n: 1, correct: 1, recall: 1 });
    expect(report.perClass.happy).toEqual({ n: 2, correct: 2, recall: 1 });
    expect(report.perClass.sad).toEqual({ n: 1, correct: 0, recall: 0 });
    expect(report.perClass.fear).toEqual({ n: 0, correct: 0, recall: null });
    expect(report.macroRecall).toBeCloseTo(2 / 3, 10);
    expect(report.confusion[4]).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(report.confusion[3]).toEqual([0, 0, 0, 2, 0, 0, 0]);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(4);
    expect(report.ferPlusMajority).toBeNull();
  });

  it('classifies in batches and measures images per second of classification', async () => {
    const classifier = new FakeEmotionClassifier();
    const rows = Array.from({ length: 10 }, (_, i) => row(i % 7));
    const report = await evaluate({ classifier, clock: steppingClock() }, from(rows), { batchSize: 4 });
    expect(classifier.calls).toEqual([4, 4, 2]);
    expect(report.classifySeconds).toBeCloseTo(0.03, 10); // 3 calls of 10 ms
    expect(report.imagesPerSecond).toBeCloseTo(10 / 0.03, 6);
  });

  it('evaluates only the rows of the requested Usage and counts the others', async () => {
    const rows = [row(0), row(1, { usage: 'Training' }), row(2, { usage: 'Training' }), row(3, { usage: 'PrivateTest' })];
    const report = await evaluate({ classifier: new FakeEmotionClassifier(), clock: steppingClock() }, from(rows), { usage: 'PublicTest' });
    expect(report.n).toBe(1);
    expect(report.skipped).toEqual({ Training: 2, PrivateTest: 1 });
  });

  it('scores against the FER+ majority where there are votes, with contempt unreachable for a 7-class model', async () => {
    const rows = [
      row(3, { votes: votes({ happiness: 8, neutral: 2 }) }), // happy → happiness: right
      row(6, { first: 4, votes: votes({ neutral: 6, sadness: 4 }) }), // read sad, majority neutral: wrong
      row(1, { votes: votes({ contempt: 5, disgust: 3 }) }), // majority contempt: cannot be right
      row(4, { first: 4, votes: votes({ sadness: 4, neutral: 4 }) }), // tie: neutral (first column) wins, read sad: wrong
      row(0, { votes: votes({ unknown: 7, NF: 3 }) }), // no emotion vote: not scored
      row(0), // no votes at all: not scored
    ];
    const report = await evaluate({ classifier: new FakeEmotionClassifier(), clock: steppingClock() }, from(rows));
    const plus = report.ferPlusMajority;
    expect(plus).not.toBeNull();
    expect(plus?.n).toBe(4);
    expect(plus?.accuracy).toBe(0.25);
    expect(plus?.nExcludingUnpredictable).toBe(3);
    expect(plus?.accuracyExcludingUnpredictable).toBeCloseTo(1 / 3, 10);
    expect(plus?.tiedMajority).toBe(1);
    expect(plus?.labels[7]).toBe('contempt');
    // Row 3's majority is contempt (index 7), read as disgust (index 5).
    expect(plus?.confusion[7]).toEqual([0, 0, 0, 0, 0, 1, 0, 0]);
    expect(plus?.confusion.map((r) => r[7])).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(report.n).toBe(6);
  });

  it('uses the classifier labels by name, so a model with another label order is scored right', async () => {
    const labels = ['neutral', 'happy', 'surprise', 'sad', 'angry', 'disgust', 'fear', 'contempt'];
    const classifier = new FakeEmotionClassifier(labels);
    classifier.respondWith((face) => oneHot(8, labels.indexOf(FER_LABELS[face[0] ?? 0] ?? 'angry'), 0.8));
    const report = await evaluate({ classifier, clock: steppingClock() }, from([row(0), row(6), row(3)]));
    expect(report.accuracy).toBe(1);
    expect(report.predictedLabels).toEqual(labels);
    expect(report.confusion[0]).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('passes a classifier failure on', async () => {
    const classifier = new FakeEmotionClassifier();
    classifier.failNext(new Error('inference failed'));
    await expect(evaluate({ classifier, clock: steppingClock() }, from([row(0)]))).rejects.toThrow('inference failed');
  });

  it('reads the fixture CSV end to end', async () => {
    const report = await evaluate({ classifier: new FakeEmotionClassifier(), clock: steppingClock() }, readFerCsv(TINY), {
      usage: 'PublicTest',
    });
    expect(report.n).toBe(8);
    expect(report.skipped).toEqual({ Training: 1 });
    expect(report.ferPlusMajority?.n).toBe(7);
  });
});

describe('ferPlusMajority', () => {
  it('takes the most voted emotion, the first on a tie, and ignores unknown and NF', () => {
    expect(ferPlusMajority(votes({ surprise: 3, fear: 3 }))).toEqual({ index: 2, tied: true });
    expect(ferPlusMajority(votes({ fear: 1, unknown: 9 }))).toEqual({ index: 6, tied: false });
    expect(ferPlusMajority(votes({ NF: 10 }))).toBeUndefined();
    expect(ferPlusMajority(undefined)).toBeUndefined();
  });
});
