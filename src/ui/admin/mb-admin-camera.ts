import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { moodLook } from '../components/mb-mood-face.js';
import type { AdminApi, CameraState, MoodState } from '../data/admin-api.js';
import { ApiError, type ApiClient } from '../data/api-client.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';

/** How often the preview is fetched while the page is open and visible (ms). */
const REFRESH_MS = 1000;

const CAMERA_TEXT: Record<CameraState['status'], string> = {
  on: 'on',
  starting: 'starting',
  off: 'off',
  unavailable: 'unavailable, retrying',
};

/**
 * The live camera view: the daemon's newest preview (the whole frame blurred, so that no one can
 * be recognised), fetched about once a second while the page is open and the tab visible, with the
 * camera status and the room mood from the live link. When the daemon keeps no preview, the reason
 * it gives is shown instead.
 *
 * @summary Admin live camera view.
 */
@customElement('mb-admin-camera')
export class MbAdminCamera extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      figure {
        margin: 0;
        max-width: 40em;
      }
      img {
        display: block;
        width: 100%;
        height: auto;
        border-radius: 0.4em;
        background: #111820;
      }
      figcaption {
        margin-top: 0.3em;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _url: string | null = null;
  @state() private _capturedAt: number | null = null;
  @state() private _message = '';
  @state() private _isError = false;
  @state() private _camera: CameraState | null = null;
  @state() private _mood: MoodState | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #isConnected = false;

  readonly #onLive = (): void => {
    this._camera = this.live?.snapshot.state?.camera ?? null;
    this._mood = this.live?.snapshot.state?.mood ?? null;
  };

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#schedule(0);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.#isConnected = true;
    this.live?.addEventListener('change', this.#onLive);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#onLive();
    this.#schedule(0);
  }

  override disconnectedCallback(): void {
    this.#isConnected = false;
    clearTimeout(this.#timer);
    this.live?.removeEventListener('change', this.#onLive);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#setFrame(null, null);
    super.disconnectedCallback();
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#refresh(), ms);
  }

  /** One fetch at a time: the next one is scheduled when this one has answered. */
  async #refresh(): Promise<void> {
    if (!this.#isConnected || document.visibilityState === 'hidden') return;
    try {
      const preview = await this.api.cameraPreview();
      if (!this.#isConnected) {
        URL.revokeObjectURL(preview.url);
        return;
      }
      this.#setFrame(preview.url, preview.capturedAt);
      this._message = '';
      this._isError = false;
    } catch (err) {
      this.#setFrame(null, null);
      this._message = messageOf(err);
      // 404 is the daemon saying why there is no preview; anything else is a failure.
      this._isError = !(err instanceof ApiError && err.status === 404);
    }
    if (this.#isConnected) this.#schedule(REFRESH_MS);
  }

  #setFrame(url: string | null, capturedAt: number | null): void {
    if (this._url !== null) URL.revokeObjectURL(this._url);
    this._url = url;
    this._capturedAt = capturedAt;
  }

  #renderMood() {
    const mood = this._mood;
    if (this._camera?.status !== 'on' || mood === null || mood.current === null) return nothing;
    return html`<p data-mood=${mood.current}>
      Room: <strong>${moodLook(mood.current).label}</strong> (${Math.round(mood.confidence * 100)}%) · ${mood.faces}
      face${mood.faces === 1 ? '' : 's'}${mood.why ? html` · <span class="muted">${mood.why}</span>` : nothing}
    </p>`;
  }

  override render() {
    const camera = this._camera;
    const taken = this._capturedAt === null ? '' : new Date(this._capturedAt).toLocaleTimeString();
    return html`<h2>Camera</h2>
      <p>
        Camera: <strong data-camera=${camera?.status ?? 'unknown'}>${camera === null ? 'unknown' : CAMERA_TEXT[camera.status]}</strong>${
          camera?.detail ? html` · <span class="muted">${camera.detail}</span>` : nothing
        }
      </p>
      ${this.#renderMood()}
      ${
        this._url === null
          ? html`<p class="card ${this._isError ? 'error' : ''}" role="status" data-state="no-preview">
              ${this._message || 'Loading the live view…'}
            </p>`
          : html`<figure data-state="preview">
              <img src=${this._url} alt="Live camera view, blurred${taken ? `, taken at ${taken}` : ''}" />
              <figcaption class="muted">
                Blurred on the box so that no one can be recognised; nothing is recorded. ${taken ? `Taken at ${taken}.` : ''}
              </figcaption>
            </figure>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-camera': MbAdminCamera;
  }
}
