import type { Mat } from '@u4/opencv4nodejs';
import { CameraError } from '../errors.js';
import { EventBus, type ListenerOwner } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import type { Frame, FrameSource, SourceStatus } from '../frame-source.js';

/**
 * The simplest complete frame source: the test hands it frames with `push`, and makes it fail with
 * `lose` (reported `unavailable`, as a camera unplugged) or end with `end`.
 */
export class FakeFrameSource implements FrameSource {
  readonly description = 'fake';
  readonly #bus = new EventBus<{ status: SourceStatus }>(throwingReporter);
  readonly #queue: Array<Frame | 'end'> = [];
  #wake: (() => void) | undefined;
  #index = 0;
  #isOpen = false;

  /** How many frames were pushed but not yet taken. */
  get pending(): number {
    return this.#queue.length;
  }

  onStatus(listener: (status: SourceStatus) => void, owner: ListenerOwner): () => void {
    return this.#bus.on('status', listener, owner);
  }

  /** Queues a copy of `image` (the receiver owns and releases it), read at `at` (ms). Opens the source first if it is not open. */
  push(image: Mat, at: number): void {
    if (!this.#isOpen) {
      this.#isOpen = true;
      this.#bus.emit('status', { state: 'open', width: image.cols, height: image.rows, fps: 0 });
    }
    this.#queue.push({ image: image.copy(), index: this.#index++, at });
    this.#wake?.();
  }

  /** Reports the source lost; the next `push` reopens it. */
  lose(reason = 'unplugged'): void {
    this.#isOpen = false;
    this.#bus.emit('status', { state: 'unavailable', reason, error: new CameraError('MB_ERR_CAMERA_LOST', reason), retryInMs: 1000 });
  }

  /** Ends the iteration once the queued frames are taken. */
  end(): void {
    this.#queue.push('end');
    this.#wake?.();
  }

  async *frames(signal: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    this.#isOpen = false;
    const onAbort = (): void => this.#wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const next = this.#queue.shift();
        if (next === 'end') {
          this.#bus.emit('status', { state: 'ended' });
          return;
        }
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
