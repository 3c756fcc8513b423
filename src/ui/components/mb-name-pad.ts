import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from '../events.js';

const ROWS = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'] as const;

/**
 * An on-screen keyboard for a name, so the kiosk never needs the OS keyboard.
 *
 * @summary Name entry for touch screens.
 * @event mb-name-submit - The name, when `Next` is pressed.
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
    }
    button {
      min-width: var(--mb-letter-size, 2.6em);
      min-height: var(--mb-letter-size, 2.6em);
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
    .ok {
      background: #1b7f4d;
      border-color: #2ecc71;
    }
  `;

  /** Accessible label of the entry. */
  @property() label = 'Your name';
  @state() private _name = '';

  override render() {
    return html`
      <output aria-label=${this.label} aria-live="polite">${this._name || '\u00a0'}</output>
      ${ROWS.map(
        (row) =>
          html`<div class="row">
            ${[...row].map((letter) => html`<button data-key=${letter} @click=${() => this.#type(letter)}>${letter}</button>`)}
          </div>`,
      )}
      <div class="row">
        <button class="wide" data-key="cancel" @click=${() => emit(this, 'mb-cancel', {})}>Cancel</button>
        <button class="wide" data-key="space" aria-label="Space" @click=${() => this.#type(' ')}>Space</button>
        <button class="wide" data-key="back" aria-label="Delete last letter" @click=${this.#back}>⌫</button>
        <button class="wide ok" data-key="next" ?disabled=${this._name.trim() === ''} @click=${this.#submit}>Next</button>
      </div>
    `;
  }

  #type(letter: string): void {
    if (this._name.length >= 64) return;
    // Names are shown as typed: capital first letter of each word, lower case after.
    const isWordStart = this._name === '' || this._name.endsWith(' ');
    this._name += isWordStart ? letter : letter.toLowerCase();
  }

  readonly #back = (): void => {
    this._name = this._name.slice(0, -1);
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
