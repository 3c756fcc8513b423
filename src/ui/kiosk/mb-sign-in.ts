import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import '../components/mb-name-pad.js';
import type { NamePadWords } from '../components/mb-name-pad.js';
import '../components/mb-pin-pad.js';
import type { MbPinPad, PinPadWords } from '../components/mb-pin-pad.js';
import type { MbEvent } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, tWith } from './kiosk-i18n.js';
import { KIOSK_BASE } from './kiosk-styles.js';

/** The on-screen keyboard's words in the kiosk's language. */
const nameWords = (): NamePadWords => ({
  cancel: t('kiosk.pad.cancel'),
  next: t('kiosk.pad.next'),
  space: t('kiosk.pad.space'),
  deleteLetter: t('kiosk.pad.deleteLetter'),
  suggestions: t('kiosk.pad.suggestions'),
  apostrophe: t('kiosk.pad.apostrophe'),
  hyphen: t('kiosk.pad.hyphen'),
  accented: t('kiosk.pad.accented'),
  plain: t('kiosk.pad.plain'),
});

/** The PIN pad's words in the kiosk's language. */
const pinWords = (): PinPadWords => ({
  cancel: t('kiosk.pad.cancel'),
  ok: t('kiosk.pad.ok'),
  clear: t('kiosk.pad.clear'),
  deleteDigit: t('kiosk.pad.deleteDigit'),
  keys: (label) => t('kiosk.pad.digitKeys', { label }),
  entered: (label, count) => t('kiosk.pad.digitsEntered', { label, count }),
});

/** How many digits a new PIN may have. */
const PIN_DIGITS = { min: 4, max: 8 } as const;
const NEW_PIN = new RegExp(`^\\d{${PIN_DIGITS.min},${PIN_DIGITS.max}}$`);

/**
 * The kiosk's sign-in panel: "tap your card" while a card reader is plugged in, or a name on the on-screen keyboard
 * then a PIN on the pad. Reports the PIN with the name; the kiosk signs in and sets `error`, and
 * `waitUntil` when the daemon asks the next try to wait: the panel then counts the seconds down
 * and keeps the pad disabled until they have run out. Changing the name ends the wait (it was for
 * that name; the daemon says so again if the kiosk itself must wait).
 *
 * With `canRegister` it also offers "New here?": a name, then a PIN typed twice; the second
 * `mb-pin-submit` goes out with `mode` set to `register`, and the kiosk creates the account.
 *
 * @summary Sign-in by card or name and PIN.
 * @event mb-pin-submit - `{pin}`; read `name` for whose PIN it is.
 * @event mb-cancel - Closed without signing in.
 */
@customElement('mb-sign-in')
export class MbSignIn extends LitElement {
  static override styles = [
    KIOSK_BASE,
    css`
      :host {
        display: grid;
        place-items: center;
        position: fixed;
        inset: 0;
        z-index: 10;
        /* Clear of the kiosk's header and footer, which stay on top. */
        padding: 2.6em 0 1.8em;
        box-sizing: border-box;
        background: rgb(6 9 13 / 0.94);
        color: #fff;
        overflow: auto;
      }
      section {
        display: grid;
        gap: 0.7em 1.5em;
        justify-items: center;
        align-items: center;
        padding: 0.8em;
      }
      .info {
        display: grid;
        gap: 0.7em;
        justify-items: center;
        text-align: center;
      }
      mb-pin-pad {
        --mb-key-size: max(48px, min(3.6em, 11vh));
      }
      mb-name-pad {
        --mb-letter-size: max(48px, min(2.6em, 8vh, 5.6vw));
      }
      @media (orientation: portrait) {
        mb-name-pad {
          --mb-letter-size: max(48px, min(3.4em, 8vw));
        }
      }
      @media (orientation: landscape) and (max-height: 700px) {
        section {
          grid-template-columns: minmax(0, 12em) auto;
          padding: 0.2em 0.8em;
        }
      }
      h2 {
        margin: 0;
        font-size: 1.4em;
      }
      .card {
        display: flex;
        align-items: center;
        gap: 0.6em;
        padding: 0.3em 0.9em;
        border: 2px dashed #ffd166;
        border-radius: 0.6em;
        color: #ffd166;
        font-weight: 700;
      }
      .card svg {
        flex: none;
        width: 1.8em;
        height: 1.8em;
      }
      .error {
        margin: 0;
        padding: 0.3em 0.8em;
        border-radius: 0.4em;
        background: #ffd7d7;
        color: #5c0000;
        font-weight: 700;
      }
      .who {
        margin: 0;
      }
      .wait {
        margin: 0;
        font-weight: 700;
        color: #ffd166;
        font-variant-numeric: tabular-nums;
      }
      .register {
        min-height: max(2.6em, 48px);
        padding: 0 1.2em;
        border: 2px solid #ffd166;
        border-radius: 2em;
        background: transparent;
        color: #ffd166;
        font: inherit;
        font-weight: 700;
      }
      .change {
        border: none;
        background: none;
        color: #ffd166;
        font: inherit;
        text-decoration: underline;
        min-height: max(2.6em, 48px);
      }
    `,
  ];

  /** The daemon's answer to the last attempt, shown above the pad. */
  @property() error: string | null = null;
  /** True while a sign-in request is under way. @default false */
  @property({ type: Boolean }) busy = false;
  /** Until when (epoch ms, `Date.now()`) the next try must wait, or null; the pad is disabled and the seconds count down. */
  @property({ attribute: false }) waitUntil: number | null = null;
  /** A card reader is plugged in: the panel asks for a card. @default false */
  @property({ type: Boolean, attribute: 'has-card-reader' }) hasCardReader = false;
  /**
   * Finds names of people who signed in here recently that begin with what was typed, offered
   * after two letters; null (the default) offers none (the admin has not turned it on).
   */
  @property({ attribute: false }) findNames: ((prefix: string) => Promise<string[]>) | null = null;
  /** Offer to create an account (the admin allows self-registration). @default false */
  @property({ type: Boolean, attribute: 'can-register' }) canRegister = false;
  /** The name entered; the PIN pad shows once it is set. */
  @state() name = '';
  /** Signing in, or creating an account. */
  @state() mode: 'sign-in' | 'register' = 'sign-in';
  /** While registering: the PIN typed the first time, to be typed again. */
  @state() private _firstPin: string | null = null;
  @state() private _waitS = 0;
  /** Names offered for what was typed so far. */
  @state() private _names: readonly string[] = [];
  @query('mb-pin-pad') private _pad!: MbPinPad | null;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('waitUntil')) this.#tick();
  }

  /** Clears the PIN after a failed attempt. */
  clearPin(): void {
    this._pad?.clear();
    this._firstPin = null;
  }

  /** Back to typing a name (a registration the daemon refused), keeping the mode and `error`. */
  startOver(): void {
    this.name = '';
    this._firstPin = null;
  }

  override render() {
    return html`<section role="dialog" aria-modal="true" aria-labelledby="title">
      <div class="info">
        <h2 id="title">${this.mode === 'register' ? t('kiosk.signInPanel.createTitle') : t('kiosk.signIn')}</h2>
        ${
          this.mode === 'sign-in' && this.hasCardReader
            ? html`<div class="card" role="note">
                <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
                  <rect x="2" y="5" width="20" height="14" rx="2" />
                  <path d="M6 15h6" />
                </svg>
                ${t('kiosk.signInPanel.card')}
              </div>`
            : nothing
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${
          this._waitS > 0
            ? html`<p class="wait" role="timer" aria-label=${t('kiosk.signInPanel.waitLabel')}>
                ${tWith('kiosk.signInPanel.wait', 'seconds', html`<span data-wait-s>${this._waitS}</span>`, { count: this._waitS })}
              </p>`
            : nothing
        }
        ${this.#renderPrompt()}
        ${
          this.mode === 'register'
            ? html`<button class="change" data-action="back-to-sign-in" @click=${() => this.#setMode('sign-in')}>
                ${t('kiosk.signInPanel.haveAccount')}
              </button>`
            : this.canRegister && this.name === ''
              ? html`<button class="register" data-action="register" @click=${() => this.#setMode('register')}>
                  ${t('kiosk.signInPanel.register')}
                </button>`
              : nothing
        }
      </div>
      ${
        this.name === ''
          ? html`<mb-name-pad
              label=${this.mode === 'register' ? t('kiosk.signInPanel.newNameLabel') : t('kiosk.signInPanel.nameLabel')}
              .suggestions=${this.mode === 'sign-in' ? this._names : []}
              .words=${nameWords()}
              @mb-name-input=${this.#onNameInput}
              @mb-name-submit=${this.#onName}
            ></mb-name-pad>`
          : html`<mb-pin-pad
              label=${this.#pinLabel()}
              .words=${pinWords()}
              ?disabled=${this.busy || this._waitS > 0}
              @mb-pin-submit=${this.#onPin}
            ></mb-pin-pad>`
      }
    </section>`;
  }

  #renderPrompt() {
    if (this.name === '')
      return html`<p class="who">${this.mode === 'register' ? t('kiosk.signInPanel.chooseName') : t('kiosk.signInPanel.typeName')}</p>`;
    if (this.mode === 'register') {
      return html`<p class="who">
        ${
          this._firstPin === null
            ? tWith('kiosk.signInPanel.choosePin', 'name', html`<strong>${this.name}</strong>`, PIN_DIGITS)
            : t('kiosk.signInPanel.pinAgain')
        }
        <button class="change" @click=${this.#changeName}>${t('kiosk.signInPanel.changeName')}</button>
      </p>`;
    }
    return html`<p class="who">
      ${tWith('kiosk.signInPanel.pinFor', 'name', html`<strong>${this.name}</strong>`)}
      <button class="change" @click=${this.#changeName}>${t('kiosk.signInPanel.notYou')}</button>
    </p>`;
  }

  #pinLabel(): string {
    const name = this.name;
    if (this.mode === 'sign-in') return t('kiosk.signInPanel.pinFor', { name });
    return this._firstPin === null ? t('kiosk.signInPanel.newPinLabel', { name }) : t('kiosk.signInPanel.newPinAgainLabel', { name });
  }

  #setMode(mode: 'sign-in' | 'register'): void {
    this.mode = mode;
    this.name = '';
    this.error = null;
    this.waitUntil = null;
    this._firstPin = null;
  }

  /** While registering, the first PIN stays here and the second must match it before the kiosk hears of them. */
  readonly #onPin = (event: MbEvent<'mb-pin-submit'>): void => {
    if (this.mode !== 'register') return;
    const { pin } = event.detail;
    if (this._firstPin === null) {
      event.stopPropagation();
      this._pad?.clear();
      if (!NEW_PIN.test(pin)) {
        this.error = t('kiosk.signInPanel.pinLength', PIN_DIGITS);
        return;
      }
      this.error = null;
      this._firstPin = pin;
    } else if (pin !== this._firstPin) {
      event.stopPropagation();
      this._pad?.clear();
      this._firstPin = null;
      this.error = t('kiosk.signInPanel.pinsDiffer');
    }
  };

  /** After two letters, asks for the names that begin so; an answer for what is no longer typed is dropped. */
  readonly #onNameInput = async (event: MbEvent<'mb-name-input'>): Promise<void> => {
    const typed = event.detail.name;
    if (this.findNames === null || typed.trim().length < 2) {
      this._names = [];
      return;
    }
    try {
      const names = await this.findNames(typed);
      if (this.#typed() === typed) this._names = names;
    } catch {
      this._names = [];
    }
  };

  /** What the name pad reads now. */
  #typed(): string {
    return this.renderRoot.querySelector('mb-name-pad')?.value ?? '';
  }

  readonly #onName = (event: MbEvent<'mb-name-submit'>): void => {
    event.stopPropagation();
    this.name = event.detail.name;
    this._names = [];
    this.error = null;
  };

  readonly #changeName = (): void => {
    this.name = '';
    this._firstPin = null;
    this.error = null;
    this.waitUntil = null;
  };

  /** Sets the seconds left from `waitUntil`, and ticks while any are left. */
  readonly #tick = (): void => {
    const leftMs = this.waitUntil === null ? 0 : this.waitUntil - Date.now();
    this._waitS = Math.max(0, Math.ceil(leftMs / 1000));
    if (this._waitS > 0) {
      // A quarter second, so the shown number changes within 250 ms of the real second.
      this.#ticker ??= setInterval(this.#tick, 250);
    } else {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-sign-in': MbSignIn;
  }
}
