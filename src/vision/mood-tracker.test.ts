import { describe, expect, it } from 'vitest';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import { MoodTracker, NOBODY, type FaceReading, type MoodUpdate } from './mood-tracker.js';

const LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
type Label = (typeof LABELS)[number];

/** A reading that puts `p` on `label` and spreads the rest evenly. */
function reading(label: Label, p = 0.8, trackId = 1, size = 100): FaceReading {
  const rest = (1 - p) / (LABELS.length - 1);
  return { trackId, size, probabilities: Object.fromEntries(LABELS.map((l) => [l, l === label ? p : rest])) };
}

const FRAME_MS = 100;

/** Feeds `frames` frames at 10 fps; returns every result. */
function feed(clock: FakeClock, tracker: MoodTracker, frames: number, readings: () => FaceReading[]): MoodUpdate[] {
  const out: MoodUpdate[] = [];
  for (let i = 0; i < frames; i++) {
    clock.advance(FRAME_MS);
    out.push(tracker.update(readings()));
  }
  return out;
}

function settled(label: Label): { clock: FakeClock; tracker: MoodTracker } {
  const clock = new FakeClock();
  const tracker = new MoodTracker({ clock }, { dwellMs: 2000 });
  feed(clock, tracker, 40, () => [reading(label)]);
  expect(tracker.mood).toBe(label);
  return { clock, tracker };
}

describe('MoodTracker', () => {
  it('starts as nobody and takes the first mood only after the dwell time', () => {
    const clock = new FakeClock();
    const tracker = new MoodTracker({ clock }, { dwellMs: 2000 });
    expect(tracker.mood).toBe(NOBODY);
    const results = feed(clock, tracker, 30, () => [reading('happy')]);
    const firstHappy = results.findIndex((r) => r.mood === 'happy');
    // The first frame already leads; the change lands once it has led for 2 s.
    expect((firstHappy + 1) * FRAME_MS - FRAME_MS).toBe(2000);
    expect(results[firstHappy]?.changed).toBe(true);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
  });

  it('does not change on a single odd frame', () => {
    const { clock, tracker } = settled('happy');
    const results = [...feed(clock, tracker, 1, () => [reading('angry', 0.99)]), ...feed(clock, tracker, 50, () => [reading('happy')])];
    expect(results.every((r) => r.mood === 'happy' && !r.changed)).toBe(true);
  });

  it('does not change on a burst shorter than the dwell time', () => {
    const { clock, tracker } = settled('happy');
    const results = [...feed(clock, tracker, 15, () => [reading('sad', 0.95)]), ...feed(clock, tracker, 50, () => [reading('happy')])];
    expect(results.some((r) => r.mood !== 'happy')).toBe(false);
  });

  it('changes after a real change, once the dwell time has passed and not before', () => {
    const { clock, tracker } = settled('happy');
    const start = clock.now();
    const results = feed(clock, tracker, 50, () => [reading('sad')]);
    const change = results.find((r) => r.changed);
    expect(change?.mood).toBe('sad');
    const after = (change?.since ?? Infinity) - start;
    // Smoothing (600 ms time constant) delays the lead a little; the dwell adds 2 s.
    expect(after).toBeGreaterThanOrEqual(2000);
    expect(after).toBeLessThanOrEqual(3000);
  });

  it('lets unsure readings keep the room occupied without voting', () => {
    const { clock, tracker } = settled('happy');
    const results = feed(clock, tracker, 80, () => [reading('sad', 0.3)]);
    expect(results.every((r) => r.mood === 'happy')).toBe(true);
  });

  it('keeps the mood when two emotions are nearly tied (hysteresis)', () => {
    const { clock, tracker } = settled('happy');
    const tied = (): FaceReading => ({
      trackId: 1,
      size: 100,
      probabilities: { happy: 0.46, sad: 0.5, neutral: 0.04 },
    });
    const results = feed(clock, tracker, 60, () => [tied()]);
    expect(results.every((r) => r.mood === 'happy')).toBe(true);
  });

  it('weighs faces by size: one near face outweighs two far ones', () => {
    const clock = new FakeClock();
    const tracker = new MoodTracker({ clock }, { dwellMs: 1000 });
    const results = feed(clock, tracker, 30, () => [reading('happy', 0.8, 1, 200), reading('sad', 0.8, 2, 60), reading('sad', 0.8, 3, 60)]);
    expect(results.at(-1)?.mood).toBe('happy');
    expect(results.at(-1)?.faces).toBe(3);
    const scores = results.at(-1)?.scores ?? {};
    expect(scores['happy']).toBeGreaterThan(scores['sad'] ?? 1);
  });

  it('says nobody once the faces have left for nobodyAfterMs', () => {
    const { clock, tracker } = settled('happy');
    const left = clock.now();
    const results = feed(clock, tracker, 80, () => []);
    const change = results.find((r) => r.changed);
    expect(change?.mood).toBe(NOBODY);
    expect(change?.faces).toBe(0);
    expect((change?.since ?? 0) - left).toBe(5000);
  });

  it('stops counting a face as soon as its track is forgotten', () => {
    const clock = new FakeClock();
    const tracker = new MoodTracker({ clock }, { dwellMs: 0 });
    feed(clock, tracker, 5, () => [reading('happy', 0.8, 1), reading('sad', 0.8, 2, 150)]);
    expect(tracker.mood).toBe('sad');
    tracker.forget([2]);
    const [result] = feed(clock, tracker, 1, () => []);
    expect(result?.faces).toBe(1);
    const [next] = feed(clock, tracker, 1, () => [reading('happy', 0.8, 1)]);
    expect(next?.mood).toBe('happy');
  });

  it('never takes a label the music does not know as the room mood, however sure the model is of it', () => {
    const { clock, tracker } = settled('happy');
    const bored: FaceReading = { trackId: 1, size: 100, probabilities: { bored: 0.9, happy: 0.05, neutral: 0.05 } };
    const results = feed(clock, tracker, 60, () => [bored]);
    expect(results.every((r) => r.mood === 'happy' && !r.changed)).toBe(true);
    // The label is still read and shown, only never made the mood.
    expect(results.at(-1)?.scores['bored']).toBeGreaterThan(0.8);
  });

  it('rejects nonsense options', () => {
    const clock = new FakeClock();
    expect(() => new MoodTracker({ clock }, { smoothingMs: 0 })).toThrow(/smoothingMs/);
    expect(() => new MoodTracker({ clock }, { minConfidence: 2 })).toThrow(/minConfidence/);
    expect(() => new MoodTracker({ clock }, { dwellMs: -1 })).toThrow(RangeError);
  });
});
