import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from '../events.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/** The pad's words, in the language of the screen that shows it. */
export interface PinPadWords {
  readonly cancel: string;
  readonly ok: string;
  readonly clear: string;
  readonly deleteDigit: string;
  /** The keys' group, for the entry labelled `label`. */
  keys(label: string): string;
  /** How many digits the entry labelled `label` holds. */
  entered(label: string, count: number): string;
}

export const PIN_PAD_ENGLISH: PinPadWords = {
  cancel: 'Cancel',
  ok: 'OK',
  clear: 'Clear',
  deleteDigit: 'Delete last digit',
  keys: (label) => `${label} keys`,
  entered: (label, count) => `${label}: ${count} digit${count === 1 ? '' : 's'} entered`,
};

/**
 * A PIN pad with big keys: no OS keyboard needed. Shows dots, never digits.
 *
 * @summary PIN entry for touch screens.
 * @event mb-pin-submit - The PIN, when `OK` is pressed.
 * @event mb-cancel - `Cancel` was pressed.
 * @csspart key - Each key.
 */
@customElement('mb-pin-pad')
export class MbPinPad extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      gap: 0.6em;
      justify-items: center;
    }
    .dots {
      min-height: 1.2em;
      font-size: 1.4em;
      letter-spacing: 0.3em;
    }
    /* The key size is measured here, in the pad's own font size, and the keys fill their cells:
       a size in em read inside a key (its larger digits) would make keys wider than their columns. */
    .keys {
      display: grid;
      grid-template-columns: repeat(3, var(--mb-key-size, 3.6em));
      grid-auto-rows: var(--mb-key-size, 3.6em);
      gap: max(8px, 0.5em);
    }
    .keys button {
      width: 100%;
      height: 100%;
      min-width: 0;
      min-height: 0;
    }
    button {
      min-height: var(--mb-key-size, 3.6em);
      min-width: 3em;
      border: 2px solid #5d6d7e;
      border-radius: 0.5em;
      background: #1e2833;
      color: #fff;
      font: inherit;
      font-size: 1.4em;
      font-weight: 700;
      touch-action: manipulation;
    }
    button:active {
      background: #34495e;
    }
    button:disabled {
      opacity: 0.45;
    }
    button:focus-visible {
      outline: 3px solid #ffd166;
      outline-offset: 2px;
    }
    .actions {
      display: flex;
      gap: 0.6em;
    }
    .actions button {
      min-width: calc(var(--mb-key-size, 3.6em) * 1.5);
      padding: 0 1.2em;
      font-size: 1.1em;
    }
    .ok {
      background: #1b7f4d;
      border-color: #2ecc71;
    }
  `;

  /** Most digits accepted. @default 8 */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 8;
  /** Disables the keys while a sign-in is under way. @default false */
  @property({ type: Boolean }) disabled = false;
  /** Accessible label of the entry. */
  @property() label = 'PIN';
  /** Its words, in the screen's language. @default English */
  @property({ attribute: false }) words: PinPadWords = PIN_PAD_ENGLISH;
  @state() private _pin = '';

  /** Empties the entry. */
  clear(): void {
    this._pin = '';
  }

  override render() {
    const words = this.words;
    return html`
      <div class="dots" role="status" aria-label=${words.entered(this.label, this._pin.length)}>
        ${'●'.repeat(this._pin.length) || html`<span aria-hidden="true">&nbsp;</span>`}
      </div>
      <div class="keys" role="group" aria-label=${words.keys(this.label)}>
        ${KEYS.map((key) => {
          const label = key === 'clear' ? words.clear : key === 'back' ? words.deleteDigit : key;
          const text = key === 'clear' ? 'C' : key === 'back' ? '⌫' : key;
          return html`<button part="key" data-key=${key} aria-label=${label} ?disabled=${this.disabled} @click=${() => this.#press(key)}>
            ${text}
          </button>`;
        })}
      </div>
      <div class="actions">
        <button data-key="cancel" @click=${() => emit(this, 'mb-cancel', {})}>${words.cancel}</button>
        <button class="ok" data-key="ok" ?disabled=${this.disabled || this._pin.length === 0} @click=${this.#submit}>${words.ok}</button>
      </div>
    `;
  }

  #press(key: (typeof KEYS)[number]): void {
    if (key === 'clear') this._pin = '';
    else if (key === 'back') this._pin = this._pin.slice(0, -1);
    else if (this._pin.length < this.maxLength) this._pin += key;
  }

  readonly #submit = (): void => {
    emit(this, 'mb-pin-submit', { pin: this._pin });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-pin-pad': MbPinPad;
  }
}
