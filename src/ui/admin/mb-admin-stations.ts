import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminStation, KnownMood } from '../data/admin-api.js';
import { ApiError } from '../data/api-client.js';
import { fieldProblems } from '../data/field-problems.js';
import type { MbEvent } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, tWith } from './admin-i18n.js';
import { ADMIN_STYLES, field, formatTime, messageOf } from './admin-styles.js';
import { tagName } from './library-scan.js';
import './mb-mood-picker.js';
import type { PickedMood } from './mb-mood-picker.js';
import { PageLoader } from './page-loader.js';

/** The fields of the add form, as the daemon names them in a refusal. */
const FIELDS = ['name', 'url', 'moods'] as const;
type Field = (typeof FIELDS)[number];
/** The file of a music folder that lists its stations (a file name, never translated). */
const STATIONS_CSV = 'stations.csv';

const KIND_LABELS: Record<AdminStation['kind'], () => string> = {
  radio: () => t('admin.stations.kind.radio'),
  playlist: () => t('admin.stations.kind.playlist'),
  hls: () => t('admin.stations.kind.hls'),
  youtube: () => t('admin.stations.kind.youtube'),
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

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    return html`<h2>${t('admin.stations.title')}</h2>
      <p class="muted">${tWith('admin.stations.intro', { file: html`<code>${STATIONS_CSV}</code>` })}</p>
      ${this.#loader.status()} ${this.#renderForm()} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <p class="ok" role="status">${this._status}</p>
      ${
        this._items.length === 0
          ? html`<p class="muted">${this.#loader.isLoaded ? t('admin.stations.none') : ''}</p>`
          : html`<table class="cards">
              <thead>
                <tr>
                  <th scope="col">${t('admin.stations.station')}</th>
                  <th scope="col">${t('admin.stations.address')}</th>
                  <th scope="col">${t('admin.stations.moods')}</th>
                  <th scope="col">${t('admin.stations.status')}</th>
                  <th scope="col"><span class="muted">${t('admin.stations.remove')}</span></th>
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
        ${tWith('admin.stations.privateAddress', {
          link: html`<a href="#settings/music.allowPrivateStations">${t('admin.stations.privateAddressLink')}</a>`,
        })}
      </p>`;
    }
    return html`<p class="field-error" id="${name}-error" role="alert">${problem}</p>`;
  }

  #renderForm() {
    const invalid = (name: Field) => (this._problems[name] === undefined ? 'false' : 'true');
    const described = (name: Field, hint?: string) =>
      [hint, this._problems[name] === undefined ? undefined : `${name}-error`].filter(Boolean).join(' ') || nothing;
    return html`<section class="card" aria-labelledby="add-h">
      <h3 id="add-h">${t('admin.stations.addTitle')}</h3>
      <form class="add" @submit=${this.#add} @input=${this.#onInput} novalidate>
        <div class="field">
          <label
            >${t('admin.stations.name')}
            <input
              name="name"
              required
              autocomplete="off"
              placeholder=${t('admin.stations.namePlaceholder')}
              aria-invalid=${invalid('name')}
              aria-describedby=${described('name')}
          /></label>
          ${this.#problem('name')}
        </div>
        <div class="field">
          <label
            >${t('admin.stations.addressField')}
            <input
              name="url"
              type="url"
              required
              autocomplete="off"
              placeholder=${t('admin.stations.addressPlaceholder')}
              aria-invalid=${invalid('url')}
              aria-describedby=${described('url')}
            />
          </label>
          ${this.#problem('url')}
        </div>
        <fieldset class="field" aria-describedby="moods-hint">
          <legend>${t('admin.stations.moods')}</legend>
          <span id="moods-hint" class="muted">${t('admin.stations.moodsHint')}</span>
          <mb-mood-picker
            subject=${t('admin.stations.newStation')}
            .moods=${this._moods}
            .known=${this._known}
            error=${this._problems.moods ?? ''}
            @mb-moods-change=${this.#onMoods}
          ></mb-mood-picker>
        </fieldset>
        ${this._problems.form ? html`<p class="error" role="alert" id="add-error">${this._problems.form}</p>` : nothing}
        <div class="row">
          <button type="submit" ?disabled=${this._isSaving}>
            ${this._isSaving ? t('admin.stations.adding') : t('admin.stations.add')}
          </button>
        </div>
      </form>
    </section>`;
  }

  #renderStation(s: AdminStation) {
    return html`<tr data-station-id=${s.trackId} data-failing=${s.isFailing}>
      <td>
        <strong>${s.name}</strong><br />
        <span class="muted"
          >${KIND_LABELS[s.kind]()}${
            s.origin === 'sidecar'
              ? html` · ${tWith('admin.stations.fromFile', { file: html`<code>${s.file ?? STATIONS_CSV}</code>` })}`
              : nothing
          }</span
        >
      </td>
      <td class="url"><code>${s.url}</code></td>
      <td data-label=${t('admin.stations.moods')}>
        ${s.moods.map(
          (m) =>
            html`<span class="chip" data-mood=${m.mood}
              >${
                m.weight < 1
                  ? t('admin.stations.moodWeight', { mood: tagName(m.mood), weight: Math.round(m.weight * 100) / 100 })
                  : tagName(m.mood)
              }</span
            >`,
        )}
      </td>
      <td class="status">${this.#status(s)}</td>
      <td class="actions">
        ${
          s.origin === 'admin'
            ? html`<button
                class="secondary"
                aria-label=${t('admin.stations.removeLabel', { name: s.name })}
                @click=${() => this.#remove(s)}
              >
                ${t('admin.stations.remove')}
              </button>`
            : html`<span class="muted">${t('admin.stations.editCsv')}</span>`
        }
      </td>
    </tr>`;
  }

  #status(s: AdminStation) {
    if (s.isFailing) {
      const at = formatTime(s.failedAt);
      return html`<span data-state="failing"
        >${s.error ? t('admin.stations.failingError', { at, error: s.error }) : t('admin.stations.failing', { at })}
        ${s.retryAt === null ? t('admin.stations.retryNow') : t('admin.stations.retryAt', { at: formatTime(s.retryAt) })}</span
      >`;
    }
    if (s.blocked !== null)
      return html`<span data-state="blocked">${t('admin.stations.notPlayed', { reason: i18n.said(s.blockedSaid, s.blocked) })}</span>`;
    return html`<span data-state="ok"
      >${s.playedAt === null ? t('admin.stations.notPlayedYet') : t('admin.stations.played', { at: formatTime(s.playedAt) })}</span
    >`;
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
    if (name === '') problems.name = t('admin.stations.giveName');
    if (url === '') problems.url = t('admin.stations.giveAddress');
    else if (!/^https?:\/\//i.test(url)) problems.url = t('admin.stations.addressScheme');
    // A mood chosen in "Add mood" counts without its own "Add" press.
    const pending = this.renderRoot.querySelector('mb-mood-picker')?.pending ?? '';
    const moods =
      pending === '' || this._moods.some((m) => m.mood === pending) ? this._moods : [...this._moods, { mood: pending, weight: 1 }];
    if (moods.length === 0) problems.moods = t('admin.stations.chooseMood');
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
      this._status = t('admin.stations.added', { name: station.name });
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
    for (const problem of isAboutFields ? fieldProblems(messageOf(err)) : [{ path: '', message: messageOf(err) }]) {
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
      this._status = t('admin.stations.removed', { name: s.name });
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
