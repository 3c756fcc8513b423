import type { Clock } from '../../kernel/clock.js';

export interface WindowRule {
  /** Most events per key in any window. */
  limit: number;
  /** The window's length (ms). */
  windowMs: number;
}

/**
 * At most `limit` events per key in any `windowMs` (a sliding window). Check with `retryAfterMs`
 * and count with `record` in the same synchronous step, so that requests made at once are counted
 * one by one.
 */
export class WindowLimit {
  readonly #clock: Clock;
  readonly #rule: WindowRule;
  readonly #events = new Map<string, number[]>();

  constructor(deps: { clock: Clock }, rule: WindowRule) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1)
      throw new RangeError(`Expected \`limit\` to be an integer ≥ 1, got \`${rule.limit}\``);
    if (!(rule.windowMs > 0)) throw new RangeError(`Expected \`windowMs\` to be > 0, got \`${rule.windowMs}\``);
    this.#clock = deps.clock;
    this.#rule = rule;
  }

  /** How long until `key` may have another event (ms); 0 when it may now. */
  retryAfterMs(key: string): number {
    const now = this.#clock.now();
    const times = this.#recent(key, now);
    if (times.length < this.#rule.limit) return 0;
    return (times[times.length - this.#rule.limit] ?? now) + this.#rule.windowMs - now;
  }

  /** Counts an event for `key` now. */
  record(key: string): void {
    const now = this.#clock.now();
    this.#events.set(key, [...this.#recent(key, now), now]);
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#events.get(key) ?? []).filter((at) => now - at < this.#rule.windowMs);
    if (times.length === 0) this.#events.delete(key);
    else this.#events.set(key, times);
    return times;
  }
}
