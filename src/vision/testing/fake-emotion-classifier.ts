import { resultFromProbabilities, type EmotionClassifier, type EmotionResult } from '../emotion-classifier.js';
import type { AccuracyBySize } from '../vote-weight.js';
import { FER_LABELS } from '../fer-csv.js';
import { assertFaces } from '../preprocess.js';

/**
 * The simplest complete classifier: by default every face reads as the label whose index is the
 * face's first pixel modulo the number of labels, with probability 0.9 (so a test chooses a face's
 * reading by its first pixel). `respondWith` replaces the rule; `failNext` makes the next call reject.
 */
export class FakeEmotionClassifier implements EmotionClassifier {
  readonly labels: readonly string[];
  /** The model's accuracy by face size, as a manifest would give it; undefined (every size the same) unless a test sets it. */
  accuracyBySize: AccuracyBySize | undefined;
  /** Every `classify` call's batch size, in order. */
  readonly calls: number[] = [];
  #respond: (face: Uint8Array) => readonly number[];
  #failure: Error | undefined;

  constructor(labels: readonly string[] = FER_LABELS) {
    this.labels = labels;
    this.#respond = (face) => oneHot(labels.length, (face[0] ?? 0) % labels.length, 0.9);
  }

  /** Probabilities (in label order) for each face from now on. */
  respondWith(respond: (face: Uint8Array) => readonly number[]): void {
    this.#respond = respond;
  }

  /** The next `classify` rejects with `error`. */
  failNext(error: Error): void {
    this.#failure = error;
  }

  async classify(faces: readonly Uint8Array[]): Promise<EmotionResult[]> {
    assertFaces(faces);
    this.calls.push(faces.length);
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) throw failure;
    return faces.map((face) => resultFromProbabilities(this.labels, this.#respond(face)));
  }
}

/** `n` probabilities: `p` on `index`, the rest shared equally. */
export function oneHot(n: number, index: number, p: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === index ? p : (1 - p) / (n - 1)));
}
