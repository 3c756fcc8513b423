import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CalibrationView, MyPlay, MyPreferences, MyProfile } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import { moodLook } from '../components/mb-mood-face.js';
import { ApiError } from '../data/api-client.js';
import type { KioskApi } from '../data/kiosk-api.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, moodName, t, type KioskKey } from './kiosk-i18n.js';
import { describeCalibration } from './mb-calibration.js';
import './mb-calibration.js';
import { ME_STYLES } from './mb-me.styles.js';

const ICON_HEART = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1.3em" height="1.3em" fill="currentColor"><path d="M12 21s-7.5-4.6-9.6-9.2C.9 8.3 3 4.5 6.7 4.5c2.1 0 3.6 1.2 5.3 3 1.7-1.8 3.2-3 5.3-3 3.7 0 5.8 3.8 4.3 7.3C19.5 16.4 12 21 12 21z"/></svg>`;
/** How many recent plays the history shows. */
const HISTORY_PLAYS = 30;

type Tab = 'history' | 'preferences' | 'expressions';
type PreferenceKey = keyof MyPreferences;
/** Each tab's name on its button, and its panel's. */
const TABS: Readonly<Record<Tab, { label: KioskKey; panel: KioskKey }>> = {
  history: { label: 'kiosk.me.history', panel: 'kiosk.me.history' },
  preferences: { label: 'kiosk.me.preferences', panel: 'kiosk.me.preferences' },
  expressions: { label: 'kiosk.me.expressions', panel: 'kiosk.me.yourExpressions' },
};

const GROUPS: ReadonlyArray<{ key: PreferenceKey; title: KioskKey; hint: KioskKey; empty: KioskKey }> = [
  {
    key: 'avoidMoods',
    title: 'kiosk.me.avoidMoods.title',
    hint: 'kiosk.me.avoidMoods.hint',
    empty: 'kiosk.me.avoidMoods.empty',
  },
  {
    key: 'languages',
    title: 'kiosk.me.languages.title',
    hint: 'kiosk.me.languages.hint',
    empty: 'kiosk.me.languages.empty',
  },
  {
    key: 'artists',
    title: 'kiosk.me.artists.title',
    hint: 'kiosk.me.artists.hint',
    empty: 'kiosk.me.artists.empty',
  },
];

/** A language code as the kiosk's language names it ("fr" → "French", "Französisch"); the code itself when the browser does not know it. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([i18n.locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** In the kiosk's language: "14:05" today, "Mon 14:05" this week, a date before. */
function when(at: number): string {
  const date = new Date(at);
  const ageDays = (Date.now() - at) / 86_400_000;
  const format = (options: Intl.DateTimeFormatOptions): string => i18n.dateTime(date, options);
  if (date.toDateString() === new Date().toDateString()) return i18n.time(at);
  if (ageDays < 6) return format({ weekday: 'short', hour: 'numeric', minute: '2-digit' });
  return format({ day: 'numeric', month: 'short' });
}

/**
 * The signed-in person's own page at the kiosk: what they played (with titles and a heart to like
 * or unlike each), their preferences (moods to avoid, languages and artists they like), each
 * saved at the tap, and their expression calibration (see it, make or redo it, delete it).
 * Covers the screen below the kiosk's header, as the sign-in panel does.
 *
 * @summary My history, preferences and expressions.
 * @event mb-cancel - `Done` was pressed.
 */
@customElement('mb-me')
export class MbMe extends LitElement {
  static override styles = ME_STYLES;

  /** The data layer of the kiosk. */
  @property({ attribute: false }) api: KioskApi | null = null;
  /** The tracks the person likes now; the kiosk keeps it. */
  @property({ attribute: false }) liked: ReadonlySet<number> = new Set();
  /** Likes or unlikes a track (the kiosk does it, so the now-playing and the tiles follow). */
  @property({ attribute: false }) toggleLike: ((trackId: number, title: string) => Promise<void>) | null = null;
  /** The person's name, for the heading. */
  @property() name = '';

  @state() private _tab: Tab = 'history';
  @state() private _plays: MyPlay[] | null = null;
  @state() private _profile: MyProfile | null = null;
  @state() private _status: { text: string; isError: boolean } | null = null;
  /** Their calibration; undefined while loading, a string when it cannot be shown (why). */
  @state() private _calibration: CalibrationView | string | undefined = undefined;
  @state() private _isCalibrating = false;
  @state() private _isConfirmingDelete = false;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override render() {
    return html`<section role="dialog" aria-modal="true" aria-labelledby="me-title">
        <div class="top">
          <h2 id="me-title">${this.name ? t('kiosk.me.titleOf', { name: this.name }) : t('kiosk.me.title')}</h2>
          <div role="tablist" aria-label=${t('kiosk.me.tabsLabel')}>
            ${this.#tabButton('history')} ${this.#tabButton('preferences')} ${this.#tabButton('expressions')}
          </div>
          <button class="done" data-action="close-me" @click=${() => emit(this, 'mb-cancel', {})}>${t('kiosk.me.done')}</button>
        </div>
        <div class="body" role="tabpanel" aria-label=${t(TABS[this._tab].panel)}>
          ${this._tab === 'history' ? this.#renderHistory() : this._tab === 'preferences' ? this.#renderPreferences() : this.#renderCalibration()}
        </div>
        <p class="status ${this._status?.isError ? 'error' : ''}" role="status">${this._status?.text ?? ''}</p>
      </section>
      ${
        this._isCalibrating
          ? html`<mb-calibration .api=${this.api} @mb-calibration-close=${this.#onCalibrationClosed}></mb-calibration>`
          : nothing
      }`;
  }

  #renderCalibration() {
    const calibration = this._calibration;
    const heading = html`<h3>${t('kiosk.me.yourExpressions')}</h3>
      <p class="hint">${t('kiosk.me.calibrationHint')}</p>`;
    if (calibration === undefined)
      return html`<div class="group calibration">
        ${heading}
        <p class="empty">${t('kiosk.me.loading')}</p>
      </div>`;
    if (typeof calibration === 'string')
      return html`<div class="group calibration">
        ${heading}
        <p class="empty">${calibration}</p>
      </div>`;
    const stored = calibration.stored;
    const { status, title, detail } = describeCalibration(stored);
    return html`<div class="group calibration" data-status=${status}>
      ${heading}
      <p class="state">${title}</p>
      <p class="hint">${detail}</p>
      ${
        this._isConfirmingDelete
          ? html`<p class="state">${t('kiosk.me.confirmDelete')}</p>
              <div class="actions">
                <button class="danger" data-action="confirm-delete-calibration" @click=${this.#deleteCalibration}>
                  ${t('kiosk.me.yesDelete')}
                </button>
                <button data-action="keep-calibration" @click=${() => (this._isConfirmingDelete = false)}>${t('kiosk.me.keep')}</button>
              </div>`
          : html`<div class="actions">
              <button class="done" data-action="calibrate" @click=${this.#startCalibration}>
                ${stored === null ? t('kiosk.me.calibrate') : t('kiosk.me.redo')}
              </button>
              ${
                stored === null
                  ? nothing
                  : html`<button class="danger" data-action="delete-calibration" @click=${() => (this._isConfirmingDelete = true)}>
                      ${t('kiosk.me.delete')}
                    </button>`
              }
            </div>`
      }
    </div>`;
  }

  #tabButton(tab: Tab) {
    return html`<button role="tab" data-tab=${tab} aria-selected=${this._tab === tab ? 'true' : 'false'} @click=${() => (this._tab = tab)}>
      ${t(TABS[tab].label)}
    </button>`;
  }

  #renderHistory() {
    if (this._plays === null) return html`<p class="empty">${t('kiosk.me.loading')}</p>`;
    if (this._plays.length === 0) return html`<p class="empty">${t('kiosk.me.noPlays')}</p>`;
    return html`<ol aria-label=${t('kiosk.me.playsLabel')}>
      ${this._plays.map((play) => {
        const title = play.title ?? t('kiosk.me.goneSong');
        const isLiked = play.trackId !== null && this.liked.has(play.trackId);
        return html`<li data-play-id=${play.id} data-track-id=${play.trackId ?? ''}>
          <mb-cover .src=${play.coverUrl} label=${title} .mood=${play.mood}></mb-cover>
          <span>
            <div class="t">${title}</div>
            <div class="a">${play.artist ?? ''}</div>
            <div class="at">${when(play.startedAt)}${play.mood ? ` · ${moodName(play.mood, moodLook(play.mood).label)}` : ''}</div>
          </span>
          ${
            play.trackId === null
              ? nothing
              : html`<button
                  class="heart"
                  data-action="like"
                  aria-pressed=${isLiked ? 'true' : 'false'}
                  aria-label=${t(isLiked ? 'kiosk.me.unlikeLabel' : 'kiosk.likeLabel', { title })}
                  @click=${() => this.toggleLike?.(play.trackId ?? 0, title)}
                >
                  ${ICON_HEART}
                </button>`
          }
        </li>`;
      })}
    </ol>`;
  }

  #renderPreferences() {
    const profile = this._profile;
    if (profile === null) return html`<p class="empty">${t('kiosk.me.loading')}</p>`;
    return GROUPS.map(({ key, title, hint, empty }) => {
      const choices = profile.choices[key];
      const chosen = new Set(profile.preferences[key]);
      return html`<div class="group" data-group=${key}>
        <h3>${t(title)}</h3>
        <p class="hint">${t(hint)}</p>
        ${
          choices.length === 0
            ? html`<p class="empty">${t(empty)}</p>`
            : html`<div class="chips" role="group" aria-label=${t(title)}>
                ${choices.map((value) => {
                  const label =
                    key === 'languages' ? languageName(value) : key === 'avoidMoods' ? moodName(value, moodLook(value).label) : value;
                  return html`<button
                    class="chip"
                    data-value=${value}
                    aria-pressed=${chosen.has(value) ? 'true' : 'false'}
                    @click=${() => this.#toggle(key, value)}
                  >
                    ${label}
                  </button>`;
                })}
              </div>`
        }
      </div>`;
    });
  }

  #startCalibration = (): void => {
    this._status = null;
    this._isCalibrating = true;
  };

  #onCalibrationClosed = (event: CustomEvent<{ isStored: boolean }>): void => {
    this._isCalibrating = false;
    if (event.detail.isStored) this._status = { text: t('kiosk.me.calibrationSaved'), isError: false };
    void this.#loadCalibration();
  };

  #deleteCalibration = async (): Promise<void> => {
    const api = this.api;
    if (api === null) return;
    try {
      this._calibration = await api.deleteCalibration();
      this._isConfirmingDelete = false;
      this._status = { text: t('kiosk.me.calibrationDeleted'), isError: false };
    } catch (err) {
      this._status = { text: err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.me.notDeleted'), isError: true };
    }
  };

  async #loadCalibration(): Promise<void> {
    const api = this.api;
    if (api === null) return;
    try {
      this._calibration = await api.calibration();
    } catch (err) {
      this._calibration = err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.me.calibrationNotLoaded');
    }
  }

  async #load(): Promise<void> {
    const api = this.api;
    if (api === null) return;
    void this.#loadCalibration();
    try {
      const [history, profile] = await Promise.all([api.history(HISTORY_PLAYS), api.profile()]);
      this._plays = Array.isArray(history?.items) ? history.items : [];
      this._profile = profile?.choices === undefined ? null : profile;
    } catch (err) {
      this._plays ??= [];
      this._status = { text: err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.me.notLoaded'), isError: true };
    }
  }

  async #toggle(key: PreferenceKey, value: string): Promise<void> {
    const api = this.api;
    const profile = this._profile;
    if (api === null || profile === null) return;
    const current = profile.preferences[key];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    // Shown at once; put back if the daemon refuses.
    this._profile = { ...profile, preferences: { ...profile.preferences, [key]: next } };
    try {
      const saved = await api.setPreferences({ [key]: next });
      this._profile = { ...profile, preferences: saved };
      this._status = { text: t('kiosk.me.saved'), isError: false };
    } catch (err) {
      this._profile = profile;
      this._status = { text: err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.me.notSaved'), isError: true };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-me': MbMe;
  }
}
