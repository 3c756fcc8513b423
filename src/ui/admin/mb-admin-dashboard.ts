import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { moodColour } from '../components/mood-colours.js';
import type { AdminApi, Backups, ChartStats } from '../data/admin-api.js';
import type { MbEvent } from '../events.js';
import type { ApiClient } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { STAFF_EMOTIONS } from './admin-moods.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { i18n, moodName, t, tWith, type AdminKey } from './admin-i18n.js';
import { DASHBOARD_STYLES } from './mb-admin-dashboard.styles.js';
import './charts/mb-busy-hours.js';
import './charts/mb-mood-timeline.js';
import './charts/mb-plays-chart.js';
import './charts/mb-top-tracks.js';
import { CHART_RANGES, type ChartRange, rangeWindow } from './charts/time-axis.js';
import { LiveStateController, whenChanged } from './live-state-controller.js';
import './mb-library-warnings.js';
import './mb-guest-requests.js';
import type { MbNowPlayingCard } from './mb-now-playing-card.js';
import './mb-now-playing-card.js';
import './mb-staff-controls.js';
import './mb-staff-picker.js';
import type { MbStaffPicker } from './mb-staff-picker.js';
import { isRestoreUnread, markRestoreRead, restoredNote } from './restored-note.js';
import { isOwner } from './panel-role.js';

/** The charts follow the room live, but are read again at most this often (ms). */
const LIVE_RELOAD_MS = 15_000;
/** With nothing changing, the charts are still read again this often, so "until now" moves on (ms). */
const REFRESH_MS = 60_000;

/** What, when it changes, makes the charts out of date: the room mood and the track playing. */
function chartKey(state: StateSnapshot | null): string {
  return state === null ? '' : `${state.mood.current ?? ''}|${state.player.nowPlaying?.id ?? ''}`;
}

/**
 * The faces in view and how they look, as they vote on the room mood: "18 faces: 11 neutral, 6
 * happy, 1 sad". The count alone ("3 faces in view") while the counts by emotion do not add up to it.
 */
export function facesLine(faces: number, byEmotion: Readonly<Record<string, number>> | undefined): string {
  const counts = Object.entries(byEmotion ?? {}).filter(([, n]) => n > 0);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  if (faces === 0 || total !== faces) return t('admin.dashboard.facesInView', { count: faces });
  const emotions = counts.map(([emotion, n]) =>
    isEmotion(emotion) ? t(`admin.dashboard.emotion.${emotion}`, { count: n }) : t('admin.dashboard.emotionOther', { count: n, emotion }),
  );
  return t('admin.dashboard.facesBy', { count: faces, emotions: emotions.join(', ') });
}

type EmotionId<K> = K extends `admin.dashboard.emotion.${infer E}` ? E : never;
/** The camera's emotions the catalogue names, as the faces line counts them ("6 happy"). */
const EMOTIONS: ReadonlySet<string> = new Set<EmotionId<AdminKey>>([...STAFF_EMOTIONS, 'unsure']);
const isEmotion = (emotion: string): emotion is EmotionId<AdminKey> => EMOTIONS.has(emotion);

type CameraId<K> = K extends `admin.dashboard.camera.${infer S}` ? S : never;
const CAMERA: ReadonlySet<string> = new Set<CameraId<AdminKey>>(['off', 'starting', 'on', 'unavailable', 'unknown']);
/** "camera on": the camera's status in a word of the reader's language (one the catalogue lacks, as the daemon says it). */
function cameraLine(status: string | undefined, isClip = false): string {
  const id = status ?? 'unknown';
  // The demo clip is a recording: never "camera on", as if it saw the room.
  if (id === 'on' && isClip) return t('admin.dashboard.cameraClip');
  return CAMERA.has(id) ? t(`admin.dashboard.camera.${id as CameraId<AdminKey>}`) : t('admin.dashboard.cameraOther', { status: id });
}

const clock = (at: number): string => i18n.time(at);

/** A screen at least this wide shows the whole dashboard open; a narrower one (a phone) is brief. */
const WIDE = '(min-width: 700px)';

/** The parts of a phone's dashboard behind its "More" card, each drawn (and loaded) once opened. */
type More = 'picker' | 'library' | 'disk' | 'activity';

/**
 * The dashboard: the staff controls, what plays and what comes next, a search to play a song or
 * station on the speakers, the library's warnings, the room mood and the health of each service
 * (live, from the socket), one card each in a grid, and charts of the chosen period (the last hour, today or the last 7 days): the room mood as a
 * timeline band, plays per mood over time, busy hours, and the top tracks with likes and skips.
 * On a phone it is brief, what an owner checks every day in two screens: the controls, what plays
 * and next, the room mood, the requests waiting and what needs attention; the search, the
 * library's notes, the disk and the charts are closed in a "More" card.
 *
 * @summary Admin dashboard.
 */
@customElement('mb-admin-dashboard')
export class MbAdminDashboard extends LitElement {
  static override styles = [ADMIN_STYLES, DASHBOARD_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _charts: ChartStats | null = null;
  @state() private _range: ChartRange = 'today';
  @state() private _isLoading = false;
  @state() private _error = '';
  /** A phone's dashboard: brief, the rest closed (`WIDE`). */
  @state() private _isBrief = false;
  /** The closed parts of a phone's dashboard that have been opened. */
  @state() private _opened: ReadonlySet<More> = new Set();
  /** The backups, while the note on a restore this start put in place waits to be read here. */
  @state() private _restored: Backups | null = null;
  @query('mb-now-playing-card') private _nowPlaying!: MbNowPlayingCard | null;
  @query('mb-staff-picker') private _picker!: MbStaffPicker | null;
  #wide: MediaQueryList | undefined;
  readonly #onWidth = (): void => {
    this._isBrief = this.#wide?.matches === false;
    if (this.#isChartsShown() && this._charts === null) void this.#load();
  };
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshTimer: ReturnType<typeof setInterval> | undefined;
  #lastLoad = 0;
  /** Bumped by each load, so an older answer arriving late never replaces a newer one. */
  #generation = 0;

  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: whenChanged(chartKey, () => this.#reloadSoon(), { skipFirst: true }),
  });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#wide = window.matchMedia(WIDE);
    this.#wide.addEventListener('change', this.#onWidth);
    this._isBrief = !this.#wide.matches;
    if (this.#isChartsShown()) void this.#load();
    void this.#readRestore();
    this.#refreshTimer = setInterval(() => {
      if (this.#isChartsShown()) void this.#load(true);
    }, REFRESH_MS);
  }

  override disconnectedCallback(): void {
    this.#wide?.removeEventListener('change', this.#onWidth);
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = undefined;
    clearInterval(this.#refreshTimer);
    this.#refreshTimer = undefined;
    super.disconnectedCallback();
  }

  /** A restore this start of Moodbox put in place: where an admin lands after signing in again, it says what was restored. */
  async #readRestore(): Promise<void> {
    try {
      const backups = await this.api.backups();
      this._restored = isRestoreUnread(backups) ? backups : null;
    } catch {
      // Backups off or out of reach: the Backups page says why.
    }
  }

  #restoredNote() {
    const backups = this._restored;
    if (backups === null) return nothing;
    return html`<div class="restore-note" data-restore-note>
      ${restoredNote(backups, t('admin.backups.kinds.beforeRestore'), false)}
      <p class="buttons">
        <a href="#backups">${t('admin.dashboard.restoreSeeBackups')}</a>
        <button
          type="button"
          class="secondary"
          @click=${() => {
            markRestoreRead(backups);
            this._restored = null;
          }}
        >
          ${t('admin.dashboard.restoreDismiss')}
        </button>
      </p>
    </div>`;
  }

  /** Whether the charts are on screen: always on a wide screen, on a phone once Activity is opened. */
  #isChartsShown(): boolean {
    return !this._isBrief || this._opened.has('activity');
  }

  /** Reads the charts again after a live change, no more than once per `LIVE_RELOAD_MS`. */
  #reloadSoon(): void {
    if (this.#reloadTimer !== undefined || !this.#isChartsShown()) return;
    const wait = Math.max(0, this.#lastLoad + LIVE_RELOAD_MS - Date.now());
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = undefined;
      void this.#load(true);
    }, wait);
  }

  /** `isQuiet`: a refresh nobody asked for, which does not say "Loading…". */
  async #load(isQuiet = false): Promise<void> {
    const generation = ++this.#generation;
    const now = Date.now();
    this.#lastLoad = now;
    this._isLoading = !isQuiet;
    try {
      const charts = await this.api.charts({ ...rangeWindow(this._range, now), utcOffsetMin: -new Date(now).getTimezoneOffset(), top: 10 });
      if (generation !== this.#generation) return;
      this._charts = charts;
      this._error = '';
    } catch (err) {
      if (generation === this.#generation) this._error = messageOf(err);
    } finally {
      if (generation === this.#generation) this._isLoading = false;
    }
  }

  #choose(range: ChartRange): void {
    if (range === this._range) return;
    this._range = range;
    void this.#load();
  }

  override render() {
    const s = this.#live.state;
    const brief = this._isBrief;
    const health = html`<section class="card health" aria-labelledby="health-h">
      <h3 id="health-h">${t('admin.dashboard.health')}</h3>
      <mb-admin-health
        .services=${s?.services ?? []}
        version=${s?.version ?? ''}
        ?brief=${brief}
        ?offline=${this.#isLinkDown()}
      ></mb-admin-health>
      ${
        s === null || (brief && !s.demo)
          ? nothing
          : html`<p class="muted">
              ${
                brief
                  ? t('admin.dashboard.demoMode')
                  : s.demo
                    ? t('admin.dashboard.versionDemo', { version: s.version })
                    : t('admin.dashboard.version', { version: s.version })
              }
            </p>`
      }
    </section>`;
    // With the live link down, what plays, the room and the camera are not known: the controls and
    // the song's card stay hidden (not shown as current) until the link is back.
    const isDown = this.#isLinkDown();
    const hidden = isDown ? 'display: none' : '';
    return html`<h2>${t('admin.dashboard.title')}</h2>
      ${this.#restoredNote()}
      ${
        isDown
          ? html`<section class="card link-down" role="alert" data-link-down>
              <p class="error"><strong>${t('admin.dashboard.linkDown')}</strong></p>
              <p>${t('admin.dashboard.linkDownLine')}</p>
            </section>`
          : nothing
      }
      <div style=${hidden}><mb-staff-controls .api=${this.api} .live=${this.live} ?brief=${brief}></mb-staff-controls></div>
      <div class="grid" style="margin-top: 1em" @mb-player-changed=${this.#onPlayerChanged}>
        <mb-now-playing-card .api=${this.api} .live=${this.live} ?brief=${brief} style=${hidden}></mb-now-playing-card>
        ${
          brief
            ? html`<section class="card" aria-labelledby="room-h">${this.#room(s)}</section>
                <mb-guest-requests .api=${this.api} .live=${this.live} brief></mb-guest-requests>
                ${health} ${this.#more()}`
            : html`<mb-staff-picker .api=${this.api}></mb-staff-picker>
                <section class="card" aria-labelledby="room-h">${this.#room(s)}</section>
                <mb-library-warnings .api=${this.api} .live=${this.live}></mb-library-warnings>
                <mb-guest-requests .api=${this.api} .live=${this.live}></mb-guest-requests>
                ${health}`
        }
      </div>
      ${brief ? nothing : html`${isOwner() ? html`<mb-disk-use style="margin-top: 1em"></mb-disk-use>` : nothing}${this.#activity()}`}`;
  }

  /** The queue changed (a song put on, or blocked): the card shows it, and the picker reads its songs again (a blocked one no longer offers to play). */
  readonly #onPlayerChanged = (e: MbEvent<'mb-player-changed'>): void => {
    if (e.target !== this._nowPlaying) this._nowPlaying?.show(e.detail);
    void this._picker?.refresh();
  };

  /** Whether the live link to the daemon was up and is down now: nothing the dashboard knew is current. */
  #isLinkDown(): boolean {
    return this.#live.state !== null && !this.#live.isOnline;
  }

  /** A phone's "More" card: what an owner does not check every day, each part closed, drawn once opened. */
  #more() {
    const part = (id: More, body: () => unknown) =>
      html`<details data-more=${id} @toggle=${(e: Event) => this.#toggle(id, (e.target as HTMLDetailsElement).open)}>
        <summary>${t(`admin.dashboard.more.${id}`)}</summary>
        ${this._opened.has(id) ? body() : nothing}
      </details>`;
    return html`<section class="card more" aria-label=${t('admin.dashboard.moreName')}>
      ${part('picker', () => html`<mb-staff-picker .api=${this.api}></mb-staff-picker>`)}
      ${part('library', () => html`<mb-library-warnings .api=${this.api} .live=${this.live}></mb-library-warnings>`)}
      ${isOwner() ? part('disk', () => html`<mb-disk-use></mb-disk-use>`) : nothing} ${part('activity', () => this.#activity())}
    </section>`;
  }

  #toggle(id: More, isOpen: boolean): void {
    if (isOpen === this._opened.has(id)) return;
    const opened = new Set(this._opened);
    if (isOpen) opened.add(id);
    else opened.delete(id);
    this._opened = opened;
    if (id === 'activity' && isOpen) void this.#load();
  }

  /** The charts of the chosen period, with the period's buttons. */
  #activity() {
    return html`<div class="charts-head">
        <h3 id="charts-h">${t('admin.dashboard.activity')}</h3>
        <div class="ranges" role="group" aria-label=${t('admin.dashboard.period')}>
          ${(Object.keys(CHART_RANGES) as ChartRange[]).map(
            (range) =>
              html`<button type="button" aria-pressed=${range === this._range ? 'true' : 'false'} @click=${() => this.#choose(range)}>
                ${t(`admin.dashboard.range.${range}`)}
              </button>`,
          )}
        </div>
        ${this._isLoading ? html`<span class="muted" role="status">${t('admin.dashboard.loading')}</span>` : nothing}
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      </div>
      ${this.#charts()}`;
  }

  /**
   * The room mood as the screens and the health line name it: the camera's steady reading (faces
   * smoothed over a few seconds), which the music follows. With the camera not on it is the last one.
   */
  #room(s: StateSnapshot | null) {
    const mood = s?.mood.current ?? null;
    const isCameraOn = s?.camera.status === 'on';
    const faces = s?.mood.faces ?? 0;
    const camera = cameraLine(s?.camera.status, s?.camera.clip === true);
    const named = html`<strong>${moodName(mood ?? '')}</strong>`;
    if (this.#isLinkDown()) {
      return html`<h3 id="room-h">${t('admin.dashboard.room')}</h3>
        <p class="muted" data-room-mood="unknown">${t('admin.dashboard.roomUnknown')}</p>`;
    }
    return html`<h3 id="room-h">${t('admin.dashboard.room')}</h3>
      ${
        mood === null
          ? html`<p class="muted" data-room-mood="none">${t('admin.dashboard.noReading')} · ${camera}</p>`
          : html`<p class="room-mood" data-room-mood=${mood}>
                <span class="dot" style="background: ${moodColour(mood)}" aria-hidden="true"></span>
                <span>${isCameraOn ? named : tWith('admin.dashboard.lastMood', { mood: named })}</span>
                ${
                  mood === 'nobody'
                    ? nothing
                    : html`<span class="muted"
                        >${t('admin.dashboard.sure', { sure: Math.round((s?.mood.confidence ?? 0) * 100) / 100 })}</span
                      >`
                }
              </p>
              <p class="muted">
                ${s?.mood.since ? html`${t('admin.dashboard.since', { time: clock(s.mood.since) })} · ` : nothing}<span
                  data-faces-by-emotion
                  >${facesLine(faces, s?.mood.byEmotion)}</span
                >
                · ${camera}
              </p>
              ${this._isBrief ? nothing : html`<p class="muted">${t('admin.dashboard.roomHint')}</p>`}`
      }
      ${this.#dayPlan(s?.dayPlan ?? null)}
      ${s?.session.user ? html`<p>${t('admin.dashboard.kioskUser', { name: s.session.user.name })}</p>` : nothing}`;
  }

  /** The day plan in force, as "Now: lunch (upbeat)", with its hours and caps; nothing when none is. */
  #dayPlan(plan: StateSnapshot['dayPlan']) {
    if (plan === null) return nothing;
    const caps = [
      plan.energyCap < 100 ? t('admin.dashboard.energyCap', { cap: plan.energyCap }) : '',
      plan.volumeCap < 100 ? t('admin.dashboard.volumeCap', { cap: plan.volumeCap }) : '',
    ].filter(Boolean);
    const name = { name: html`<strong>${plan.name}</strong>` };
    // The plan's mood as a tag, lower case as the day plans write it ("lunch (upbeat)").
    const now =
      plan.mood === ''
        ? tWith('admin.dashboard.dayPlanNow', name)
        : tWith('admin.dashboard.dayPlanNowMood', name, { mood: moodName(plan.mood, '').toLocaleLowerCase(i18n.locale) || plan.mood });
    return html`<p data-day-plan>${now}</p>
      <p class="muted" data-day-plan-detail>
        ${t('admin.dashboard.dayPlan', { from: i18n.clock(plan.from), to: i18n.clock(plan.to) })}${caps.map((c) => ` · ${c}`)}
      </p>`;
  }

  #charts() {
    const c = this._charts;
    if (c === null) return this._error ? nothing : html`<p class="muted">${t('admin.dashboard.loadingCharts')}</p>`;
    return html`<div class="grid charts">
      <section class="card wide" aria-labelledby="mood-h">
        <h3 id="mood-h">${t('admin.dashboard.moodOverTime')}</h3>
        <mb-mood-timeline
          .buckets=${c.moodTimeline}
          .totals=${c.moodTotals}
          .from=${c.from}
          .to=${c.to}
          .bucketMs=${c.bucketMs}
        ></mb-mood-timeline>
      </section>
      <section class="card" aria-labelledby="plays-h">
        <h3 id="plays-h">${t('admin.dashboard.playsPerMood')}</h3>
        <mb-plays-chart .rows=${c.playsOverTime} .bucketMs=${c.playsBucketMs}></mb-plays-chart>
        ${c.guestPlays ? html`<p class="muted" data-guest-plays>${t('admin.dashboard.guestPlays', { count: c.guestPlays })}</p>` : nothing}
      </section>
      <section class="card" aria-labelledby="busy-h">
        <h3 id="busy-h">${t('admin.dashboard.busyHours')}</h3>
        <mb-busy-hours .hours=${c.busyHours}></mb-busy-hours>
      </section>
      <section class="card wide" aria-labelledby="top-h">
        <h3 id="top-h">${t('admin.dashboard.topTracks')}</h3>
        <mb-top-tracks .tracks=${c.topTracks}></mb-top-tracks>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-dashboard': MbAdminDashboard;
  }
}
