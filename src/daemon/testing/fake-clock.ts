import type { Clock, Timer } from '../../kernel/clock.js';

interface Pending {
  at: number;
  fn: () => void;
  every: number | undefined;
  id: number;
}

/** A clock that moves only when told to. Timers fire in time order during `advance`. */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 0;
  #pending: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  monotonic(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.#schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.#schedule(fn, ms, Math.max(ms, 1));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer = this.setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          timer.cancel();
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      this.#pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.#pending[0];
      if (next === undefined || next.at > target) break;
      this.#now = next.at;
      if (next.every === undefined) this.#pending.shift();
      else next.at += next.every;
      next.fn();
    }
    this.#now = target;
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.#pending.length;
  }

  #schedule(fn: () => void, ms: number, every: number | undefined): Timer {
    const entry: Pending = { at: this.#now + Math.max(ms, 0), fn, every, id: this.#nextId++ };
    this.#pending.push(entry);
    return {
      cancel: () => {
        this.#pending = this.#pending.filter((p) => p !== entry);
      },
    };
  }
}
