import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/mb-cover.js';
import type { AdminApi, AdminStation, AdminTrack } from '../data/admin-api.js';
import { emit } from '../events.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';

/** How many songs a search shows. */
const RESULTS = 8;

/** A song or station staff may put on: what the picker lists. */
interface Choice {
  trackId: number;
  title: string;
  detail: string;
  coverUrl: string | null;
  mood: string | null;
  /** Songs can be heard in this browser first; stations not. */
  canListen: boolean;
}

function songChoice(t: AdminTrack): Choice {
  return {
    trackId: t.id,
    title: t.title,
    detail: [t.artist, t.album].filter((part) => part !== '').join(' · '),
    coverUrl: t.coverUrl,
    mood: t.moods[0]?.mood ?? null,
    canListen: !/^[a-z]+:\/\//i.test(t.uri),
  };
}

function stationChoice(s: AdminStation): Choice {
  const why = s.blocked ?? (s.isFailing ? 'failed a moment ago' : null);
  return {
    trackId: s.trackId,
    title: s.name,
    detail: ['Live radio', s.genre, why].filter((part) => part !== null && part !== '').join(' · '),
    coverUrl: null,
    mood: s.moods[0]?.mood ?? null,
    canListen: false,
  };
}

/**
 * Staff choose what the speakers play: a search over the library (title, artist, album) and the
 * stations; each offers "Play now" (on the speakers, fading from the song playing) and "Play next"
 * (first in the queue; the room's mood does not push it out). "Listen" plays a song in this
 * browser only, for staff to hear it first. Every choice is audited by the daemon.
 *
 * @summary Play a song or station on the speakers.
 * @event mb-player-changed - The queue changed; `detail` is the staff view the daemon answered with.
 */
@customElement('mb-staff-picker')
export class MbStaffPicker extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 0.6em;
      }
      form label {
        flex: 1 1 12em;
        min-width: 0;
      }
      form input {
        width: 100%;
        min-height: 2.75em;
        box-sizing: border-box;
      }
      ul {
        margin: 0.6em 0 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: grid;
        grid-template-columns: 2.75em minmax(0, 1fr);
        gap: 0.3em 0.6em;
        align-items: center;
        padding: 0.4em 0;
        border-bottom: 1px solid #e5e7eb;
      }
      li mb-cover {
        --mb-cover-size: 2.75em;
      }
      .what {
        overflow-wrap: anywhere;
      }
      .actions {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
      }
      .actions button {
        min-height: 2.75em;
      }
      /* Listening in the browser is not playing on the speakers: set apart, outlined in grey. */
      .actions .listen {
        margin-left: auto;
        border-color: #6b7280;
        color: #374151;
      }
      audio {
        grid-column: 1 / -1;
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _query = '';
  @state() private _songs: Choice[] | null = null;
  @state() private _total = 0;
  @state() private _stations: Choice[] = [];
  @state() private _listening: number | null = null;
  @state() private _message = '';
  @state() private _isError = false;
  @state() private _isBusy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadStations();
  }

  async #loadStations(): Promise<void> {
    try {
      this._stations = (await this.api.stations()).map(stationChoice);
    } catch (err) {
      this.#say(messageOf(err), true);
    }
  }

  #say(message: string, isError = false): void {
    this._message = message;
    this._isError = isError;
  }

  readonly #search = async (event: Event): Promise<void> => {
    event.preventDefault();
    const query = this._query.trim();
    this.#say('');
    try {
      const page = await this.api.tracks({ search: query, limit: RESULTS, offset: 0 });
      this._songs = page.items.map(songChoice);
      this._total = page.total;
    } catch (err) {
      this.#say(messageOf(err), true);
    }
  };

  async #put(choice: Choice, when: 'now' | 'next'): Promise<void> {
    this._isBusy = true;
    this.#say('');
    try {
      const view = when === 'now' ? await this.api.playNow(choice.trackId) : await this.api.playNext(choice.trackId);
      emit(this, 'mb-player-changed', view);
      this.#say(when === 'now' ? `“${choice.title}” plays now on the speakers.` : `“${choice.title}” plays next on the speakers.`);
    } catch (err) {
      this.#say(messageOf(err), true);
    } finally {
      this._isBusy = false;
    }
  }

  override render() {
    const songs = this._songs;
    return html`<section class="card" aria-labelledby="pick-h">
      <h3 id="pick-h">Play on the speakers</h3>
      <form role="search" @submit=${this.#search}>
        <label
          >Find a song
          <input
            type="search"
            name="search"
            maxlength="200"
            placeholder="Title, artist or album"
            .value=${this._query}
            @input=${(e: Event) => (this._query = (e.target as HTMLInputElement).value)}
        /></label>
        <button type="submit">Search</button>
      </form>
      <p class="result ${this._isError ? 'error' : 'ok'}" role="status" aria-live="polite">${this._message}</p>
      ${
        songs === null
          ? nothing
          : songs.length === 0
            ? html`<p class="muted">No song matches “${this._query.trim()}”.</p>`
            : html`<ul aria-label="Songs found" data-results>
                  ${songs.map((c) => this.#choice(c))}
                </ul>
                ${this._total > songs.length ? html`<p class="muted">${this._total - songs.length} more: search for more words.</p>` : nothing}`
      }
      ${
        this._stations.length === 0
          ? nothing
          : html`<h3 id="stations-h">Stations</h3>
              <ul aria-labelledby="stations-h" data-stations>
                ${this._stations.map((c) => this.#choice(c))}
              </ul>`
      }
    </section>`;
  }

  #choice(c: Choice) {
    return html`<li data-choice=${c.trackId}>
      <mb-cover .src=${c.coverUrl} label=${c.title} .mood=${c.mood}></mb-cover>
      <span class="what"><strong>${c.title}</strong>${c.detail ? html`<br /><span class="muted">${c.detail}</span>` : nothing}</span>
      <span class="actions">
        <button
          type="button"
          data-action="play-now"
          aria-label="Play now: “${c.title}”"
          ?disabled=${this._isBusy}
          @click=${() => void this.#put(c, 'now')}
        >
          Play now
        </button>
        <button
          type="button"
          class="secondary"
          data-action="play-next"
          aria-label="Play next: “${c.title}”"
          ?disabled=${this._isBusy}
          @click=${() => void this.#put(c, 'next')}
        >
          Play next
        </button>
        ${
          c.canListen
            ? html`<button
                type="button"
                class="secondary listen"
                data-action="listen"
                aria-label=${this._listening === c.trackId ? `Stop listening to “${c.title}”` : `Listen here to “${c.title}”`}
                @click=${() => (this._listening = this._listening === c.trackId ? null : c.trackId)}
              >
                ${this._listening === c.trackId ? 'Stop listening' : 'Listen here'}
              </button>`
            : nothing
        }
      </span>
      ${
        this._listening === c.trackId
          ? html`<audio
              controls
              autoplay
              preload="none"
              src="/api/admin/tracks/${c.trackId}/audio"
              aria-label="Preview of ${c.title}, in this browser only"
            ></audio>`
          : nothing
      }
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-staff-picker': MbStaffPicker;
  }
}
