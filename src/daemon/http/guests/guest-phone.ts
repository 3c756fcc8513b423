import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../kernel/clock.js';
import { retryAfterSeconds, WindowLimit } from '../../../kernel/window-limit.js';
import type { GuestPhone } from '../../guests/guest-service.js';
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
 * Which page a guest call (a request or an upgrade) comes from, by its Origin (`foreign`: another
 * site's page). Where it comes from on the network is the `guest` access zone's to judge, first.
 */
export function judgeGuestCall(request: FastifyRequest): OriginVerdict {
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

/** Whether `request` carries a well-formed `mb_guest` cookie. */
export function hasGuestCookie(request: FastifyRequest): boolean {
  const cookie = request.cookies[GUEST_COOKIE];
  return cookie !== undefined && COOKIE_ID.test(cookie);
}

/** The phone an upgrade comes from; a socket without the cookie reads as a phone of its own. */
export function socketPhoneOf(request: FastifyRequest): GuestPhone {
  const cookie = request.cookies[GUEST_COOKIE];
  return { id: cookie !== undefined && COOKIE_ID.test(cookie) ? cookie : newGuestId(), address: request.ip };
}

/** How long a phone's or an address's calls count (ms). */
const WINDOW_MS = 60_000;

/**
 * The most phones and addresses counted: past it the least recently counted go first. A phone's
 * calls count for a minute; a flood of new cookies from one address is refused by the address's
 * limit before its phones are counted, so only many addresses reach this.
 */
export const MAX_GUEST_WINDOWS = 20_000;

const ADDRESS = 'address:';

/**
 * At most `perMinute()` guest calls in any minute per phone, and per address as many for each
 * phone behind it (`phonesBehind`: so a phone that drops its cookie is still counted, and a café
 * behind one router is not held to one phone's calls), on the injected clock. A call past either is
 * refused and counts nowhere: `take` answers how long to wait (s). One budget covers the page's
 * requests and its WebSocket messages (see `WindowLimit` for why this is not @fastify/rate-limit).
 */
export class GuestCallLimiter {
  readonly #calls: WindowLimit;

  constructor(deps: { clock: Clock; perMinute: () => number; phonesBehind?: (address: string) => number }) {
    const phonesBehind = deps.phonesBehind ?? (() => 1);
    this.#calls = new WindowLimit(deps, {
      windowMs: WINDOW_MS,
      maxKeys: MAX_GUEST_WINDOWS,
      limit: (key) => (key.startsWith(ADDRESS) ? deps.perMinute() * phonesBehind(key.slice(ADDRESS.length)) : deps.perMinute()),
    });
  }

  /** How many phones and addresses are counted now (at most `MAX_GUEST_WINDOWS`). */
  get size(): number {
    return this.#calls.size;
  }

  /** Counts a call of `phone`; returns undefined, or the seconds to wait when it or its address is over the limit. */
  take(phone: GuestPhone): number | undefined {
    return retryAfterSeconds(this.#calls.take(`${ADDRESS}${phone.address}`, `phone:${phone.id}`));
  }
}
