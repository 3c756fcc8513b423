import { isIP } from 'node:net';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MoodboxError } from '../../kernel/errors.js';
import type { Logger } from '../logging.js';
import { isLanAddress } from './access.js';

/** What the box knows of its own names and addresses. */
export interface OwnNetwork {
  /** The machine's host name (`os.hostname()`); it answers to it and to `<it>.local`. */
  hostname: string;
  /** The addresses of its interfaces now (they change with DHCP, so asked each time). */
  addresses(): readonly string[];
  /** The address it listens on (`server.host`) when that is a name or one address. */
  configuredHost: string;
}

/** This machine, from the operating system. */
export function systemNetwork(configuredHost: string): OwnNetwork {
  return {
    hostname: osHostname(),
    addresses: () =>
      Object.values(networkInterfaces())
        .flat()
        .map((i) => i?.address ?? ''),
    configuredHost,
  };
}

/**
 * Domains nobody can register in public DNS (RFC 6761, RFC 6762, RFC 8375, ICANN's `.internal`),
 * and `.lan`, which no registry delegates: a name under them is the LAN's own, never an attacker's.
 */
const PRIVATE_SUFFIXES = ['.local', '.lan', '.home.arpa', '.internal', '.localhost', '.localdomain', '.test'];

/**
 * True when `host` (a `Host` header: name or address, optional port) names this box. DNS
 * rebinding points a name the attacker owns in public DNS at the box, so the browser sends that
 * name: refused. Accepted are `localhost`, the machine's host name (and `<it>.local`),
 * `moodbox.local`, the configured listen address, names of one label (the LAN's DNS search
 * domain) or under a private suffix, and addresses: the box's own, or any private one (a LAN
 * address translated to the box's, as in a container).
 */
export function isOwnHost(host: string | undefined, network: OwnNetwork): boolean {
  if (host === undefined) return false;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/.exec(host);
  if (match === null) return false;
  const address = match[1];
  if (address !== undefined) return isIP(address) === 6 && (network.addresses().includes(address.toLowerCase()) || isLanAddress(address));
  const name = (match[2] ?? '').toLowerCase().replace(/\.$/, '');
  if (isIP(name) === 4) return network.addresses().includes(name) || isLanAddress(name);
  const own = network.hostname.toLowerCase();
  if (['localhost', 'moodbox.local', own, `${own}.local`, network.configuredHost.toLowerCase()].includes(name)) return true;
  return (name !== '' && !name.includes('.')) || PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** Refuses (403) every request, WebSocket upgrades included, whose `Host` does not name this box (`isOwnHost`). */
export function registerHostCheck(app: FastifyInstance, network: OwnNetwork): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (isOwnHost(request.headers.host, network)) return;
    const host = request.headers.host?.slice(0, 100);
    request.log.warn({ host, ip: request.ip }, 'request for another host refused');
    throw new MoodboxError(
      'MB_ERR_HTTP_FORBIDDEN',
      `Expected the Host header to name this Moodbox (its address, localhost, ${network.hostname}.local or a LAN name), got \`${host ?? 'none'}\``,
    );
  });
}

/** The most connections (HTTP keep-alive and WebSockets) one address may hold open at once. */
export const MAX_SOCKETS_PER_ADDRESS = 64;

/** How long a connection past the cap may stay open to be answered (ms). */
const REFUSED_SOCKET_TIMEOUT_MS = 5000;

/**
 * Caps the connections one remote address holds open (HTTP keep-alive and WebSockets): a request on
 * a connection past the cap, an upgrade included, is answered `429` with a reason and the
 * connection closed; one that sends nothing is closed after 5 s.
 */
export function capSocketsPerAddress(app: FastifyInstance, log: Logger, max = MAX_SOCKETS_PER_ADDRESS): void {
  const open = new Map<string, number>();
  const refused = new WeakSet<Socket>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
    if (count <= max) return;
    refused.add(socket);
    socket.setTimeout(REFUSED_SOCKET_TIMEOUT_MS, () => socket.destroy());
    if (count === max + 1) log.warn({ ip: address, max }, 'connections refused: too many from one address');
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!refused.has(request.raw.socket)) return;
    void reply.header('connection', 'close').header('retry-after', '10');
    return reply.status(429).send({
      error: {
        code: 'MB_ERR_HTTP_FORBIDDEN',
        message: `Too many connections from ${request.ip}: at most ${max} at once. Close some and try again.`,
      },
    });
  });
}
