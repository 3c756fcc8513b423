import { Backoff } from '../../kernel/backoff.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { EventBus, type ListenerOwner } from '../../kernel/event-bus.js';
import { noReaderLine } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Log } from '../../kernel/log.js';
import { HidCardDecoder } from './decode-hid-report.js';
import type { RfidReader, RfidReaderEvents } from './rfid-reader.js';

/** What the adapter needs of node-hid; `NODE_HID` below is the real one. */
export interface HidBackend {
  devices(): Promise<Array<{ vendorId: number; productId: number; path?: string | undefined; product?: string | undefined }>>;
  open(path: string): Promise<HidHandle>;
}

export interface HidHandle {
  on(event: 'data', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): Promise<void>;
}

export interface HidRfidReaderOptions {
  /** USB vendor:product IDs of accepted readers, e.g. `08ff:0009`. */
  devices: readonly string[];
  /** First wait before looking for a reader again (ms); doubles up to `maxRetryMs`. @default 1000 */
  retryMs?: number;
  /** @default 30000 */
  maxRetryMs?: number;
}

/**
 * Reads a keyboard-emulating RFID reader through hidraw (node-hid), so the digits never reach the
 * kiosk browser. Looks for the reader at start and again with backoff when it is unplugged or fails.
 */
export class HidRfidReader implements RfidReader, Service {
  readonly name = 'rfid';
  readonly #backend: HidBackend;
  readonly #clock: Clock;
  readonly #ids: Set<string>;
  readonly #log: Pick<Log, 'error'>;
  readonly #bus = new EventBus<RfidReaderEvents>((err, event, owner) =>
    this.#log.error({ err, event, owner }, 'an RFID reader listener failed'),
  );
  readonly #decoder = new HidCardDecoder();
  readonly #backoff: Backoff;
  #handle: HidHandle | undefined;
  #retry: Timer | undefined;
  #isStopped = false;
  #status: RfidReaderEvents['statusChanged'] = { status: 'absent', detail: null };

  constructor(deps: { backend: HidBackend; clock: Clock; log: Pick<Log, 'error'> }, options: HidRfidReaderOptions) {
    this.#backend = deps.backend;
    this.#log = deps.log;
    this.#clock = deps.clock;
    this.#ids = new Set(options.devices.map((d) => d.toLowerCase()));
    this.#backoff = new Backoff({ firstMs: options.retryMs ?? 1000, maxMs: options.maxRetryMs ?? 30_000 });
  }

  on<K extends keyof RfidReaderEvents>(event: K, listener: (payload: RfidReaderEvents[K]) => void, owner: ListenerOwner): () => void {
    return this.#bus.on(event, listener, owner);
  }

  /** Starts looking for the reader; never fails for want of one (the kiosk still has the PIN pad). */
  async start(): Promise<void> {
    this.#isStopped = false;
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    this.#retry?.cancel();
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => {});
  }

  health(): ServiceHealth {
    switch (this.#status.status) {
      case 'connected':
        return { status: 'ready' };
      case 'absent':
        // A reader is optional: without one, people sign in with their PIN.
        return { status: 'ready', ...noReaderLine() };
      case 'faulted':
        return { status: 'degraded', detail: this.#status.detail ?? 'the RFID reader failed' };
    }
  }

  async #connect(): Promise<void> {
    if (this.#isStopped) return;
    try {
      const found = (await this.#backend.devices()).find((d) => d.path !== undefined && this.#ids.has(hex(d.vendorId, d.productId)));
      if (found?.path === undefined) {
        this.#setStatus('absent', 'no RFID reader plugged in');
        this.#scheduleRetry();
        return;
      }
      const handle = await this.#backend.open(found.path);
      this.#handle = handle;
      this.#backoff.reset();
      handle.on('data', (data) => {
        const cardId = this.#decoder.push(data, this.#clock.monotonic());
        if (cardId !== undefined) this.#bus.emit('cardScanned', { cardId });
      });
      handle.on('error', (err) => {
        if (this.#handle !== handle) return;
        this.#handle = undefined;
        void handle.close().catch(() => {});
        this.#setStatus('faulted', `RFID reader lost: ${err.message}`);
        this.#scheduleRetry();
      });
      this.#setStatus('connected', found.product ?? hex(found.vendorId, found.productId));
    } catch (err) {
      this.#setStatus('faulted', `cannot open the RFID reader: ${(err as Error).message}`);
      this.#scheduleRetry();
    }
  }

  #scheduleRetry(): void {
    if (this.#isStopped) return;
    this.#retry?.cancel();
    this.#retry = this.#clock.setTimeout(() => void this.#connect(), this.#backoff.fail());
  }

  #setStatus(status: RfidReaderEvents['statusChanged']['status'], detail: string | null): void {
    if (this.#status.status === status && this.#status.detail === detail) return;
    this.#status = { status, detail };
    this.#bus.emit('statusChanged', this.#status);
  }
}

const hex = (vendorId: number, productId: number): string =>
  `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;

/** node-hid, imported only when a reader is configured. */
export async function nodeHidBackend(): Promise<HidBackend> {
  const hid = await import('node-hid');
  return {
    devices: () => hid.devicesAsync(),
    open: async (path) => {
      const device = await hid.HIDAsync.open(path);
      return device;
    },
  };
}
