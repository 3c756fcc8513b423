import { EventBus } from '../../kernel/event-bus.js';
import type { RfidReader, RfidReaderEvents } from '../rfid/rfid-reader.js';

/** A card reader without hardware: a test plugs it in, unplugs it and taps cards on it. */
export class FakeRfidReader implements RfidReader {
  readonly #bus = new EventBus<RfidReaderEvents>();

  on<K extends keyof RfidReaderEvents>(event: K, listener: (payload: RfidReaderEvents[K]) => void): () => void {
    return this.#bus.on(event, listener);
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
