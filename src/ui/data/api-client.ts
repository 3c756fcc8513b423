import type {
  ClientRequests,
  ClientRequestType,
  ErrorBody,
  ReplyMessage,
  Said,
  ServerMessage,
  StateArea,
  StateSnapshot,
} from '../../daemon/http/contract.js';
import { LinkWatch } from './link-watch.js';

/** What the screens render from: the daemon's last state, and whether the link to it is up. */
export interface ClientState {
  isOnline: boolean;
  state: StateSnapshot | null;
}

/** A failed request, HTTP or WebSocket, with the daemon's code and message (ready to show). */
export class ApiError extends Error {
  readonly code: string;
  /** The HTTP status, or 0 for WebSocket replies and network failures. */
  readonly status: number;
  /** Seconds to wait before trying again, from `Retry-After`, or null. */
  readonly retryAfterS: number | null;
  /** The daemon's message as data, for the screen to say in its reader's language (`I18n.said`), when it sent one. */
  readonly said: Said | undefined;

  constructor(code: string, message: string, status = 0, retryAfterS: number | null = null, said?: Said) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterS = retryAfterS;
    this.said = said;
  }
}

/** The part of `WebSocket` the client uses, so tests can hand in a fake socket. */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface ApiClientOptions {
  /** @default `ws(s)://<page host>/ws` */
  url?: string;
  /** @default `(url) => new WebSocket(url)` */
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay (ms); doubles up to `maxRetryMs`. @default 500 */
  retryMs?: number;
  /** @default 10000 */
  maxRetryMs?: number;
  /** How long a request waits for its reply (ms). @default 10000 */
  requestTimeoutMs?: number;
}

const OPEN = 1;

interface Pending {
  resolve: (data: unknown) => void;
  reject: (err: ApiError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The only code in the UI that knows the WebSocket wire format. Keeps one socket to the daemon,
 * applies the snapshot and each change to it, answers requests by transaction, and reconnects with
 * a growing delay when the link drops. Fires `change` whenever `snapshot` changes and `message`
 * (performance mark `mb-ws-message`) when a state message arrives.
 */
export class ApiClient extends EventTarget {
  #socket: SocketLike | undefined;
  #state: StateSnapshot | null = null;
  #seq = -1;
  #isOnline = false;
  #retryMs: number;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #isClosed = true;
  #nextTransaction = 1;
  readonly #pending = new Map<string, Pending>();
  readonly #watch = new LinkWatch(() => {
    if (this.#socket !== undefined) this.#lose(this.#socket);
  });
  readonly #url: string;
  readonly #createSocket: (url: string) => SocketLike;
  readonly #firstRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #requestTimeoutMs: number;

  constructor(options: ApiClientOptions = {}) {
    super();
    this.#url = options.url ?? defaultUrl();
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#firstRetryMs = options.retryMs ?? 500;
    this.#retryMs = this.#firstRetryMs;
    this.#maxRetryMs = options.maxRetryMs ?? 10_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  get snapshot(): ClientState {
    return { isOnline: this.#isOnline, state: this.#state };
  }

  connect(): void {
    this.#isClosed = false;
    clearTimeout(this.#retryTimer);
    const socket = this.#createSocket(this.#url);
    this.#socket = socket;
    // Watched from the start: a hung daemon may take the connection and never answer its upgrade.
    this.#watch.start();
    socket.addEventListener('open', () => {
      this.#retryMs = this.#firstRetryMs;
    });
    socket.addEventListener('message', (event) => this.#onMessage(socket, String(event.data)));
    socket.addEventListener('close', () => this.#lose(socket));
  }

  close(): void {
    this.#isClosed = true;
    this.#watch.stop();
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    this.#failPending();
    this.#setOnline(false);
  }

  /**
   * Sends `{type, transaction, data}` and resolves with the reply's `data`, typed by
   * `ClientRequests`; rejects with `ApiError`. Requests without data take `null`. `options.token`
   * (a kiosk session token) goes along as `token` for requests that act for the person signed in.
   */
  request<K extends ClientRequestType>(
    type: K,
    data: ClientRequests[K]['data'],
    options: { token?: string | null } = {},
  ): Promise<ClientRequests[K]['reply']> {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== OPEN || !this.#isOnline) {
      return Promise.reject(new ApiError('MB_ERR_OFFLINE', 'Moodbox is offline. Try again in a moment.'));
    }
    const transaction = String(this.#nextTransaction++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new ApiError('MB_ERR_TIMEOUT', 'Moodbox did not answer. Try again.'));
      }, this.#requestTimeoutMs);
      // The daemon answers each request type with its reply type (`ClientRequests`); the reply is not checked again here.
      this.#pending.set(transaction, { resolve: (value) => resolve(value as ClientRequests[K]['reply']), reject, timer });
      const token = options.token ?? undefined;
      socket.send(JSON.stringify(token === undefined ? { type, transaction, data } : { type, transaction, data, token }));
    });
  }

  #onMessage(socket: SocketLike, text: string): void {
    if (socket !== this.#socket) return;
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if ('transaction' in message) {
      this.#watch.heard();
      this.#onReply(message);
      return;
    }
    this.#watch.heard(message.type === 'link/alive' ? message.everyMs : undefined);
    if (message.type === 'link/alive') return;
    performance.mark('mb-ws-message');
    if (message.type === 'state/snapshot') {
      this.#state = message.data;
      this.#seq = message.seq;
      this.#isOnline = true;
      this.#emit();
      return;
    }
    if (this.#state === null) return;
    if (message.seq !== this.#seq + 1) {
      // A change was missed: reconnect for a fresh snapshot rather than show something stale.
      socket.close();
      return;
    }
    this.#seq = message.seq;
    const area = message.type.slice(0, message.type.indexOf('/')) as StateArea;
    this.#state = { ...this.#state, [area]: message.data };
    this.#emit();
  }

  #onReply(message: ReplyMessage): void {
    const pending = this.#pending.get(message.transaction);
    if (pending === undefined) return;
    this.#pending.delete(message.transaction);
    clearTimeout(pending.timer);
    if (message.status === 'ok') pending.resolve(message.data);
    else pending.reject(new ApiError(message.error.code, message.error.message, 0, null, message.error.said));
  }

  /** The socket closed, or went silent: the screen is offline until a fresh socket brings a snapshot. */
  #lose(socket: SocketLike): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#watch.stop();
    this.#failPending();
    this.#setOnline(false);
    if (!this.#isClosed) this.#scheduleReconnect();
    // A silent socket's close may never complete (its daemon does not answer): it is already forgotten.
    socket.close();
  }

  #failPending(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ApiError('MB_ERR_OFFLINE', 'Moodbox went offline. Try again in a moment.'));
    }
    this.#pending.clear();
  }

  #setOnline(isOnline: boolean): void {
    if (this.#isOnline === isOnline) return;
    this.#isOnline = isOnline;
    this.#emit();
  }

  #emit(): void {
    this.dispatchEvent(new Event('change'));
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.connect(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, this.#maxRetryMs);
  }
}

/** Options for one HTTP call. */
export interface HttpOptions {
  body?: unknown;
  /** A body sent as it is (a file), with its media type; instead of `body`. */
  raw?: { body: Blob; type: string };
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

/**
 * Calls the daemon's HTTP API and returns the parsed JSON body (undefined for 204). Failures throw
 * `ApiError` carrying the daemon's code and message, and `Retry-After` for 429.
 */
export async function httpJson<T>(method: string, path: string, options: HttpOptions = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined && value !== '') params.set(key, String(value));
  const url = params.size > 0 ? `${path}?${params.toString()}` : path;
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw !== undefined) headers['content-type'] = options.raw.type;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.raw !== undefined ? { body: options.raw.body } : {}),
    });
  } catch {
    throw new ApiError('MB_ERR_OFFLINE', 'Moodbox cannot be reached. Check the connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : safeParse(text);
  if (!response.ok) {
    const error = (parsed as Partial<ErrorBody> | undefined)?.error;
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(
      error?.code ?? `MB_ERR_HTTP_${response.status}`,
      error?.message ?? `The request failed (${response.status}).`,
      response.status,
      Number.isFinite(retry) && retry > 0 ? retry : null,
      error?.said,
    );
  }
  return parsed as T;
}

/**
 * Fetches a binary resource (an image) from the daemon with the page's cookies. Resolves with the
 * bytes and the response headers; failures throw `ApiError` like `httpJson`.
 */
export async function httpBlob(path: string): Promise<{ blob: Blob; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError('MB_ERR_OFFLINE', 'Moodbox cannot be reached. Check the connection and try again.');
  }
  if (!response.ok) {
    const error = (safeParse(await response.text()) as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(
      error?.code ?? `MB_ERR_HTTP_${response.status}`,
      error?.message ?? `The request failed (${response.status}).`,
      response.status,
    );
  }
  return { blob: await response.blob(), headers: response.headers };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}
