import { describe, expect, it } from 'vitest';
import { advance, clear, EMPTY_QUEUE, enqueue, removeUpcoming, replaceUpcoming, startWith, type QueueEntry } from './play-queue.js';

const entry = (id: number): QueueEntry => ({ track: { id, uri: `/m/${id}.flac` }, reason: 'mood' });
const ids = (q: { current?: { track: { id: number } }; upcoming: ReadonlyArray<{ track: { id: number } }> }) => [
  q.current?.track.id,
  ...q.upcoming.map((i) => i.track.id),
];

describe('play queue', () => {
  it('plays in order and ends empty', () => {
    let q = startWith(EMPTY_QUEUE, [entry(1), entry(2)]);
    expect(ids(q)).toEqual([1, 2]);
    q = advance(q);
    expect(ids(q)).toEqual([2]);
    q = advance(q);
    expect(q.current).toBeUndefined();
  });

  it('adds at the end or next, replaces what is upcoming, and removes by key', () => {
    let q = startWith(EMPTY_QUEUE, [entry(1), entry(2)]);
    q = enqueue(q, [entry(3)]);
    q = enqueue(q, [entry(4)], 'next');
    expect(ids(q)).toEqual([1, 4, 2, 3]);
    q = removeUpcoming(q, q.upcoming[1]?.key ?? 0);
    expect(ids(q)).toEqual([1, 4, 3]);
    q = replaceUpcoming(q, [entry(9)]);
    expect(ids(q)).toEqual([1, 9]);
    expect(clear(q).current).toBeUndefined();
  });

  it('starts a queue with nothing playing: the first entry added plays, at the end or next alike', () => {
    expect(ids(enqueue(EMPTY_QUEUE, [entry(1), entry(2)]))).toEqual([1, 2]);
    expect(enqueue(EMPTY_QUEUE, [entry(1), entry(2)], 'next').current?.track.id).toBe(1);
    const ended = advance(startWith(EMPTY_QUEUE, [entry(1)]));
    expect(enqueue(ended, [entry(3)]).current?.track.id).toBe(3);
    expect(enqueue(ended, []).current).toBeUndefined();
  });

  it('gives every entry a key of its own, never reused, and leaves the old queue as it was', () => {
    const a = startWith(EMPTY_QUEUE, [entry(1), entry(1)]);
    const b = replaceUpcoming(a, [entry(1)]);
    const keys = [a.current?.key, a.upcoming[0]?.key, b.upcoming[0]?.key];
    expect(new Set(keys).size).toBe(3);
    expect(ids(a)).toEqual([1, 1]);
    expect(b.current?.note).toBe('');
  });
});
