/**
 * How many songs a phone may still ask for, and from when it may ask again: pure, on plain data.
 *
 * Phones in a venue often share one network address (the guest Wi-Fi behind one NAT), so the
 * budget is counted per phone first (its `mb_guest` cookie): `perPhone` requests in any hour. The
 * address has a ceiling too, so that clearing cookies over and over cannot flood the queue: each
 * phone seen on the address in the last hour adds `perPhone` to it, up to `perAddressMax`.
 */

import type { Said } from '../../kernel/said.js';
import { GUEST_REFUSALS, type Refusal } from './guest-refusals.js';

export const HOUR_MS = 3_600_000;
/**
 * A phone counts as one of the phones behind its address (for votes, calls and open pages) once it
 * was first seen this long ago and seen again since (ms): a call without a cookie, or one phone
 * clearing its cookie over and over, makes no such phone.
 */
export const PHONE_SETTLE_MS = 120_000;
/** The most phones one address counts as for its calls and open pages (a large café behind one router). */
export const ADDRESS_PHONES_MAX = 30;

/** What a phone may ask for now: `left` this hour; when none, from when it may again (`nextAt`, epoch ms) and why. */
export interface GuestAllowance {
  left: number;
  perHour: number;
  nextAt: number | null;
  reason: string | null;
  /** `reason` as a message of the screens' catalogues. */
  reasonSaid: Said | null;
}

/** One request as the budgets count it: who asked, from where, when (epoch ms). */
export interface CountedRequest {
  readonly phoneId: string;
  readonly address: string;
  readonly at: number;
}

export interface GuestLimits {
  /** Songs one phone may ask for in an hour (`guests.requestsPerHour`). */
  readonly perPhone: number;
  /** Songs every phone of one address may ask for in an hour together, at most (`guests.requestsPerAddressMax`). */
  readonly perAddressMax: number;
}

/**
 * What a phone may ask for now. `left`: requests it may still make; when 0, `nextAt` (epoch ms) is
 * when the oldest request that holds it back is an hour old, and `by` says whose budget is used up:
 * the phone's own, or its address's.
 */
export type GuestBudget =
  | { readonly left: number; readonly nextAt: null; readonly by: null; readonly addressCeiling: number }
  | { readonly left: 0; readonly nextAt: number; readonly by: 'phone' | 'address'; readonly addressCeiling: number };

/** The ceiling of an address that `phones` distinct phones were seen on this hour: `perPhone` for each, at most `perAddressMax`. */
export function addressCeiling(limits: GuestLimits, phones: number): number {
  return Math.min(limits.perAddressMax, limits.perPhone * Math.max(1, phones));
}

/**
 * The budget of phone `phoneId` on `address` at `now`, given the requests of the last hour (any
 * order; older ones are ignored) and how many distinct phones were seen on the address this hour
 * (the phone itself included).
 */
export function guestBudget(
  limits: GuestLimits,
  input: { phoneId: string; address: string; now: number; requests: readonly CountedRequest[]; phonesOnAddress: number },
): GuestBudget {
  const since = input.now - HOUR_MS;
  const recent = input.requests.filter((r) => r.at > since);
  const byPhone = recent.filter((r) => r.phoneId === input.phoneId).map((r) => r.at);
  const byAddress = recent.filter((r) => r.address === input.address).map((r) => r.at);
  const ceiling = addressCeiling(limits, input.phonesOnAddress);
  const phoneLeft = limits.perPhone - byPhone.length;
  const addressLeft = ceiling - byAddress.length;
  const left = Math.max(0, Math.min(phoneLeft, addressLeft));
  if (left > 0) return { left, nextAt: null, by: null, addressCeiling: ceiling };
  // The phone's own budget first: it is what the guest can act on.
  const by = phoneLeft <= 0 ? 'phone' : 'address';
  const [times, limit] = by === 'phone' ? [byPhone, limits.perPhone] : [byAddress, ceiling];
  return { left: 0, nextAt: freedAt(times, limit, input.now), by, addressCeiling: ceiling };
}

/**
 * When one more request fits under `limit` again: the request that then leaves the hour is the
 * (count − limit + 1)th oldest. A limit of 0 never frees: an hour from the newest then, or from
 * `now` when there is none.
 */
function freedAt(times: number[], limit: number, now: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  const leaving = sorted[Math.max(0, sorted.length - Math.max(1, limit))];
  return (leaving ?? now) + HOUR_MS;
}

/** "14:32": a time of day on the box's clock (the venue's). */
export function timeOfDay(at: number): string {
  const date = new Date(at);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * Why a phone may not ask now, in a guest's words, with the time it may again: "3 requests an
 * hour per phone; next at 14:32", or the address's ceiling.
 */
export function limitReason(limits: GuestLimits, budget: GuestBudget & { by: 'phone' | 'address' }): Refusal {
  const time = timeOfDay(budget.nextAt);
  if (budget.by === 'phone') return GUEST_REFUSALS.phoneLimit(limits.perPhone, time);
  return budget.addressCeiling >= limits.perAddressMax
    ? GUEST_REFUSALS.networkFull(budget.addressCeiling, time)
    : GUEST_REFUSALS.networkLimit(budget.addressCeiling, limits.perPhone, time);
}

const reasonOf = (refusal: Refusal): Pick<GuestAllowance, 'reason' | 'reasonSaid'> => ({ reason: refusal.text, reasonSaid: refusal.said });

/**
 * The phones seen on each address in the last hour: what lets an address's ceiling grow with the
 * phones behind it. Bounded: at most `maxPerAddress` phones an address and `maxAddresses` addresses
 * are kept (the least recently seen go first).
 */
export class PhoneSightings {
  /** By address, each phone's first and last sighting (epoch ms), least recently seen first. */
  readonly #byAddress = new Map<string, Map<string, { first: number; last: number }>>();
  readonly #maxPerAddress: number;
  readonly #maxAddresses: number;

  constructor(options: { maxPerAddress?: number; maxAddresses?: number } = {}) {
    this.#maxPerAddress = options.maxPerAddress ?? 1000;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Phone `phoneId` called from `address` at `at` (epoch ms). */
  saw(phoneId: string, address: string, at: number): void {
    let phones = this.#byAddress.get(address);
    if (phones === undefined) {
      if (this.#byAddress.size >= this.#maxAddresses) this.#dropOldestAddress();
      phones = new Map();
    } else {
      this.#byAddress.delete(address);
    }
    // Kept in the order last seen: re-inserting moves to the end.
    this.#byAddress.set(address, phones);
    const first = phones.get(phoneId)?.first ?? at;
    phones.delete(phoneId);
    phones.set(phoneId, { first, last: at });
    if (phones.size > this.#maxPerAddress) {
      const oldest = phones.keys().next().value;
      if (oldest !== undefined) phones.delete(oldest);
    }
  }

  /**
   * Distinct phones seen on `address` after `since` (epoch ms); with `settledBy`, only those first
   * seen by then and seen again since.
   */
  phonesOn(address: string, since: number, settledBy?: number): number {
    let count = 0;
    for (const seen of this.#byAddress.get(address)?.values() ?? []) {
      if (seen.last > since && (settledBy === undefined || (seen.first <= settledBy && seen.last > seen.first))) count += 1;
    }
    return count;
  }

  /** Every sighting, the least recently seen first: what a restart keeps. */
  entries(): Array<{ phone: string; address: string; first: number; last: number }> {
    const all = [...this.#byAddress].flatMap(([address, phones]) => [...phones].map(([phone, seen]) => ({ phone, address, ...seen })));
    return all.sort((a, b) => a.last - b.last);
  }

  /** Takes back sightings kept before a restart (any order), in place of what is held now; the bounds hold. */
  restore(entries: ReadonlyArray<{ phone: string; address: string; first: number; last: number }>): void {
    this.#byAddress.clear();
    for (const { phone, address, first, last } of [...entries].sort((a, b) => a.last - b.last)) {
      this.saw(phone, address, last);
      const seen = this.#byAddress.get(address)?.get(phone);
      if (seen !== undefined) seen.first = Math.min(first, last);
    }
  }

  /** Forgets what was seen before `since`. */
  forget(since: number): void {
    for (const [address, phones] of this.#byAddress) {
      for (const [id, seen] of phones) if (seen.last <= since) phones.delete(id);
      if (phones.size === 0) this.#byAddress.delete(address);
    }
  }

  #dropOldestAddress(): void {
    const oldest = this.#byAddress.keys().next().value;
    if (oldest !== undefined) this.#byAddress.delete(oldest);
  }
}

/** The budgets of phones, with the phones seen on each address: what the guest service asks before a request. */
export class GuestAllowances {
  readonly #sightings = new PhoneSightings();

  /** Phone `phoneId` called from `address` at `at`: it counts among the phones seen there this hour. */
  seen(phoneId: string, address: string, at: number): void {
    this.#sightings.saw(phoneId, address, at);
  }

  /** What phone `phoneId` on `address` may ask for at `now`, given the requests of the last hours. */
  of(limits: GuestLimits, input: { phoneId: string; address: string; now: number; requests: readonly CountedRequest[] }): GuestAllowance {
    const budget = guestBudget(limits, { ...input, phonesOnAddress: this.#sightings.phonesOn(input.address, input.now - HOUR_MS) });
    return budget.by === null
      ? { left: budget.left, perHour: limits.perPhone, nextAt: null, reason: null, reasonSaid: null }
      : { left: 0, perHour: limits.perPhone, nextAt: budget.nextAt, ...reasonOf(limitReason(limits, budget)) };
  }

  /**
   * The phones behind `address` at `now` (at least one): those seen there this hour that have been
   * around `PHONE_SETTLE_MS` (first seen that long ago, and seen again since).
   */
  phonesBehind(address: string, now: number): number {
    return Math.max(1, this.#sightings.phonesOn(address, now - HOUR_MS, now - PHONE_SETTLE_MS));
  }

  /** Forgets phones not seen since `since`. */
  forget(since: number): void {
    this.#sightings.forget(since);
  }

  /** The phones seen on each address, the least recently seen first: what a restart keeps. */
  kept(): ReturnType<PhoneSightings['entries']> {
    return this.#sightings.entries();
  }

  /** Takes back the phones seen before a restart. */
  restore(entries: Parameters<PhoneSightings['restore']>[0]): void {
    this.#sightings.restore(entries);
  }
}
