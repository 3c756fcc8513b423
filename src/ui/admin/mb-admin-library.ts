import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/mb-cover.js';
import type { AdminApi, AdminTrack, KnownMood } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import type { MbEvent } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t } from './admin-i18n.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { originWords, renderHeard, renderScan, tagName } from './library-scan.js';
import { LiveStateController } from './live-state-controller.js';
import { LIBRARY_STYLES } from './mb-admin-library.styles.js';
import { PageLoader } from './page-loader.js';
import './mb-mood-picker.js';
import './mb-recording-files.js';
import type { PickedMood } from './mb-mood-picker.js';

const PAGE = 50;
/** A mood of the filter: "calm (12)". */
/** The name of a song's file, without its folders: the copy that plays, whose tags the song shows. */
const fileName = (uri: string): string => uri.split('/').pop() ?? uri;

const moodOption = (m: KnownMood): string => t('admin.library.moodOption', { mood: tagName(m.name), tracks: m.tracks });

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

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

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

  // The moods are read with every page: a scan, the analysis or a sidecar changed how many songs
  // each mood has, and the mood filter counts them as the list does.
  readonly #loader = new PageLoader(this, async () => {
    const [page, moods] = await Promise.all([
      this.api.tracks({ search: this._search, mood: this._mood, limit: PAGE, offset: this._offset }),
      this.api.moods(),
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
    const pageIds = this._items.map((track) => track.id);
    const isPageSelected = pageIds.length > 0 && pageIds.every((id) => this._selected.has(id));
    return html`<h2>${t('admin.library.title')}</h2>
      ${this.#renderScan()}
      <div class="row" role="search">
        <label
          >${t('admin.library.search')}
          <input type="search" .value=${this._search} placeholder=${t('admin.library.searchPlaceholder')} @input=${this.#onSearch} />
        </label>
        <label
          >${t('admin.library.mood')}
          <select .value=${this._mood} @change=${this.#onMood}>
            <option value="" ?selected=${this._mood === ''}>${t('admin.library.anyMood')}</option>
            ${this._moods.map((m) => html`<option value=${m.name} ?selected=${this._mood === m.name}>${moodOption(m)}</option>`)}
          </select>
        </label>
      </div>
      <p class="muted legend" id="weight-legend">${t('admin.library.legend')}</p>
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
                  aria-label=${t('admin.library.selectPageLabel')}
                  .checked=${isPageSelected}
                  @change=${(e: Event) => this.#selectPage((e.target as HTMLInputElement).checked)}
                /><span class="phone-only">${t('admin.library.selectPageLabel')}</span></label
              >
            </th>
            <th scope="col">${t('admin.library.cover')}</th>
            <th scope="col">${t('admin.library.trackTitle')}</th>
            <th scope="col">${t('admin.library.artist')}</th>
            <th scope="col">${t('admin.library.album')}</th>
            <th scope="col">${t('admin.library.moods')}</th>
          </tr>
        </thead>
        <tbody>
          ${this._items.map((track) => this.#renderTrack(track))}
        </tbody>
      </table>
      ${this._items.length === 0 && this.#loader.isLoaded ? html`<p class="muted">${t('admin.library.noMatch')}</p>` : ''}
      <div class="pager">
        <button class="secondary" ?disabled=${this._offset === 0} @click=${() => this.#page(-PAGE)}>${t('admin.library.previous')}</button>
        <span>${this.#range()}</span>
        <button class="secondary" ?disabled=${this._offset + PAGE >= this._total} @click=${() => this.#page(PAGE)}>
          ${t('admin.library.next')}
        </button>
      </div>
      ${this._selected.size > 0 ? html`<div class="bulk-space"></div>` : nothing}`;
  }

  /** "1–50 of 120". */
  #range(): string {
    const { _offset: from, _total: total } = this;
    return total === 0 ? t('admin.library.noPage') : t('admin.library.page', { from: from + 1, to: Math.min(from + PAGE, total), total });
  }

  /** Blocks a song: it never plays here until lifted on the Blocked music page. */
  async #block(track: AdminTrack): Promise<void> {
    this._status = '';
    this._error = '';
    try {
      await this.api.block({ trackId: track.id });
      await this.#loader.reload();
      this._status = t('admin.library.blockedStatus', { title: track.title });
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  #renderTrack(track: AdminTrack) {
    return html`<tr data-track-id=${track.id}>
      <td class="pick">
        <input
          type="checkbox"
          aria-label=${t('admin.library.selectTrackLabel', { title: track.title || track.uri })}
          .checked=${this._selected.has(track.id)}
          @change=${(e: Event) => this.#select(track.id, (e.target as HTMLInputElement).checked)}
        />
      </td>
      <td class="cover"><mb-cover .src=${track.coverUrl} label=${track.title}></mb-cover></td>
      <td class="what">
        <span class="title">${track.title}</span>
        ${
          track.id === this._previewId
            ? html`<audio
                class="preview"
                controls
                autoplay
                preload="metadata"
                aria-label=${t('admin.library.previewLabel', { title: track.title })}
                src="/api/admin/tracks/${track.id}/audio"
              ></audio>`
            : /^[a-z]+:\/\//.test(track.uri)
              ? nothing
              : html`<button
                  class="secondary listen"
                  aria-label=${t('admin.library.listenLabel', { title: track.title })}
                  @click=${() => (this._previewId = track.id)}
                >
                  ▶ ${t('admin.library.listen')}
                </button>`
        }
        ${
          track.blocked === undefined || track.blocked === null
            ? html`<button
                class="secondary block"
                aria-label=${t('admin.library.blockLabel', { title: track.title })}
                @click=${() => void this.#block(track)}
              >
                ${t('admin.library.block')}
              </button>`
            : html`<a class="blocked" data-blocked=${track.blocked} href="#blocked">${t(`admin.library.blocked.${track.blocked}`)}</a>`
        }
        <mb-recording-files .api=${this.api} .track=${track} @change=${() => void this.#loader.reload()}></mb-recording-files>
        ${
          track.files > 1
            ? html`<p class="muted merged" data-merged>${t('admin.library.merged', { count: track.files, file: fileName(track.uri) })}</p>`
            : nothing
        }
      </td>
      <td data-label=${t('admin.library.artist')}>${track.artist}</td>
      <td data-label=${t('admin.library.album')}>${track.album}</td>
      <td class="moods">
        ${renderHeard(track)}
        <mb-mood-picker
          .moods=${track.moods}
          .known=${this._moods}
          subject=${track.title}
          .describe=${(m: PickedMood) =>
            t('admin.library.tagWeight', {
              mood: tagName(m.mood),
              weight: Math.round(m.weight * 100) / 100,
              origin: originWords('origin', m.origin ?? ''),
            })}
          @mb-moods-change=${(e: MbEvent<'mb-moods-change'>) => void this.#save(track, e.detail.moods)}
        ></mb-mood-picker>
      </td>
    </tr>`;
  }

  #renderBulk() {
    const count = this._selected.size;
    if (count === 0) return nothing;
    const mood = this._bulkMood;
    return html`<form class="row bulk" aria-label=${t('admin.library.bulkLabel')} @submit=${(e: Event) => e.preventDefault()}>
      <strong data-selected>${t('admin.library.selected', { count })}</strong>
      <label
        >${t('admin.library.mood')}
        <select .value=${mood} @change=${(e: Event) => (this._bulkMood = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${mood === ''}>${t('admin.library.chooseMood')}</option>
          ${this._moods.map((m) => html`<option value=${m.name} ?selected=${mood === m.name}>${tagName(m.name)}</option>`)}
        </select>
      </label>
      <button type="button" ?disabled=${mood === '' || this._isBulkSaving} @click=${() => this.#bulk('add')}>
        ${t('admin.library.addToSelected')}
      </button>
      <button type="button" class="secondary" ?disabled=${mood === '' || this._isBulkSaving} @click=${() => this.#bulk('remove')}>
        ${t('admin.library.removeFromSelected')}
      </button>
      <button type="button" class="secondary" @click=${() => (this._selected = new Set())}>${t('admin.library.clearSelection')}</button>
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
    for (const track of this._items) {
      if (isSelected) next.add(track.id);
      else next.delete(track.id);
    }
    this._selected = next;
  }

  async #bulk(action: 'add' | 'remove'): Promise<void> {
    const mood = this._bulkMood;
    const trackIds = [...this._selected];
    this._isBulkSaving = true;
    try {
      const saved = await this.api.editMoods({ trackIds, add: action === 'add' ? [mood] : [], remove: action === 'remove' ? [mood] : [] });
      const byId = new Map(saved.map((track) => [track.id, track]));
      this._items = this._items.map((track) => byId.get(track.id) ?? track);
      const said = { count: trackIds.length, mood: tagName(mood) };
      this._status = action === 'add' ? t('admin.library.tagged', said) : t('admin.library.untagged', said);
      this._error = '';
      void this.#loadMoods();
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isBulkSaving = false;
    }
  }

  async #save(track: AdminTrack, moods: readonly PickedMood[]): Promise<void> {
    try {
      const saved = await this.api.setTrackMoods(
        track.id,
        moods.map(({ mood, weight }) => ({ mood, weight })),
      );
      this._items = this._items.map((x) => (x.id === track.id ? saved : x));
      this._status = t('admin.library.saved', { title: track.title });
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
