import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The countdown of "tap a card now": the seconds left while a page waits for a card on the reader,
 * redrawn on the host as they pass. The wait itself (the daemon's capture, its cancel) stays with
 * the page; this only counts.
 */
export class CaptureCountdown implements ReactiveController {
  /** Seconds left; null when not waiting. */
  leftS: number | null = null;
  readonly #host: ReactiveControllerHost;
  readonly #seconds: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** `seconds`: how long the page waits for a card. */
  constructor(host: ReactiveControllerHost, seconds: number) {
    this.#host = host;
    this.#seconds = seconds;
    host.addController(this);
  }

  /** Starts from the whole wait (again, when already counting). */
  start(): void {
    const endsAt = Date.now() + this.#seconds * 1000;
    this.#show(this.#seconds);
    clearInterval(this.#timer);
    // A quarter second, so the number shown changes within 250 ms of the real second.
    this.#timer = setInterval(() => {
      this.#show(Math.max(0, Math.ceil((endsAt - Date.now()) / 1000)));
    }, 250);
  }

  /** Stops counting: not waiting any more. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#show(null);
  }

  /** The page is gone: its countdown stops with it. */
  hostDisconnected(): void {
    this.stop();
  }

  #show(leftS: number | null): void {
    if (leftS === this.leftS) return;
    this.leftS = leftS;
    this.#host.requestUpdate();
  }
}
