import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type AdminApi, type AdminUser, type AuditEntry, type HistoryFilter, type HistoryPlay, playsToCsv } from '../data/admin-api.js';
import type { MoodHoldRequest } from '../../daemon/http/contract.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, moodName, t, type AdminKey } from './admin-i18n.js';
import { STAFF_EMOTIONS } from './admin-moods.js';
import { PageLoader } from './page-loader.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';

const PAGE = 50;
const REASONS = ['mood', 'tap', 'skip', 'like', 'staff', 'guest'] as const;
const REASON_LABELS: Record<(typeof REASONS)[number], AdminKey> = {
  mood: 'admin.history.reasons.mood',
  tap: 'admin.history.reasons.tap',
  skip: 'admin.history.reasons.skip',
  like: 'admin.history.reasons.like',
  staff: 'admin.history.reasons.staff',
  guest: 'admin.history.reasons.guest',
};
/** How a play ended, in words: a song the music changed because the room's mood changed is not a skip. */
const OUTCOME_LABELS: Record<NonNullable<HistoryPlay['outcome']>, AdminKey> = {
  completed: 'admin.history.outcomes.completed',
  skipped: 'admin.history.outcomes.skipped',
  switched: 'admin.history.outcomes.switched',
  failed: 'admin.history.outcomes.failed',
  interrupted: 'admin.history.outcomes.interrupted',
};
/**
 * The moods a play is recorded with: the room's when it started (or the mood staff held then), and
 * "nobody here"; in the order staff think of them.
 */
const PLAY_MOODS: ReadonlyArray<MoodHoldRequest['label'] | 'nobody'> = [...STAFF_EMOTIONS, 'nobody'];
const DAY_MS = 86_400_000;
/** How many of the newest mood holds and releases the page reads to tell a held mood from the room's. */
const HOLDS_READ = 500;
/** No audit lines: what staff read of the holds, the audit being an admin's. */
const NO_LINES: { items: AuditEntry[]; total: number } = { items: [], total: 0 };

/** When staff held the music's mood: [from, to) in epoch ms, from the audit log's holds and releases. */
export function holdSpans(holds: readonly AuditEntry[], releases: readonly AuditEntry[]): Array<[number, number]> {
  const ends = releases.map((r) => r.at).sort((a, b) => a - b);
  return holds.map((h) => {
    const until = typeof h.detail['until'] === 'number' ? h.detail['until'] : h.at;
    const released = ends.find((at) => at >= h.at && at < until);
    // A later hold replaces an earlier one: the earlier ends where the later begins.
    const replaced = holds.map((o) => o.at).filter((at) => at > h.at && at < until);
    return [h.at, Math.min(until, released ?? until, ...replaced)];
  });
}

/**
 * Play history with filters (the room's mood, chosen from a list, reason, person by name, dates),
 * paging and a CSV export of every match. Each play shows its track's title and artist and the
 * person's name.
 *
 * @summary Admin play history.
 */
@customElement('mb-admin-history')
export class MbAdminHistory extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      .field-error {
        margin: 0;
        max-width: 16em;
        font-weight: 600;
        color: #991b1b;
      }
      input[aria-invalid='true'] {
        border-color: #b91c1c;
        outline: 2px solid #b91c1c;
      }
      td .artist {
        display: block;
        color: #4b5563;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _items: HistoryPlay[] = [];
  @state() private _total = 0;
  /** Where the rows shown begin: the offset of the page loaded, not of the one asked for. */
  @state() private _shownOffset = 0;
  @state() private _filter: HistoryFilter = { limit: PAGE, offset: 0 };
  @state() private _error = '';
  @state() private _status = '';
  @state() private _isExporting = false;
  @state() private _people: AdminUser[] = [];
  /** When staff held the mood: a play for "the mood" then played for the mood staff held, not the room's. */
  @state() private _holds: Array<[number, number]> = [];
  /** The From and To fields as typed (`YYYY-MM-DD`), checked against each other as they change. */
  @state() private _from = '';
  @state() private _to = '';

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  readonly #loader = new PageLoader(this, async () => {
    const filter = this._filter;
    const [page, people, holds, releases] = await Promise.all([
      this.api.history(filter),
      // The people and the audit are an admin's: staff read the history without them.
      this._people.length > 0
        ? this._people
        : this.api
            .users()
            .then((users) => users.sort((a, b) => a.name.localeCompare(b.name)))
            .catch(() => []),
      this.api.audit(HOLDS_READ, 0, 'mood.hold').catch(() => NO_LINES),
      this.api.audit(HOLDS_READ, 0, 'mood.release').catch(() => NO_LINES),
    ]);
    this._holds = holdSpans(holds.items, releases.items);
    this._items = page.items;
    this._total = page.total;
    this._shownOffset = filter.offset;
    this._people = people;
  });

  /** Why a play played, in words: a pick for the mood while staff held one played for that mood, not the room's. */
  #why(p: HistoryPlay): string {
    if (p.reason === 'mood' && this._holds.some(([from, to]) => p.startedAt >= from && p.startedAt < to))
      return t('admin.history.heldMood');
    return t(REASON_LABELS[p.reason]);
  }

  /** Why the dates cannot be used, or '' when they can. */
  get #dateProblem(): string {
    if (this._from === '' || this._to === '') return '';
    return this._from > this._to ? t('admin.history.datesWrong', { from: this._from, to: this._to }) : '';
  }

  override render() {
    // The pager says what the rows show: the page asked for is said once it is there.
    const offset = this._shownOffset;
    const dateProblem = this.#dateProblem;
    const isFiltered = Object.keys(this._filter).some((k) => k !== 'limit' && k !== 'offset');
    return html`<h2>${t('admin.history.title')}</h2>
      <form class="row" aria-label=${t('admin.history.filterForm')} @submit=${this.#apply}>
        <label
          >${t('admin.history.mood')}
          <select name="mood">
            <option value="">${t('admin.history.anyMood')}</option>
            ${PLAY_MOODS.map((m) => html`<option value=${m}>${moodName(m)}</option>`)}
          </select>
        </label>
        <label
          >${t('admin.history.reason')}
          <select name="reason">
            <option value="">${t('admin.history.anyReason')}</option>
            ${REASONS.map((r) => html`<option value=${r}>${t(REASON_LABELS[r])}</option>`)}
          </select>
        </label>
        ${
          // Staff, who may not read the people, filter by nobody's name.
          this._people.length === 0
            ? nothing
            : html`<label
                >${t('admin.history.signedIn')}
                <select name="userId">
                  <option value="">${t('admin.history.anyone')}</option>
                  ${this._people.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
                </select>
              </label>`
        }
        <label>${t('admin.history.from')} <input name="from" type="date" .value=${this._from} @input=${this.#onFrom} /></label>
        <label
          >${t('admin.history.to')}
          <input
            name="to"
            type="date"
            .value=${this._to}
            min=${this._from || nothing}
            aria-invalid=${dateProblem ? 'true' : 'false'}
            aria-describedby="date-problem"
            @input=${this.#onTo}
          />
        </label>
        ${dateProblem ? html`<p id="date-problem" class="field-error" role="alert">${dateProblem}</p>` : nothing}
        <button type="submit" ?disabled=${dateProblem !== ''}>${t('admin.history.apply')}</button>
        <button type="button" class="secondary" ?disabled=${this._isExporting || this._total === 0} @click=${this.#export}>
          ${this._isExporting ? t('admin.history.exporting') : t('admin.history.export')}
        </button>
      </form>
      ${this.#loader.status()} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ''}
      <p class="ok" role="status">${this._status}</p>
      ${
        this.#loader.isLoaded
          ? html`<table class="cards">
                <thead>
                  <tr>
                    <th scope="col">${t('admin.history.started')}</th>
                    <th scope="col">${t('admin.history.track')}</th>
                    <th scope="col">${t('admin.history.signedIn')}</th>
                    <th scope="col">${t('admin.history.why')}</th>
                    <th scope="col">${t('admin.history.mood')}</th>
                    <th scope="col">${t('admin.history.outcome')}</th>
                    <th scope="col"><span class="muted">${t('admin.history.block')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this._items.map(
                    (p) =>
                      html`<tr data-play=${p.id}>
                        <td data-cell="started">${formatTime(p.startedAt)}</td>
                        <td data-cell="track">
                          ${
                            p.title === null
                              ? html`<span class="muted">${t('admin.history.goneTrack')}</span>`
                              : html`<strong>${p.title}</strong>${p.artist ? html`<span class="artist">${p.artist}</span>` : nothing}`
                          }
                        </td>
                        <td data-cell="person" data-label=${t('admin.history.signedIn')}>
                          ${
                            p.userName ??
                            html`<span class="muted"
                              >${p.userId === null ? t('admin.history.nobody') : t('admin.history.deletedAccount')}</span
                            >`
                          }
                        </td>
                        <td data-cell="why" data-label=${t('admin.history.why')}>${this.#why(p)}</td>
                        <td data-cell="mood" data-label=${t('admin.history.mood')}>${p.mood === null ? '–' : moodName(p.mood)}</td>
                        <td data-cell="outcome" data-label=${t('admin.history.outcome')} data-outcome=${p.outcome ?? 'playing'}>
                          ${p.outcome === null ? t('admin.history.playing') : t(OUTCOME_LABELS[p.outcome])}
                        </td>
                        <td data-cell="actions">
                          ${
                            p.trackId === null || p.title === null
                              ? nothing
                              : html`<button
                                  class="secondary block"
                                  aria-label=${t('admin.history.blockLabel', { title: p.title })}
                                  @click=${() => void this.#block(p)}
                                >
                                  ${t('admin.history.block')}
                                </button>`
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              ${
                this._items.length === 0 && this.#loader.isLoaded
                  ? html`<p class="muted">${isFiltered ? t('admin.history.noMatch') : t('admin.history.nothingYet')}</p>`
                  : ''
              }
              <div class="pager">
                <button class="secondary" ?disabled=${offset === 0} @click=${() => this.#page(-PAGE)}>${t('admin.history.newer')}</button>
                <span
                  >${t('admin.history.pageRange', { first: offset + 1, last: Math.min(offset + PAGE, this._total), total: this._total })}</span
                >
                <button class="secondary" ?disabled=${offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>
                  ${t('admin.history.older')}
                </button>
              </div>`
          : nothing
      }`;
  }

  /** Blocks the song of a play: it never plays here again until lifted on the Blocked music page. */
  async #block(p: HistoryPlay): Promise<void> {
    if (p.trackId === null) return;
    this._status = '';
    this._error = '';
    try {
      await this.api.block({ trackId: p.trackId });
      this._status = t('admin.history.blocked', { title: p.title ?? '' });
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  readonly #onFrom = (event: Event): void => {
    this._from = (event.target as HTMLInputElement).value;
  };

  readonly #onTo = (event: Event): void => {
    this._to = (event.target as HTMLInputElement).value;
  };

  override updated(): void {
    // The browser refuses the form too (and says why at the field) while the dates are the wrong way round.
    const to = this.renderRoot.querySelector<HTMLInputElement>('input[name="to"]');
    to?.setCustomValidity(this.#dateProblem);
  }

  readonly #apply = (event: Event): void => {
    event.preventDefault();
    if (this.#dateProblem !== '') return;
    const data = new FormData(event.target as HTMLFormElement);
    const text = (key: string): string => field(data, key).trim();
    const day = (key: string): number | undefined => (text(key) ? Date.parse(`${text(key)}T00:00:00`) : undefined);
    const to = day('to');
    const filter: HistoryFilter = { limit: PAGE, offset: 0 };
    const mood = PLAY_MOODS.find((m) => m === text('mood'));
    if (mood) filter.mood = mood;
    const reason = REASONS.find((r) => r === text('reason'));
    if (reason) filter.reason = reason;
    if (text('userId')) filter.userId = Number(text('userId'));
    const from = day('from');
    if (from !== undefined) filter.from = from;
    // To is a whole day: plays up to its end count.
    if (to !== undefined) filter.to = to + DAY_MS;
    this._filter = filter;
    void this.#loader.reload();
  };

  #page(delta: number): void {
    this._filter = { ...this._filter, offset: Math.max(0, this._filter.offset + delta) };
    void this.#loader.reload();
  }

  readonly #export = async (): Promise<void> => {
    this._isExporting = true;
    try {
      const all: HistoryPlay[] = [];
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
