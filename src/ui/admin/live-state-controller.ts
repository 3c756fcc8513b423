import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import type { ApiClient } from '../data/api-client.js';

export interface LiveStateOptions {
  /** The host's live socket; read again before each update, so a socket set after connecting is followed. */
  client: () => ApiClient | null;
  /** Called after each change of the snapshot or the link, before the host re-renders. */
  onChange?: (state: StateSnapshot | null, isOnline: boolean) => void;
}

/**
 * Follows the daemon's live state for an element: listens to the socket's `change` while the host
 * is connected (and only then), re-renders the host on each change, and moves to a new socket when
 * the host is given one. The host reads `state` and `isOnline`.
 */
export class LiveStateController implements ReactiveController {
  /** The newest snapshot, or null before the first. */
  state: StateSnapshot | null = null;
  /** Whether the socket is connected and has a fresh snapshot. */
  isOnline = false;
  readonly #host: ReactiveControllerHost;
  readonly #options: LiveStateOptions;
  #client: ApiClient | null = null;
  #isConnected = false;

  constructor(host: ReactiveControllerHost, options: LiveStateOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#isConnected = true;
    this.#follow(this.#options.client());
  }

  hostDisconnected(): void {
    this.#isConnected = false;
    this.#follow(null);
  }

  hostUpdate(): void {
    if (this.#isConnected && this.#options.client() !== this.#client) this.#follow(this.#options.client());
  }

  #follow(client: ApiClient | null): void {
    if (client === this.#client) return;
    this.#client?.removeEventListener('change', this.#onChange);
    this.#client = client;
    if (client === null) return;
    client.addEventListener('change', this.#onChange);
    this.#onChange();
  }

  readonly #onChange = (): void => {
    const client = this.#client;
    if (client === null) return;
    this.state = client.snapshot.state;
    this.isOnline = client.snapshot.isOnline;
    this.#options.onChange?.(this.state, this.isOnline);
    this.#host.requestUpdate();
  };
}

/**
 * An `onChange` that calls `act` only when `key` of the snapshot differs from the last one it saw:
 * a page reloads what it shows when the part of the state it depends on changes, not on every push.
 * With `skipFirst`, the first snapshot is only remembered (the page loads on connect anyway).
 */
export function whenChanged(
  key: (state: StateSnapshot | null) => string,
  act: () => void,
  options: { skipFirst?: boolean } = {},
): (state: StateSnapshot | null) => void {
  let last = '';
  return (state) => {
    const next = key(state);
    if (next === last) return;
    const isFirst = last === '';
    last = next;
    if (!(isFirst && options.skipFirst === true)) act();
  };
}
