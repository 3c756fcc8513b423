import type { ListenerOwner } from '../../kernel/event-bus.js';

/**
 * The RFID reader port. A reader reports each card it reads once (debounced), and says when it is
 * missing or lost so the kiosk can offer the PIN pad instead.
 */
// A type alias, not an interface, so it fits EventBus's `Record<string, unknown>` constraint.
export type RfidReaderEvents = {
  /** A card was read: `cardId` is what the reader typed, e.g. `0004417733`. */
  cardScanned: { cardId: string };
  /** `connected`: a reader is open; `absent`: none is plugged in (retrying); `faulted`: it failed (retrying). */
  statusChanged: { status: 'connected' | 'absent' | 'faulted'; detail: string | null };
};

export interface RfidReader {
  /** Subscribes on behalf of `owner`; returns the function that unsubscribes. */
  on<K extends keyof RfidReaderEvents>(event: K, listener: (payload: RfidReaderEvents[K]) => void, owner: ListenerOwner): () => void;
}
