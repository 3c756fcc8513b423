import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../../../kernel/clock.js';
import { MoodboxError } from '../../../kernel/errors.js';
import type { Logger } from '../../logging.js';
import type { GuestPhone } from '../../guests/guest-service.js';
import type { GuestServerMessage } from '../contract.js';
import { WS_CLOSE } from '../ws.js';
import { guestState, type GuestViewDeps } from './guest-view.js';
import { judgeGuestCall, socketPhoneOf, type GuestCallLimiter } from './guest-phone.js';

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

/**
 * `/ws/guest`: this phone's view (`{type: "guest/state", data}`) on connect and whenever it
 * changes, coalesced (`GUEST_PUSH_MS`); read-only: a message from the phone closes the socket.
 * As `/ws`: sends never wait, a slow or silent phone is dropped, another site's page is refused.
 */
export function registerGuestSocket(
  app: FastifyInstance,
  deps: GuestViewDeps & { clock: Clock; log: Logger; isLanOnly: () => boolean; limiter: GuestCallLimiter },
  options: GuestSocketOptions,
): () => number {
  const { clock, log, hub, guests } = deps;
  const phones = new Map<WebSocket, { phone: GuestPhone; last: string; isAlive: boolean }>();
  let flush: Timer | undefined;

  const send = (socket: WebSocket, text: string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + text.length > options.maxBufferedBytes) {
      phones.delete(socket);
      socket.terminate();
      return;
    }
    socket.send(text);
  };
  const push = (socket: WebSocket): void => {
    const state = phones.get(socket);
    if (state === undefined) return;
    const message: GuestServerMessage = { type: 'guest/state', data: guestState(deps, state.phone) };
    const text = JSON.stringify(message);
    if (text === state.last) return;
    state.last = text;
    send(socket, text);
  };
  const changed = (): void => {
    if (flush !== undefined || phones.size === 0) return;
    flush = clock.setTimeout(() => {
      flush = undefined;
      for (const socket of phones.keys()) push(socket);
    }, GUEST_PUSH_MS);
  };
  const offHub = hub.subscribe(changed);
  const offGuests = guests.onChanged(changed);

  let pinger: Timer | undefined;
  app.addHook('onReady', async () => {
    pinger = clock.setInterval(() => {
      for (const [socket, state] of phones) {
        if (!state.isAlive) {
          phones.delete(socket);
          socket.terminate();
          continue;
        }
        state.isAlive = false;
        socket.ping();
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

  const checkOrigin = async (request: FastifyRequest): Promise<void> => {
    const verdict = judgeGuestCall(request, deps.isLanOnly());
    if (verdict !== 'foreign') {
      // An upgrade is a guest call too: a phone or an address opening sockets in a loop is refused for a while.
      const waitS = deps.limiter.take(socketPhoneOf(request));
      if (waitS === undefined) return;
      throw new MoodboxError('MB_ERR_GUEST_TOO_FAST', `Too many taps in a minute: wait ${waitS} s and try again`);
    }
    log.warn({ origin: request.headers.origin?.slice(0, 200), ip: request.ip }, 'guest websocket from another site refused');
    throw new MoodboxError(
      'MB_ERR_HTTP_FORBIDDEN',
      'Expected the guest page of this Moodbox to open the WebSocket: the Origin is another site.',
    );
  };

  app.get('/ws/guest', { websocket: true, schema: { hide: true }, onRequest: checkOrigin }, (socket, request) => {
    const state = { phone: socketPhoneOf(request), last: '', isAlive: true };
    phones.set(socket, state);
    socket.on('pong', () => {
      state.isAlive = true;
    });
    socket.on('close', () => phones.delete(socket));
    socket.on('error', (err) => log.debug({ err }, 'guest connection error'));
    socket.on('message', () => {
      phones.delete(socket);
      socket.close(WS_CLOSE.POLICY, 'This socket only reads: the guest page acts through /api/guest');
    });
    push(socket);
  });

  return () => phones.size;
}
