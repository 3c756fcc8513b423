import { existsSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/** What the guest URL is worked out from: the settings, the port listened on, and what the machine's network says. */
export interface GuestUrlInput {
  /** Guests may ask, like and vote now. */
  isOpen: boolean;
  /** `server.publicUrl`: the box's address as phones reach it, or empty. */
  publicUrl: string;
  /** `server.host`: the address listened on. */
  host: string;
  /** The port listened on. */
  port: number;
  /** The machine's IPv4 interfaces (`os.networkInterfaces()`), internal ones flagged. */
  interfaces: ReadonlyArray<{ address: string; family: string | number; internal: boolean }>;
  /** The name avahi announces on the LAN (`<hostname>.local`), or undefined when avahi does not run. */
  avahiName: string | undefined;
}

/**
 * The guest page's address as phones in the room reach it, for the kiosk's QR code:
 * `server.publicUrl` when set; else the address the server listens on when it is a LAN one; for
 * `0.0.0.0` (every interface) the first non-internal IPv4 address, or the name avahi announces
 * when there is none. Null while guests are off, or while the server listens on loopback only
 * (phones cannot reach it).
 */
export function guestUrlOf(input: GuestUrlInput): string | null {
  if (!input.isOpen) return null;
  if (input.publicUrl !== '') return `${input.publicUrl.replace(/\/+$/, '')}/guest`;
  const { host } = input;
  if (host === 'localhost' || isLoopback(host)) return null;
  const port = input.port === 80 ? '' : `:${input.port}`;
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return `http://${host.includes(':') ? `[${host}]` : host}${port}/guest`;
  const lan = input.interfaces.find((i) => !i.internal && (i.family === 'IPv4' || i.family === 4))?.address;
  const name = lan ?? input.avahiName;
  return name === undefined ? null : `http://${name}${port}/guest`;
}

/** This machine's interfaces and avahi's name (`<hostname>.local` while avahi-daemon runs). */
export function systemGuestNetwork(): Pick<GuestUrlInput, 'interfaces' | 'avahiName'> {
  return {
    interfaces: Object.values(networkInterfaces()).flatMap((list) => list ?? []),
    avahiName: existsSync('/run/avahi-daemon/socket') ? `${osHostname()}.local` : undefined,
  };
}

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x: only this machine reaches it. */
function isLoopback(host: string): boolean {
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}
