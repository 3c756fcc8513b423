import type { Clock } from '../../kernel/clock.js';

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
 * hour. A tap past either is refused: `take` answers how long to wait (s). Not @fastify/rate-limit:
 * taps are messages on the screen's WebSocket, not requests, and the windows slide on the injected clock.
 */
export class TapLimiter {
  readonly #clock: Clock;
  readonly #budget: () => TapBudget;
  /** When each key tapped in the last hour (epoch ms), oldest first. */
  readonly #taps = new Map<string, number[]>();

  constructor(deps: { clock: Clock; budget: () => TapBudget }) {
    this.#clock = deps.clock;
    this.#budget = deps.budget;
  }

  /** Counts a tap from `source`; returns undefined, or the seconds to wait when its connection or its address is over a budget. */
  take(source: TapSource): number | undefined {
    const now = this.#clock.now();
    const { tapsPerMinute, tapsPerHour } = this.#budget();
    if (this.#taps.size > 1000) for (const [key, at] of this.#taps) if ((at.at(-1) ?? 0) <= now - HOUR_MS) this.#taps.delete(key);
    const lists = [`screen:${source.connection}`, `address:${source.address}`].map((key) => {
      const list = (this.#taps.get(key) ?? []).filter((at) => at > now - HOUR_MS);
      this.#taps.set(key, list);
      return list;
    });
    let waitMs = 0;
    for (const list of lists) {
      const lastMinute = list.filter((at) => at > now - MINUTE_MS);
      if (lastMinute.length >= tapsPerMinute)
        waitMs = Math.max(waitMs, (lastMinute[lastMinute.length - tapsPerMinute] ?? now) + MINUTE_MS - now);
      if (list.length >= tapsPerHour) waitMs = Math.max(waitMs, (list[list.length - tapsPerHour] ?? now) + HOUR_MS - now);
    }
    if (tapsPerHour === 0) waitMs = Math.max(waitMs, HOUR_MS);
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const list of lists) list.push(now);
    return undefined;
  }
}
