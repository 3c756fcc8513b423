import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MoodHoldRequest, StateSnapshot } from '../../daemon/http/contract.js';
import { moodColour } from '../components/mood-colours.js';
import type { AdminApi, StaffPlayer } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { STAFF_EMOTIONS } from './admin-moods.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { i18n, moodName, t, tWith } from './admin-i18n.js';
import { LiveStateController, whenChanged } from './live-state-controller.js';
import { STAFF_CONTROLS_STYLES } from './mb-staff-controls.styles.js';
import { nowPlayingLine } from './now-playing-line.js';

/** The moods staff may hold the music to: the camera's emotions, in the order staff think of them. */
const HOLDABLE: ReadonlyArray<MoodHoldRequest['label']> = STAFF_EMOTIONS;
/** What each held emotion plays, in staff's words (`admin.staff.plays.<emotion>`). */
const plays = (label: MoodHoldRequest['label']): string => t(`admin.staff.plays.${label}`);
/** The hold's lengths offered, in minutes. */
const DURATIONS = [15, 30, 60, 120, 240, 480] as const;

/** "15 minutes", "2 hours". */
function duration(minutes: number): string {
  return minutes < 60 ? t('admin.staff.minutes', { count: minutes }) : t('admin.staff.hours', { count: minutes / 60 });
}

/** A held mood's name in the panel's language. */
const held = (label: string): string => moodName(label);

/** Small icons drawn inline (system fonts may lack the media symbols). Decorative: each button says its action in words. */
const ICONS = {
  play: svg`<path d="M4 2 L14 8 L4 14 Z" />`,
  pause: svg`<rect x="3" y="2" width="4" height="12" /><rect x="9" y="2" width="4" height="12" />`,
  skip: svg`<path d="M2 2 L10 8 L2 14 Z" /><rect x="11" y="2" width="3" height="12" />`,
} as const;

function icon(name: keyof typeof ICONS) {
  return html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`;
}

/** The fields of the live player state whose change means the staff view may have changed. */
function playerKey(state: StateSnapshot | null): string {
  const p = state?.player;
  return p === undefined ? '' : `${p.status}|${p.volume}|${p.nowPlaying?.id ?? ''}|${state?.mood.current ?? ''}`;
}

/** Why the music is silent (`quiet hours`, `paused by staff`…), in the reader's words (`common.said.music.silence.*`). */
function silenceWords(silence: string): string {
  return i18n.said({ id: `music.silence.${silence.replace(/ (\w)/g, (_, c: string) => c.toUpperCase())}` }, silence);
}

/**
 * Staff controls of the music: play or pause (a staff pause holds until staff resume), skip, the
 * volume within the maximum and the schedule, and a mood held for a chosen time. Every action is
 * audited by the daemon. `compact` draws one bar for the top of every admin page; otherwise a card,
 * its hold form closed with `brief`.
 * The result of each action is shown next to the controls.
 *
 * @summary Staff controls of the music.
 */
@customElement('mb-staff-controls')
export class MbStaffControls extends LitElement {
  static override styles = [ADMIN_STYLES, STAFF_CONTROLS_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  /** One bar for the top of a page instead of a card. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** The card with the hold form behind a disclosure (a phone's dashboard). */
  @property({ type: Boolean, reflect: true }) brief = false;
  @state() private _view: StaffPlayer | null = null;
  @state() private _message = '';
  @state() private _isError = false;
  @state() private _isBusy = false;
  @state() private _holdLabel: MoodHoldRequest['label'] = 'neutral';
  @state() private _holdMinutes = 60;
  /** Whether the compact bar's controls are open on a phone (closed, the bar is one line). */
  @state() private _isOpen = false;
  #isLoading = false;

  /** The staff view is read again when the player or the room mood changes. */
  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: whenChanged(playerKey, () => void this.#load()),
  });

  /** Another page of the panel: the compact bar closes again. */
  readonly #onPage = (): void => {
    this._isOpen = false;
  };

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onPage);
    void this.#load();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#onPage);
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    if (this.#isLoading) return;
    this.#isLoading = true;
    try {
      this._view = await this.api.staffPlayer();
    } catch (err) {
      this.#say(messageOf(err), true);
    } finally {
      this.#isLoading = false;
    }
  }

  #say(message: string, isError = false): void {
    this._message = message;
    this._isError = isError;
  }

  async #act(what: () => Promise<StaffPlayer | string>, done: (view: StaffPlayer | null) => string): Promise<void> {
    this._isBusy = true;
    this.#say('');
    try {
      const result = await what();
      const view = typeof result === 'string' ? null : result;
      if (view !== null) this._view = view;
      this.#say(done(view));
      if (view === null) await this.#load();
    } catch (err) {
      this.#say(messageOf(err), true);
    } finally {
      this._isBusy = false;
    }
  }

  readonly #togglePause = (): void => {
    const isPaused = this._view?.isPausedByStaff === true;
    void this.#act(
      () => (isPaused ? this.api.resumeMusic() : this.api.pauseMusic()),
      (view) =>
        isPaused
          ? view?.silence
            ? t('admin.staff.resumedSilent', { why: silenceWords(view.silence) })
            : t('admin.staff.playingAgain')
          : t('admin.staff.pausedUntil'),
    );
  };

  readonly #skip = (): void => {
    void this.#act(
      async () => {
        await this.api.skipTrack();
        return 'skipped';
      },
      () => t('admin.staff.skipped'),
    );
  };

  readonly #volume = (event: Event): void => {
    const volume = Number((event.target as HTMLInputElement).value);
    void this.#act(
      () => this.api.setVolume(volume),
      (view) =>
        view !== null && view.volume < volume
          ? t('admin.staff.volumeLimited', { volume: view.volume, cap: view.volumeCap })
          : t('admin.staff.volumeSet', { volume }),
    );
  };

  readonly #hold = (event: Event): void => {
    event.preventDefault();
    const label = this._holdLabel;
    const minutes = this._holdMinutes;
    void this.#act(
      () => this.api.holdMood(label, minutes),
      (view) => t('admin.staff.holding', { mood: held(label), time: view?.hold ? clock(view.hold.until) : '…' }),
    );
  };

  readonly #release = (): void => {
    void this.#act(
      () => this.api.releaseMood(),
      () => (this.#isSeeing() ? t('admin.staff.followsCamera') : t('admin.staff.holdEnded')),
    );
  };

  /** Whether the camera reads the room now: off or lost, a hold gives the music back to no camera, not to it. */
  #isSeeing(): boolean {
    const status = this.#live.state?.camera.status;
    return status === undefined || status === 'on' || status === 'starting';
  }

  override render() {
    const view = this._view;
    const player = this.#live.state?.player;
    const isPaused = view?.isPausedByStaff === true;
    const isSilent = view?.silence !== null && view?.silence !== undefined;
    const cap = view?.volumeCap ?? 100;
    const wanted = Math.min(view?.wantedVolume ?? player?.volume ?? 0, cap);
    // A phone's dashboard says the limit only when there is one below 100.
    const isCapSaid = !this.brief || cap < 100;
    const playPause = html`<button
      type="button"
      data-action=${isPaused ? 'resume' : 'pause'}
      aria-pressed=${isPaused ? 'true' : 'false'}
      ?disabled=${this._isBusy || view === null}
      @click=${this.#togglePause}
    >
      ${isPaused ? html`${icon('play')} ${t('admin.staff.play')}` : html`${icon('pause')} ${t('admin.staff.pause')}`}
    </button>`;
    const skip = html`<button
      type="button"
      class="secondary"
      data-action="skip"
      ?disabled=${this._isBusy || isSilent || player?.nowPlaying === null}
      @click=${this.#skip}
    >
      ${icon('skip')} ${t('admin.staff.skip')}
    </button>`;
    const volume = html`<label class="volume"
      >${t('admin.staff.volume')}
      <input
        type="range"
        name="volume"
        min="0"
        max=${cap}
        step="5"
        .value=${String(wanted)}
        ?disabled=${this._isBusy || view === null || cap === 0}
        aria-describedby=${isCapSaid ? 'volume-cap' : nothing}
        @change=${this.#volume}
      />
      <output>${view?.volume ?? player?.volume ?? ''}</output>
    </label>`;
    const capNote = html`<span id="volume-cap" class="muted"
      >${cap === 0 ? t('admin.staff.capOff') : this.brief ? t('admin.staff.capBrief', { cap }) : t('admin.staff.cap', { cap })}</span
    >`;
    // The bar is on every page: an aria-live region announces its results without being the page's own status line.
    const result = html`<p class="result ${this._isError ? 'error' : 'ok'}" role=${this.compact ? nothing : 'status'} aria-live="polite">
      ${this._message}
    </p>`;

    if (this.compact) {
      const now = player?.nowPlaying;
      const what = { what: html`${now ? nowPlayingLine({ nowPlaying: now, streamTitle: player?.streamTitle ?? null }) : nothing}` };
      // The link was up and is down (Moodbox stopped, or restarts after a restore): what played last is not current.
      const isLinkDown = this.#live.state !== null && !this.#live.isOnline;
      return html`<div class="bar" role="region" aria-label=${t('admin.staff.title')}>
        <div class="line">
          ${
            isLinkDown
              ? html`<span class="now error" role="status" data-link-down>${t('admin.dashboard.linkDown')}</span>`
              : html`<span class="now"
                  >${view?.hold ? html`<span class="held-mark">${t('admin.staff.heldMark', { mood: held(view.hold.label) })} · </span>` : nothing}${
                    now
                      ? isPaused
                        ? tWith('admin.staff.barPaused', what)
                        : player?.status === 'paused'
                          ? tWith('admin.staff.barSilent', what)
                          : player?.status === 'stalled'
                            ? tWith('admin.staff.barStalled', what)
                            : tWith('admin.staff.barPlaying', what)
                      : t('admin.staff.nothingPlaying')
                  }</span
                >`
          }
          <button
            type="button"
            class="secondary toggle"
            aria-expanded=${this._isOpen ? 'true' : 'false'}
            aria-controls="bar-controls"
            @click=${() => (this._isOpen = !this._isOpen)}
          >
            ${this._isOpen ? t('admin.staff.close') : t('admin.staff.controls')}
          </button>
        </div>
        <div class="more ${this._isOpen ? 'open' : ''}" id="bar-controls">
          ${playPause} ${skip} ${volume} ${view?.hold ? this.#held(view.hold, true) : nothing} ${result}
        </div>
      </div>`;
    }
    return html`<section class="card staff" aria-labelledby="staff-h">
      <h3 id="staff-h">${t('admin.staff.title')}</h3>
      <div class="controls">${playPause} ${skip} ${volume} ${isCapSaid ? capNote : nothing}</div>
      ${isSilent && !isPaused ? html`<p class="muted" data-silence>${t('admin.staff.silentNow', { why: silenceWords(view?.silence ?? '') })}</p>` : nothing}
      ${
        view?.hold
          ? this.#held(view.hold, false)
          : this.brief
            ? html`<details class="hold-more">
                <summary>${t('admin.staff.holdMood')}</summary>
                ${this.#holdForm()}
              </details>`
            : this.#holdForm()
      }
      ${result}
    </section>`;
  }

  #held(hold: NonNullable<StaffPlayer['hold']>, isCompact: boolean) {
    const mood = { mood: html`<strong>${held(hold.label)}</strong>` };
    const values = { time: clock(hold.until), plays: plays(hold.label) };
    const line = isCompact
      ? tWith('admin.staff.heldCompact', mood, values)
      : this.#isSeeing()
        ? tWith('admin.staff.heldSeeing', mood, values)
        : tWith('admin.staff.heldNoCamera', mood, values);
    return html`<p class="held" data-held=${hold.label} style="--mood: ${moodColour(hold.label)}">
      <span>${line}</span>
      <button type="button" class="secondary" data-action="release" ?disabled=${this._isBusy} @click=${this.#release}>
        ${this.#isSeeing() ? t('admin.staff.followCamera') : t('admin.staff.endHold')}
      </button>
    </p>`;
  }

  #holdForm() {
    return html`<form class="hold" aria-label=${t('admin.staff.holdMood')} @submit=${this.#hold}>
      <label
        >${t('admin.staff.playFor')}
        <select name="mood" @change=${(e: Event) => (this._holdLabel = (e.target as HTMLSelectElement).value as MoodHoldRequest['label'])}>
          ${HOLDABLE.map(
            (label) =>
              html`<option value=${label} ?selected=${label === this._holdLabel}>
                ${t('admin.staff.holdOption', { mood: held(label), plays: plays(label) })}
              </option>`,
          )}
        </select>
      </label>
      <label
        >${t('admin.staff.for')}
        <select name="minutes" @change=${(e: Event) => (this._holdMinutes = Number((e.target as HTMLSelectElement).value))}>
          ${DURATIONS.map(
            (minutes) => html`<option value=${minutes} ?selected=${minutes === this._holdMinutes}>${duration(minutes)}</option>`,
          )}
        </select>
      </label>
      <button type="submit" data-action="hold" ?disabled=${this._isBusy}>${t('admin.staff.holdSubmit')}</button>
      <span class="muted">${t('admin.staff.holdHint')}</span>
    </form>`;
  }
}

/** Epoch ms as a local time of day (hours and minutes). */
function clock(ms: number): string {
  return i18n.time(ms);
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-staff-controls': MbStaffControls;
  }
}
