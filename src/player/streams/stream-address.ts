import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import { PlayerError } from '../errors.js';

/**
 * IPv4 networks a station may not point at unless the owner allows it (`music.allowPrivateStations`):
 * the box itself and its networks. A station URL is fetched by mpv from the box, so one that names
 * them would reach services that trust the LAN (the admin API, a router, SSH).
 */
const PRIVATE_V4 = [
  '0.0.0.0/8', // "this network", and 0.0.0.0 itself (the box)
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata services
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3', // multicast, reserved and broadcast
].map((cidr) => ipaddr.IPv4.parseCIDR(cidr));

/** IPv6 networks refused outright (an IPv4 address inside IPv6 is judged as that IPv4 address). */
const PRIVATE_V6 = [
  '::/96', // unspecified, loopback (::1) and the old IPv4-compatible form (::127.0.0.1)
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated, still routed on some LANs)
  'ff00::/8', // multicast
].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

/**
 * `ip` parsed (ipaddr.js), an IPv4 address as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so that
 * every spelling of one address compares equal: `[0:0:0:0:0:0:0:1]`, `[0::1]` and `[::0:1]` are
 * `::1`; `::ffff:7f00:1` is `127.0.0.1`. Brackets and a zone (`%eth0`) are ignored. Undefined for
 * anything that is not an IP address in the standard notation (a host name).
 */
function parseAddress(ip: string): ipaddr.IPv6 | undefined {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return ipaddr.IPv4.parse(bare).toIPv4MappedAddress();
  return family === 6 ? ipaddr.IPv6.parse(bare) : undefined;
}

/** `ip` as 16 bytes (`parseAddress`), or undefined for anything that is not an IP address. */
export function addressBytes(ip: string): Uint8Array | undefined {
  const address = parseAddress(ip);
  return address === undefined ? undefined : Uint8Array.from(address.toByteArray());
}

/** The IPv4 address an IPv6 address carries: IPv4-mapped, NAT64's `64:ff9b::/96` (RFC 6052), 6to4's `2002::/16`. */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const range = address.range();
  if (range === 'ipv4Mapped') return address.toIPv4Address();
  if (range === 'rfc6052') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** Every address of this box's network interfaces now, as bytes. */
export function boxAddresses(): Uint8Array[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((info) => addressBytes(info.address))
    .filter((bytes): bytes is Uint8Array => bytes !== undefined);
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && a.every((byte, k) => byte === b[k]);
}

/**
 * Whether `ip` (v4 or v6, in any spelling; an IPv4 address inside IPv6 counts as that address) is
 * loopback, private, link-local, unspecified or multicast, or one of `own` (the box's own
 * addresses, public ones included: `boxAddresses()` by default). Compared as numbers, never as text.
 */
export function isPrivateAddress(ip: string, own: readonly Uint8Array[] = boxAddresses()): boolean {
  const address = parseAddress(ip);
  if (address === undefined) return false;
  const v4 = embeddedV4(address);
  const forms = [address.toByteArray(), ...(v4 === undefined ? [] : [v4.toIPv4MappedAddress().toByteArray()])];
  if (own.some((mine) => forms.some((form) => sameBytes(mine, form)))) return true;
  if (v4 !== undefined) return PRIVATE_V4.some((network) => v4.match(network));
  return PRIVATE_V6.some((network) => address.match(network));
}

/** Finds every address of a host name (`dns.lookup` with `all`), as mpv's resolver would. */
export type HostLookup = (host: string) => Promise<string[]>;

/** How a station's address is judged: the resolver, and which addresses are the box's or its networks'. */
export interface StationAddressCheck {
  lookup: HostLookup;
  /** @default isPrivateAddress (with the box's own addresses now) */
  isPrivate?: ((ip: string) => boolean) | undefined;
}

/** What a refusal says of where a station points (after the host it names). */
export const PRIVATE_ADDRESS_REASON =
  'is this box or its local network: stations must be on the internet; the owner may allow local ones in Settings, under Music: “Stations on this network” (`music.allowPrivateStations`)';

/**
 * Host names that are the box or its local network whatever the resolver answers now, compared
 * without case and trailing dots (`localhost.`): `localhost` and `*.localhost` (RFC 6761), the
 * names /etc/hosts gives the loopback (`ip6-localhost`, `ip6-loopback`, `localhost.localdomain`,
 * `localhost6`), and the LAN's own names, mDNS `.local` and `home.arpa` (RFC 8375), which a resolver
 * may not answer for at the moment a station is added.
 */
const LOCAL_NAMES =
  /^(?:localhost|ip6-localhost|ip6-loopback|localhost\.localdomain|localhost6(?:\.localdomain6)?|home\.arpa)$|\.(?:localhost|local|home\.arpa)$/;

/**
 * Why a station URL (already checked by `parseStreamUrl`) may not be played from this box, or
 * undefined when it may: its host is, or resolves to, an address of the box or its networks, or is
 * a name of them (`localhost.`, `ip6-localhost`, `*.local`). An IP written in any form
 * (`0x7f000001`, `127.1`, `[0::1]`, `[::ffff:7f00:1]`) is compared as a number. A name that does not
 * resolve now is let through: it reaches nothing, and fails when played.
 */
export async function privateAddressRefusal(url: string, check: HostLookup | StationAddressCheck): Promise<string | undefined> {
  const found = await checkedAddresses(url, typeof check === 'function' ? { lookup: check } : check);
  return found.refusal;
}

/** The host (and the address it resolves to) that `privateAddressRefusal` refuses, as its refusal names it, or undefined. */
export async function privateAddressOf(url: string, check: HostLookup | StationAddressCheck): Promise<string | undefined> {
  const found = await checkedAddresses(url, typeof check === 'function' ? { lookup: check } : check);
  return found.where;
}

async function checkedAddresses(
  url: string,
  check: StationAddressCheck,
): Promise<{ refusal?: string; where?: string; addresses: string[] }> {
  const isPrivate = check.isPrivate ?? ((ip: string) => isPrivateAddress(ip));
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else if (LOCAL_NAMES.test(host.toLowerCase().replace(/\.+$/, '')))
    return { refusal: `\`${host}\` ${PRIVATE_ADDRESS_REASON}`, where: `\`${host}\``, addresses: [] };
  else {
    try {
      addresses = await check.lookup(host);
    } catch {
      return { addresses: [] };
    }
  }
  const inside = addresses.find((ip) => isPrivate(ip));
  if (inside === undefined) return { addresses };
  const what = inside === host ? `\`${host}\`` : `\`${host}\` (${inside})`;
  return { refusal: `${what} ${PRIVATE_ADDRESS_REASON}`, where: what, addresses };
}

/** How many redirects a station's URL may take before it plays. */
export const MAX_STATION_REDIRECTS = 5;

/**
 * The URL a station really plays from: each redirect it answers with (301, 302, 303, 307, 308) is
 * followed through the same address check, connecting only to the addresses just checked, up to
 * `MAX_STATION_REDIRECTS`. mpv is then given that URL and told to follow no redirect of its own, so
 * that a public station cannot send it to the box's loopback. A station that cannot be reached
 * now (or answers in a way this check does not read, such as an old SHOUTcast `ICY 200 OK`) gives
 * back the URL it had: mpv's own attempt fails or plays the same way. Throws `PlayerError`
 * (`MB_ERR_PLAYER_NOT_ALLOWED`) for a hop on the box or its networks, for too many redirects, and
 * for a redirect to another scheme than http or https.
 */
export async function vetStationUrl(url: string, check: StationAddressCheck, options: { timeoutMs: number }): Promise<string> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const { refusal, addresses } = await checkedAddresses(current, check);
    if (refusal !== undefined) {
      const via = current === url ? '' : ` (reached by a redirect from ${url})`;
      throw new PlayerError('MB_ERR_PLAYER_NOT_ALLOWED', `${refusal}${via}`);
    }
    const address = addresses[0];
    if (address === undefined) return current;
    const location = await redirectOf(current, address, options.timeoutMs);
    if (location === undefined) return current;
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return current;
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new PlayerError(
        'MB_ERR_PLAYER_NOT_ALLOWED',
        `The station ${url} redirects to a \`${next.protocol}\` URL; only http and https play`,
      );
    }
    if (hop + 1 > MAX_STATION_REDIRECTS) {
      throw new PlayerError('MB_ERR_PLAYER_NOT_ALLOWED', `The station ${url} redirects more than ${MAX_STATION_REDIRECTS} times`);
    }
    current = next.href;
  }
}

/** Where `url` redirects to (its `Location`), asking `address` only; undefined when it does not redirect or cannot be asked. */
function redirectOf(url: string, address: string, timeoutMs: number): Promise<string | undefined> {
  const family = isIP(address) === 6 ? 6 : 4;
  // Connect to the address that was checked, never to a fresh answer of the resolver.
  const lookup = ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', lookup, headers: { 'icy-metadata': '0' }, timeout: timeoutMs }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      res.destroy();
      req.destroy();
      resolve([301, 302, 303, 307, 308].includes(status) && typeof location === 'string' ? location : undefined);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
