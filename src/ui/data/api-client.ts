import type { ServerMessage, StateSnapshot } from '../../daemon/http/contract.js';

/** What the screens render from: the daemon's last state, and whether the link to it is up. */
export interface ClientState {
  isOnline: boolean;
  state: StateSnapshot | null;
}

/**
 * The only code in the UI that knows the wire format. Keeps one WebSocket to the daemon, applies
 * the snapshot and each change to it, and reconnects with a growing delay when the link drops.
 */
export class ApiClient extends EventTarget {
  #socket: WebSocket | undefined;
  #state: StateSnapshot | null = null;
  #seq = -1;
  #isOnline = false;
  #retryMs = 500;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #isClosed = false;
  readonly #url: string;

  constructor(url: string = defaultUrl()) {
    super();
    this.#url = url;
  }

  get snapshot(): ClientState {
    return { isOnline: this.#isOnline, state: this.#state };
  }

  connect(): void {
    this.#isClosed = false;
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#retryMs = 500;
    });
    socket.addEventListener('message', (event) => this.#onMessage(String(event.data)));
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#setOnline(false);
      if (!this.#isClosed) this.#scheduleReconnect();
    });
  }

  close(): void {
    this.#isClosed = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as ServerMessage;
    if ('transaction' in message) return;
    if (message.type === 'state/snapshot') {
      this.#state = message.data;
      this.#seq = message.seq;
      this.#setOnline(true);
      return;
    }
    if (this.#state === null) return;
    if (message.seq !== this.#seq + 1) {
      // A change was missed: reconnect for a fresh snapshot rather than show something stale.
      this.#socket?.close();
      return;
    }
    this.#seq = message.seq;
    const area = message.type.slice(0, message.type.indexOf('/')) as keyof StateSnapshot;
    this.#state = { ...this.#state, [area]: message.data };
    this.#emit();
  }

  #setOnline(isOnline: boolean): void {
    this.#isOnline = isOnline;
    this.#emit();
  }

  #emit(): void {
    this.dispatchEvent(new Event('change'));
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.connect(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
  }
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}
