/** The waits of a `Backoff` (ms). */
export interface BackoffOptions {
  /** The wait after the first failure in a row (ms); MUST be > 0. */
  firstMs: number;
  /** The longest wait (ms); MUST be at least `firstMs`. */
  maxMs: number;
}

/**
 * A doubling backoff, pure (the caller times the waits on its clock): after failures in a row the
 * waits are `firstMs`, twice that, four times …, up to `maxMs`; a success (`reset`) starts again
 * from `firstMs`.
 */
export class Backoff {
  readonly #firstMs: number;
  readonly #maxMs: number;
  #failures = 0;

  constructor(options: BackoffOptions) {
    const { firstMs, maxMs } = options;
    if (!(firstMs > 0 && maxMs >= firstMs))
      throw new RangeError(`Expected \`firstMs\` > 0 and \`maxMs\` >= it, got \`${firstMs}\` and \`${maxMs}\``);
    this.#firstMs = firstMs;
    this.#maxMs = maxMs;
  }

  /** Failures counted since the last `reset`. */
  get failures(): number {
    return this.#failures;
  }

  /** The wait the next failure brings (ms), without counting one: `firstMs` after a reset. */
  get delayMs(): number {
    // 2 ** n is Infinity past n = 1023, and min() then gives maxMs: no overflow to guard.
    return Math.min(this.#maxMs, this.#firstMs * 2 ** this.#failures);
  }

  /** Counts a failure; returns the wait before the next try (ms). */
  fail(): number {
    const delayMs = this.delayMs;
    this.#failures += 1;
    return delayMs;
  }

  /** A try succeeded: the next failure waits `firstMs` again. */
  reset(): void {
    this.#failures = 0;
  }
}
