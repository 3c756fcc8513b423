import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from '../events.js';

const DIGITS = '1234567890';
/** The letter rows; the second and third end with the apostrophe and hyphen of names like O'Neil and Jean-Luc. */
const LETTERS = ['QWERTYUIOP', "ASDFGHJKL'", 'ZXCVBNM-'] as const;
/** The accented letters of European names, on a page of their own in place of the plain ones. */
const ACCENTS = ['ÀÁÂÄÃÅÆÇÈÉ', 'ÊËÌÍÎÏÑÒÓÔ', 'ÖÕØŒÙÚÛÜÝß'] as const;
/** Keys after which a new part of the name starts with a capital. */
const PART_BREAK = /[ '-]$/;

/** The keyboard's words, in the language of the screen that shows it. */
export interface NamePadWords {
  readonly cancel: string;
  readonly next: string;
  readonly space: string;
  readonly deleteLetter: string;
  /** The names offered for what was typed. */
  readonly suggestions: string;
  readonly apostrophe: string;
  readonly hyphen: string;
  /** The key that shows the accented letters, and the one that goes back. */
  readonly accented: string;
  readonly plain: string;
}

export const NAME_PAD_ENGLISH: NamePadWords = {
  cancel: 'Cancel',
  next: 'Next',
  space: 'Space',
  deleteLetter: 'Delete last letter',
  suggestions: 'Names that begin so',
  apostrophe: 'Apostrophe',
  hyphen: 'Hyphen',
  accented: 'ÀÉÑ: accented letters',
  plain: 'ABC: plain letters',
};

/**
 * An on-screen keyboard for a name, so the kiosk never needs the OS keyboard: digits, letters,
 * hyphen, apostrophe and space, and a page of accented letters (É, Ü, Ñ…) behind the `ÀÉÑ` key.
 *
 * @summary Name entry for touch screens.
 * Shows `suggestions` (names to tap instead of typing on) under what was typed.
 *
 * @event mb-name-submit - The name, when `Next` or a suggested name is pressed.
 * @event mb-name-input - What the entry reads, after each key.
 * @event mb-cancel - `Cancel` was pressed.
 */
@customElement('mb-name-pad')
export class MbNamePad extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      gap: 0.5em;
      justify-items: center;
    }
    output {
      display: block;
      min-width: 10em;
      min-height: 1.5em;
      padding: 0.2em 0.6em;
      border-bottom: 3px solid #ffd166;
      font-size: 1.5em;
      font-weight: 700;
      text-align: center;
    }
    .row {
      display: flex;
      gap: 0.35em;
      justify-content: center;
      width: 100%;
    }
    button {
      min-width: var(--mb-letter-size, 2.6em);
      min-height: var(--mb-letter-size, 2.6em);
      padding: 0;
      border: 2px solid #5d6d7e;
      border-radius: 0.4em;
      background: #1e2833;
      color: #fff;
      font: inherit;
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
    }
    .wide {
      padding: 0 1em;
    }
    .space {
      flex: 1;
    }
    [aria-pressed='true'] {
      border-color: #ffd166;
      color: #ffd166;
    }
    .ok {
      background: #1b7f4d;
      border-color: #2ecc71;
    }
    .suggestions {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 0.4em;
    }
    .suggestions button {
      padding: 0 1em;
      border-color: #ffd166;
      border-radius: 2em;
    }
  `;

  /** Accessible label of the entry. */
  @property() label = 'Your name';
  /** Its words, in the screen's language. @default English */
  @property({ attribute: false }) words: NamePadWords = NAME_PAD_ENGLISH;
  /** Names to offer for what was typed; tapping one submits it. */
  @property({ attribute: false }) suggestions: readonly string[] = [];
  @state() private _name = '';
  @state() private _isAccents = false;

  /** The name typed so far. */
  get value(): string {
    return this._name;
  }

  override render() {
    const rows = this._isAccents ? ACCENTS : LETTERS;
    const words = this.words;
    return html`
      <output aria-label=${this.label} aria-live="polite">${this._name || '\u00a0'}</output>
      ${
        this.suggestions.length > 0
          ? html`<div class="suggestions" role="group" aria-label=${words.suggestions}>
              ${this.suggestions.map(
                (name) => html`<button data-name=${name} @click=${() => emit(this, 'mb-name-submit', { name })}>${name}</button>`,
              )}
            </div>`
          : nothing
      }
      <div class="row">${[...DIGITS].map((key) => this.#key(key))}</div>
      ${rows.map((row) => html`<div class="row">${[...row].map((key) => this.#key(key))}</div>`)}
      <div class="row">
        <button class="wide" data-key="cancel" @click=${() => emit(this, 'mb-cancel', {})}>${words.cancel}</button>
        <button
          class="wide"
          data-key="accents"
          aria-pressed=${this._isAccents ? 'true' : 'false'}
          aria-label=${this._isAccents ? words.plain : words.accented}
          @click=${() => (this._isAccents = !this._isAccents)}
        >
          ${this._isAccents ? 'ABC' : 'ÀÉÑ'}
        </button>
        <button class="wide space" data-key="space" aria-label=${words.space} @click=${() => this.#type(' ')}>${words.space}</button>
        <button class="wide" data-key="back" aria-label=${words.deleteLetter} @click=${this.#back}>⌫</button>
        <button class="wide ok" data-key="next" ?disabled=${this._name.trim() === ''} @click=${this.#submit}>${words.next}</button>
      </div>
    `;
  }

  #key(key: string) {
    return html`<button
      data-key=${key}
      aria-label=${key === "'" ? this.words.apostrophe : key === '-' ? this.words.hyphen : key}
      @click=${() => this.#type(key)}
    >
      ${key}
    </button>`;
  }

  #type(key: string): void {
    if (this._name.length >= 64) return;
    // Names are shown as typed: a capital at the start of each part (after a space, hyphen or apostrophe), lower case after.
    const isPartStart = this._name === '' || PART_BREAK.test(this._name);
    this._name += isPartStart ? key : key.toLowerCase();
    emit(this, 'mb-name-input', { name: this._name });
  }

  readonly #back = (): void => {
    this._name = this._name.slice(0, -1);
    emit(this, 'mb-name-input', { name: this._name });
  };

  readonly #submit = (): void => {
    emit(this, 'mb-name-submit', { name: this._name.trim() });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-name-pad': MbNamePad;
  }
}
