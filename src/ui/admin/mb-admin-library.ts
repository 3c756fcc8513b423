import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/mb-cover.js';
import type { AdminApi, AdminTrack, LibraryState } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { ADMIN_STYLES, formatTime, messageOf } from './admin-styles.js';

const PAGE = 50;
const MOOD_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * The library: a rescan of the music folders with its progress (live, from the socket), search, a
 * mood filter, and each track's cover and mood tags, which can be removed or added.
 *
 * @summary Admin library and mood tag editor.
 */
@customElement('mb-admin-library')
export class MbAdminLibrary extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      .scan {
        display: grid;
        gap: 0.5em;
        margin-bottom: 1em;
      }
      .scan .row {
        margin: 0;
        align-items: center;
      }
      progress {
        width: 100%;
        max-width: 40em;
        height: 1.2em;
        accent-color: #1d4ed8;
      }
      .scan ul {
        margin: 0.2em 0;
        padding-left: 1.2em;
      }
      .scan code {
        word-break: break-all;
      }
      td.cover {
        width: 3.2em;
        --mb-cover-size: 3em;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  /** The live link: the library area of its state drives the scan progress. */
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _library: LibraryState | null = null;
  @state() private _isStarting = false;
  @state() private _scanError = '';
  @state() private _items: AdminTrack[] = [];
  @state() private _total = 0;
  @state() private _offset = 0;
  @state() private _search = '';
  @state() private _mood = '';
  @state() private _status = '';
  @state() private _error = '';
  @state() private _drafts: Record<number, string> = {};
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #onLive = (): void => {
    const library = this.live?.snapshot.state?.library ?? null;
    const wasScanning = this._library?.scanning === true;
    this._library = library;
    // A finished scan changed the tracks: show them.
    if (wasScanning && library?.scanning === false) void this.#load();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.live?.addEventListener('change', this.#onLive);
    this.#onLive();
    void this.#load();
  }

  override disconnectedCallback(): void {
    clearTimeout(this.#searchTimer);
    this.live?.removeEventListener('change', this.#onLive);
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
      ${this.#renderScan()}
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
            <th scope="col">Cover</th>
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
      <td class="cover"><mb-cover .src=${t.coverUrl} label=${t.title}></mb-cover></td>
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

  #renderScan() {
    const library = this._library;
    const isScanning = library?.scanning === true;
    const last = library?.lastScan ?? null;
    return html`<section class="card scan" aria-labelledby="scan-h" data-scanning=${isScanning}>
      <h3 id="scan-h">Music folders</h3>
      <div class="row">
        <button @click=${this.#scan} ?disabled=${isScanning || this._isStarting || this.live === null}>
          ${isScanning ? 'Scanning…' : 'Scan music folders'}
        </button>
        <span class="muted">${library === null ? '' : `${library.tracks} track${library.tracks === 1 ? '' : 's'} in the library`}</span>
      </div>
      ${this._scanError ? html`<p class="error" role="alert">${this._scanError}</p>` : nothing}
      ${isScanning ? this.#renderProgress(library) : nothing}
      ${
        !isScanning && last !== null
          ? html`<div class="result" role="status" aria-live="polite">
              <p>
                <strong>Last scan</strong> ${formatTime(last.at)}: ${last.files} file${last.files === 1 ? '' : 's'} ·
                <span data-count="added">${last.added} added</span> · <span data-count="updated">${last.updated} updated</span> ·
                <span data-count="missing">${last.missing} missing</span>
              </p>
              ${
                last.failedCount > 0
                  ? html`<p class="error">
                        ${last.failedCount} file${last.failedCount === 1 ? '' : 's'} could not be read and
                        ${last.failedCount === 1 ? 'was' : 'were'}
                        skipped${last.failedCount > last.failed.length ? html` (the first ${last.failed.length} are listed; the log has all)` : nothing}:
                      </p>
                      <ul class="failed">
                        ${last.failed.map((f) => html`<li><code>${f.path}</code>: ${f.error}</li>`)}
                      </ul>`
                  : nothing
              }
              ${
                last.problems.length > 0
                  ? html`<p class="error">Folders that could not be scanned:</p>
                      <ul class="problems">
                        ${last.problems.map((p) => html`<li>${p}</li>`)}
                      </ul>`
                  : nothing
              }
            </div>`
          : nothing
      }
    </section>`;
  }

  #renderProgress(library: LibraryState) {
    const { done, total } = library;
    const text = total === 0 ? 'Looking for music files…' : `${done} of ${total} files`;
    // No value while the folders are listed: an indeterminate bar.
    return html`<div class="progress">
      <progress
        aria-label="Scanning music folders"
        aria-valuetext=${text}
        max=${Math.max(total, 1)}
        value=${ifDefined(total === 0 ? undefined : done)}
      ></progress>
      <p class="muted" role="status" aria-live="polite">${text}</p>
    </div>`;
  }

  readonly #scan = async (): Promise<void> => {
    this._isStarting = true;
    this._scanError = '';
    try {
      await this.api.scanLibrary();
    } catch (err) {
      this._scanError = messageOf(err);
    } finally {
      this._isStarting = false;
    }
  };

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
