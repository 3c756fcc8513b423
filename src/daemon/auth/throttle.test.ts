import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { SignInThrottle } from './throttle.js';

describe('SignInThrottle', () => {
  it('allows five wrong PINs, then doubles the wait with each further one, then locks', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    const keys = ['account:ada', 'device:kiosk'];
    for (let i = 0; i < 5; i++) expect(throttle.fail(keys).isAllowed).toBe(true);

    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const verdict = throttle.fail(keys);
      expect(verdict.isAllowed).toBe(false);
      waits.push(verdict.retryAfterMs);
      clock.advance(verdict.retryAfterMs - 1);
      expect(throttle.check(keys).isAllowed).toBe(false);
      clock.advance(1);
      expect(throttle.check(keys).isAllowed).toBe(true);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000]);

    const locked = throttle.fail(keys);
    expect(locked).toMatchObject({ isAllowed: false, isLocked: true, retryAfterMs: 15 * 60 * 1000 });
    clock.advance(15 * 60 * 1000);
    expect(throttle.check(keys).isAllowed).toBe(true);
  });

  it('clears an account on success but keeps counting the device', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (let i = 0; i < 4; i++) throttle.fail(['account:ada', 'device:kiosk']);
    throttle.succeed('account:ada');
    expect(throttle.failures('account:ada')).toBe(0);
    expect(throttle.failures('device:kiosk')).toBe(4);
  });

  it('throttles a device that tries many accounts once each', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (let i = 0; i < 6; i++) throttle.fail([`account:user${i}`, 'device:kiosk']);
    expect(throttle.check(['account:someone-new', 'device:kiosk']).isAllowed).toBe(false);
    expect(throttle.check(['account:someone-new', 'device:other-kiosk']).isAllowed).toBe(true);
  });

  it('forgets old failures after an hour', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (let i = 0; i < 5; i++) throttle.fail(['account:ada']);
    clock.advance(60 * 60 * 1000 + 1);
    expect(throttle.failures('account:ada')).toBe(0);
  });
});
