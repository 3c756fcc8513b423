import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AuditEntry } from '../data/admin-api.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t } from './admin-i18n.js';
import { ADMIN_STYLES, formatTime } from './admin-styles.js';
import { auditWords } from './audit-words.js';
import { PageLoader } from './page-loader.js';

const PAGE = 50;

/**
 * The audit log: who did what, newest first, paged; each entry in a sentence with its details as
 * named fields (people by name, not by account number).
 *
 * @summary Admin audit log.
 */
@customElement('mb-admin-audit')
export class MbAdminAudit extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.1em 0.6em;
        margin: 0;
      }
      dt {
        color: #4b5563;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _items: AuditEntry[] = [];
  @state() private _total = 0;
  /** The page asked for. */
  #asked = 0;
  /** Where the rows shown begin: the offset of the page loaded. */
  @state() private _offset = 0;
  /** Account names by id, to name who did what. */
  @state() private _names: ReadonlyMap<number, string> = new Map();
  readonly #loader = new PageLoader(this, async () => {
    const asked = this.#asked;
    const [page, users] = await Promise.all([this.api.audit(PAGE, asked), this.api.users()]);
    this._items = page.items;
    this._total = page.total;
    this._offset = asked;
    this._names = new Map(users.map((u) => [u.id, u.name]));
  });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    return html`<h2>${t('admin.audit.title')}</h2>
      ${this.#loader.status()}
      ${
        this.#loader.isLoaded
          ? html`<table class="cards">
                <thead>
                  <tr>
                    <th scope="col">${t('admin.audit.when')}</th>
                    <th scope="col">${t('admin.audit.who')}</th>
                    <th scope="col">${t('admin.audit.what')}</th>
                    <th scope="col">${t('admin.audit.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this._items.map((e) => {
                    const words = auditWords(e, this._names);
                    return html`<tr data-action=${e.action}>
                      <td data-cell="when">${formatTime(e.at)}</td>
                      <td data-cell="who" data-label=${t('admin.audit.who')}>${words.who}</td>
                      <td data-cell="what"><strong>${words.what}</strong></td>
                      <td data-cell="details">
                        ${
                          words.details.length === 0
                            ? nothing
                            : html`<dl>
                                ${words.details.map(
                                  ([name, value]) =>
                                    html`<dt>${name}</dt>
                                      <dd>${value}</dd>`,
                                )}
                              </dl>`
                        }
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
              ${this._items.length === 0 && this.#loader.isLoaded ? html`<p class="muted">${t('admin.audit.nothingYet')}</p>` : ''}
              <div class="pager">
                <button class="secondary" ?disabled=${this._offset === 0} @click=${() => this.#page(-PAGE)}>
                  ${t('admin.audit.newer')}
                </button>
                <span
                  >${t('admin.audit.pageRange', {
                    first: this._offset + 1,
                    last: Math.min(this._offset + PAGE, this._total),
                    total: this._total,
                  })}</span
                >
                <button class="secondary" ?disabled=${this._offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>
                  ${t('admin.audit.older')}
                </button>
              </div>`
          : nothing
      }`;
  }

  #page(delta: number): void {
    this.#asked = Math.max(0, this.#asked + delta);
    void this.#loader.reload();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-audit': MbAdminAudit;
  }
}
