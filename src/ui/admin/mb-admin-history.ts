import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type AdminApi, type HistoryFilter, type Play, playsToCsv } from '../data/admin-api.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';

const PAGE = 50;
const REASONS = ['mood', 'tap', 'skip', 'like'] as const;
const DAY_MS = 86_400_000;

/**
 * Play history with filters (mood, reason, person, dates), paging and a CSV export of every match.
 *
 * @summary Admin play history.
 */
@customElement('mb-admin-history')
export class MbAdminHistory extends LitElement {
  static override styles = ADMIN_STYLES;

  @property({ attribute: false }) api!: AdminApi;
  @state() private _items: Play[] = [];
  @state() private _total = 0;
  @state() private _filter: HistoryFilter = { limit: PAGE, offset: 0 };
  @state() private _error = '';
  @state() private _isExporting = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      const page = await this.api.history(this._filter);
      this._items = page.items;
      this._total = page.total;
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    const { offset } = this._filter;
    return html`<h2>History</h2>
      <form class="row" aria-label="Filter the history" @submit=${this.#apply}>
        <label>Mood <input name="mood" maxlength="32" autocomplete="off" /></label>
        <label
          >Reason
          <select name="reason">
            <option value="">Any</option>
            ${REASONS.map((r) => html`<option value=${r}>${r}</option>`)}
          </select>
        </label>
        <label>Person ID <input name="userId" type="number" min="1" /></label>
        <label>From <input name="from" type="date" /></label>
        <label>To <input name="to" type="date" /></label>
        <button type="submit">Apply</button>
        <button type="button" class="secondary" ?disabled=${this._isExporting || this._total === 0} @click=${this.#export}>
          ${this._isExporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </form>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ''}
      <table>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Track</th>
            <th scope="col">Person</th>
            <th scope="col">Reason</th>
            <th scope="col">Mood</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          ${this._items.map(
            (p) =>
              html`<tr>
                <td>${formatTime(p.startedAt)}</td>
                <td>${p.trackId ?? '—'}</td>
                <td>${p.userId ?? 'guest'}</td>
                <td>${p.reason}</td>
                <td>${p.mood ?? ''}</td>
                <td>${p.outcome ?? 'playing'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${this._items.length === 0 && !this._error ? html`<p class="muted">No plays match.</p>` : ''}
      <div class="pager">
        <button class="secondary" ?disabled=${offset === 0} @click=${() => this.#page(-PAGE)}>Newer</button>
        <span>${this._total === 0 ? '0' : `${offset + 1}–${Math.min(offset + PAGE, this._total)}`} of ${this._total}</span>
        <button class="secondary" ?disabled=${offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>Older</button>
      </div>`;
  }

  readonly #apply = (event: Event): void => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (key: string): string => field(data, key).trim();
    const day = (key: string): number | undefined => (text(key) ? Date.parse(`${text(key)}T00:00:00`) : undefined);
    const to = day('to');
    const filter: HistoryFilter = { limit: PAGE, offset: 0 };
    if (text('mood')) filter.mood = text('mood').toLowerCase();
    const reason = REASONS.find((r) => r === text('reason'));
    if (reason) filter.reason = reason;
    if (text('userId')) filter.userId = Number(text('userId'));
    const from = day('from');
    if (from !== undefined) filter.from = from;
    if (to !== undefined) filter.to = to + DAY_MS;
    this._filter = filter;
    void this.#load();
  };

  #page(delta: number): void {
    this._filter = { ...this._filter, offset: Math.max(0, this._filter.offset + delta) };
    void this.#load();
  }

  readonly #export = async (): Promise<void> => {
    this._isExporting = true;
    try {
      const all: Play[] = [];
      for (let offset = 0; offset < 100_000; offset += 1000) {
        const page = await this.api.history({ ...this._filter, limit: 1000, offset });
        all.push(...page.items);
        if (page.items.length === 0 || all.length >= page.total) break;
      }
      const url = URL.createObjectURL(new Blob([playsToCsv(all)], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `moodbox-history-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isExporting = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-history': MbAdminHistory;
  }
}
