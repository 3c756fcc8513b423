import { BlockList, isIP } from 'node:net';

/**
 * Addresses a station may not point at unless the owner allows it (`music.allowPrivateStations`):
 * the box itself and its networks. A station URL is fetched by mpv from the box, so one that names
 * them would reach services that trust the LAN (the admin API, a router, SSH).
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", and 0.0.0.0 itself (the box)
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3], // multicast, reserved and broadcast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether `ip` (v4 or v6, `::ffff:` v4-mapped included) is loopback, private, link-local, unspecified or multicast. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped !== undefined) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return false;
  return PRIVATE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Finds every address of a host name (`dns.lookup` with `all`), as mpv's resolver would. */
export type HostLookup = (host: string) => Promise<string[]>;

/**
 * Why a station URL (already checked by `parseStreamUrl`) may not be played from this box, or
 * undefined when it may: its host is, or resolves to, an address of the box or its networks. An IP
 * written in any form (`0x7f000001`, `127.1`, `[::1]`) reaches here normalised by the URL parser.
 * A name that does not resolve now is let through: it reaches nothing, and fails when played.
 */
export async function privateAddressRefusal(url: string, lookup: HostLookup): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      return undefined;
    }
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside === undefined) return undefined;
  const what = inside === host ? `\`${host}\`` : `\`${host}\` (${inside})`;
  return `${what} is this box or its local network: stations must be on the internet; the owner may allow local ones with \`music.allowPrivateStations\` in the configuration file`;
}
