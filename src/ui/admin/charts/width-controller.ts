import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The host's content width in CSS pixels, followed with a ResizeObserver, so a chart draws at its
 * real size: its text stays at the page's font size instead of being scaled with a viewBox.
 */
export class WidthController implements ReactiveController {
  /** CSS pixels; `fallback` until the host was first laid out. */
  width: number;
  readonly #host: ReactiveControllerHost & Element;
  #observer: ResizeObserver | undefined;

  constructor(host: ReactiveControllerHost & Element, fallback = 600) {
    this.#host = host;
    this.width = fallback;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width > 0 && width !== this.width) {
        this.width = width;
        this.#host.requestUpdate();
      }
    });
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }
}
