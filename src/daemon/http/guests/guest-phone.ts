import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../kernel/clock.js';
import { MoodboxError } from '../../../kernel/errors.js';
import type { GuestPhone } from '../../guests/guest-service.js';
import { isLanAddress } from '../access.js';
import { judgeOrigin, type OriginVerdict } from '../origin.js';

/** The guest page's anonymous cookie: a random id, nothing else; it authorises nothing but guest calls. */
export const GUEST_COOKIE = 'mb_guest';
const COOKIE_ID = /^[A-Za-z0-9_-]{22}$/;
const YEAR_S = 365 * 24 * 3600;

/** A new anonymous phone id: 128 random bits, base64url. */
export function newGuestId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Where a guest call (a request or an upgrade) comes from: refused off the local network while
 * `isLanOnly`; else what its Origin says (`foreign`: another site's page).
 */
export function judgeGuestCall(request: FastifyRequest, isLanOnly: boolean): OriginVerdict {
  const ip: unknown = request.ip;
  if (isLanOnly && (typeof ip !== 'string' || !isLanAddress(ip))) {
    throw new MoodboxError('MB_ERR_HTTP_FORBIDDEN', 'The guest page is served on the local network only.');
  }
  const raw = request.raw as { socket?: { remoteAddress?: string; localPort?: number } };
  return judgeOrigin({
    origin: request.headers.origin,
    host: request.headers.host,
    remoteAddress: raw.socket?.remoteAddress,
    localPort: raw.socket?.localPort,
  });
}

/** The phone a request comes from: its `mb_guest` cookie (set when missing or malformed) and its address. */
export function phoneOf(request: FastifyRequest, reply: FastifyReply): GuestPhone {
  const cookie = request.cookies[GUEST_COOKIE];
  if (cookie !== undefined && COOKIE_ID.test(cookie)) return { id: cookie, address: request.ip };
  const id = newGuestId();
  void reply.setCookie(GUEST_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: YEAR_S });
  return { id, address: request.ip };
}

/** The phone an upgrade comes from; a socket without the cookie reads as a phone of its own. */
export function socketPhoneOf(request: FastifyRequest): GuestPhone {
  const cookie = request.cookies[GUEST_COOKIE];
  return { id: cookie !== undefined && COOKIE_ID.test(cookie) ? cookie : newGuestId(), address: request.ip };
}

/**
 * At most `perMinute()` guest calls a minute per phone, and as many per address (so a phone that
 * drops its cookie is still counted): a fixed window per key on the injected clock. A call past
 * it is refused: `take` answers how long to wait (s).
 */
export class GuestCallLimiter {
  readonly #clock: Clock;
  readonly #perMinute: () => number;
  readonly #windows = new Map<string, { start: number; calls: number }>();

  constructor(deps: { clock: Clock; perMinute: () => number }) {
    this.#clock = deps.clock;
    this.#perMinute = deps.perMinute;
  }

  /** Counts a call of `phone`; returns undefined, or the seconds to wait when it or its address is over the limit. */
  take(phone: GuestPhone): number | undefined {
    const now = this.#clock.now();
    if (this.#windows.size > 10_000) for (const [key, w] of this.#windows) if (now - w.start >= 60_000) this.#windows.delete(key);
    const limit = this.#perMinute();
    const windows = [`phone:${phone.id}`, `address:${phone.address}`].map((key) => {
      let window = this.#windows.get(key);
      if (window === undefined || now - window.start >= 60_000) {
        window = { start: now, calls: 0 };
        this.#windows.set(key, window);
      }
      return window;
    });
    const over = windows.find((w) => w.calls >= limit);
    if (over !== undefined) return Math.max(1, Math.ceil((over.start + 60_000 - now) / 1000));
    for (const w of windows) w.calls += 1;
    return undefined;
  }
}
