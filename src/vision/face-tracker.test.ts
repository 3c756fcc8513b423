import { describe, expect, it } from 'vitest';
import { FaceTracker } from './face-tracker.js';

const box = (x: number, y: number, size = 100) => ({ x, y, width: size, height: size });

describe('FaceTracker', () => {
  it('keeps a face moving a little under the same id', () => {
    const tracker = new FaceTracker();
    const [first] = tracker.update([box(100, 100)]).trackIds;
    const [second] = tracker.update([box(110, 105)]).trackIds;
    const [third] = tracker.update([box(120, 110)]).trackIds;
    expect(first).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(tracker.tracks).toHaveLength(1);
    expect(tracker.tracks[0]?.box).toEqual(box(120, 110));
  });

  it('gives a face that jumps far away a new id', () => {
    const tracker = new FaceTracker();
    tracker.update([box(0, 0)]);
    expect(tracker.update([box(300, 300)]).trackIds).toEqual([2]);
  });

  it('matches several faces by best overlap, whatever the detection order', () => {
    const tracker = new FaceTracker();
    const { trackIds: ids } = tracker.update([box(0, 0), box(200, 0), box(400, 0)]);
    const { trackIds: next } = tracker.update([box(405, 5), box(5, 0), box(195, 0)]);
    expect(next).toEqual([ids[2], ids[0], ids[1]]);
  });

  it('does not give one track to two overlapping detections', () => {
    const tracker = new FaceTracker();
    tracker.update([box(100, 100)]);
    const { trackIds } = tracker.update([box(100, 100), box(130, 100)]);
    expect(trackIds[0]).toBe(1);
    expect(trackIds[1]).toBe(2);
  });

  it('keeps a track through short misses and drops it after maxMisses', () => {
    const tracker = new FaceTracker({ maxMisses: 2 });
    tracker.update([box(100, 100)]);
    expect(tracker.update([]).lost).toEqual([]);
    expect(tracker.update([]).lost).toEqual([]);
    expect(tracker.tracks[0]?.misses).toBe(2);
    expect(tracker.update([box(100, 100)]).trackIds).toEqual([1]);
    tracker.update([]);
    tracker.update([]);
    expect(tracker.update([]).lost).toEqual([1]);
    expect(tracker.tracks).toEqual([]);
    expect(tracker.update([box(100, 100)]).trackIds).toEqual([2]);
  });

  it('confirms a track only after minHits detections', () => {
    const tracker = new FaceTracker({ minHits: 2 });
    tracker.update([box(100, 100)]);
    expect(tracker.tracks[0]?.isConfirmed).toBe(false);
    tracker.update([box(102, 100)]);
    expect(tracker.tracks[0]?.isConfirmed).toBe(true);
  });

  it('rejects nonsense options', () => {
    expect(() => new FaceTracker({ minIou: 0 })).toThrow(RangeError);
    expect(() => new FaceTracker({ maxMisses: -1 })).toThrow(/maxMisses/);
    expect(() => new FaceTracker({ minHits: 0.5 })).toThrow(/minHits/);
  });
});
