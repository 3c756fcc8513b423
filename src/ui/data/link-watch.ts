/** How many of the daemon's periods may pass without a word before the link counts as lost. */
export const SILENT_PERIODS = 3;

/** The period assumed until the daemon's first `link/alive` says its own (its default `ws.pingIntervalMs`). */
export const DEFAULT_ALIVE_MS = 5000;

/**
 * Tells a screen that its socket is open but the daemon no longer answers. A daemon that hangs (its
 * process stopped, its event loop stuck) keeps its sockets open, so no `close` ever comes: the
 * daemon says `link/alive` every period, and a screen that hears nothing at all for
 * `SILENT_PERIODS` of its own checks (between two and three periods of silence) calls `onLost`,
 * once, and drops the socket for a fresh one.
 */
export class LinkWatch {
  #everyMs = DEFAULT_ALIVE_MS;
  #silentChecks = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #onLost: () => void;

  constructor(onLost: () => void) {
    this.#onLost = onLost;
  }

  /** Starts watching a newly opened socket. */
  start(): void {
    this.stop();
    this.#silentChecks = 0;
    this.#timer = setInterval(() => this.#check(), this.#everyMs);
  }

  /** Any message from the daemon; `everyMs` when it says its period. */
  heard(everyMs?: number): void {
    this.#silentChecks = 0;
    if (everyMs === undefined || everyMs === this.#everyMs || !(everyMs > 0) || this.#timer === undefined) return;
    this.#everyMs = everyMs;
    this.start();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    this.#silentChecks += 1;
    if (this.#silentChecks < SILENT_PERIODS) return;
    this.stop();
    this.#onLost();
  }
}
