import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../../../kernel/clock.js';
import { MoodboxError } from '../../../kernel/errors.js';
import { GUEST_REFUSALS, guestRefused } from '../../guests/guest-refusals.js';
import type { Logger } from '../../logging.js';
import type { GuestPhone } from '../../guests/guest-service.js';
import type { GuestServerMessage, LinkAlive } from '../contract.js';
import { WS_CLOSE } from '../ws.js';
import { guestMine, guestRoom, type GuestViewDeps } from './guest-view.js';
import { hasGuestCookie, judgeGuestCall, socketPhoneOf, type GuestCallLimiter } from './guest-phone.js';

/**
 * Changes are gathered this long before the phones' views are worked out again (ms): a burst of
 * votes, position ticks and queue changes reaches a phone as at most a few pushes a second.
 * @default 250
 */
export const GUEST_PUSH_MS = 250;

export interface GuestSocketOptions {
  /** A phone whose unsent data passes this is disconnected (bytes). */
  maxBufferedBytes: number;
  /** Ping period; a phone that has not answered the previous ping is disconnected (ms). */
  pingIntervalMs: number;
}

/** The guest sockets, as the guest routes see them. */
export interface GuestLinks {
  /** How many guest pages are open. */
  open(): number;
  /**
   * `phone` read its view over HTTP (`GET /api/guest/state`), and its page now shows that answer,
   * which no push brought: its next push carries its whole view again, even where the daemon is
   * back at what it last pushed it (a like, "not this" read at once, a like again within one
   * gathering), or the page would stay on what it read.
   */
  viewRead(phone: GuestPhone): void;
}

/** How many guest pages may be open at once, in all and from one address (`guests.socketsMax`, `guests.socketsPerAddress`). */
export interface GuestSocketLimits {
  socketsMax: number;
  socketsPerAddress: number;
}

/**
 * `/ws/guest`: on connect and whenever it changes, coalesced (`GUEST_PUSH_MS`), the room's view
 * (`guest/room`), worked out once per change and sent as the same text to every phone, and each
 * phone's own part (`guest/mine`), sent only when it changed; read-only: a message from the phone
 * closes the socket. At most `socketsMax` guest pages are open at once, and `socketsPerAddress`
 * from one address: one more is refused before the upgrade (429 `MB_ERR_GUEST_FULL`), which bounds
 * what a flood of sockets costs. As `/ws`: sends never wait, a slow or silent phone is dropped,
 * another site's page is refused.
 */
export function registerGuestSocket(
  app: FastifyInstance,
  deps: GuestViewDeps & {
    clock: Clock;
    log: Logger;
    limiter: GuestCallLimiter;
    /** The limits now (they may change while running). */
    limits: () => GuestSocketLimits;
  },
  options: GuestSocketOptions,
): GuestLinks {
  const { clock, log, hub, guests } = deps;
  const phones = new Map<WebSocket, { phone: GuestPhone; room: string; mine: string; isAlive: boolean }>();
  let flush: Timer | undefined;
  /** The room's view as text, until the next change; undefined once something changed. */
  let room: string | undefined;

  const send = (socket: WebSocket, text: string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + text.length > options.maxBufferedBytes) {
      phones.delete(socket);
      socket.terminate();
      return;
    }
    socket.send(text);
  };
  const roomText = (): string => {
    room ??= JSON.stringify({ type: 'guest/room', data: guestRoom(deps) } satisfies GuestServerMessage);
    return room;
  };
  const push = (socket: WebSocket): void => {
    const state = phones.get(socket);
    if (state === undefined) return;
    const shared = roomText();
    if (shared !== state.room) {
      state.room = shared;
      send(socket, shared);
    }
    const mine = JSON.stringify({ type: 'guest/mine', data: guestMine(deps, state.phone) } satisfies GuestServerMessage);
    if (mine === state.mine) return;
    state.mine = mine;
    send(socket, mine);
  };
  const changed = (): void => {
    room = undefined;
    if (flush !== undefined || phones.size === 0) return;
    flush = clock.setTimeout(() => {
      flush = undefined;
      for (const socket of phones.keys()) push(socket);
    }, GUEST_PUSH_MS);
  };
  const offHub = hub.subscribe(changed, 'guest socket');
  const offGuests = guests.onChanged(changed, 'guest socket');

  let pinger: Timer | undefined;
  app.addHook('onReady', async () => {
    const alive = JSON.stringify({ type: 'link/alive', everyMs: options.pingIntervalMs } satisfies LinkAlive);
    pinger = clock.setInterval(() => {
      for (const [socket, state] of phones) {
        if (!state.isAlive) {
          phones.delete(socket);
          socket.terminate();
          continue;
        }
        state.isAlive = false;
        socket.ping();
        send(socket, alive);
      }
    }, options.pingIntervalMs);
  });
  app.addHook('onClose', async () => {
    pinger?.cancel();
    flush?.cancel();
    offHub();
    offGuests();
    for (const socket of phones.keys()) socket.close(1001, 'server shutting down');
    phones.clear();
  });

  // Seats: every guest page open or opening, in all and by address. A seat is taken before the
  // upgrade (so a burst of upgrades cannot all pass the count) and given back when its connection closes.
  let seated = 0;
  const byAddress = new Map<string, number>();
  const seats = new WeakMap<FastifyRequest, () => void>();
  const takeSeat = (request: FastifyRequest): void => {
    const { socketsMax } = deps.limits();
    const address = request.ip;
    // An address behind which many phones have been (a café behind one router) opens a page more for each.
    const perAddress = deps.limits().socketsPerAddress + guests.phonesBehind(address) - 1;
    const here = byAddress.get(address) ?? 0;
    if (seated >= socketsMax || here >= perAddress) {
      const whose = seated >= socketsMax ? `${socketsMax} in all` : `${perAddress} from one network address`;
      log.warn({ ip: address, seated, here }, 'guest websocket refused: too many open');
      throw new MoodboxError('MB_ERR_GUEST_FULL', `As many guest pages are open as this Moodbox serves (${whose}): try again in a moment`);
    }
    seated += 1;
    byAddress.set(address, here + 1);
    let isHeld = true;
    const release = (): void => {
      if (!isHeld) return;
      isHeld = false;
      seated -= 1;
      const left = (byAddress.get(address) ?? 1) - 1;
      if (left <= 0) byAddress.delete(address);
      else byAddress.set(address, left);
    };
    seats.set(request, release);
    // The connection closing gives the seat back, also when the upgrade never completes.
    const connection = (request.raw as { socket?: { once?: unknown } }).socket;
    if (typeof connection?.once === 'function') (connection as Socket).once('close', release);
  };

  const checkOrigin = async (request: FastifyRequest): Promise<void> => {
    const verdict = judgeGuestCall(request);
    if (verdict !== 'foreign') {
      // An upgrade is a guest call too: a phone or an address opening sockets in a loop is refused for a while.
      const phone = socketPhoneOf(request);
      const waitS = deps.limiter.take(phone);
      if (waitS !== undefined) throw guestRefused('MB_ERR_GUEST_TOO_FAST', GUEST_REFUSALS.tooFast(waitS));
      // A phone with its cookie is seen again (a socket without one is nobody in particular).
      if (hasGuestCookie(request)) guests.seen(phone);
      takeSeat(request);
      return;
    }
    log.warn({ origin: request.headers.origin?.slice(0, 200), ip: request.ip }, 'guest websocket from another site refused');
    throw new MoodboxError(
      'MB_ERR_HTTP_FORBIDDEN',
      'Expected the guest page of this Moodbox to open the WebSocket: the Origin is another site.',
    );
  };

  app.get('/ws/guest', { websocket: true, schema: { hide: true }, onRequest: checkOrigin }, (socket, request) => {
    const state = { phone: socketPhoneOf(request), room: '', mine: '', isAlive: true };
    phones.set(socket, state);
    socket.on('pong', () => {
      state.isAlive = true;
    });
    socket.on('close', () => {
      phones.delete(socket);
      seats.get(request)?.();
    });
    socket.on('error', (err) => log.debug({ err }, 'guest connection error'));
    socket.on('message', () => {
      phones.delete(socket);
      socket.close(WS_CLOSE.POLICY, 'This socket only reads: the guest page acts through /api/guest');
    });
    push(socket);
  });

  return {
    open: () => phones.size,
    viewRead: (phone) => {
      // Until something changes the page shows what the daemon has; then it hears all of it.
      for (const state of phones.values()) {
        if (state.phone.id !== phone.id) continue;
        state.room = '';
        state.mine = '';
      }
    },
  };
}
