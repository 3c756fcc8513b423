import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { ApiClient } from '../data/api-client.js';

const MOOD_LOOK: Record<string, { icon: string; colour: string; label: string }> = {
  happy: { icon: '😊', colour: '#f7b32b', label: 'Happy' },
  upbeat: { icon: '😊', colour: '#f7b32b', label: 'Upbeat' },
  calm: { icon: '😌', colour: '#5fb49c', label: 'Calm' },
  neutral: { icon: '😐', colour: '#8aa1b1', label: 'Neutral' },
  sad: { icon: '😔', colour: '#5b7db1', label: 'Sad' },
  mellow: { icon: '😔', colour: '#5b7db1', label: 'Mellow' },
  angry: { icon: '😠', colour: '#d1495b', label: 'Tense' },
  surprise: { icon: '😮', colour: '#c77dff', label: 'Surprised' },
  energetic: { icon: '⚡', colour: '#c77dff', label: 'Energetic' },
  nobody: { icon: '🌙', colour: '#44546a', label: 'Nobody here' },
};

/**
 * The kiosk screen: the room mood, what plays, the camera indicator and privacy notice at all
 * times. Renders only from the daemon's pushed state.
 *
 * @summary The touchscreen kiosk.
 */
@customElement('mb-kiosk')
export class MbKiosk extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: auto 1fr auto;
      height: 100vh;
      background: #10151c;
      color: #f4f6f8;
      font:
        400 clamp(16px, 2.4vmin, 28px) / 1.35 system-ui,
        sans-serif;
    }
    header,
    footer {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1em;
      padding: 0.6em 1em;
      background: #0a0e13;
    }
    .camera {
      display: inline-flex;
      align-items: center;
      gap: 0.5em;
      font-weight: 600;
    }
    .dot {
      width: 0.8em;
      height: 0.8em;
      border-radius: 50%;
      background: #7a8794;
    }
    .camera[data-status='on'] .dot {
      background: #e63946;
    }
    main {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 1em;
      padding: 1em;
      align-items: center;
    }
    .mood {
      text-align: center;
    }
    .mood .icon {
      font-size: 5em;
      line-height: 1.1;
    }
    .mood .label {
      font-size: 2em;
      font-weight: 700;
    }
    .now h2 {
      margin: 0 0 0.3em;
      font-size: 0.9em;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: #b8c4cf;
    }
    .now .title {
      font-size: 1.6em;
      font-weight: 700;
    }
    .banner {
      position: fixed;
      inset: auto 0 4em 0;
      margin: auto;
      width: fit-content;
      padding: 0.6em 1.2em;
      border-radius: 0.5em;
      background: #f4f6f8;
      color: #10151c;
      font-weight: 700;
    }
    footer {
      font-size: 0.8em;
      color: #b8c4cf;
    }
  `;

  @state() private _state: StateSnapshot | null = null;
  @state() private _isOnline = false;
  readonly #client = new ApiClient();
  readonly #onChange = (): void => {
    const { state: next, isOnline } = this.#client.snapshot;
    this._state = next;
    this._isOnline = isOnline;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.#client.addEventListener('change', this.#onChange);
    this.#client.connect();
  }

  override disconnectedCallback(): void {
    this.#client.removeEventListener('change', this.#onChange);
    this.#client.close();
    super.disconnectedCallback();
  }

  override render() {
    const s = this._state;
    const camera = s?.camera.status ?? 'off';
    const cameraText = { on: 'Camera on', starting: 'Camera starting', off: 'Camera off', unavailable: 'Camera unavailable' }[camera];
    const mood = s?.mood.current ?? null;
    const look = mood === null ? undefined : (MOOD_LOOK[mood] ?? { icon: '🎵', colour: '#8aa1b1', label: mood });
    const now = s?.player.nowPlaying ?? null;
    return html`
      <header>
        <span class="camera" data-status=${camera} role="status" aria-live="polite"
          ><span class="dot" aria-hidden="true"></span>${cameraText}</span
        >
        <strong>Moodbox${s?.demo ? ' · demo' : ''}</strong>
      </header>
      <main>
        <section class="mood" aria-label="Room mood" style=${look ? `color: ${look.colour}` : ''}>
          ${
            look
              ? html`<div class="icon" aria-hidden="true">${look.icon}</div>
                  <div class="label">${look.label}</div>
                  ${s?.mood.why ? html`<p>${s.mood.why}</p>` : nothing}`
              : html`<div class="label">Reading the room…</div>`
          }
        </section>
        <section class="now" aria-label="Now playing">
          <h2>Now playing</h2>
          ${
            now
              ? html`<div class="title">${now.title}</div>
                  <div>${now.artist}</div>`
              : html`<div class="title">Nothing yet</div>`
          }
          ${s?.player.next ? html`<p>Next: ${s.player.next.title} · ${s.player.next.artist}</p>` : nothing}
        </section>
      </main>
      <footer>
        <span>The camera reads expressions to choose music. Nothing is recorded or sent anywhere.</span>
      </footer>
      ${this._isOnline ? nothing : html`<div class="banner" role="alert">Offline: reconnecting to Moodbox…</div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-kiosk': MbKiosk;
  }
}
