import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminTrack } from '../data/admin-api.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';

const PAGE = 50;
const MOOD_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * The library: search, a mood filter, and each track's mood tags, which can be removed or added.
 *
 * @summary Admin library and mood tag editor.
 */
@customElement('mb-admin-library')
export class MbAdminLibrary extends LitElement {
  static override styles = ADMIN_STYLES;

  @property({ attribute: false }) api!: AdminApi;
  @state() private _items: AdminTrack[] = [];
  @state() private _total = 0;
  @state() private _offset = 0;
  @state() private _search = '';
  @state() private _mood = '';
  @state() private _status = '';
  @state() private _error = '';
  @state() private _drafts: Record<number, string> = {};
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override disconnectedCallback(): void {
    clearTimeout(this.#searchTimer);
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    try {
      const page = await this.api.tracks({ search: this._search, mood: this._mood, limit: PAGE, offset: this._offset });
      this._items = page.items;
      this._total = page.total;
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    const moods = [...new Set(this._items.flatMap((t) => t.moods.map((m) => m.mood)).concat(this._mood ? [this._mood] : []))].sort();
    return html`<h2>Library</h2>
      <p class="muted" data-state="scan-unavailable">
        Scanning a folder from this panel is not available yet: run <code>moodbox library scan FOLDER</code> on the device.
      </p>
      <div class="row" role="search">
        <label
          >Search
          <input type="search" .value=${this._search} placeholder="Title, artist or album" @input=${this.#onSearch} />
        </label>
        <label
          >Mood
          <input list="moods" .value=${this._mood} placeholder="Any mood" @change=${this.#onMood} />
          <datalist id="moods">${moods.map((m) => html`<option value=${m}></option>`)}</datalist>
        </label>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ''}
      <p class="ok" role="status">${this._status}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Artist</th>
            <th scope="col">Album</th>
            <th scope="col">Moods</th>
          </tr>
        </thead>
        <tbody>
          ${this._items.map((t) => this.#renderTrack(t))}
        </tbody>
      </table>
      ${this._items.length === 0 && !this._error ? html`<p class="muted">No tracks match.</p>` : ''}
      <div class="pager">
        <button class="secondary" ?disabled=${this._offset === 0} @click=${() => this.#page(-PAGE)}>Previous</button>
        <span>${this._total === 0 ? '0' : `${this._offset + 1}–${Math.min(this._offset + PAGE, this._total)}`} of ${this._total}</span>
        <button class="secondary" ?disabled=${this._offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>Next</button>
      </div>`;
  }

  #renderTrack(t: AdminTrack) {
    const draft = this._drafts[t.id] ?? '';
    const isValid = draft === '' || MOOD_PATTERN.test(draft);
    return html`<tr data-track-id=${t.id}>
      <td>${t.title}</td>
      <td>${t.artist}</td>
      <td>${t.album}</td>
      <td>
        ${t.moods.map(
          (m) =>
            html`<span class="chip" data-mood=${m.mood}
              >${m.mood}${m.weight < 1 ? ` ${Math.round(m.weight * 100)}%` : ''}
              <button
                aria-label="Remove mood ${m.mood} from ${t.title}"
                @click=${() =>
                  this.#save(
                    t,
                    t.moods.filter((x) => x !== m),
                  )}
              >
                ✕
              </button></span
            >`,
        )}
        <form class="row" @submit=${(e: Event) => this.#add(e, t)}>
          <label
            >Add mood
            <input
              name="mood"
              .value=${draft}
              aria-invalid=${!isValid}
              aria-describedby="hint-${t.id}"
              @input=${(e: Event) => (this._drafts = { ...this._drafts, [t.id]: (e.target as HTMLInputElement).value.trim().toLowerCase() })}
            />
          </label>
          <button type="submit" ?disabled=${draft === '' || !isValid}>Add</button>
          ${isValid ? '' : html`<span id="hint-${t.id}" class="error">Lower-case letters, digits and dashes, starting with a letter.</span>`}
        </form>
      </td>
    </tr>`;
  }

  #add(event: Event, t: AdminTrack): void {
    event.preventDefault();
    const mood = this._drafts[t.id] ?? '';
    if (!MOOD_PATTERN.test(mood) || t.moods.some((m) => m.mood === mood)) return;
    void this.#save(t, [...t.moods, { mood, weight: 1, origin: 'admin' }]);
  }

  async #save(t: AdminTrack, moods: AdminTrack['moods']): Promise<void> {
    try {
      const saved = await this.api.setTrackMoods(
        t.id,
        moods.map(({ mood, weight }) => ({ mood, weight })),
      );
      this._items = this._items.map((x) => (x.id === t.id ? saved : x));
      this._drafts = { ...this._drafts, [t.id]: '' };
      this._status = `Saved the moods of “${t.title}”.`;
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  readonly #onSearch = (event: Event): void => {
    this._search = (event.target as HTMLInputElement).value;
    this._offset = 0;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.#load(), 250);
  };

  readonly #onMood = (event: Event): void => {
    this._mood = (event.target as HTMLInputElement).value.trim().toLowerCase();
    this._offset = 0;
    void this.#load();
  };

  #page(delta: number): void {
    this._offset = Math.max(0, this._offset + delta);
    void this.#load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-library': MbAdminLibrary;
  }
}
