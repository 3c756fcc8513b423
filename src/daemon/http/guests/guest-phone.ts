import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../kernel/clock.js';
import { GUEST_GONE, guestRefused } from '../../guests/guest-refusals.js';
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
    throw guestRefused('MB_ERR_HTTP_FORBIDDEN', GUEST_GONE.lanOnly());
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

/** How long a window counts calls (ms). */
const WINDOW_MS = 60_000;

/**
 * The most windows kept: past it the oldest go first. A phone's window holds a minute; a flood of
 * new cookies from one address is refused by the address's window before it makes a phone's, so
 * only many addresses reach this.
 */
export const MAX_GUEST_WINDOWS = 20_000;

/**
 * At most `perMinute()` guest calls a minute per phone, and per address as many for each phone
 * behind it (`phonesBehind`: so a phone that drops its cookie is still counted, and a café behind
 * one router is not held to one phone's calls): a fixed window per key on the injected clock. A call past
 * it is refused: `take` answers how long to wait (s). Each call costs the same however many phones
 * called: the windows are kept in the order they started, so the ended ones are dropped from the
 * front (a flood of random cookies made every call scan all of them). Not @fastify/rate-limit: one
 * budget covers the page's requests and its WebSocket messages, and an address's grows with its phones.
 */
export class GuestCallLimiter {
  readonly #clock: Clock;
  readonly #perMinute: () => number;
  readonly #phonesBehind: (address: string) => number;
  /** By key, in the order the windows started (a window started again moves to the end). */
  readonly #windows = new Map<string, { start: number; calls: number }>();

  constructor(deps: { clock: Clock; perMinute: () => number; phonesBehind?: (address: string) => number }) {
    this.#clock = deps.clock;
    this.#perMinute = deps.perMinute;
    this.#phonesBehind = deps.phonesBehind ?? (() => 1);
  }

  /** How many windows are kept now (at most `MAX_GUEST_WINDOWS`). */
  get size(): number {
    return this.#windows.size;
  }

  /** Counts a call of `phone`; returns undefined, or the seconds to wait when it or its address is over the limit. */
  take(phone: GuestPhone): number | undefined {
    const now = this.#clock.now();
    this.#dropEnded(now);
    const limit = this.#perMinute();
    // The address first: a call it refuses makes no window for a new cookie.
    const address = this.#window(`address:${phone.address}`, now);
    if (address.calls >= limit * this.#phonesBehind(phone.address)) return waitS(address, now);
    const own = this.#window(`phone:${phone.id}`, now);
    if (own.calls >= limit) return waitS(own, now);
    address.calls += 1;
    own.calls += 1;
    return undefined;
  }

  #window(key: string, now: number): { start: number; calls: number } {
    const found = this.#windows.get(key);
    if (found !== undefined && now - found.start < WINDOW_MS) return found;
    // A new window goes to the end, where the latest start belongs.
    if (found !== undefined) this.#windows.delete(key);
    const window = { start: now, calls: 0 };
    this.#windows.set(key, window);
    while (this.#windows.size > MAX_GUEST_WINDOWS) {
      const oldest = this.#windows.keys().next();
      if (oldest.done === true) break;
      this.#windows.delete(oldest.value);
    }
    return window;
  }

  /** Drops the windows that ended, from the oldest; stops at the first still counting. */
  #dropEnded(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now - window.start < WINDOW_MS) return;
      this.#windows.delete(key);
    }
  }
}

function waitS(window: { start: number }, now: number): number {
  return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
}
