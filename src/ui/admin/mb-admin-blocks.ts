import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, BlockedEntry, BlocksView } from '../data/admin-api.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';
import { PageLoader } from './page-loader.js';

/** The largest list read from a file (bytes): the daemon takes up to 1 MB. */
const MAX_LIST_BYTES = 1_000_000;

/** "Ann – Morning" or "Ann (every song)". */
function nameOf(entry: BlockedEntry): string {
  return entry.kind === 'song' ? `“${entry.title}” by ${entry.artist || 'an unknown artist'}` : `${entry.artist} (every song)`;
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

  override render() {
    const { items, explicit, explicitSkipped } = this._view;
    return html`<h2>Blocked music</h2>
      <p class="muted">
        Blocked songs and artists never play here: the music does not pick them, guests cannot ask for them, and one playing or queued gives
        way at once. Block a song from the Library, the History or the queue; an artist here.
      </p>
      ${this.#loader.status()}
      <section class="card" aria-labelledby="artist-h">
        <h3 id="artist-h">Block an artist</h3>
        <form class="add" @submit=${this.#blockArtist} novalidate>
          <label
            >Artist
            <input name="artist" required autocomplete="off" maxlength="200" placeholder="As the songs name them" />
          </label>
          <button type="submit" ?disabled=${this._isBusy}>Block artist</button>
        </form>
        <p class="muted">Songs naming them with others (“feat.”, “&”) are blocked too, and their songs added later.</p>
      </section>
      <section class="card" aria-labelledby="import-h">
        <h3 id="import-h">Block from a list</h3>
        <p class="muted" id="import-hint">
          A CSV file with a header row: <code>artist</code>, and <code>title</code> to block one song (an artist alone blocks the artist).
        </p>
        <label
          >A list on this device
          <input type="file" accept=".csv,text/csv" ?disabled=${this._isBusy} aria-describedby="import-hint" @change=${this.#import}
        /></label>
      </section>
      <p class="muted" data-explicit=${explicit}>
        ${
          explicit === 'skip'
            ? html`Songs tagged explicit are skipped (${explicitSkipped} in the library now).`
            : html`Songs tagged explicit play.`
        }
        <a href="#settings/music.explicit">Change this in Settings</a>.
      </p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <p class="ok" role="status">${this._status}</p>
      ${this.#renderMisspelt()}
      ${
        items.length === 0
          ? html`<p class="muted">${this.#loader.isLoaded ? 'Nothing is blocked.' : ''}</p>`
          : html`<ul class="blocks" aria-label="Blocked songs and artists">
              ${items.map(
                (b) =>
                  html`<li data-block-id=${b.id} data-kind=${b.kind}>
                    <span class="what"
                      ><strong>${nameOf(b)}</strong><br /><span class="muted">Blocked ${formatTime(b.createdAt)}</span></span
                    >
                    <button class="secondary" aria-label="Unblock ${nameOf(b)}" @click=${() => this.#unblock(b)}>Unblock</button>
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
      this._error = 'Type the artist’s name as their songs give it.';
      return;
    }
    await this.#act(async () => {
      const entry = await this.api.block({ artist });
      form.reset();
      if (entry.kind === 'artist' && entry.songs === 0) {
        this._misspelt = { entry, nearest: entry.nearest ?? [] };
        return `Blocked ${nameOf(entry)}, but no song in the music folders names that artist.`;
      }
      return entry.kind === 'artist' && entry.songs !== undefined
        ? `Blocked ${nameOf(entry)}: ${entry.songs === 1 ? '1 song no longer plays' : `${entry.songs} songs no longer play`} here.`
        : `Blocked ${nameOf(entry)}.`;
    });
  };

  /** After a block that names no song: the artists spelled nearly so, each to block in its place. */
  #renderMisspelt() {
    const misspelt = this._misspelt;
    if (misspelt === null || misspelt.nearest.length === 0) return nothing;
    const wrong = misspelt.entry.kind === 'artist' ? misspelt.entry.artist : '';
    return html`<div class="nearest" data-nearest>
      <p>Did you mean:</p>
      ${misspelt.nearest.map(
        (name) =>
          html`<button ?disabled=${this._isBusy} @click=${() => void this.#blockInstead(misspelt.entry, name)}>
            Block “${name}” instead of “${wrong}”
          </button>`,
      )}
    </div>`;
  }

  async #blockInstead(wrong: BlockedEntry, artist: string): Promise<void> {
    await this.#act(async () => {
      await this.api.unblock(wrong.id);
      const entry = await this.api.block({ artist });
      const songs = entry.kind === 'artist' ? (entry.songs ?? 0) : 0;
      return `Blocked ${nameOf(entry)} in place of “${wrong.kind === 'artist' ? wrong.artist : ''}”: ${songs === 1 ? '1 song no longer plays' : `${songs} songs no longer play`} here.`;
    });
  }

  readonly #import = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    if (file.size > MAX_LIST_BYTES) {
      this._error = `“${file.name}” is larger than 1 MB: split it into smaller lists.`;
      return;
    }
    await this.#act(async () => {
      const report = await this.api.importBlocks(await file.text());
      const parts = [
        `Blocked ${report.artists} ${report.artists === 1 ? 'artist' : 'artists'} and ${report.songs} ${report.songs === 1 ? 'song' : 'songs'}`,
      ];
      if (report.unmatched.length > 0)
        parts.push(
          `${report.unmatched.length} ${report.unmatched.length === 1 ? 'line names' : 'lines name'} no song of the library (${report.unmatched.map((u) => `line ${u.line}: ${u.key}`).join('; ')})`,
        );
      if (report.invalid.length > 0)
        parts.push(
          `${report.invalid.length} ${report.invalid.length === 1 ? 'line was' : 'lines were'} skipped (${report.invalid.map((i) => `line ${i.line}: ${i.reason}`).join('; ')})`,
        );
      return `${parts.join('. ')}.`;
    });
  };

  async #unblock(entry: BlockedEntry): Promise<void> {
    await this.#act(async () => {
      await this.api.unblock(entry.id);
      return `${nameOf(entry)} may play again.`;
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
