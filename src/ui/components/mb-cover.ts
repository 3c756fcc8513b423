import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

/**
 * A cover image, or a plain tile with the title's first letter when there is none or it fails to load.
 *
 * @summary Album cover.
 * @cssproperty --mb-cover-size - Width and height. Default 100%.
 */
@customElement('mb-cover')
export class MbCover extends LitElement {
  static override styles = css`
    :host {
      display: block;
      aspect-ratio: 1;
      width: var(--mb-cover-size, 100%);
      border-radius: 0.4em;
      overflow: hidden;
      background: #2c3e50;
    }
    img {
      width: 100%;
      height: 100%;
      object-fit: cover;
      display: block;
    }
    .letter {
      display: grid;
      place-items: center;
      width: 100%;
      height: 100%;
      font-size: 2em;
      font-weight: 800;
      color: #dfe6ee;
    }
  `;

  @property() src: string | null = null;
  @property() label = '';
  @state() private _hasFailed = false;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) this._hasFailed = false;
  }

  override render() {
    if (this.src && !this._hasFailed) {
      return html`<img src=${this.src} alt="" @error=${() => (this._hasFailed = true)} />`;
    }
    return html`<div class="letter" aria-hidden="true">${this.label.trim().charAt(0).toUpperCase() || '♪'}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-cover': MbCover;
  }
}
