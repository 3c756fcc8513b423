import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { retryAfterSeconds, WindowLimit } from './window-limit.js';

/** A clock that moves only when told to; a window limit sets no timers, so asking for one fails the test. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  const noTimers = (): never => {
    throw new Error('Expected a window limit to set no timers');
  };
  return {
    now: () => now,
    monotonic: () => now,
    setTimeout: noTimers,
    setInterval: noTimers,
    sleep: noTimers,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('WindowLimit', () => {
  it('refuses past the limit until the oldest counted event leaves the window, which slides', () => {
    const clock = manualClock();
    const limit = new WindowLimit({ clock }, { limit: 3, windowMs: 10_000 });
    expect(limit.take('a')).toBe(0);
    clock.advance(2000);
    expect(limit.take('a')).toBe(0);
    clock.advance(3000);
    expect(limit.take('a')).toBe(0);
    clock.advance(1000);
    // Three events at 0 s, 2 s and 5 s: the one at 0 s leaves the window at 10 s, 4 s from now.
    expect(limit.take('a')).toBe(4000);
    expect(limit.retryAfterMs('a')).toBe(4000);
    clock.advance(3999);
    expect(limit.take('a')).toBe(1);
    clock.advance(1);
    expect(limit.take('a')).toBe(0);
    // Now the window holds 2 s, 5 s and 10 s: the next frees at 12 s, not at the end of a fixed window.
    expect(limit.take('a')).toBe(2000);
    // Another key has its own window.
    expect(limit.take('b')).toBe(0);
  });

  it('counts an event against several keys only when every one allows it', () => {
    const clock = manualClock();
    const limit = new WindowLimit({ clock }, { limit: 2, windowMs: 60_000 });
    expect([limit.take('phone:a', 'address:x'), limit.take('phone:a', 'address:x')]).toEqual([0, 0]);
    // The address is full: a new phone behind it is refused, and nothing is counted or kept for it.
    clock.advance(15_000);
    expect(limit.take('phone:b', 'address:x')).toBe(45_000);
    expect(limit.size).toBe(2);
    expect(limit.retryAfterMs('phone:b')).toBe(0);
    // So from another address the same phone still has its whole budget.
    expect([limit.take('phone:b', 'address:y'), limit.take('phone:b', 'address:y')]).toEqual([0, 0]);
    expect(limit.take('phone:b', 'address:z')).toBe(60_000);
    expect(limit.retryAfterMs('address:z')).toBe(0);
  });

  it('counts against several limits together: a window that refuses leaves the others uncounted', () => {
    const clock = manualClock();
    const perMinute = new WindowLimit({ clock }, { limit: 2, windowMs: 60_000 });
    const perHour = new WindowLimit({ clock }, { limit: 3, windowMs: 3_600_000 });
    const tap = () =>
      WindowLimit.takeAll([
        [perMinute, ['screen:1', 'address:x']],
        [perHour, ['screen:1', 'address:x']],
      ]);
    expect([tap(), tap(), tap()]).toEqual([0, 0, 60_000]);
    clock.advance(60_000);
    expect([tap(), tap()]).toEqual([0, 3_540_000]);
    // The hour refused that last tap, so the minute did not count it either.
    expect(perMinute.retryAfterMs('screen:1')).toBe(0);
  });

  it('holds each key to its own limit, asked at each check', () => {
    const clock = manualClock();
    let phonesAtCafe = 2;
    const limit = new WindowLimit({ clock }, { limit: (key) => (key === 'address:cafe' ? 2 * phonesAtCafe : 2), windowMs: 60_000 });
    const calls = (key: string, n: number) => Array.from({ length: n }, () => limit.take(key));
    expect(calls('address:cafe', 5)).toEqual([0, 0, 0, 0, 60_000]);
    expect(calls('address:flat', 3)).toEqual([0, 0, 60_000]);
    // A third phone at the café: its address may call twice more at once.
    phonesAtCafe = 3;
    expect(calls('address:cafe', 3)).toEqual([0, 0, 60_000]);
  });

  it('keeps at most `maxKeys` keys, forgetting the least recently counted first, and drops keys whose window emptied', () => {
    const clock = manualClock();
    const limit = new WindowLimit({ clock }, { limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) expect(limit.take(key)).toBe(0);
    clock.advance(1000);
    expect(limit.take('d')).toBe(0);
    expect(limit.size).toBe(3);
    // `a` was counted least recently and went: it may have an event again; `b`, `c` and `d` are still held.
    expect(['a', 'b', 'c', 'd'].map((key) => limit.retryAfterMs(key))).toEqual([0, 59_000, 59_000, 60_000]);
    // A minute after their last events, every key's window is empty and nothing is kept.
    clock.advance(60_000);
    expect(limit.size).toBe(0);
  });

  it('stays small and answers for the newest keys under a flood of new keys', () => {
    const clock = manualClock();
    const limit = new WindowLimit({ clock }, { limit: 1, windowMs: 60_000, maxKeys: 1000 });
    let refused = 0;
    for (let i = 0; i < 50_000; i++) {
      if (limit.take(`flood:${i}`) !== 0) refused += 1;
      if (i % 100 === 0) clock.advance(10);
    }
    expect([refused, limit.size]).toEqual([0, 1000]);
    expect([limit.retryAfterMs('flood:0'), limit.retryAfterMs('flood:49999')]).toEqual([0, 60_000]);
  });

  it('refuses every event under a limit of 0, for a whole window', () => {
    const clock = manualClock();
    const limit = new WindowLimit({ clock }, { limit: 0, windowMs: 3_600_000 });
    expect(limit.take('a')).toBe(3_600_000);
    expect(limit.take('a', 'b')).toBe(3_600_000);
    expect(limit.size).toBe(0);
  });

  it('names a limit, a window or a bound it cannot use', () => {
    const clock = manualClock();
    expect(() => new WindowLimit({ clock }, { limit: -1, windowMs: 1000 })).toThrow('Expected the limit to be an integer ≥ 0, got `-1`');
    expect(() => new WindowLimit({ clock }, { limit: 1.5, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new WindowLimit({ clock }, { limit: 1, windowMs: 0 })).toThrow('Expected `windowMs` to be > 0, got `0`');
    expect(() => new WindowLimit({ clock }, { limit: 1, windowMs: 1000, maxKeys: 0 })).toThrow(
      'Expected `maxKeys` to be an integer ≥ 1, got `0`',
    );
    const fromSettings = new WindowLimit({ clock }, { limit: () => Number.NaN, windowMs: 1000 });
    expect(() => fromSettings.take('address:x')).toThrow('Expected the limit of `address:x` to be an integer ≥ 0, got `NaN`');
  });
});

describe('retryAfterSeconds', () => {
  it('rounds a wait up to whole seconds, at least one, and answers nothing when there is no wait', () => {
    expect([0, 1, 999, 1000, 1001, 59_999].map(retryAfterSeconds)).toEqual([undefined, 1, 1, 1, 2, 60]);
  });
});
