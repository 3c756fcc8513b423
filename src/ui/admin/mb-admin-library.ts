import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/mb-cover.js';
import type { AdminApi, AdminTrack, KnownMood } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import type { MbEvent } from '../events.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { renderScan } from './library-scan.js';
import { LiveStateController } from './live-state-controller.js';
import { LIBRARY_STYLES } from './mb-admin-library.styles.js';
import { PageLoader } from './page-loader.js';
import './mb-mood-picker.js';
import './mb-recording-files.js';
import type { PickedMood } from './mb-mood-picker.js';

/** A blocked row's words, linking to Blocked music where the block is lifted. */
const BLOCKED_WORDS = { song: 'Blocked', artist: 'Artist blocked', explicit: 'Explicit: skipped' } as const;

const PAGE = 50;
const ORIGINS: Record<string, string> = {
  admin: 'set here',
  sidecar: 'from a moods file',
  rule: 'guessed by the scan from the genre or tempo',
  audio: 'heard in the music',
};
/** Why a track has its moods, by the origin of its strongest one. */
const WHY: Record<string, string> = {
  admin: 'set by an admin',
  sidecar: 'from a moods file',
  rule: 'guessed from its genre, tempo or mood tag',
  audio: 'heard in the music',
};

/**
 * The library: a rescan of the music folders with its progress and the analysis's (live, from the
 * socket), search, a mood filter, and each track's cover, mood tags, where the analysis placed it
 * (a small energy/valence mark) and why it has its moods. Tags are picked from the known moods (no free
 * text, so a typo cannot make a new mood), removed with a touch-sized button, and added to or
 * removed from several selected tracks at once.
 *
 * @summary Admin library and mood tag editor.
 */
@customElement('mb-admin-library')
export class MbAdminLibrary extends LitElement {
  static override styles = [ADMIN_STYLES, LIBRARY_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  /** The live link: the library area of its state drives the scan progress. */
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _isStarting = false;
  @state() private _scanError = '';
  @state() private _items: AdminTrack[] = [];
  @state() private _total = 0;
  @state() private _offset = 0;
  @state() private _search = '';
  @state() private _mood = '';
  @state() private _status = '';
  @state() private _error = '';
  @state() private _moods: KnownMood[] = [];
  /** Tracks ticked for a bulk edit (ids; they stay ticked across pages and searches). */
  @state() private _selected: ReadonlySet<number> = new Set();
  @state() private _bulkMood = '';
  @state() private _isBulkSaving = false;
  /** The track being listened to in the page (one at a time), or null. */
  @state() private _previewId: number | null = null;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #wasScanning = false;
  #wasAnalysing = false;

  /**
   * The scan's and the analysis's progress, live from the socket; a finished scan or analysis
   * changed the tracks (and what was heard in them), so they are read again.
   */
  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: (state) => {
      const library = state?.library ?? null;
      const isAnalysing = library?.analysis.running === true;
      if ((this.#wasScanning && library?.scanning === false) || (this.#wasAnalysing && !isAnalysing)) void this.#loader.reload();
      this.#wasScanning = library?.scanning === true;
      this.#wasAnalysing = isAnalysing;
    },
  });

  readonly #loader = new PageLoader(this, async () => {
    const [page, moods] = await Promise.all([
      this.api.tracks({ search: this._search, mood: this._mood, limit: PAGE, offset: this._offset }),
      this._moods.length > 0 ? this._moods : this.api.moods(),
    ]);
    this._items = page.items;
    this._total = page.total;
    this._moods = moods;
  });

  async #loadMoods(): Promise<void> {
    try {
      this._moods = await this.api.moods();
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override disconnectedCallback(): void {
    clearTimeout(this.#searchTimer);
    super.disconnectedCallback();
  }

  override render() {
    const pageIds = this._items.map((t) => t.id);
    const isPageSelected = pageIds.length > 0 && pageIds.every((id) => this._selected.has(id));
    return html`<h2>Library</h2>
      ${this.#renderScan()}
      <div class="row" role="search">
        <label
          >Search
          <input type="search" .value=${this._search} placeholder="Title, artist or album" @input=${this.#onSearch} />
        </label>
        <label
          >Mood
          <select .value=${this._mood} @change=${this.#onMood}>
            <option value="" ?selected=${this._mood === ''}>Any mood</option>
            ${this._moods.map((m) => html`<option value=${m.name} ?selected=${this._mood === m.name}>${m.name} (${m.tracks})</option>`)}
          </select>
        </label>
      </div>
      <p class="muted legend" id="weight-legend">
        A percentage on a tag says how strongly the track fits that mood. When the room calls for a mood, a track tagged 100% is picked for
        it readily; one tagged 40% fits only partly and is picked for it less often. Tags added here are 100%; lower ones were guessed by
        the scan from the genre or tempo, or come from a moods file.
      </p>
      ${this.#renderBulk()} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ''}
      <p class="ok" role="status">${this._status}</p>
      ${this.#loader.status()}
      <table class="cards">
        <thead>
          <tr>
            <th scope="col" class="pick">
              <label class="all"
                ><input
                  type="checkbox"
                  aria-label="Select every track on this page"
                  .checked=${isPageSelected}
                  @change=${(e: Event) => this.#selectPage((e.target as HTMLInputElement).checked)}
                /><span class="phone-only">Select every track on this page</span></label
              >
            </th>
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
      ${this._items.length === 0 && this.#loader.isLoaded ? html`<p class="muted">No tracks match.</p>` : ''}
      <div class="pager">
        <button class="secondary" ?disabled=${this._offset === 0} @click=${() => this.#page(-PAGE)}>Previous</button>
        <span>${this._total === 0 ? '0' : `${this._offset + 1}–${Math.min(this._offset + PAGE, this._total)}`} of ${this._total}</span>
        <button class="secondary" ?disabled=${this._offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>Next</button>
      </div>
      ${this._selected.size > 0 ? html`<div class="bulk-space"></div>` : nothing}`;
  }

  /** Blocks a song: it never plays here until lifted on the Blocked music page. */
  async #block(t: AdminTrack): Promise<void> {
    this._status = '';
    this._error = '';
    try {
      await this.api.block({ trackId: t.id });
      await this.#loader.reload();
      this._status = `Blocked “${t.title}”: it no longer plays here (Blocked music lifts it).`;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  #renderTrack(t: AdminTrack) {
    return html`<tr data-track-id=${t.id}>
      <td class="pick">
        <input
          type="checkbox"
          aria-label="Select ${t.title || t.uri}"
          .checked=${this._selected.has(t.id)}
          @change=${(e: Event) => this.#select(t.id, (e.target as HTMLInputElement).checked)}
        />
      </td>
      <td class="cover"><mb-cover .src=${t.coverUrl} label=${t.title}></mb-cover></td>
      <td class="what">
        <span class="title">${t.title}</span>
        ${
          t.id === this._previewId
            ? html`<audio
                class="preview"
                controls
                autoplay
                preload="metadata"
                aria-label="Preview of ${t.title}"
                src="/api/admin/tracks/${t.id}/audio"
              ></audio>`
            : /^[a-z]+:\/\//.test(t.uri)
              ? nothing
              : html`<button class="secondary listen" aria-label="Listen to ${t.title}" @click=${() => (this._previewId = t.id)}>
                  ▶ Listen
                </button>`
        }
        ${
          t.blocked === undefined || t.blocked === null
            ? html`<button class="secondary block" aria-label="Block ${t.title}" @click=${() => void this.#block(t)}>Block</button>`
            : html`<a class="blocked" data-blocked=${t.blocked} href="#blocked">${BLOCKED_WORDS[t.blocked]}</a>`
        }
        <mb-recording-files .api=${this.api} .track=${t} @change=${() => void this.#loader.reload()}></mb-recording-files>
      </td>
      <td data-label="Artist">${t.artist}</td>
      <td data-label="Album">${t.album}</td>
      <td class="moods">
        ${this.#renderHeard(t)}
        <mb-mood-picker
          .moods=${t.moods}
          .known=${this._moods}
          subject=${t.title}
          .describe=${(m: PickedMood) => `${m.mood}: ${Math.round(m.weight * 100)}%, ${ORIGINS[m.origin ?? ''] ?? m.origin ?? ''}`}
          @mb-moods-change=${(e: MbEvent<'mb-moods-change'>) => void this.#save(t, e.detail.moods)}
        ></mb-mood-picker>
      </td>
    </tr>`;
  }

  /**
   * The energy/valence mark (where the analysis placed the track: right is pleasant, up is
   * energetic) and why the track has its moods.
   */
  #renderHeard(t: AdminTrack) {
    const origin = t.moods[0]?.origin;
    const why = origin === undefined ? 'no mood yet' : (WHY[origin] ?? origin);
    const audio = t.audio;
    if (audio === null || 'error' in audio) {
      return html`<div class="heard" data-why=${origin ?? 'none'}>
        <span>Why: ${why}</span
        >${audio === null ? nothing : html`<span class="muted" data-not-heard=${audio.error}>· not analysed (${audio.error})</span>`}
      </div>`;
    }
    const energy = Math.round(((audio.arousal + 1) / 2) * 100);
    const pleasant = Math.round(((audio.valence + 1) / 2) * 100);
    const label = `Heard: energy ${energy}%, pleasantness ${pleasant}%${audio.tempoBpm === null ? '' : `, ${Math.round(audio.tempoBpm)} BPM`}`;
    return html`<div class="heard" data-why=${origin ?? 'none'}>
      <svg class="mark" role="img" aria-label=${label} viewBox="-1.1 -1.1 2.2 2.2" width="28" height="28">
        <title>${label}</title>
        <line x1="-1" y1="0" x2="1" y2="0" stroke="#d1d5db" stroke-width="0.05"></line>
        <line x1="0" y1="-1" x2="0" y2="1" stroke="#d1d5db" stroke-width="0.05"></line>
        <circle
          data-valence=${audio.valence}
          data-arousal=${audio.arousal}
          cx=${audio.valence}
          cy=${-audio.arousal}
          r="0.22"
          fill="#1d4ed8"
        ></circle>
      </svg>
      <span>Why: ${why}</span>
    </div>`;
  }

  #renderBulk() {
    const count = this._selected.size;
    if (count === 0) return nothing;
    const mood = this._bulkMood;
    return html`<form class="row bulk" aria-label="Edit the moods of the selected tracks" @submit=${(e: Event) => e.preventDefault()}>
      <strong data-selected>${count} track${count === 1 ? '' : 's'} selected</strong>
      <label
        >Mood
        <select .value=${mood} @change=${(e: Event) => (this._bulkMood = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${mood === ''}>Choose a mood…</option>
          ${this._moods.map((m) => html`<option value=${m.name} ?selected=${mood === m.name}>${m.name}</option>`)}
        </select>
      </label>
      <button type="button" ?disabled=${mood === '' || this._isBulkSaving} @click=${() => this.#bulk('add')}>Add to selected</button>
      <button type="button" class="secondary" ?disabled=${mood === '' || this._isBulkSaving} @click=${() => this.#bulk('remove')}>
        Remove from selected
      </button>
      <button type="button" class="secondary" @click=${() => (this._selected = new Set())}>Clear selection</button>
    </form>`;
  }

  #renderScan() {
    return renderScan({
      library: this.#live.state?.library ?? null,
      isStarting: this._isStarting,
      isLive: this.live !== null,
      error: this._scanError,
      onScan: this.#scan,
    });
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

  #select(id: number, isSelected: boolean): void {
    const next = new Set(this._selected);
    if (isSelected) next.add(id);
    else next.delete(id);
    this._selected = next;
  }

  #selectPage(isSelected: boolean): void {
    const next = new Set(this._selected);
    for (const t of this._items) {
      if (isSelected) next.add(t.id);
      else next.delete(t.id);
    }
    this._selected = next;
  }

  async #bulk(action: 'add' | 'remove'): Promise<void> {
    const mood = this._bulkMood;
    const trackIds = [...this._selected];
    this._isBulkSaving = true;
    try {
      const saved = await this.api.editMoods({ trackIds, add: action === 'add' ? [mood] : [], remove: action === 'remove' ? [mood] : [] });
      const byId = new Map(saved.map((t) => [t.id, t]));
      this._items = this._items.map((t) => byId.get(t.id) ?? t);
      const n = `${trackIds.length} track${trackIds.length === 1 ? '' : 's'}`;
      this._status = action === 'add' ? `Tagged ${n} “${mood}”.` : `Removed “${mood}” from ${n}.`;
      this._error = '';
      void this.#loadMoods();
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isBulkSaving = false;
    }
  }

  async #save(t: AdminTrack, moods: readonly PickedMood[]): Promise<void> {
    try {
      const saved = await this.api.setTrackMoods(
        t.id,
        moods.map(({ mood, weight }) => ({ mood, weight })),
      );
      this._items = this._items.map((x) => (x.id === t.id ? saved : x));
      this._status = `Saved the moods of “${t.title}”.`;
      void this.#loadMoods();
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  readonly #onSearch = (event: Event): void => {
    this._search = (event.target as HTMLInputElement).value;
    this._offset = 0;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.#loader.reload(), 250);
  };

  readonly #onMood = (event: Event): void => {
    this._mood = (event.target as HTMLSelectElement).value;
    this._offset = 0;
    void this.#loader.reload();
  };

  #page(delta: number): void {
    this._offset = Math.max(0, this._offset + delta);
    void this.#loader.reload();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-library': MbAdminLibrary;
  }
}
