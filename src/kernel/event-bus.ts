/**
 * Who subscribed: a service (its instance, named by its class in the logs) or a name. A service
 * passes itself when it subscribes and calls `removeListeners(this)` when it stops.
 */
export type ListenerOwner = object | string;

/** The name logs give an owner: its class for an instance, the string itself otherwise. */
export function ownerName(owner: ListenerOwner): string {
  if (typeof owner === 'string') return owner;
  return (owner.constructor as { name?: string } | undefined)?.name || 'anonymous';
}

type Listener = { fn: (payload: never) => unknown; owner: ListenerOwner };

/** Told of a listener that threw or whose promise rejected: the error, the event and the owner's name. */
export type ListenerErrorReporter<Events> = (err: unknown, event: keyof Events, owner: string) => void;

/**
 * A typed, synchronous event bus. Listeners must not throw; a throwing listener, or an async one
 * whose promise rejects, is reported to `onListenerError` with the event and the listener's
 * owner, and the others still run. Every listener has an owner, so whoever subscribed can always
 * end it with `removeListeners(owner)`.
 */
export class EventBus<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();
  readonly #onListenerError: ListenerErrorReporter<Events>;

  constructor(onListenerError: ListenerErrorReporter<Events>) {
    this.#onListenerError = onListenerError;
  }

  /**
   * Subscribes to `event` on behalf of `owner` (a service passes `this`); returns the function that
   * unsubscribes this one listener. An async listener may be given: its rejection is reported like
   * a throw.
   */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => unknown, owner: ListenerOwner): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const entry: Listener = { fn: listener, owner };
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Unsubscribes every listener `owner` subscribed, from every event; returns how many. */
  removeListeners(owner: ListenerOwner): number {
    let removed = 0;
    for (const set of this.#listeners.values()) {
      for (const entry of set) {
        if (entry.owner === owner) {
          set.delete(entry);
          removed += 1;
        }
      }
    }
    return removed;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const { fn, owner } of [...set]) {
      try {
        const result = (fn as (payload: Events[K]) => unknown)(payload);
        if (result instanceof Promise) result.catch((err: unknown) => this.#onListenerError(err, event, ownerName(owner)));
      } catch (err) {
        this.#onListenerError(err, event, ownerName(owner));
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
