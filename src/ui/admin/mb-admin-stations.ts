import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminStation, KnownMood } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { fieldProblems } from '../data/field-problems.js';
import type { MbEvent } from '../events.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';
import './mb-mood-picker.js';
import type { PickedMood } from './mb-mood-picker.js';
import { PageLoader } from './page-loader.js';

/** The fields of the add form, as the daemon names them in a refusal. */
const FIELDS = ['name', 'url', 'moods'] as const;
type Field = (typeof FIELDS)[number];

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
      form.add .field {
        display: grid;
        gap: 0.2em;
      }
      fieldset {
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        padding: 0;
        font-weight: 600;
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
  /** The moods the library knows: a station may be tagged with these only. */
  @state() private _known: KnownMood[] = [];
  /** The new station's moods, picked from the known ones. */
  @state() private _moods: PickedMood[] = [];
  @state() private _isSaving = false;
  @state() private _error = '';
  /** What is wrong with each field of the form (`name`, `url`, `moods`), beside it; `form` for the rest. */
  @state() private _problems: Partial<Record<Field | 'form', string>> = {};
  @state() private _status = '';
  readonly #loader = new PageLoader(this, async () => {
    const [items, known] = await Promise.all([this.api.stations(), this.api.moods()]);
    this._items = items;
    this._known = known;
  });

  override render() {
    return html`<h2>Stations</h2>
      <p class="muted">
        Web radio and other streams play like songs: the music picks a station whose moods fit the room, and the kiosk shows what the
        station says it plays. A music folder's <code>stations.csv</code> adds stations at each scan (see docs/music-sources.md).
      </p>
      ${this.#loader.status()} ${this.#renderForm()} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <p class="ok" role="status">${this._status}</p>
      ${
        this._items.length === 0
          ? html`<p class="muted">${this.#loader.isLoaded ? 'No stations yet.' : ''}</p>`
          : html`<table class="cards">
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

  /** A field's problem beside it, tied to the field for screen readers. */
  #problem(name: Field) {
    const problem = this._problems[name];
    if (problem === undefined) return nothing;
    // On this box's network: the owner can allow such stations in Settings, so the page says where.
    if (name === 'url' && problem.includes('music.allowPrivateStations')) {
      return html`<p class="field-error" id="url-error" role="alert">
        This address is on this box or its local network. Moodbox plays stations from the internet unless you allow stations on this
        network: <a href="#settings/music.allowPrivateStations">allow them in Settings</a>, restart Moodbox there, and add the station
        again.
      </p>`;
    }
    return html`<p class="field-error" id="${name}-error" role="alert">${problem}</p>`;
  }

  #renderForm() {
    const invalid = (name: Field) => (this._problems[name] === undefined ? 'false' : 'true');
    const described = (name: Field, hint?: string) =>
      [hint, this._problems[name] === undefined ? undefined : `${name}-error`].filter(Boolean).join(' ') || nothing;
    return html`<section class="card" aria-labelledby="add-h">
      <h3 id="add-h">Add a station</h3>
      <form class="add" @submit=${this.#add} @input=${this.#onInput} novalidate>
        <div class="field">
          <label
            >Name
            <input
              name="name"
              required
              autocomplete="off"
              placeholder="Radio Paradise Mellow"
              aria-invalid=${invalid('name')}
              aria-describedby=${described('name')}
          /></label>
          ${this.#problem('name')}
        </div>
        <div class="field">
          <label
            >Address (http or https: a stream, an .m3u or .pls playlist, HLS)
            <input
              name="url"
              type="url"
              required
              autocomplete="off"
              placeholder="https://stream.example.com/live.mp3"
              aria-invalid=${invalid('url')}
              aria-describedby=${described('url')}
            />
          </label>
          ${this.#problem('url')}
        </div>
        <fieldset class="field" aria-describedby="moods-hint">
          <legend>Moods</legend>
          <span id="moods-hint" class="muted"
            >The moods the library’s songs use: the music picks the station when the room calls for one.</span
          >
          <mb-mood-picker
            subject="the new station"
            .moods=${this._moods}
            .known=${this._known}
            error=${this._problems.moods ?? ''}
            @mb-moods-change=${this.#onMoods}
          ></mb-mood-picker>
        </fieldset>
        ${this._problems.form ? html`<p class="error" role="alert" id="add-error">${this._problems.form}</p>` : nothing}
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
      <td data-label="Moods">
        ${s.moods.map((m) => html`<span class="chip" data-mood=${m.mood}>${m.mood}${m.weight < 1 ? ` ${Math.round(m.weight * 100)}%` : ''}</span>`)}
      </td>
      <td class="status">${this.#status(s)}</td>
      <td class="actions">
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

  readonly #onMoods = (event: MbEvent<'mb-moods-change'>): void => {
    this._moods = event.detail.moods;
    this.#clear('moods');
  };

  /** Typing in a field clears what was said about it. */
  readonly #onInput = (event: Event): void => {
    const name = (event.target as HTMLInputElement).name;
    if (name === 'name' || name === 'url') this.#clear(name);
  };

  #clear(name: Field): void {
    if (this._problems[name] === undefined && this._problems.form === undefined) return;
    this._problems = Object.fromEntries(Object.entries(this._problems).filter(([key]) => key !== name && key !== 'form'));
  }

  readonly #add = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const name = field(data, 'name').trim();
    const url = field(data, 'url').trim();
    const problems: Partial<Record<Field | 'form', string>> = {};
    if (name === '') problems.name = 'Give the station a name.';
    if (url === '') problems.url = 'Give the station’s address, starting with http:// or https://.';
    else if (!/^https?:\/\//i.test(url)) problems.url = 'Enter an address that starts with http:// or https://.';
    // A mood chosen in "Add mood" counts without its own "Add" press.
    const pending = this.renderRoot.querySelector('mb-mood-picker')?.pending ?? '';
    const moods =
      pending === '' || this._moods.some((m) => m.mood === pending) ? this._moods : [...this._moods, { mood: pending, weight: 1 }];
    if (moods.length === 0) problems.moods = 'Choose a mood the station plays for.';
    this._problems = problems;
    this._status = '';
    if (Object.keys(problems).length > 0) return;
    this._isSaving = true;
    try {
      const station = await this.api.addStation({ name, url, moods: moods.map(({ mood, weight }) => ({ mood, weight })) });
      form.reset();
      this._moods = [];
      this._problems = {};
      await this.#loader.reload();
      this._status = `Added “${station.name}”.`;
    } catch (err) {
      this.#refusal(err);
    } finally {
      this._isSaving = false;
    }
  };

  /** The daemon's refusal, each problem beside the field it names, in plain words. */
  #refusal(err: unknown): void {
    const problems: Partial<Record<Field | 'form', string>> = {};
    const isAboutFields = err instanceof ApiError && err.status >= 400 && err.status < 500;
    for (const problem of isAboutFields ? fieldProblems(err.message) : [{ path: '', message: messageOf(err) }]) {
      const name = FIELDS.find((f) => problem.path === f || problem.path.startsWith(`${f}.`)) ?? 'form';
      problems[name] = problems[name] === undefined ? problem.message : `${problems[name]} ${problem.message}`;
    }
    this._problems = problems;
  }

  async #remove(s: AdminStation): Promise<void> {
    try {
      await this.api.removeStation(s.trackId);
      // The list first, then the message: "Removed" never shows beside the station it names.
      await this.#loader.reload();
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
