import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AuditEntry } from '../data/admin-api.js';
import { ADMIN_STYLES, formatTime, messageOf } from './admin-styles.js';

const PAGE = 50;

/**
 * The audit log: who did what, newest first, paged.
 *
 * @summary Admin audit log.
 */
@customElement('mb-admin-audit')
export class MbAdminAudit extends LitElement {
  static override styles = ADMIN_STYLES;

  @property({ attribute: false }) api!: AdminApi;
  @state() private _items: AuditEntry[] = [];
  @state() private _total = 0;
  @state() private _offset = 0;
  @state() private _error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      const page = await this.api.audit(PAGE, this._offset);
      this._items = page.items;
      this._total = page.total;
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    return html`<h2>Audit log</h2>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ''}
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          ${this._items.map(
            (e) =>
              html`<tr>
                <td>${formatTime(e.at)}</td>
                <td>${e.actor}</td>
                <td>${e.action}</td>
                <td>${e.target}</td>
                <td><code>${JSON.stringify(e.detail)}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${this._items.length === 0 && !this._error ? html`<p class="muted">Nothing logged yet.</p>` : ''}
      <div class="pager">
        <button class="secondary" ?disabled=${this._offset === 0} @click=${() => this.#page(-PAGE)}>Newer</button>
        <span>${this._total === 0 ? '0' : `${this._offset + 1}–${Math.min(this._offset + PAGE, this._total)}`} of ${this._total}</span>
        <button class="secondary" ?disabled=${this._offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>Older</button>
      </div>`;
  }

  #page(delta: number): void {
    this._offset = Math.max(0, this._offset + delta);
    void this.#load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-audit': MbAdminAudit;
  }
}
