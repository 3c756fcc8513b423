import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a WebSocket connection comes from, judged at the upgrade from its `Origin` header:
 * - `kiosk`: the kiosk's own screen, a page of this daemon opened on this machine under a loopback
 *   name (`http://127.0.0.1:8080/`, as `systemd/moodbox-kiosk.service` opens it);
 * - `same`: a page of this daemon (its Origin names the host the request was sent to);
 * - `none`: no Origin, i.e. not a browser (the CLI, scripts): it may only read;
 * - `foreign`: a page of any other site; refused before the upgrade.
 *
 * A browser always sends the Origin of the page, and a page cannot change it, so this stops web
 * pages; a program can send any Origin it likes, which is why a person's actions also need their
 * kiosk session token.
 */
export type OriginVerdict = 'kiosk' | 'same' | 'none' | 'foreign';

export interface UpgradeRequest {
  /** The `Origin` header, undefined when there is none. */
  origin: string | undefined;
  /** The `Host` header. */
  host: string | undefined;
  /** The address the connection comes from. */
  remoteAddress: string | undefined;
  /** The port the connection came in on. */
  localPort: number | undefined;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A `Host` header: a name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
export const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** True for a loopback address (127.0.0.0/8, ::1, and IPv4-mapped 127.x). */
export function isLoopbackAddress(ip: string | undefined): boolean {
  if (ip === undefined || isIP(ip) === 0) return false;
  return ipaddr.process(ip).range() === 'loopback';
}

export function judgeOrigin(request: UpgradeRequest): OriginVerdict {
  const { origin, host } = request;
  if (origin === undefined) return 'none';
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return 'foreign';
  }
  // A serialized origin is exactly scheme://host[:port]; `null` (sandboxed frames, files) and anything else is refused.
  if ((page.protocol !== 'http:' && page.protocol !== 'https:') || page.origin !== origin) return 'foreign';
  const port = page.port === '' ? (page.protocol === 'https:' ? 443 : 80) : Number(page.port);
  // A loopback name means this machine only when the browser is on this machine: from anywhere
  // else `localhost` is the visitor's own computer.
  if (LOOPBACK_NAMES.has(page.hostname) && isLoopbackAddress(request.remoteAddress) && port === request.localPort) return 'kiosk';
  if (host === undefined || !HOST_PATTERN.test(host)) return 'foreign';
  let target: URL;
  try {
    target = new URL(`${page.protocol}//${host}`);
  } catch {
    return 'foreign';
  }
  return target.host === page.host ? 'same' : 'foreign';
}
