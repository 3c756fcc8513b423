import { describe, expect, it } from 'vitest';
import { argmax, fitPersonalHead, personalLogits, type CalibrationSample } from './personal-calibration.js';

const LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const at = (label: string): number => LABELS.indexOf(label);

/** A seeded generator, so that the faces below are the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}

/** Logits with `top` highest (by `margin`) and small noise; an embedding clustered around `cluster`. */
function face(random: () => number, expression: string, top: string, cluster: number, margin = 1.5): CalibrationSample {
  const logits = LABELS.map(() => random() * 0.5);
  logits[at(top)] = (logits[at(top)] ?? 0) + margin;
  const embedding = Array.from({ length: 16 }, (_, j) => (j % 4 === cluster ? 2 : 0) + random() * 0.6);
  return { expression, logits, embedding };
}

function person(reads: Record<string, string>, perExpression = 9, seed = 7): CalibrationSample[] {
  const random = rng(seed);
  return Object.entries(reads).flatMap(([expression, top], e) =>
    Array.from({ length: perExpression }, () => face(random, expression, top, e)),
  );
}

describe('fitPersonalHead', () => {
  it('corrects a resting face the model reads as sad, and a new neutral face of theirs then reads neutral', () => {
    const samples = person({ neutral: 'sad', happy: 'happy' }).map((s) => ({ expression: s.expression, logits: s.logits }));
    const head = fitPersonalHead(LABELS, samples);
    expect(head.used).toBe(true);
    expect(head.kind).toBe('bias');
    expect(head.validation.personal).toBeGreaterThan(head.validation.generic);
    expect(head.reason).toMatch(/neutral-face correction reads \d+ of \d+ held-back faces right, the generic model \d+/);
    const fresh = face(rng(99), 'neutral', 'sad', 0);
    expect(argmax(fresh.logits)).toBe(at('sad'));
    expect(argmax(personalLogits(head, fresh.logits))).toBe(at('neutral'));
    // A plainly happy face still reads happy.
    expect(argmax(personalLogits(head, face(rng(5), 'happy', 'happy', 1).logits))).toBe(at('happy'));
  });

  it('learns from the embedding when 3 expressions are recorded: a smile read as neutral reads happy', () => {
    const samples = person({ neutral: 'neutral', happy: 'neutral', surprise: 'surprise' });
    const head = fitPersonalHead(LABELS, samples);
    expect(head.used).toBe(true);
    expect(head.kind).toBe('head');
    expect(head.head?.weights).toHaveLength(7);
    const smile = face(rng(42), 'happy', 'neutral', 1);
    expect(argmax(personalLogits(head, smile.logits, smile.embedding))).toBe(at('happy'));
    const rest = face(rng(43), 'neutral', 'neutral', 0);
    expect(argmax(personalLogits(head, rest.logits, rest.embedding))).toBe(at('neutral'));
  });

  it('is not used when the generic model already reads the held-back faces right, and says so', () => {
    const samples = person({ neutral: 'neutral', happy: 'happy', surprise: 'surprise' });
    const head = fitPersonalHead(LABELS, samples);
    expect(head.used).toBe(false);
    expect(head.reason).toMatch(/generic model already reads your held-back faces right \(\d+ of \d+\)/);
    const f = face(rng(3), 'happy', 'sad', 1);
    expect(personalLogits(head, f.logits, f.embedding)).toEqual(f.logits);
  });

  it('is not used with too few faces', () => {
    const head = fitPersonalHead(LABELS, person({ neutral: 'sad' }, 3));
    expect(head.used).toBe(false);
    expect(head.reason).toMatch(/not enough faces recorded: at least 6 of one expression/);
    expect(head.samples).toEqual({ neutral: 3 });
  });

  it('names the sample and field of bad input', () => {
    const good = person({ neutral: 'neutral' }, 2);
    expect(() => fitPersonalHead(LABELS, [...good, { expression: 'bored', logits: LABELS.map(() => 0) }])).toThrow(
      /samples\[2\]\.expression: expected one of angry, .*got "bored"/,
    );
    expect(() => fitPersonalHead(LABELS, [{ expression: 'happy', logits: [1, 2] }])).toThrow(
      /samples\[0\]\.logits: expected 7 finite numbers/,
    );
    expect(() => fitPersonalHead(LABELS, [...good, { expression: 'happy', logits: LABELS.map(() => 0), embedding: [1] }])).toThrow(
      /samples\[2\]\.embedding: expected 16 finite numbers/,
    );
  });
});
