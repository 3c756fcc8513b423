import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { create } from 'qrcode';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t } from './kiosk-i18n.js';

/** Empty modules around the code, as the QR standard asks, so a phone finds its edges. */
const QUIET = 4;

/** The QR code's modules as one SVG path of 1x1 squares, row by row (runs of dark modules joined). */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  let d = '';
  for (let y = 0; y < n; y++) {
    let run = 0;
    for (let x = 0; x <= n; x++) {
      if (x < n && modules.data[y * n + x] === 1) {
        run += 1;
        continue;
      }
      if (run > 0) d += `M${x - run + QUIET} ${y + QUIET}h${run}v1h-${run}z`;
      run = 0;
    }
  }
  return { size: n + QUIET * 2, d };
}

/**
 * The guest page's QR code: a phone in the room scans it to open `/guest` and ask for a song, like
 * it or vote. Drawn as SVG (dark on white, whatever the screen's colours, so every phone reads it).
 * `large` for the attract screen, with its line under it; `card` beside the music while people are in
 * view, captioned "Ask for a song" (its size is the kiosk's: 230 px or more, or half the screen's
 * height for the tables); small otherwise.
 * Nothing when `url` is null (guests are off, or phones cannot reach the box). While the kiosk's
 * link to the box is down (`offline`), a phone that scanned it would reach nothing: the code's place
 * stays, blank and dimmed, with no code in it, until the link is back.
 *
 * @summary The QR code that opens the guest page.
 * @csspart code - The white square with the code.
 */
@customElement('mb-guest-qr')
export class MbGuestQr extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
    }
    :host([hidden]) {
      display: none;
    }
    figure {
      display: grid;
      justify-items: center;
      gap: 0.4em;
      margin: 0;
    }
    svg {
      display: block;
      width: var(--mb-qr-size, 3.2em);
      height: var(--mb-qr-size, 3.2em);
      border-radius: 0.3em;
    }
    figcaption {
      max-width: 14em;
      font-weight: 700;
      text-align: center;
    }
    /* The card beside the music: white, so the code reads on any screen, its caption in the card. */
    /* No margin around the code: its own quiet zone is white. */
    :host([card]) figure {
      gap: 0;
      padding: 0 0 0.45em;
      border-radius: 0.8em;
      background: #fff;
      color: #0b1016;
      box-shadow: 0 0.5em 1.6em rgb(0 0 0 / 0.5);
    }
    :host([card]) svg {
      border-radius: 0;
    }
    /* Offline: the place of the code, blank and dimmed, so nothing on the screen moves. */
    :host([offline]) figure {
      opacity: 0.3;
    }
    :host([offline]) figcaption {
      visibility: hidden;
    }
    :host([card]) figcaption {
      font-size: max(16px, 1em);
      font-weight: 800;
      line-height: 1.2;
    }
  `;

  /** The guest page's address; null hides the code. */
  @property() url: string | null = null;
  /** The attract screen's large code, with its line. */
  @property({ type: Boolean, reflect: true }) large = false;
  /** A card beside the music while people are in view: the code large enough to scan from a table's edge, captioned "Ask for a song". */
  @property({ type: Boolean, reflect: true }) card = false;
  /** The kiosk's link to the box is down: no code to scan, its place kept blank. */
  @property({ type: Boolean, reflect: true }) offline = false;

  #drawn: { url: string; size: number; d: string } | null = null;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    const url = this.url;
    if (url === null || url === '') return nothing;
    if (this.#drawn?.url !== url) this.#drawn = { url, ...qrPath(url) };
    const { size, d } = this.#drawn;
    if (this.offline) {
      return html`<figure aria-hidden="true" data-offline>
        <svg part="code" viewBox="0 0 ${size} ${size}" aria-hidden="true"><rect width=${size} height=${size} fill="#fff" /></svg>
        ${this.#caption()}
      </figure>`;
    }
    return html`<figure role="img" aria-label=${t('kiosk.qrLabel')} data-url=${url}>
      <svg part="code" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" aria-hidden="true">
        <rect width=${size} height=${size} fill="#fff" />
        <path d=${d} fill="#000" />
      </svg>
      ${this.#caption()}
    </figure>`;
  }

  #caption() {
    return this.card
      ? html`<figcaption aria-hidden="true">${t('kiosk.qrShort')}</figcaption>`
      : this.large
        ? html`<figcaption aria-hidden="true">${t('kiosk.qrLong')}</figcaption>`
        : nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-guest-qr': MbGuestQr;
  }
}
