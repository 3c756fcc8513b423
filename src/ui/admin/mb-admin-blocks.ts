import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, BlockedEntry, BlocksView } from '../data/admin-api.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, tWith } from './admin-i18n.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';
import { PageLoader } from './page-loader.js';
import { isOwner } from './panel-role.js';

/** The largest list read from a file (bytes): the daemon takes up to 1 MB. */
const MAX_LIST_BYTES = 1_000_000;
/** The columns of a list, as its header row names them (the file's words, never translated). */
const LIST_COLUMNS = { artist: 'artist', title: 'title' } as const;

/** "Ann – Morning" or "Ann (every song)". */
function nameOf(entry: BlockedEntry): string {
  if (entry.kind !== 'song') return t('admin.blocks.artistName', { artist: entry.artist });
  return entry.artist
    ? t('admin.blocks.songName', { title: entry.title, artist: entry.artist })
    : t('admin.blocks.songNameNoArtist', { title: entry.title });
}

/**
 * Songs and artists that never play here: the music never picks them, guests cannot ask for them,
 * and one playing or queued gives way at once. The owner blocks an artist by name here, a song from
 * the Library, the History or the queue, or many at once from a list (CSV with `artist` and
 * `title`, as `moods.csv`), and lifts any block. Also says what the explicit-content rule keeps out.
 *
 * @summary Admin blocked-music page.
 */
@customElement('mb-admin-blocks')
export class MbAdminBlocks extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      .nearest {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: center;
      }
      .nearest p {
        margin: 0;
      }
      form.add {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6em;
        align-items: end;
      }
      form.add label {
        display: grid;
        gap: 0.2em;
        flex: 1 1 14em;
      }
      ul.blocks {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.blocks li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em 1em;
        align-items: center;
        justify-content: space-between;
        padding: 0.5em 0;
        border-bottom: 1px solid #e5e7eb;
      }
      button {
        min-height: 44px;
      }
      ul.blocks .what {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _view: BlocksView = { items: [], explicit: 'play', explicitSkipped: 0 };
  @state() private _error = '';
  @state() private _status = '';
  /** A block of an artist no song names, and the library's artists spelled nearly so, to block instead. */
  @state() private _misspelt: { entry: BlockedEntry; nearest: string[] } | null = null;
  @state() private _isBusy = false;
  readonly #loader = new PageLoader(this, async () => {
    this._view = await this.api.blocks();
  });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    const { items, explicit, explicitSkipped } = this._view;
    return html`<h2>${t('admin.blocks.title')}</h2>
      <p class="muted">${t('admin.blocks.intro')}</p>
      ${this.#loader.status()}
      <section class="card" aria-labelledby="artist-h">
        <h3 id="artist-h">${t('admin.blocks.artistTitle')}</h3>
        <form class="add" @submit=${this.#blockArtist} novalidate>
          <label
            >${t('admin.blocks.artist')}
            <input name="artist" required autocomplete="off" maxlength="200" placeholder=${t('admin.blocks.artistPlaceholder')} />
          </label>
          <button type="submit" ?disabled=${this._isBusy}>${t('admin.blocks.blockArtist')}</button>
        </form>
        <p class="muted">${t('admin.blocks.featuring')}</p>
      </section>
      <section class="card" aria-labelledby="import-h">
        <h3 id="import-h">${t('admin.blocks.listTitle')}</h3>
        <p class="muted" id="import-hint">
          ${tWith('admin.blocks.listHint', { artist: html`<code>${LIST_COLUMNS.artist}</code>`, title: html`<code>${LIST_COLUMNS.title}</code>` })}
        </p>
        <label
          >${t('admin.blocks.listFile')}
          <input type="file" accept=".csv,text/csv" ?disabled=${this._isBusy} aria-describedby="import-hint" @change=${this.#import}
        /></label>
      </section>
      <p class="muted" data-explicit=${explicit}>
        ${explicit === 'skip' ? t('admin.blocks.explicitSkipped', { count: explicitSkipped }) : t('admin.blocks.explicitPlays')}
        ${isOwner() ? html`<a href="#settings/music.explicit">${t('admin.blocks.explicitChange')}</a>.` : nothing}
      </p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <p class="ok" role="status">${this._status}</p>
      ${this.#renderMisspelt()}
      ${
        items.length === 0
          ? html`<p class="muted">${this.#loader.isLoaded ? t('admin.blocks.nothing') : ''}</p>`
          : html`<ul class="blocks" aria-label=${t('admin.blocks.listLabel')}>
              ${items.map(
                (b) =>
                  html`<li data-block-id=${b.id} data-kind=${b.kind}>
                    <span class="what"
                      ><strong>${nameOf(b)}</strong><br /><span class="muted"
                        >${t('admin.blocks.blockedAt', { at: formatTime(b.createdAt) })}</span
                      ></span
                    >
                    <button
                      class="secondary"
                      aria-label=${t('admin.blocks.unblockLabel', { name: nameOf(b) })}
                      @click=${() => this.#unblock(b)}
                    >
                      ${t('admin.blocks.unblock')}
                    </button>
                  </li>`,
              )}
            </ul>`
      }`;
  }

  readonly #blockArtist = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const artist = field(new FormData(form), 'artist').trim();
    if (artist === '') {
      this._error = t('admin.blocks.typeArtist');
      return;
    }
    await this.#act(async () => {
      const entry = await this.api.block({ artist });
      form.reset();
      if (entry.kind === 'artist' && entry.songs === 0) {
        this._misspelt = { entry, nearest: entry.nearest ?? [] };
        return t('admin.blocks.noSongNames', { name: nameOf(entry) });
      }
      return entry.kind === 'artist' && entry.songs !== undefined
        ? t('admin.blocks.blockedSongs', { name: nameOf(entry), songs: entry.songs })
        : t('admin.blocks.blocked', { name: nameOf(entry) });
    });
  };

  /** After a block that names no song: the artists spelled nearly so, each to block in its place. */
  #renderMisspelt() {
    const misspelt = this._misspelt;
    if (misspelt === null || misspelt.nearest.length === 0) return nothing;
    const wrong = misspelt.entry.kind === 'artist' ? misspelt.entry.artist : '';
    return html`<div class="nearest" data-nearest>
      <p>${t('admin.blocks.didYouMean')}</p>
      ${misspelt.nearest.map(
        (name) =>
          html`<button ?disabled=${this._isBusy} @click=${() => void this.#blockInstead(misspelt.entry, name)}>
            ${t('admin.blocks.blockInstead', { name, wrong })}
          </button>`,
      )}
    </div>`;
  }

  async #blockInstead(wrong: BlockedEntry, artist: string): Promise<void> {
    await this.#act(async () => {
      await this.api.unblock(wrong.id);
      const entry = await this.api.block({ artist });
      const songs = entry.kind === 'artist' ? (entry.songs ?? 0) : 0;
      return t('admin.blocks.blockedInstead', { name: nameOf(entry), wrong: wrong.kind === 'artist' ? wrong.artist : '', songs });
    });
  }

  readonly #import = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    if (file.size > MAX_LIST_BYTES) {
      this._error = t('admin.blocks.tooLarge', { file: file.name });
      return;
    }
    await this.#act(async () => {
      const report = await this.api.importBlocks(await file.text());
      const parts = [t('admin.blocks.imported', { artists: report.artists, songs: report.songs })];
      if (report.unmatched.length > 0)
        parts.push(
          t('admin.blocks.unmatched', {
            count: report.unmatched.length,
            lines: report.unmatched.map((u) => t('admin.blocks.line', { line: u.line, text: u.key })).join('; '),
          }),
        );
      if (report.invalid.length > 0)
        parts.push(
          t('admin.blocks.invalid', {
            count: report.invalid.length,
            lines: report.invalid.map((i) => t('admin.blocks.line', { line: i.line, text: i.reason })).join('; '),
          }),
        );
      return `${parts.join('. ')}.`;
    });
  };

  async #unblock(entry: BlockedEntry): Promise<void> {
    await this.#act(async () => {
      await this.api.unblock(entry.id);
      return t('admin.blocks.mayPlay', { name: nameOf(entry) });
    });
  }

  /** Runs a change, then shows the list as it is now and what happened (or why it failed). */
  async #act(change: () => Promise<string>): Promise<void> {
    this._isBusy = true;
    this._error = '';
    this._status = '';
    this._misspelt = null;
    try {
      const said = await change();
      // The list first, then the message: it never shows beside a list that does not show it yet.
      await this.#loader.reload();
      this._status = said;
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isBusy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-blocks': MbAdminBlocks;
  }
}
