import { EventBus, type ListenerOwner } from '../../kernel/event-bus.js';
import type { Log } from '../../kernel/log.js';
import type { ServerMessage, StateArea, StateSnapshot } from './contract.js';

type AreaMessage = Exclude<ServerMessage, { type: 'state/snapshot' } | { type: 'link/alive' } | { transaction: string }>;

/** The screens' state as the routes and the WebSocket read it: they never write it (the state projector does). */
export type ScreenState = Pick<StateHub, 'snapshot' | 'subscribe' | 'seq'>;

/**
 * Holds the state snapshot the UIs render from, and announces each change as one typed message.
 * `seq` grows by one with every change, so a UI can tell it missed nothing.
 */
export class StateHub {
  #snapshot: StateSnapshot;
  #seq = 0;
  readonly #bus: EventBus<{ message: AreaMessage }>;

  constructor(initial: StateSnapshot, deps: { log: Pick<Log, 'error'> }) {
    this.#snapshot = initial;
    this.#bus = new EventBus((err, event, owner) => deps.log.error({ err, event, owner }, 'a screen state listener failed'));
  }

  snapshot(): { seq: number; data: StateSnapshot } {
    return { seq: this.#seq, data: this.#snapshot };
  }

  /** Replaces one area of the state and announces it. Unchanged values are not announced. */
  update<A extends StateArea>(area: A, value: StateSnapshot[A]): void {
    if (JSON.stringify(this.#snapshot[area]) === JSON.stringify(value)) return;
    this.#snapshot = { ...this.#snapshot, [area]: value };
    this.#seq += 1;
    this.#bus.emit('message', { type: `${area}/changed`, seq: this.#seq, data: value } as AreaMessage);
  }

  /** Subscribes to change messages on behalf of `owner`; returns the function that unsubscribes. */
  subscribe(listener: (message: AreaMessage) => void, owner: ListenerOwner): () => void {
    return this.#bus.on('message', listener, owner);
  }

  get seq(): number {
    return this.#seq;
  }
}
