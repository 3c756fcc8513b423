import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../kernel/clock.js';
import type { Logger } from '../logging.js';
import type { ClientMessage, ReplyMessage } from './contract.js';
import type { StateHub } from './state-hub.js';

/** Answers one kind of client request (`area/action`), at once or with a promise. Throwing a `MoodboxError` replies with its code. */
export type WsHandler = (data: unknown) => unknown;

export interface WsOptions {
  /** A client whose unsent data passes this is disconnected (bytes). */
  maxBufferedBytes: number;
  /** Ping period; a client that has not answered the previous ping is disconnected (ms). */
  pingIntervalMs: number;
}

export interface WsStats {
  clients: number;
  dropped: number;
}

/**
 * The `/ws` endpoint: the state snapshot on connect, then every change. Each message is serialized
 * once for all clients. A slow or dead client never blocks the daemon: sends never wait, a client
 * whose buffer passes the limit or who misses a pong is terminated.
 */
export function registerWs(
  app: FastifyInstance,
  deps: { hub: StateHub; clock: Clock; log: Logger; handlers?: Readonly<Record<string, WsHandler>> },
  options: WsOptions,
): () => WsStats {
  const { hub, clock, log } = deps;
  const handlers: Readonly<Record<string, WsHandler>> = { 'state/get': () => hub.snapshot().data, ...deps.handlers };
  const clients = new Map<WebSocket, { isAlive: boolean }>();
  let dropped = 0;

  const drop = (socket: WebSocket, why: string): void => {
    if (!clients.delete(socket)) return;
    dropped += 1;
    log.warn({ why, clients: clients.size }, 'ui connection dropped');
    socket.terminate();
  };

  const send = (socket: WebSocket, text: string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + text.length > options.maxBufferedBytes) {
      drop(socket, 'send buffer full');
      return;
    }
    socket.send(text);
  };

  const unsubscribe = hub.subscribe((message) => {
    if (clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const socket of clients.keys()) send(socket, text);
  });

  let pinger: Timer | undefined;
  app.addHook('onReady', async () => {
    pinger = clock.setInterval(() => {
      for (const [socket, state] of clients) {
        if (!state.isAlive) {
          drop(socket, 'no pong');
          continue;
        }
        state.isAlive = false;
        socket.ping();
      }
    }, options.pingIntervalMs);
  });
  app.addHook('onClose', async () => {
    pinger?.cancel();
    unsubscribe();
    for (const socket of clients.keys()) socket.close(1001, 'server shutting down');
    clients.clear();
  });

  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket) => {
    const state = { isAlive: true };
    clients.set(socket, state);
    log.debug({ clients: clients.size }, 'ui connected');
    socket.on('pong', () => {
      state.isAlive = true;
    });
    socket.on('close', () => {
      clients.delete(socket);
    });
    socket.on('error', (err) => {
      log.debug({ err }, 'ui connection error');
    });
    // Replies go out in the order the requests came, also when an earlier one takes longer.
    let replies = Promise.resolve();
    socket.on('message', (raw) => {
      state.isAlive = true;
      const text = (raw as Buffer).toString('utf8');
      replies = replies.then(() => answer(text)).then((reply) => send(socket, JSON.stringify(reply)));
    });
    const { seq, data } = hub.snapshot();
    send(socket, JSON.stringify({ type: 'state/snapshot', seq, data }));
  });

  async function answer(text: string): Promise<ReplyMessage> {
    let message: ClientMessage;
    try {
      message = JSON.parse(text) as ClientMessage;
    } catch {
      return errorReply('error', '', 'MB_ERR_HTTP_BAD_REQUEST', 'Expected a JSON message');
    }
    if (typeof message !== 'object' || message === null || typeof message.type !== 'string') {
      return errorReply('error', '', 'MB_ERR_HTTP_BAD_REQUEST', 'Expected a message like {"type": "area/action", "transaction": "1"}');
    }
    const transaction = typeof message.transaction === 'string' ? message.transaction : '';
    const handler = Object.hasOwn(handlers, message.type) ? handlers[message.type] : undefined;
    if (handler === undefined) {
      return errorReply(message.type, transaction, 'MB_ERR_HTTP_NOT_FOUND', `Unknown message type \`${message.type}\``);
    }
    try {
      return { type: message.type, transaction, status: 'ok', data: (await handler(message.data)) ?? null };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('MB_ERR_'))
        return errorReply(message.type, transaction, code, (err as Error).message);
      log.error({ err, type: message.type }, 'ui request failed');
      return errorReply(message.type, transaction, 'MB_ERR_INTERNAL', 'Internal error');
    }
  }

  return () => ({ clients: clients.size, dropped });
}

function errorReply(type: string, transaction: string, code: string, message: string): ReplyMessage {
  return { type, transaction, status: 'error', error: { code, message } };
}
