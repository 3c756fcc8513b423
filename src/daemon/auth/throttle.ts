import type { Clock } from '../kernel/clock.js';

/**
 * Slows down guessing at the PIN pad. Failures are counted per key (an account, or a device);
 * after `freeAttempts` failures each further attempt waits twice as long as the one before, and
 * after `lockoutAfter` failures the key is locked for `lockoutMs`. A success clears the key.
 */
export interface ThrottleOptions {
  /** Failures allowed before delays start. @default 5 */
  freeAttempts?: number;
  /** First delay after the free attempts (ms); doubles with each further failure. @default 1000 */
  baseDelayMs?: number;
  /** Failures after which the key is locked. @default 10 */
  lockoutAfter?: number;
  /** How long a lockout lasts (ms). @default 900000 (15 minutes) */
  lockoutMs?: number;
  /** Failures older than this are forgotten (ms). @default 3600000 (1 hour) */
  forgetAfterMs?: number;
}

export interface ThrottleVerdict {
  isAllowed: boolean;
  /** When the next attempt may be made (ms from now); 0 when allowed. */
  retryAfterMs: number;
  isLocked: boolean;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class SignInThrottle {
  readonly #clock: Clock;
  readonly #freeAttempts: number;
  readonly #baseDelayMs: number;
  readonly #lockoutAfter: number;
  readonly #lockoutMs: number;
  readonly #forgetAfterMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(deps: { clock: Clock }, options: ThrottleOptions = {}) {
    this.#clock = deps.clock;
    this.#freeAttempts = options.freeAttempts ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#lockoutAfter = options.lockoutAfter ?? 10;
    this.#lockoutMs = options.lockoutMs ?? 15 * 60 * 1000;
    this.#forgetAfterMs = options.forgetAfterMs ?? 60 * 60 * 1000;
  }

  /** Whether an attempt for every one of `keys` may be made now; the strictest key decides. */
  check(keys: readonly string[]): ThrottleVerdict {
    const now = this.#clock.now();
    let retryAfterMs = 0;
    let isLocked = false;
    for (const key of keys) {
      const entry = this.#entry(key, now);
      if (entry === undefined || entry.blockedUntil <= now) continue;
      retryAfterMs = Math.max(retryAfterMs, entry.blockedUntil - now);
      isLocked ||= entry.failures >= this.#lockoutAfter;
    }
    return { isAllowed: retryAfterMs === 0, retryAfterMs, isLocked };
  }

  /** Counts a failed attempt against every key; returns the verdict for the next attempt. */
  fail(keys: readonly string[]): ThrottleVerdict {
    const now = this.#clock.now();
    for (const key of keys) {
      const entry = this.#entry(key, now) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
      entry.failures += 1;
      entry.lastFailureAt = now;
      if (entry.failures >= this.#lockoutAfter) entry.blockedUntil = now + this.#lockoutMs;
      else if (entry.failures > this.#freeAttempts)
        entry.blockedUntil = now + this.#baseDelayMs * 2 ** (entry.failures - this.#freeAttempts - 1);
      this.#entries.set(key, entry);
    }
    return this.check(keys);
  }

  /** Clears the account key after a success. Device keys are kept: one right PIN must not hide many wrong ones. */
  succeed(key: string): void {
    this.#entries.delete(key);
  }

  /** Failures counted against `key`. */
  failures(key: string): number {
    return this.#entry(key, this.#clock.now())?.failures ?? 0;
  }

  #entry(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.blockedUntil <= now && now - entry.lastFailureAt > this.#forgetAfterMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
