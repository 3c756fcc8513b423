import { EventBus, type ListenerOwner } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import type { RfidReader, RfidReaderEvents } from '../rfid/rfid-reader.js';

/** A card reader without hardware: a test plugs it in, unplugs it and taps cards on it. */
export class FakeRfidReader implements RfidReader {
  readonly #bus = new EventBus<RfidReaderEvents>(throwingReporter);

  on<K extends keyof RfidReaderEvents>(event: K, listener: (payload: RfidReaderEvents[K]) => void, owner: ListenerOwner): () => void {
    return this.#bus.on(event, listener, owner);
  }

  /** A reader is plugged in and opened. */
  plugIn(): void {
    this.#bus.emit('statusChanged', { status: 'connected', detail: null });
  }

  /** The reader is unplugged. */
  unplug(): void {
    this.#bus.emit('statusChanged', { status: 'absent', detail: null });
  }

  /** A card is tapped on the reader. */
  emitCard(cardId: string): void {
    this.#bus.emit('cardScanned', { cardId });
  }
}
