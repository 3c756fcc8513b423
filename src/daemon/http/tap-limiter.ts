import type { Clock } from '../../kernel/clock.js';
import { retryAfterSeconds, WindowLimit } from '../../kernel/window-limit.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How many songs may be tapped (`player.tapsPerMinute`, `player.tapsPerHour`), per screen connection and per address. */
export interface TapBudget {
  tapsPerMinute: number;
  tapsPerHour: number;
}

/** Where a tap comes from: the screen's connection and the address it calls from. */
export interface TapSource {
  connection: number;
  address: string;
}

/**
 * Counts the kiosk's taps on songs, per screen connection and per address (so reconnecting resets
 * nothing), on the injected clock: at most `tapsPerMinute` in any minute and `tapsPerHour` in any
 * hour, both read from the live settings at each tap. A tap past either is refused and counts
 * nowhere: `take` answers how long to wait (s). Taps are messages on the screen's WebSocket, which
 * is why this is a `WindowLimit` and not @fastify/rate-limit.
 */
export class TapLimiter {
  readonly #perMinute: WindowLimit;
  readonly #perHour: WindowLimit;

  constructor(deps: { clock: Clock; budget: () => TapBudget }) {
    this.#perMinute = new WindowLimit(deps, { windowMs: MINUTE_MS, limit: () => deps.budget().tapsPerMinute });
    this.#perHour = new WindowLimit(deps, { windowMs: HOUR_MS, limit: () => deps.budget().tapsPerHour });
  }

  /** Counts a tap from `source`; returns undefined, or the seconds to wait when its connection or its address is over a budget. */
  take(source: TapSource): number | undefined {
    const keys = [`screen:${source.connection}`, `address:${source.address}`];
    return retryAfterSeconds(
      WindowLimit.takeAll([
        [this.#perMinute, keys],
        [this.#perHour, keys],
      ]),
    );
  }
}
