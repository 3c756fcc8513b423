import { describe, expect, it } from 'vitest';
import { GuestAllowances, HOUR_MS, PhoneSightings, addressCeiling, guestBudget, limitReason, type CountedRequest } from './guest-limits.js';

// The guests' request budgets (issue 40): per phone first, and a ceiling per address that grows
// with the phones seen behind it (a café's Wi-Fi behind one router), with the reason and the time.

const MIN = 60_000;
/** 14:00 on the box's clock (the tests run in UTC). */
const T0 = Date.UTC(2026, 5, 1, 14, 0);
const LIMITS = { perPhone: 3, perAddressMax: 10 };
const asked = (phoneId: string, address: string, minutesAgo: number): CountedRequest => ({ phoneId, address, at: T0 - minutesAgo * MIN });

describe('a phone’s request budget', () => {
  it('is its own hour first: three requests an hour per phone, the next when the oldest is an hour old', () => {
    const requests = [asked('a', 'nat', 50), asked('a', 'nat', 28), asked('a', 'nat', 5)];
    const budget = guestBudget(LIMITS, { phoneId: 'a', address: 'nat', now: T0, requests, phonesOnAddress: 1 });
    expect(budget).toEqual({ left: 0, nextAt: T0 + 10 * MIN, by: 'phone', addressCeiling: 3 });
    expect(limitReason(LIMITS, budget as typeof budget & { by: 'phone' }).text).toBe('3 requests an hour per phone; next at 14:10');
    // Requests older than an hour count no more.
    expect(guestBudget(LIMITS, { phoneId: 'a', address: 'nat', now: T0 + 11 * MIN, requests, phonesOnAddress: 1 }).left).toBe(1);
  });

  it('lets a new phone behind an address whose phones used their requests ask: the ceiling grows with the phones seen there', () => {
    const requests = [asked('a', 'nat', 40), asked('a', 'nat', 30), asked('a', 'nat', 20)];
    // Only phone a was seen: a second phone arriving makes two.
    expect(guestBudget(LIMITS, { phoneId: 'b', address: 'nat', now: T0, requests, phonesOnAddress: 2 })).toMatchObject({
      left: 3,
      by: null,
    });
    // Unseen phones do not count: the ceiling is one phone's.
    expect(guestBudget(LIMITS, { phoneId: 'b', address: 'nat', now: T0, requests, phonesOnAddress: 0 })).toMatchObject({
      left: 0,
      by: 'address',
      nextAt: T0 + 20 * MIN,
    });
  });

  it('caps an address at `perAddressMax`, whatever the phones (cookies cleared over and over)', () => {
    expect(addressCeiling(LIMITS, 1)).toBe(3);
    expect(addressCeiling(LIMITS, 3)).toBe(9);
    expect(addressCeiling(LIMITS, 50)).toBe(10);
    const requests = Array.from({ length: 10 }, (_, i) => asked(`p${i}`, 'nat', 55 - i));
    const budget = guestBudget(LIMITS, { phoneId: 'new', address: 'nat', now: T0, requests, phonesOnAddress: 50 });
    // The address frees one request when its oldest is an hour old.
    expect(budget).toEqual({ left: 0, nextAt: T0 + 5 * MIN, by: 'address', addressCeiling: 10 });
    expect(limitReason(LIMITS, budget as typeof budget & { by: 'address' }).text).toBe(
      'Phones on this network asked for 10 songs this hour, as many as one network may; next at 14:05',
    );
  });

  it('says how the ceiling grows while it is under the cap, and counts other addresses apart', () => {
    const requests = [asked('a', 'nat', 30), asked('b', 'nat', 20), asked('c', 'other', 10)];
    const limits = { perPhone: 1, perAddressMax: 10 };
    const budget = guestBudget(limits, { phoneId: 'c2', address: 'nat', now: T0, requests, phonesOnAddress: 2 });
    expect(budget).toMatchObject({ left: 0, by: 'address', nextAt: T0 + 30 * MIN, addressCeiling: 2 });
    expect(limitReason(limits, budget as typeof budget & { by: 'address' }).text).toBe(
      'Phones on this network asked for 2 songs this hour: 1 request for each phone seen here; next at 14:30',
    );
    expect(guestBudget(limits, { phoneId: 'd', address: 'third', now: T0, requests, phonesOnAddress: 1 }).left).toBe(1);
  });

  it('with no requests allowed at all, frees none within the hour', () => {
    const budget = guestBudget(
      { perPhone: 0, perAddressMax: 0 },
      { phoneId: 'a', address: 'x', now: T0, requests: [], phonesOnAddress: 1 },
    );
    // None now, and none an hour on either: the next is never sooner than an hour from now.
    expect(budget).toEqual({ left: 0, nextAt: T0 + HOUR_MS, by: 'phone', addressCeiling: 0 });
    expect(limitReason({ perPhone: 0, perAddressMax: 0 }, budget as typeof budget & { by: 'phone' }).text).toBe(
      '0 requests an hour per phone; next at 15:00',
    );
  });
});

describe('the phones seen on an address', () => {
  it('counts distinct phones within the hour, forgets older ones, and keeps at most so many per address', () => {
    const seen = new PhoneSightings({ maxPerAddress: 3 });
    seen.saw('a', 'nat', T0);
    seen.saw('a', 'nat', T0 + MIN);
    seen.saw('b', 'nat', T0 + 2 * MIN);
    seen.saw('c', 'other', T0);
    expect(seen.phonesOn('nat', T0 - HOUR_MS)).toBe(2);
    expect(seen.phonesOn('nat', T0 + MIN)).toBe(1);
    for (const id of ['d', 'e', 'f']) seen.saw(id, 'nat', T0 + 3 * MIN);
    expect(seen.phonesOn('nat', 0)).toBe(3);
    seen.forget(T0 + 2 * MIN);
    expect(seen.phonesOn('other', 0)).toBe(0);
  });

  it('give a phone its allowance with the reason to show', () => {
    const allowances = new GuestAllowances();
    allowances.seen('a', 'nat', T0);
    const requests = [asked('a', 'nat', 45)];
    expect(allowances.of({ perPhone: 1, perAddressMax: 5 }, { phoneId: 'a', address: 'nat', now: T0, requests })).toEqual({
      left: 0,
      perHour: 1,
      nextAt: T0 + 15 * MIN,
      reason: '1 request an hour per phone; next at 14:15',
      reasonSaid: { id: 'guest.phoneLimit', values: { perPhone: 1, time: '14:15' } },
    });
    allowances.seen('b', 'nat', T0);
    expect(allowances.of({ perPhone: 1, perAddressMax: 5 }, { phoneId: 'b', address: 'nat', now: T0, requests })).toEqual({
      left: 1,
      perHour: 1,
      nextAt: null,
      reason: null,
      reasonSaid: null,
    });
  });
});
