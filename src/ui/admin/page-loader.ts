import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { t } from './admin-i18n.js';
import { messageOf } from './admin-styles.js';

/**
 * What an admin page shows, loaded when the page connects and again on `reload()`, with the
 * load's state said the same way on every page: "Loading…" until the first answer, and a failed
 * load in plain words with a "Try again" button (`status()`). The page keeps what it loaded in
 * its own state (the `load` function assigns it); errors of the page's own actions (a save, a
 * removal) stay beside what was done.
 */
export class PageLoader implements ReactiveController {
  /** Why the last load failed, or '' when it did not. */
  error = '';
  /** Whether a load has succeeded since the page connected. */
  isLoaded = false;
  /** Whether a load is under way. */
  isLoading = false;
  readonly #host: ReactiveControllerHost;
  readonly #load: () => Promise<void>;
  /** Only the latest load's outcome counts (a page turned twice quickly). */
  #generation = 0;

  /** `load` fetches and assigns what the page shows; it throws to say the load failed. */
  constructor(host: ReactiveControllerHost, load: () => Promise<void>) {
    this.#host = host;
    this.#load = load;
    host.addController(this);
  }

  hostConnected(): void {
    void this.reload();
  }

  /** Loads again; resolves true when this load succeeded (and is still the latest one). */
  async reload(): Promise<boolean> {
    const generation = ++this.#generation;
    this.isLoading = true;
    this.#host.requestUpdate();
    try {
      await this.#load();
      if (generation !== this.#generation) return false;
      this.error = '';
      this.isLoaded = true;
      return true;
    } catch (err) {
      if (generation === this.#generation) this.error = messageOf(err);
      return false;
    } finally {
      if (generation === this.#generation) this.isLoading = false;
      this.#host.requestUpdate();
    }
  }

  /** The failed load with a "Try again" button, "Loading…" (or `loading`) before the first answer, else nothing. */
  status(loading = t('admin.page.loading')) {
    if (this.error !== '') {
      return html`<div class="load-error" role="alert" data-load-error>
        <p class="error">${t('admin.page.loadFailed', { error: this.error })}</p>
        <button type="button" class="secondary" ?disabled=${this.isLoading} @click=${() => void this.reload()}>
          ${t('admin.page.tryAgain')}
        </button>
      </div>`;
    }
    if (!this.isLoaded) return html`<p class="muted" role="status">${loading}</p>`;
    return nothing;
  }
}
