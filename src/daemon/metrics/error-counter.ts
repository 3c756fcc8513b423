import { Counter } from 'prom-client';
import type { ErrorLines } from '../logging.js';

/** The part named for a line of the root logger itself, which has no `module`. */
export const ROOT_PART = 'daemon';

/**
 * `moodbox_errors_total{part}`: the lines logged at `error` or `fatal`, by the part that logged
 * them (its logger's `module`: `camera`, `store`, `mqtt`, …; `daemon` for the root logger's own).
 *
 * Counted where the log is written, by the root logger's hook (`createLogger({ errors })`), rather
 * than from the services' health: an error line is, by the house rule, what an operator must act
 * on, every part already writes its errors there once, and so the count needs nothing added to
 * each part and misses no part. The health is read, not told: a failure that comes and goes
 * between two readings would not be counted, and most parts report `degraded`, never `failed`.
 */
export class ErrorCounter implements ErrorLines {
  /** Registered by the metrics when they are on (`MoodboxMetrics`); counted either way. */
  readonly metric = new Counter({
    name: 'moodbox_errors_total',
    help: "Lines logged at error or fatal level (what an operator must act on), by the part that logged them: its logger's module, daemon for the root's own.",
    labelNames: ['part'] as const,
    registers: [],
  });

  constructor() {
    // The daemon's own lines (the root logger's) are counted from the start too.
    this.named(ROOT_PART);
  }

  /**
   * A part's logger was made: its series is served from now on, at 0, so that a rate or an
   * `increase()` sees its first error (Prometheus sees no increase in a series that appears at 1).
   */
  named(part: unknown): void {
    this.metric.inc({ part: partOf(part) }, 0);
  }

  /** One line logged at `error` or `fatal` by `part` (its logger's `module`, when it has one). */
  logged(part: unknown): void {
    this.metric.inc({ part: partOf(part) });
  }
}

function partOf(module: unknown): string {
  return typeof module === 'string' && module !== '' ? module : ROOT_PART;
}
