import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminStation } from '../data/admin-api.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';

const MOOD_PATTERN = /^[a-z][a-z0-9-]*$/;

const KIND_LABELS: Record<AdminStation['kind'], string> = {
  radio: 'Web radio',
  playlist: 'Playlist (m3u/pls)',
  hls: 'HLS stream',
  youtube: 'YouTube',
};

/**
 * Web radio and other streams: the stations of the library with their moods, where each came from
 * (this page, or a music folder's `stations.csv`), whether its last play failed and when, and a
 * form to add one. The music picks stations for a mood like songs.
 *
 * @summary Admin stations page.
 */
@customElement('mb-admin-stations')
export class MbAdminStations extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      form.add {
        display: grid;
        gap: 0.6em;
        max-width: 40em;
      }
      form.add input {
        width: 100%;
        box-sizing: border-box;
      }
      td.url code {
        word-break: break-all;
      }
      tr[data-failing='true'] td.status {
        color: #b91c1c;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _items: AdminStation[] = [];
  @state() private _isLoaded = false;
  @state() private _isSaving = false;
  @state() private _error = '';
  @state() private _formError = '';
  @state() private _status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this._items = await this.api.stations();
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._isLoaded = true;
    }
  }

  override render() {
    return html`<h2>Stations</h2>
      <p class="muted">
        Web radio and other streams play like songs: the music picks a station whose moods fit the room, and the kiosk shows what the
        station says it plays. A music folder's <code>stations.csv</code> adds stations at each scan (see docs/music-sources.md).
      </p>
      ${this.#renderForm()} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <p class="ok" role="status">${this._status}</p>
      ${
        this._items.length === 0
          ? html`<p class="muted">${this._isLoaded ? 'No stations yet.' : 'Loading…'}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">Station</th>
                  <th scope="col">Address</th>
                  <th scope="col">Moods</th>
                  <th scope="col">Status</th>
                  <th scope="col"><span class="muted">Remove</span></th>
                </tr>
              </thead>
              <tbody>
                ${this._items.map((s) => this.#renderStation(s))}
              </tbody>
            </table>`
      }`;
  }

  #renderForm() {
    return html`<section class="card" aria-labelledby="add-h">
      <h3 id="add-h">Add a station</h3>
      <form class="add" @submit=${this.#add} novalidate>
        <label>Name <input name="name" required autocomplete="off" placeholder="Radio Paradise Mellow" /></label>
        <label
          >Address (http or https: a stream, an .m3u or .pls playlist, HLS)
          <input name="url" type="url" required autocomplete="off" placeholder="https://stream.example.com/live.mp3" />
        </label>
        <label
          >Moods, separated by commas
          <input name="moods" required autocomplete="off" placeholder="calm, mellow" aria-describedby="moods-hint" />
        </label>
        <span id="moods-hint" class="muted">Lower-case mood names, as the library's tracks use them (calm, mellow, upbeat…).</span>
        ${this._formError ? html`<p class="error" role="alert" id="add-error">${this._formError}</p>` : nothing}
        <div class="row"><button type="submit" ?disabled=${this._isSaving}>${this._isSaving ? 'Adding…' : 'Add station'}</button></div>
      </form>
    </section>`;
  }

  #renderStation(s: AdminStation) {
    return html`<tr data-station-id=${s.trackId} data-failing=${s.isFailing}>
      <td>
        <strong>${s.name}</strong><br />
        <span class="muted"
          >${KIND_LABELS[s.kind]}${s.origin === 'sidecar' ? html` · from <code>${s.file ?? 'stations.csv'}</code>` : nothing}</span
        >
      </td>
      <td class="url"><code>${s.url}</code></td>
      <td>
        ${s.moods.map((m) => html`<span class="chip" data-mood=${m.mood}>${m.mood}${m.weight < 1 ? ` ${Math.round(m.weight * 100)}%` : ''}</span>`)}
      </td>
      <td class="status">${this.#status(s)}</td>
      <td>
        ${
          s.origin === 'admin'
            ? html`<button class="secondary" aria-label="Remove ${s.name}" @click=${() => this.#remove(s)}>Remove</button>`
            : html`<span class="muted">Edit its stations.csv</span>`
        }
      </td>
    </tr>`;
  }

  #status(s: AdminStation) {
    if (s.isFailing) {
      return html`<span data-state="failing"
        >Failing since ${formatTime(s.failedAt)}${s.error ? html`: ${s.error}` : nothing}.
        ${s.retryAt === null ? 'It may be tried again now.' : `Tried again after ${formatTime(s.retryAt)}.`}</span
      >`;
    }
    if (s.blocked !== null) return html`<span data-state="blocked">Not played: ${s.blocked}</span>`;
    return html`<span data-state="ok">${s.playedAt === null ? 'Not played yet' : `Played ${formatTime(s.playedAt)}`}</span>`;
  }

  readonly #add = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const moods = field(data, 'moods')
      .split(/[,;\s]+/)
      .map((m) => m.trim().toLowerCase())
      .filter((m) => m !== '');
    const bad = moods.find((m) => !MOOD_PATTERN.test(m));
    if (field(data, 'name').trim() === '') return this.#fail('Name: give the station a name.');
    if (field(data, 'url').trim() === '') return this.#fail('Address: give the station’s http or https address.');
    if (moods.length === 0) return this.#fail('Moods: give at least one mood.');
    if (bad !== undefined) return this.#fail(`Moods: “${bad}” is not a mood name (lower-case letters, digits and dashes).`);
    this._isSaving = true;
    try {
      const station = await this.api.addStation({
        name: field(data, 'name').trim(),
        url: field(data, 'url').trim(),
        moods: moods.map((mood) => ({ mood, weight: 1 })),
      });
      form.reset();
      this._formError = '';
      await this.#load();
      this._status = `Added “${station.name}”.`;
    } catch (err) {
      this.#fail(messageOf(err));
    } finally {
      this._isSaving = false;
    }
  };

  #fail(message: string): void {
    this._formError = message;
    this._status = '';
  }

  async #remove(s: AdminStation): Promise<void> {
    try {
      await this.api.removeStation(s.trackId);
      // The list first, then the message: "Removed" never shows beside the station it names.
      await this.#load();
      this._status = `Removed “${s.name}”.`;
    } catch (err) {
      this._error = messageOf(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-stations': MbAdminStations;
  }
}
