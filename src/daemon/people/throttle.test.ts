import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { SignInThrottle, type SignInAttempt, type SignInScope } from './throttle.js';

const ada: SignInAttempt = { scope: 'pin', account: 'ada', device: 'ip:127.0.0.1' };

/**
 * Guesses as fast as the throttle allows for `hours`, spread over `accounts` accounts, from one
 * device or from `devices` addresses; guesses made in each hour.
 */
function guessFlatOut(scope: SignInScope, accounts: number, hours: number, devices = 1): number[] {
  const clock = new FakeClock(0);
  const throttle = new SignInThrottle({ clock });
  const perHour = new Array<number>(hours).fill(0);
  const pairs = accounts * devices;
  const attempt = (i: number): SignInAttempt => ({
    scope,
    account: `user${i % accounts}`,
    device: `ip:10.0.${Math.floor((i % pairs) / accounts)}.1`,
  });
  for (let next = 0; clock.now() < hours * 3_600_000;) {
    // The account (and address) free soonest: a guesser spreads their guesses to get the most of them.
    const waits = Array.from({ length: pairs }, (_, i) => throttle.retryAfterMs(attempt(next + i)));
    const wait = Math.min(...waits);
    if (wait > 0) {
      clock.advance(wait);
      continue;
    }
    const pick = next + waits.indexOf(0);
    expect(throttle.reserve(attempt(pick)).isAllowed).toBe(true);
    perHour[Math.floor(clock.now() / 3_600_000)] = (perHour[Math.floor(clock.now() / 3_600_000)] ?? 0) + 1;
    next = pick + 1;
  }
  return perHour;
}

describe('SignInThrottle', () => {
  it('lets six tries through, then doubles the wait with each further one up to 30 minutes, and never locks', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (let i = 0; i < 6; i++) expect(throttle.reserve(ada)).toEqual({ isAllowed: true, retryAfterMs: 0 });

    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const wait = throttle.retryAfterMs(ada);
      waits.push(wait);
      expect(throttle.reserve(ada)).toEqual({ isAllowed: false, retryAfterMs: wait });
      clock.advance(wait - 1);
      expect(throttle.reserve(ada).isAllowed).toBe(false);
      clock.advance(1);
      expect(throttle.reserve(ada).isAllowed).toBe(true);
    }
    // 1024 twice: by then half an hour has passed, and one try is forgotten.
    expect(waits.map((ms) => ms / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1024, 1800, 1800]);
  });

  it('counts tries made at once one by one: 150 reserved together let six through', () => {
    const throttle = new SignInThrottle({ clock: new FakeClock() });
    const verdicts = Array.from({ length: 150 }, () => throttle.reserve(ada));
    expect(verdicts.filter((v) => v.isAllowed)).toHaveLength(6);
    expect(verdicts.at(-1)).toEqual({ isAllowed: false, retryAfterMs: 1000 });
    expect(throttle.failures('pin', 'account', 'ada')).toBe(6);
  });

  it('counts kiosk PINs and admin passphrases apart, for the account and the device', () => {
    const throttle = new SignInThrottle({ clock: new FakeClock() });
    for (let i = 0; i < 30; i++) throttle.reserve({ scope: 'pin', account: 'boss', device: 'ip:127.0.0.1' });
    expect(throttle.reserve({ scope: 'pin', account: 'boss', device: 'ip:127.0.0.1' }).isAllowed).toBe(false);
    expect(throttle.reserve({ scope: 'passphrase', account: 'boss', device: 'ip:127.0.0.1' }).isAllowed).toBe(true);
  });

  it("slows a device that tries many accounts for at most 30 s, and never another device's tries", () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (let i = 0; i < 200;) {
      const verdict = throttle.reserve({ scope: 'pin', account: `user${i}`, device: 'ip:127.0.0.1' });
      expect(verdict.retryAfterMs).toBeLessThanOrEqual(30_000);
      if (verdict.isAllowed) i += 1;
      else clock.advance(verdict.retryAfterMs);
    }
    const someoneNew = { scope: 'pin', account: 'someone-new', device: 'ip:127.0.0.1' } as const;
    expect(throttle.retryAfterMs(someoneNew)).toBe(30_000);
    expect(throttle.retryAfterMs({ ...someoneNew, device: 'ip:192.168.1.7' })).toBe(0);
    clock.advance(30_000);
    expect(throttle.reserve(someoneNew).isAllowed).toBe(true);
  });

  it("clears the account on success and gives the device that try back, keeping the device's other tries", () => {
    const throttle = new SignInThrottle({ clock: new FakeClock() });
    for (let i = 0; i < 4; i++) throttle.reserve(ada);
    throttle.succeed(ada);
    expect(throttle.failures('pin', 'account', 'ada')).toBe(0);
    expect(throttle.failures('pin', 'device', 'ip:127.0.0.1')).toBe(3);
  });

  it('forgets one try per 30 minutes, so guessing at the slowest pace never earns free tries back', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (let i = 0; i < 5; i++) throttle.reserve(ada);
    clock.advance(30 * 60_000);
    expect(throttle.failures('pin', 'account', 'ada')).toBe(4);
    clock.advance(4 * 30 * 60_000);
    expect(throttle.failures('pin', 'account', 'ada')).toBe(0);

    const perHour = guessFlatOut('pin', 1, 25);
    expect(perHour.slice(1)).toEqual(new Array<number>(24).fill(2));
  });

  it('clears an account in every scope for staff', () => {
    const throttle = new SignInThrottle({ clock: new FakeClock() });
    for (let i = 0; i < 20; i++) {
      throttle.reserve(ada);
      throttle.reserve({ ...ada, scope: 'passphrase' });
    }
    expect(throttle.accountStatus('ada')).toEqual({ failures: 12, waitMs: 1000 });
    throttle.clearAccount('ada');
    expect(throttle.accountStatus('ada')).toEqual({ failures: 0, waitMs: 0 });
    expect(throttle.reserve(ada).isAllowed).toBe(true);
  });

  it('refuses a rule that would let slow guessing earn free tries back', () => {
    const rule = { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, forgetOneEveryMs: 30_000 };
    expect(() => new SignInThrottle({ clock: new FakeClock() }, { pinAccount: rule })).toThrow(
      'Expected `pinAccount.forgetOneEveryMs` to be at least maxDelayMs (60000), got `30000`',
    );
  });

  // Issue 80: thirteen wrong PINs from a phone on the guest Wi-Fi made the right PIN at the kiosk wait 128 s, and one guess
  // every 30 minutes kept the account at a 30-minute wait for everyone.
  it("counts each address apart: a LAN guesser never slows the box's own screen, and another address 30 s at most", () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    const phone: SignInAttempt = { scope: 'pin', account: 'ada', device: 'ip:192.168.1.50' };
    const kiosk: SignInAttempt = { scope: 'pin', account: 'ada', device: 'ip:127.0.0.1', isOnBox: true };
    const tablet: SignInAttempt = { scope: 'pin', account: 'ada', device: 'ip:192.168.1.20' };
    // The phone guesses as fast as it may for a day.
    let longestOwnWait = 0;
    for (let guesses = 0; clock.now() < Date.UTC(2026, 0, 2);) {
      const verdict = throttle.reserve(phone);
      if (verdict.isAllowed) guesses += 1;
      else {
        longestOwnWait = Math.max(longestOwnWait, verdict.retryAfterMs);
        clock.advance(verdict.retryAfterMs);
      }
      expect(throttle.retryAfterMs(kiosk), `after ${guesses} guesses`).toBe(0);
      expect(throttle.retryAfterMs(tablet), `after ${guesses} guesses`).toBeLessThanOrEqual(30_000);
    }
    // The guesser slowed itself to the account's pace.
    expect(longestOwnWait).toBe(30 * 60_000);
    // Ada's right PIN at the kiosk gives the guesser nothing back.
    expect(throttle.reserve(kiosk).isAllowed).toBe(true);
    throttle.succeed(kiosk);
    throttle.reserve(phone);
    expect(throttle.retryAfterMs(phone)).toBe(30 * 60_000);
  });

  it("lets the next person at the kiosk sign in at once after a member's right PIN, once the kiosk's wait was waited out", () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    const atKiosk = (account: string): SignInAttempt => ({ scope: 'pin', account, device: 'ip:127.0.0.1', isOnBox: true });
    // Twenty wrong PINs for names picked at random, each wait waited out: the kiosk is at its 30 s.
    for (let i = 0; i < 20; i++) {
      clock.advance(throttle.retryAfterMs(atKiosk(`guess${i}`)));
      expect(throttle.reserve(atKiosk(`guess${i}`)).isAllowed).toBe(true);
    }
    expect(throttle.retryAfterMs(atKiosk('bob'))).toBe(30_000);
    clock.advance(30_000);
    // Bob's right PIN gives back his try and the wait it set going: Ada goes next, at once.
    expect(throttle.reserve(atKiosk('bob')).isAllowed).toBe(true);
    throttle.succeed(atKiosk('bob'));
    expect(throttle.retryAfterMs(atKiosk('ada'))).toBe(0);
    // A wrong PIN still sets the wait going for the next one.
    expect(throttle.reserve(atKiosk('ada')).isAllowed).toBe(true);
    expect(throttle.retryAfterMs(atKiosk('carl'))).toBe(30_000);
  });

  it("keeps one budget for the box's own screen, whichever of its addresses a try comes in on, apart from the network's", () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    for (const device of ['ip:127.0.0.1', 'ip:::1', 'ip:192.168.1.2', 'ip:127.0.0.1', 'ip:::1', 'ip:192.168.1.2']) {
      expect(throttle.reserve({ scope: 'pin', account: 'ada', device, isOnBox: true }).isAllowed).toBe(true);
    }
    expect(throttle.failures('pin', 'device', 'box')).toBe(6);
    expect(throttle.retryAfterMs({ scope: 'pin', account: 'ada', device: 'ip:::1', isOnBox: true })).toBe(1000);
    // The box's tries are not the network's: an address on the LAN signs in at once.
    expect(throttle.failures('pin', 'network', 'ada')).toBe(0);
    expect(throttle.retryAfterMs({ scope: 'pin', account: 'ada', device: 'ip:192.168.1.20' })).toBe(0);
  });

  it('slows guesses at one account from many addresses together to one every 30 s, and a right PIN leaves their count', () => {
    const clock = new FakeClock();
    const throttle = new SignInThrottle({ clock });
    const from = (n: number): SignInAttempt => ({ scope: 'pin', account: 'ada', device: `ip:10.0.0.${n}` });
    for (let n = 0; n < 11; n++) expect(throttle.reserve(from(n)).isAllowed).toBe(true);
    expect(throttle.reserve(from(11))).toEqual({ isAllowed: false, retryAfterMs: 1000 });
    for (let n = 11; n < 40;) {
      const verdict = throttle.reserve(from(n));
      expect(verdict.retryAfterMs).toBeLessThanOrEqual(30_000);
      if (verdict.isAllowed) n += 1;
      else clock.advance(verdict.retryAfterMs);
    }
    expect(throttle.retryAfterMs(from(99))).toBe(30_000);
    // Ada's right PIN from her tablet gives back her own try only: the guessers' count stays, and
    // their next guess sets the 30 s going again.
    clock.advance(30_000);
    expect(throttle.reserve(from(200)).isAllowed).toBe(true);
    throttle.succeed(from(200));
    expect(throttle.accountStatus('ada')).toEqual({ failures: 40, waitMs: 0 });
    expect(throttle.reserve(from(99)).isAllowed).toBe(true);
    expect(throttle.retryAfterMs(from(98))).toBe(30_000);
  });

  // The numbers in docs/security.md.
  it('leaves a guesser at the kiosk 18 PINs in the first hour and 2 an hour after on one account, 120 an hour over many', () => {
    expect(guessFlatOut('pin', 1, 3)).toEqual([18, 2, 2]);
    expect(guessFlatOut('pin', 1000, 3)).toEqual([134, 120, 120]);
    expect(guessFlatOut('passphrase', 1, 3)).toEqual([26, 12, 12]);
  });

  it('leaves guessers at 1000 addresses together 134 PINs in the first hour and 120 an hour after on one account', () => {
    expect(guessFlatOut('pin', 1, 3, 1000)).toEqual([134, 120, 120]);
  });
});
