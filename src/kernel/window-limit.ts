import type { Clock } from './clock.js';

/** How many keys a `WindowLimit` keeps when its rule names no bound. */
export const DEFAULT_MAX_KEYS = 10_000;

/** What a `WindowLimit` allows. */
export interface WindowRule {
  /**
   * Most events per key in any window: one number for every key, or the number for a key, asked
   * at each check (so a limit read from live settings, or one that grows with what stands behind
   * the key, applies at once). An integer ≥ 0; 0 refuses every event.
   */
  limit: number | ((key: string) => number);
  /** The window's length (ms). */
  windowMs: number;
  /**
   * The most keys kept; past it the key counted least recently is forgotten first.
   * @default 10_000
   */
  maxKeys?: number;
}

/** One limit and the keys an event counts against in it, for `WindowLimit.takeAll`. */
export type WindowTake = readonly [limit: WindowLimit, keys: readonly string[]];

/**
 * At most `limit` events per key in any `windowMs` (a sliding window, timed on the injected clock's
 * monotonic time). One event may count against several keys at once (a phone and its address, a
 * screen and its address): `take` checks them all and counts the event against every one only when
 * every one allows it, in one synchronous step, so a refused event counts nowhere and events made
 * at once are counted one by one.
 *
 * Memory stays bounded: keys are kept in the order they were last counted, so the keys whose window
 * emptied are dropped from the front at each call, and past `maxKeys` the least recently counted go
 * first. Each call costs about the same however many keys are kept, even under a flood of new keys
 * (random cookies, many addresses): nothing scans them all.
 *
 * Not @fastify/rate-limit: what is counted here is not always a request (kiosk taps and guest
 * calls are also messages on a WebSocket), the windows must follow the injected clock so tests and
 * the daemon agree on time, and a key's limit may change with what stands behind it (an address's
 * budget grows with the phones behind it).
 */
export class WindowLimit {
  readonly #clock: Clock;
  readonly #limit: (key: string) => number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  /** When each key's events happened (monotonic ms, oldest first), by key in the order last counted. */
  readonly #events = new Map<string, number[]>();

  constructor(deps: { clock: Clock }, rule: WindowRule) {
    const { limit, windowMs, maxKeys = DEFAULT_MAX_KEYS } = rule;
    if (typeof limit === 'number') checkLimit(limit, 'limit');
    if (!(windowMs > 0)) throw new RangeError(`Expected \`windowMs\` to be > 0, got \`${windowMs}\``);
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`Expected \`maxKeys\` to be an integer ≥ 1, got \`${maxKeys}\``);
    this.#clock = deps.clock;
    this.#limit = typeof limit === 'number' ? () => limit : limit;
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
  }

  /**
   * Counts an event against every limit's keys when all of them allow it, else against none:
   * answers 0 when counted, or how long until all would allow it (ms). Check and count happen in
   * one synchronous step.
   */
  static takeAll(takes: readonly WindowTake[]): number {
    const waitMs = Math.max(0, ...takes.map(([limit, keys]) => limit.retryAfterMs(...keys)));
    if (waitMs === 0) for (const [limit, keys] of takes) limit.record(...keys);
    return waitMs;
  }

  /** How many keys are kept now (at most `maxKeys`). */
  get size(): number {
    this.#dropEmptied(this.#clock.monotonic());
    return this.#events.size;
  }

  /** How long until every one of `keys` may have another event (ms); 0 when they all may now. Counts nothing. */
  retryAfterMs(...keys: readonly string[]): number {
    const now = this.#clock.monotonic();
    this.#dropEmptied(now);
    let waitMs = 0;
    for (const key of keys) {
      const limit = this.#limit(key);
      checkLimit(limit, `limit of \`${key}\``);
      const times = this.#recent(key, now);
      if (times.length < limit) continue;
      // The event whose leaving brings the key under its limit; with a limit of 0 none does, so a whole window.
      const frees = times[times.length - limit] ?? now;
      waitMs = Math.max(waitMs, frees + this.#windowMs - now);
    }
    return waitMs;
  }

  /**
   * Counts an event against every one of `keys` when they all allow it, else against none: answers
   * 0 when counted, or how long until they all would allow it (ms).
   */
  take(...keys: readonly string[]): number {
    return WindowLimit.takeAll([[this, keys]]);
  }

  /**
   * Counts an event against every one of `keys` now, whether or not their limits allow it. Check
   * first with `retryAfterMs` in the same synchronous step, or use `take`, which does both.
   */
  record(...keys: readonly string[]): void {
    const now = this.#clock.monotonic();
    for (const key of keys) {
      const times = this.#recent(key, now);
      times.push(now);
      // Moved to the end: the keys stay in the order they were last counted.
      this.#events.delete(key);
      this.#events.set(key, times);
    }
    for (const oldest of this.#events.keys()) {
      if (this.#events.size <= this.#maxKeys) break;
      this.#events.delete(oldest);
    }
  }

  /** The key's events still in the window (the array kept, its older events removed). */
  #recent(key: string, now: number): number[] {
    const times = this.#events.get(key) ?? [];
    let ended = 0;
    while (ended < times.length && now - (times[ended] ?? now) >= this.#windowMs) ended += 1;
    if (ended > 0) times.splice(0, ended);
    return times;
  }

  /** Drops the keys whose window emptied: they are at the front, so it stops at the first still counting. */
  #dropEmptied(now: number): void {
    for (const [key, times] of this.#events) {
      const last = times.at(-1);
      if (last !== undefined && now - last < this.#windowMs) return;
      this.#events.delete(key);
    }
  }
}

/**
 * The whole seconds to wait for `waitMs` (a `Retry-After`, rounded up, at least 1), or undefined
 * when there is nothing to wait for.
 */
export function retryAfterSeconds(waitMs: number): number | undefined {
  return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined;
}

function checkLimit(limit: number, what: string): void {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`Expected the ${what} to be an integer ≥ 0, got \`${limit}\``);
}
