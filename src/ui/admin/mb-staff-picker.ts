import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/mb-cover.js';
import type { AdminApi, AdminStation, AdminTrack } from '../data/admin-api.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { i18n, t } from './admin-i18n.js';

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
  return {
    trackId: s.trackId,
    title: s.name,
    // Worded when drawn, in the language of the moment (why it is blocked is the daemon's own, in English).
    get detail() {
      const why = s.blocked ?? (s.isFailing ? t('admin.staff.picker.failed') : null);
      return [t('admin.staff.picker.liveRadio'), s.genre, why].filter((part) => part !== null && part !== '').join(' · ');
    },
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
        margin-inline-start: auto;
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

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

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
      this.#say(
        when === 'now'
          ? t('admin.staff.picker.playingNow', { title: choice.title })
          : t('admin.staff.picker.playingNext', { title: choice.title }),
      );
    } catch (err) {
      this.#say(messageOf(err), true);
    } finally {
      this._isBusy = false;
    }
  }

  override render() {
    const songs = this._songs;
    return html`<section class="card" aria-labelledby="pick-h">
      <h3 id="pick-h">${t('admin.staff.picker.title')}</h3>
      <form role="search" @submit=${this.#search}>
        <label
          >${t('admin.staff.picker.find')}
          <input
            type="search"
            name="search"
            maxlength="200"
            placeholder=${t('admin.staff.picker.placeholder')}
            .value=${this._query}
            @input=${(e: Event) => (this._query = (e.target as HTMLInputElement).value)}
        /></label>
        <button type="submit">${t('admin.staff.picker.search')}</button>
      </form>
      <p class="result ${this._isError ? 'error' : 'ok'}" role="status" aria-live="polite">${this._message}</p>
      ${
        songs === null
          ? nothing
          : songs.length === 0
            ? html`<p class="muted">${t('admin.staff.picker.noMatch', { query: this._query.trim() })}</p>`
            : html`<ul aria-label=${t('admin.staff.picker.songsFound')} data-results>
                  ${songs.map((c) => this.#choice(c))}
                </ul>
                ${
                  this._total > songs.length
                    ? html`<p class="muted">${t('admin.staff.picker.more', { count: this._total - songs.length })}</p>`
                    : nothing
                }`
      }
      ${
        this._stations.length === 0
          ? nothing
          : html`<h3 id="stations-h">${t('admin.staff.picker.stations')}</h3>
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
          aria-label=${t('admin.staff.picker.playNowLabel', { title: c.title })}
          ?disabled=${this._isBusy}
          @click=${() => void this.#put(c, 'now')}
        >
          ${t('admin.staff.picker.playNow')}
        </button>
        <button
          type="button"
          class="secondary"
          data-action="play-next"
          aria-label=${t('admin.staff.picker.playNextLabel', { title: c.title })}
          ?disabled=${this._isBusy}
          @click=${() => void this.#put(c, 'next')}
        >
          ${t('admin.staff.picker.playNext')}
        </button>
        ${
          c.canListen
            ? html`<button
                type="button"
                class="secondary listen"
                data-action="listen"
                aria-label=${
                  this._listening === c.trackId
                    ? t('admin.staff.picker.stopListeningLabel', { title: c.title })
                    : t('admin.staff.picker.listenLabel', { title: c.title })
                }
                @click=${() => (this._listening = this._listening === c.trackId ? null : c.trackId)}
              >
                ${this._listening === c.trackId ? t('admin.staff.picker.stopListening') : t('admin.staff.picker.listen')}
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
              aria-label=${t('admin.staff.picker.preview', { title: c.title })}
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
