import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../testing/fake-clock.js';
import { GuestCallLimiter, MAX_GUEST_WINDOWS, newGuestId } from './guest-phone.js';

// Issue 42 (LOW): the guest limiter scanned every phone's window on each call once 10,000 were
// kept, so a flood of random cookies (250 calls a second) made every call cost them all, and what
// it kept had no bound.

describe('the guest call limiter', () => {
  it('holds a phone and its address to the calls a minute allows, a cookie dropped or not, and lets them call again a minute later', () => {
    const clock = new FakeClock();
    const limiter = new GuestCallLimiter({ clock, perMinute: () => 3 });
    const phone = { id: newGuestId(), address: '192.168.1.20' };
    expect([1, 2, 3].map(() => limiter.take(phone))).toEqual([undefined, undefined, undefined]);
    expect(limiter.take(phone)).toBe(60);
    // A new cookie from the same address is refused too, and leaves nothing kept for itself.
    const before = limiter.size;
    clock.advance(20_000);
    expect(limiter.take({ id: newGuestId(), address: '192.168.1.20' })).toBe(40);
    expect(limiter.size).toBe(before);
    // Another phone elsewhere is not held back.
    expect(limiter.take({ id: newGuestId(), address: '192.168.1.21' })).toBeUndefined();
    clock.advance(40_000);
    expect(limiter.take(phone)).toBeUndefined();
  });

  it('keeps only the windows of the last minute under a flood of new cookies, and never more than its bound', () => {
    const clock = new FakeClock();
    const limiter = new GuestCallLimiter({ clock, perMinute: () => 30 });
    // 250 calls a second for two minutes, each with a new cookie, from 100 addresses.
    let refused = 0;
    let most = 0;
    for (let s = 0; s < 120; s++) {
      for (let i = 0; i < 250; i++) {
        const address = `10.0.0.${(s * 250 + i) % 100}`;
        if (limiter.take({ id: newGuestId(), address }) !== undefined) refused += 1;
        most = Math.max(most, limiter.size);
      }
      clock.advance(1000);
    }
    // 100 addresses at 30 calls a minute each: 3,000 a minute were let through, the rest refused,
    // and a refused call kept nothing: no more than a minute's addresses and phones let through.
    expect(refused).toBe(120 * 250 - 2 * 100 * 30);
    expect(most).toBeLessThanOrEqual(100 + 100 * 30);
    // A minute after the flood only what started in its last minute is left, and after two nothing.
    clock.advance(60_000);
    limiter.take({ id: newGuestId(), address: '192.168.1.20' });
    expect(limiter.size).toBe(2);
  });

  it('drops the oldest windows first past its bound, so the newest callers stay counted', () => {
    const clock = new FakeClock();
    const limiter = new GuestCallLimiter({ clock, perMinute: () => 1 });
    const first = { id: newGuestId(), address: '10.1.0.1' };
    limiter.take(first);
    for (let i = 0; i < MAX_GUEST_WINDOWS; i++) limiter.take({ id: newGuestId(), address: `10.2.${i >> 8}.${i & 255}` });
    expect(limiter.size).toBe(MAX_GUEST_WINDOWS);
    const last = { id: newGuestId(), address: '10.3.0.1' };
    expect(limiter.take(last)).toBeUndefined();
    expect(limiter.take(last)).toBe(60);
    // The first phone's window was the oldest, and went.
    expect(limiter.take(first)).toBeUndefined();
  });
});
