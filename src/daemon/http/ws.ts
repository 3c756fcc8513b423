import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import type { Said } from '../../kernel/said.js';
import type { Logger } from '../logging.js';
import { viewerOf, type StateViewer } from './access.js';
import type { ClientRequests, LinkAlive, ReplyMessage, StateArea } from './contract.js';
import { jsonLimitProblem, MAX_JSON_DEPTH, type JsonLimits } from './json-limits.js';
import { isLoopbackAddress, judgeOrigin, type OriginVerdict } from './origin.js';
import { guestArea, guestMessage, stateFor, type StateView } from './public-state.js';
import type { ClientRequestSpec } from './schemas/client-requests.js';
import type { ScreenState } from './state-hub.js';
import { JsonTextError, parseJson } from '../../kernel/json.js';

/** The credentials a request carries: the token it sent and the screen it comes from. */
export interface WsCredentials {
  /** The kiosk session token sent as `token` beside `type`, if any; not checked yet. */
  token: string | undefined;
  /** True for the kiosk's own screen: a page of this daemon opened on this machine under a loopback name. */
  isKioskScreen: boolean;
  /**
   * True while the socket sees the whole state (`stateViews`: the box itself, or an admin signed in):
   * only then may a refusal say whether, and who, is signed in at the kiosk.
   */
  canSeeWho: boolean;
}

/** A person a request may act for. */
export interface WsPerson {
  id: number;
  name: string;
}

/** The screen connection a request came on. */
export interface WsConnection {
  /** Counts up from 1 for each connection since the server started. */
  id: number;
  /** The address it comes from (the connection's own, never a forwarded header). */
  address: string;
  /** True when it comes from the box itself (a loopback address): where the kiosk's own screen runs. */
  isOnBox: boolean;
}

/** What a handler knows about the request beyond its data. */
export interface WsContext extends WsCredentials {
  connection: WsConnection;
  /** The `Origin` of the page that opened the socket, always this daemon's own; undefined for a client that sent none. */
  origin: string | undefined;
  /**
   * The person signed in at the kiosk, when this request may act for them; null when nobody is
   * signed in. Throws `MB_ERR_AUTH_REQUIRED` when someone is and the request has no credential for
   * them. `what` completes "Sign in on this screen to …".
   */
  actingFor(what: string): WsPerson | null;
  /** What this socket may see of the state now (`stateViews`). */
  view(): StateView;
}

/** For each request type (`area/action`), the data it sends and the data its reply carries. */
export type RequestMap<R> = { [K in keyof R]: { data: unknown; reply: unknown } };

/**
 * Answers one kind of client request. It runs only with data its schema accepted. Throwing a
 * `MoodboxError` replies with its code; any other error replies `MB_ERR_INTERNAL`. Only read-only
 * requests reach a handler from a socket without an Origin; every other handler runs for pages of
 * this daemon only, and MUST check `context` (`actingFor`) before it acts for a person.
 */
export type WsHandler<Data, Reply> = (data: Data, context: WsContext) => Promise<Reply>;

/** A handler for every request of the map, typed by it. */
export type WsHandlers<R extends RequestMap<R> = ClientRequests> = { readonly [K in keyof R]: WsHandler<R[K]['data'], R[K]['reply']> };

/** How much of refused data a refusal quotes back (characters). */
const QUOTE_CHARS = 200;

/**
 * What one message from a client may be: the largest the kiosk sends (preferences with 100 artists)
 * is a few KiB. A message past these is not parsed: the socket is closed with a reason.
 */
export const WS_MESSAGE_LIMITS: JsonLimits = { maxDepth: MAX_JSON_DEPTH, maxBytes: 32 * 1024 };

/** WebSocket close codes (RFC 6455 section 7.4.1). */
export const WS_CLOSE = { UNSUPPORTED: 1003, POLICY: 1008, TOO_BIG: 1009 } as const;

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
 * The `/ws` endpoint: the state snapshot on connect, then every change, as each socket may see it
 * (`viewOf`: the box and an admin all of it, any other device the guest view). Each message is
 * serialized once per view for all clients. The guest view has a sequence of its own (`seq`): a
 * change that leaves it as it was is not sent to it, so that a guest cannot tell when something it
 * may not see changed (a sign-in or a sign-out at the kiosk, one face more in view). A slow or dead client never blocks the daemon: sends never wait, a client
 * whose buffer passes the limit or who misses a pong is terminated. The upgrade is refused (403)
 * to a page of another site (`judgeOrigin`); a client without an Origin may only send requests
 * marked `isReadOnly`. Each request's data is checked against its schema (`specs`) here, once,
 * before its handler runs.
 */
export function registerWs<R extends RequestMap<R>>(
  app: FastifyInstance,
  deps: {
    hub: ScreenState;
    clock: Clock;
    log: Logger;
    /** The requests clients may send, with their data schemas. */
    specs: { readonly [K in keyof R]: ClientRequestSpec };
    handlers: WsHandlers<R>;
    /** Decides who a request acts for (`WsContext.actingFor`). */
    actingFor: (credentials: WsCredentials, what: string) => WsPerson | null;
    /** What a socket may see of the state (`stateViews`), asked again for each message. */
    viewOf: (viewer: StateViewer) => StateView;
    /** Told when a connection ends, however it ends. */
    onClose?: (connection: WsConnection) => void;
  },
  options: WsOptions,
): () => WsStats {
  const { hub, clock, log } = deps;
  const requests = new Map(
    Object.keys(deps.specs).map((type) => {
      const spec: ClientRequestSpec = deps.specs[type as keyof R];
      // The one place data meets its handler: the check below has made it the handler's type.
      const handle = deps.handlers[type as keyof R] as WsHandler<unknown, unknown>;
      return [type, { spec, validator: Compile(spec.data), handle }] as const;
    }),
  );
  const clients = new Map<WebSocket, { isAlive: boolean; viewer: StateViewer }>();
  let dropped = 0;
  let connections = 0;

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

  // The guest view's sequence, and what it was last sent of each area (JSON), from the state now.
  const start = hub.snapshot();
  let guestSeq = start.seq;
  const guestSent = new Map<StateArea, string>();
  const guestLast = (area: StateArea): string => guestSent.get(area) ?? JSON.stringify(guestArea(area, start.data[area]));

  const unsubscribe = hub.subscribe((message) => {
    const area = message.type.slice(0, -'/changed'.length) as StateArea;
    const guest = guestMessage(message);
    const guestData = JSON.stringify(guest.data);
    const isGuestChange = guestData !== guestLast(area);
    if (isGuestChange) {
      guestSent.set(area, guestData);
      guestSeq += 1;
    }
    if (clients.size === 0) return;
    const texts: Partial<Record<StateView, string>> = {};
    for (const [socket, { viewer }] of clients) {
      const view = deps.viewOf(viewer);
      if (view === 'guest' && !isGuestChange) continue;
      send(socket, (texts[view] ??= JSON.stringify(view === 'all' ? message : { ...guest, seq: guestSeq })));
    }
  }, 'screen socket');

  let pinger: Timer | undefined;
  app.addHook('onReady', async () => {
    const alive = JSON.stringify({ type: 'link/alive', everyMs: options.pingIntervalMs } satisfies LinkAlive);
    pinger = clock.setInterval(() => {
      for (const [socket, state] of clients) {
        if (!state.isAlive) {
          drop(socket, 'no pong');
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
    unsubscribe();
    for (const socket of clients.keys()) socket.close(1001, 'server shutting down');
    clients.clear();
  });

  // A page of another site is refused before the upgrade: it can neither read the state nor send
  // anything. (An address off the LAN is refused before this, by the `screens` access zone the
  // socket is registered in.)
  const checkOrigin = async (request: FastifyRequest): Promise<void> => {
    if (verdictOf(request) !== 'foreign') return;
    log.warn({ origin: request.headers.origin?.slice(0, 200), ip: request.ip }, 'websocket from another site refused');
    throw new MoodboxError('MB_ERR_HTTP_FORBIDDEN', 'Expected a page of this Moodbox to open the WebSocket: the Origin is another site.');
  };

  app.get('/ws', { websocket: true, schema: { hide: true }, onRequest: checkOrigin }, (socket, request) => {
    const verdict = verdictOf(request);
    const origin = verdict === 'none' ? undefined : request.headers.origin;
    const isKioskScreen = verdict === 'kiosk';
    const remoteAddress = (request.raw as { socket?: { remoteAddress?: string } }).socket?.remoteAddress ?? '';
    const connection: WsConnection = { id: ++connections, address: remoteAddress, isOnBox: isLoopbackAddress(remoteAddress) };
    // Read now: the connection's address is gone from its socket once it closes.
    const viewer = viewerOf(request);
    const state = { isAlive: true, viewer };
    clients.set(socket, state);
    log.debug({ clients: clients.size }, 'ui connected');
    socket.on('pong', () => {
      state.isAlive = true;
    });
    socket.on('close', () => {
      clients.delete(socket);
      deps.onClose?.(connection);
    });
    socket.on('error', (err) => {
      log.debug({ err }, 'ui connection error');
    });
    // Replies go out in the order the requests came, also when an earlier one takes longer. The
    // chain never rejects: a failure is logged and the next request is answered all the same.
    let replies = Promise.resolve();
    let isRefused = false;
    const refuse = (code: number, why: string): void => {
      isRefused = true;
      clients.delete(socket);
      log.warn({ ip: request.ip, code, why }, 'websocket message refused; connection closed');
      // A close reason is at most 123 bytes.
      socket.close(code, Buffer.from(why).subarray(0, 123).toString('utf8'));
    };
    socket.on('message', (raw, isBinary) => {
      if (isRefused) return;
      state.isAlive = true;
      if (isBinary) return refuse(WS_CLOSE.UNSUPPORTED, 'Expected text messages of JSON');
      const bytes = Buffer.isBuffer(raw) ? raw : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]);
      const problem = jsonLimitProblem(bytes, WS_MESSAGE_LIMITS);
      if (problem !== undefined) return refuse(problem.kind === 'size' ? WS_CLOSE.TOO_BIG : WS_CLOSE.POLICY, problem.message);
      const text = bytes.toString('utf8');
      replies = replies
        .then(() => answer(text, { origin, isKioskScreen, connection, viewer }))
        .then((reply) => send(socket, JSON.stringify(reply)))
        .catch((err: unknown) => log.error({ err }, 'ui request could not be answered'));
    });
    const { seq, data } = hub.snapshot();
    const view = deps.viewOf(viewer);
    send(socket, JSON.stringify({ type: 'state/snapshot', seq: view === 'all' ? seq : guestSeq, data: stateFor(view, data) }));
  });

  async function answer(
    text: string,
    socket: { origin: string | undefined; isKioskScreen: boolean; connection: WsConnection; viewer: StateViewer },
  ): Promise<ReplyMessage> {
    const { origin, isKioskScreen, connection, viewer } = socket;
    let message: unknown;
    try {
      message = parseJson(text);
    } catch (err) {
      // Refused whole, its transaction unread: a key that reaches a prototype is said as such.
      const why = err instanceof JsonTextError && /prototype/.test(err.message) ? `: ${err.message}` : '';
      return errorReply('error', '', 'MB_ERR_HTTP_BAD_REQUEST', `Expected a JSON message${why}`);
    }
    if (!isMessage(message)) {
      return errorReply('error', '', 'MB_ERR_HTTP_BAD_REQUEST', 'Expected a message like {"type": "area/action", "transaction": "1"}');
    }
    const { type } = message;
    const transaction = typeof message.transaction === 'string' ? message.transaction : '';
    const request = requests.get(type);
    if (request === undefined) {
      return errorReply(type, transaction, 'MB_ERR_HTTP_NOT_FOUND', `Unknown message type \`${type}\``);
    }
    if (origin === undefined && request.spec.isReadOnly !== true) {
      return errorReply(
        type,
        transaction,
        'MB_ERR_HTTP_FORBIDDEN',
        `This connection can only read: \`${type}\` needs a socket opened by a Moodbox page (with its Origin)`,
      );
    }
    const data = message.data ?? null;
    if (!request.validator.Check(data)) {
      const got = JSON.stringify(message.data)?.slice(0, QUOTE_CHARS) ?? 'nothing';
      return errorReply(
        type,
        transaction,
        'MB_ERR_HTTP_BAD_REQUEST',
        `Expected ${request.spec.expected}, got ${got}${problemOf(request.validator.Errors(data))}`,
      );
    }
    const credentials: WsCredentials = {
      token: typeof message.token === 'string' && message.token !== '' ? message.token : undefined,
      isKioskScreen,
      canSeeWho: deps.viewOf(viewer) === 'all',
    };
    const context: WsContext = {
      ...credentials,
      origin,
      connection,
      actingFor: (what) => deps.actingFor(credentials, what),
      view: () => deps.viewOf(viewer),
    };
    try {
      const reply = await request.handle(data, context);
      return { type, transaction, status: 'ok', data: reply ?? null };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('MB_ERR_')) {
        return errorReply(type, transaction, code, (err as Error).message, err instanceof MoodboxError ? err.said : undefined);
      }
      log.error({ err, type }, 'ui request failed');
      return errorReply(type, transaction, 'MB_ERR_INTERNAL', 'Internal error');
    }
  }

  return () => ({ clients: clients.size, dropped });
}

function verdictOf(request: FastifyRequest): OriginVerdict {
  const raw = request.raw as { socket?: { remoteAddress?: string; localPort?: number } };
  return judgeOrigin({
    origin: request.headers.origin,
    host: request.headers.host,
    remoteAddress: raw.socket?.remoteAddress,
    localPort: raw.socket?.localPort,
  });
}

/** A message as it arrives, before its type is known. */
interface RawMessage {
  type: string;
  transaction?: unknown;
  data?: unknown;
  token?: unknown;
}

function isMessage(message: unknown): message is RawMessage {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}

/**
 * The most telling problem with refused data, as " (data.trackId: must be integer)"; empty when the
 * data as a whole has the wrong type (the expected example says it all).
 */
function problemOf(errors: TLocalizedValidationError[]): string {
  // A union reports each branch and an `anyOf`; a closed object reports the stray field as `boolean` too.
  // The deepest problem tells most; at one depth, a wrong field more than the branch of another type.
  const rank = (e: TLocalizedValidationError): number => 2 * e.instancePath.length + (e.keyword === 'type' ? 0 : 1);
  const best = errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'boolean')
    .reduce<TLocalizedValidationError | undefined>((top, e) => (top === undefined || rank(e) > rank(top) ? e : top), undefined);
  if (best === undefined || (best.instancePath === '' && best.keyword === 'type')) return '';
  const field = ['data', ...best.instancePath.split('/').filter(Boolean)].join('.');
  const extra = (best.params as { additionalProperties?: unknown }).additionalProperties;
  return ` (${field}: ${best.message}${Array.isArray(extra) ? ` \`${extra.join('`, `')}\`` : ''})`;
}

function errorReply(type: string, transaction: string, code: string, message: string, said?: Said): ReplyMessage {
  return { type, transaction, status: 'error', error: { code, message, ...(said === undefined ? {} : { said }) } };
}
