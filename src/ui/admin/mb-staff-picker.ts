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
  /**
   * Why it never plays here (blocked, its artist blocked, explicit and skipped; a station this box
   * may not play), in the reader's words, said in place of "Play now" and "Play next"; null when it may play.
   */
  blocked: string | null;
}

function songChoice(track: AdminTrack): Choice {
  const blocked = track.blocked ?? null;
  return {
    trackId: track.id,
    title: track.title,
    detail: [track.artist, track.album].filter((part) => part !== '').join(' · '),
    coverUrl: track.coverUrl,
    mood: track.moods[0]?.mood ?? null,
    canListen: !/^[a-z]+:\/\//i.test(track.uri),
    // Worded when drawn, in the language of the moment.
    get blocked() {
      return blocked === null ? null : t(`admin.library.blocked.${blocked}`);
    },
  };
}

function stationChoice(s: AdminStation): Choice {
  return {
    trackId: s.trackId,
    title: s.name,
    // Worded when drawn, in the language of the moment.
    get detail() {
      const why = s.blocked === null && s.isFailing ? t('admin.staff.picker.failed') : null;
      return [t('admin.staff.picker.liveRadio'), s.genre, why].filter((part) => part !== null && part !== '').join(' · ');
    },
    coverUrl: null,
    mood: s.moods[0]?.mood ?? null,
    canListen: false,
    get blocked() {
      return s.blocked === null ? null : i18n.said(s.blockedSaid, s.blocked);
    },
  };
}

/**
 * Staff choose what the speakers play: a search over the library (title, artist, album) and the
 * stations; each offers "Play now" (on the speakers, fading from the song playing) and "Play next"
 * (first in the queue; the room's mood does not push it out), unless it never plays here (blocked,
 * its artist blocked, explicit and skipped, a station this box may not play), which it says in their
 * place. "Listen" plays a song in this browser only, for staff to hear it first. Every choice is
 * audited by the daemon.
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
      /* A song that never plays here says so where "Play now" was, and leads to Blocked music. */
      a.blocked {
        display: inline-flex;
        align-items: center;
        min-height: 2.75em;
        color: #b91c1c;
        font-weight: 600;
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
  /** The search whose songs are shown, asked again by `refresh`; null before the first. */
  #shown: string | null = null;
  /** The song the last message said plays now or next: a block of it changes the message. */
  #announced: Choice | null = null;

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
    this.#announced = null;
  }

  /**
   * Reads the songs shown and the stations again (the queue changed, a song was blocked): a song
   * blocked since says so in place of its Play buttons, and a message that it plays now or next
   * says that it is blocked instead.
   */
  async refresh(): Promise<void> {
    if (this.#shown !== null) await this.#find(this.#shown);
    await this.#loadStations();
    const announced = this.#announced;
    const now = [...(this._songs ?? []), ...this._stations].find((c) => c.trackId === announced?.trackId);
    if (announced !== null && now !== undefined && now.blocked !== null)
      this.#say(t('admin.nowPlaying.blocked', { title: announced.title }));
  }

  readonly #search = async (event: Event): Promise<void> => {
    event.preventDefault();
    this.#say('');
    await this.#find(this._query.trim());
  };

  async #find(query: string): Promise<void> {
    try {
      const page = await this.api.tracks({ search: query, limit: RESULTS, offset: 0 });
      this._songs = page.items.map(songChoice);
      this._total = page.total;
      this.#shown = query;
    } catch (err) {
      this.#say(messageOf(err), true);
    }
  }

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
      this.#announced = choice;
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
        ${c.blocked === null ? this.#playButtons(c) : html`<a class="blocked" data-blocked href="#blocked">${c.blocked}</a>`}
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

  /** "Play now" and "Play next", for a song or station that may play here. */
  #playButtons(c: Choice) {
    return html`<button
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
      </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-staff-picker': MbStaffPicker;
  }
}
