import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import type { AdminApi, StaffPlayer, StaffQueueItem } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { sentence } from '../components/words.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { i18n, t } from './admin-i18n.js';
import { LiveStateController, whenChanged } from './live-state-controller.js';
import { NOW_PLAYING_STYLES } from './mb-now-playing-card.styles.js';
import { nowPlayingLine } from './now-playing-line.js';

/** Why no sound reaches the room, and that the song is kept. */
export function stalledWords(stalled: NonNullable<StateSnapshot['player']['stalled']>): string {
  const why =
    stalled.cause === 'output'
      ? t('admin.nowPlaying.stalledOutput', { detail: stalled.detail })
      : t('admin.nowPlaying.stalledPlayer', { detail: stalled.detail });
  return `${why} ${t('admin.nowPlaying.stalledKept')}`;
}

/** How often the elapsed time is drawn again (ms); it is computed from a start time, so it never drifts. */
const TICK_MS = 500;
/** How many of the room's suggestions are shown after the queue. */
const LATER = 3;

/** `ms` as m:ss (h:mm:ss past an hour). */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The fields of the live player whose change means the queue may have changed. */
function queueKey(state: StateSnapshot | null): string {
  const p = state?.player;
  return p === undefined ? '' : `${p.nowPlaying?.id ?? ''}|${p.next?.id ?? ''}|${p.status}`;
}

/**
 * Why a queued song plays, in staff's words. The music's own pick is "for the room" only while it
 * follows the room: with a mood held (`isHeld`) it is for that mood, and with no reading of the room
 * its note says what the music follows instead (`common.said.ground.*`: a day plan, the default mood).
 */
function why(item: StaffQueueItem, isHeld: boolean): string {
  if (item.reason === 'staff') return t('admin.nowPlaying.why.staff');
  if (item.reason === 'tap') return t('admin.nowPlaying.why.tap');
  if (item.reason === 'guest') return t('admin.nowPlaying.why.guest');
  // The note is the music's own, as a message for the reader's language where it has one.
  const note = i18n.said(item.noteSaid, item.note);
  if (item.noteSaid?.id.startsWith('ground.') === true) return sentence(note);
  if (isHeld) return item.note === '' ? t('admin.nowPlaying.why.held') : t('admin.nowPlaying.why.heldNote', { note });
  return item.note === '' ? t('admin.nowPlaying.why.room') : t('admin.nowPlaying.why.roomNote', { note });
}

/**
 * What the speakers play, as owners know it from Volumio or Sonos: the cover, title and artist (a
 * station's name and what it says it plays), the elapsed and total time, ticking, why it plays,
 * and what comes next with covers; songs staff queued can be taken out again. The time is computed
 * from when the daemon last said the position, so it never drifts; the queue is read from the
 * staff view (`GET /api/admin/player`) when the live state says the song or the next one changed.
 *
 * @summary Now playing and the queue, for staff.
 */
@customElement('mb-now-playing-card')
export class MbNowPlayingCard extends LitElement {
  static override styles = [ADMIN_STYLES, NOW_PLAYING_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  /** The songs likely later behind a disclosure, and no volume line (a phone's dashboard shows it in the controls). */
  @property({ type: Boolean, reflect: true }) brief = false;
  @state() private _view: StaffPlayer | null = null;
  @state() private _message = '';
  @state() private _isError = false;
  /** Where the song was, and when that was said (`Date.now()`): the elapsed time is computed from it. */
  #anchor = { positionMs: 0, at: 0, key: '' };
  /** The queue is read again when it changes. */
  readonly #onQueue = whenChanged(queueKey, () => void this.reload());
  #ticker: ReturnType<typeof setInterval> | undefined;
  #generation = 0;

  readonly #live = new LiveStateController(this, {
    client: () => this.live,
    onChange: (state) => {
      const p = state?.player;
      const said = `${p?.nowPlaying?.id ?? ''}|${p?.status ?? ''}`;
      // Only a new position (or song, or status) moves the start time: other changes carry the last position again.
      if (p !== undefined && (p.positionMs !== this.#anchor.positionMs || said !== this.#anchor.key)) {
        this.#anchor = { positionMs: p.positionMs, at: Date.now(), key: said };
      }
      this.#onQueue(state);
    },
  });

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
    this.#ticker = setInterval(() => this.requestUpdate(), TICK_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    super.disconnectedCallback();
  }

  /** Reads the queue again. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const view = await this.api.staffPlayer();
      if (generation === this.#generation) this._view = view;
    } catch (err) {
      if (generation === this.#generation) this.#say(messageOf(err), true);
    }
  }

  /** Shows a staff view an action answered with (the queue as it is now). */
  show(view: StaffPlayer): void {
    this.#generation += 1;
    this._view = view;
  }

  #say(message: string, isError = false): void {
    this._message = message;
    this._isError = isError;
  }

  /** Moves a song staff queued to `position` among the songs staff queued (0: next). */
  async #move(item: StaffQueueItem, position: number, done: () => string): Promise<void> {
    try {
      this.show(await this.api.moveQueued(item.key, position));
      this.#say(done());
    } catch (err) {
      this.#say(messageOf(err), true);
      await this.reload();
    }
  }

  async #remove(item: StaffQueueItem): Promise<void> {
    try {
      this.show(await this.api.unqueue(item.key));
      this.#say(t('admin.nowPlaying.removed', { title: item.title }));
    } catch (err) {
      this.#say(messageOf(err), true);
      await this.reload();
    }
  }

  async #block(item: StaffQueueItem): Promise<void> {
    try {
      await this.api.block({ trackId: item.trackId });
      this.#say(t('admin.nowPlaying.blocked', { title: item.title }));
    } catch (err) {
      this.#say(messageOf(err), true);
    }
    await this.reload();
    // What else the dashboard offers to play (the picker) hears that a song no longer plays here.
    if (this._view !== null) emit(this, 'mb-player-changed', this._view);
  }

  /** Whether staff hold a mood now: the music's own picks are for it, not for the room. */
  get #isHeld(): boolean {
    const live = this.#live.state;
    return (live === null ? (this._view?.hold ?? null) : (live.mood.held ?? null)) !== null;
  }

  /**
   * Whether the music follows no reading of the room now (the camera off, unplugged, or not read
   * yet) and no held mood: what comes next is then not "for the room".
   */
  get #isUnread(): boolean {
    const live = this.#live.state;
    if (live === null || (live.mood.held ?? null) !== null) return false;
    return live.camera.status === 'off' || live.camera.status === 'unavailable' || live.mood.current === null;
  }

  /** ms into the song now: the position last said, plus the time since while it plays. */
  #elapsed(player: StateSnapshot['player']): number {
    const { positionMs, at } = this.#anchor;
    const moved = player.status === 'playing' ? Date.now() - at : 0;
    const elapsed = positionMs + moved;
    const total = player.nowPlaying?.durationMs ?? null;
    return total === null ? elapsed : Math.min(elapsed, total);
  }

  override render() {
    const player = this.#live.state?.player ?? null;
    const now = player?.nowPlaying ?? null;
    const current = this._view?.current ?? null;
    return html`<section class="card" aria-labelledby="now-h">
      <h3 id="now-h">${t('admin.nowPlaying.title')}</h3>
      ${player === null || now === null ? html`<p class="muted">${t('admin.nowPlaying.nothing')}</p>` : this.#now(player, now, current)}
      <h3 id="next-h">${t('admin.nowPlaying.upNext')}</h3>
      ${this.#upcoming(this._view?.upcoming ?? [], current?.trackId === now?.id && current !== null ? why(current, this.#isHeld) : null)}
      ${this.#later(this.#live.state)}
      <p class="result ${this._isError ? 'error' : 'ok'}" role="status" aria-live="polite">${this._message}</p>
    </section>`;
  }

  #now(player: StateSnapshot['player'], now: NonNullable<StateSnapshot['player']['nowPlaying']>, current: StaffQueueItem | null) {
    const isStation = current?.trackId === now.id ? current.isStation : now.durationMs === null && now.album === '';
    const elapsed = this.#elapsed(player);
    const total = now.durationMs;
    const status = t(`admin.nowPlaying.status.${player.status}`);
    return html`<div class="now" data-now=${now.id}>
      <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
      <div>
        <p class="title" data-now-playing>${nowPlayingLine({ nowPlaying: now, streamTitle: player.streamTitle ?? null })}</p>
        ${isStation ? html`<p class="line muted">${t('admin.nowPlaying.liveRadio')}</p>` : now.album ? html`<p class="line muted">${now.album}</p>` : nothing}
        <p class="time">
          <span class="muted">${status}</span>
          <span data-elapsed=${Math.floor(elapsed / 1000)}>${clockTime(elapsed)}</span>
          ${
            total === null
              ? nothing
              : html`<progress max=${total} .value=${elapsed} aria-label=${t('admin.nowPlaying.elapsed')}></progress>
                  <span data-total=${Math.floor(total / 1000)}>${clockTime(total)}</span>`
          }
        </p>
        ${player.stalled ? html`<p class="line error" role="status" data-stalled>${stalledWords(player.stalled)}</p>` : nothing}
        ${current?.trackId === now.id ? html`<p class="line" data-why>${why(current, this.#isHeld)}</p>` : nothing}
        ${this.brief ? nothing : html`<p class="line muted">${t('admin.nowPlaying.volume', { volume: player.volume })}</p>`}
      </div>
    </div>`;
  }

  /** What comes next; a song the music picked for the same reason as the one playing says it once, above. */
  #upcoming(upcoming: readonly StaffQueueItem[], nowWhy: string | null) {
    if (upcoming.length === 0) {
      return html`<p class="muted" data-queue="empty">
        ${t(this.#isUnread ? 'admin.nowPlaying.queueEmptyUnread' : 'admin.nowPlaying.queueEmpty')}
      </p>`;
    }
    const picks = upcoming.filter((item) => item.reason === 'staff');
    return html`<ol aria-labelledby="next-h" data-queue>
        ${upcoming.map(
          (item) =>
            html`<li data-queued=${item.trackId} data-reason=${item.reason}>
              <mb-cover .src=${item.coverUrl} label=${item.title}></mb-cover>
              <span class="what">
                <strong>${item.title}</strong>${
                  item.isStation ? ` · ${t('admin.nowPlaying.liveRadioItem')}` : item.artist ? ` · ${item.artist}` : nothing
                }
                ${item.durationMs === null ? nothing : html`<span class="muted">(${clockTime(item.durationMs)})</span>`}
                ${
                  why(item, this.#isHeld) === nowWhy
                    ? nothing
                    : html`<br /><span class=${item.reason === 'staff' ? 'staff-pick' : 'muted'}>${why(item, this.#isHeld)}</span>`
                }
              </span>
              ${
                item.reason === 'staff'
                  ? this.#actions(item, picks.indexOf(item), picks.length)
                  : html`<span class="actions">${this.#blockButton(item)}</span>`
              }
            </li>`,
        )}
      </ol>
      ${this.brief ? nothing : html`<p class="muted">${t(this.#isUnread ? 'admin.nowPlaying.afterThatUnread' : 'admin.nowPlaying.afterThat')}</p>`}`;
  }

  /** A song staff queued: played next, moved down one, or taken out. */
  #actions(item: StaffQueueItem, index: number, count: number) {
    return html`<span class="actions">
      ${
        index > 0
          ? html`<button
              type="button"
              class="secondary"
              data-action="play-next"
              aria-label=${t('admin.nowPlaying.playNextLabel', { title: item.title })}
              @click=${() => void this.#move(item, 0, () => t('admin.nowPlaying.movedNext', { title: item.title }))}
            >
              ${t('admin.nowPlaying.playNext')}
            </button>`
          : nothing
      }
      ${
        index < count - 1
          ? html`<button
              type="button"
              class="secondary"
              data-action="move-down"
              aria-label=${t('admin.nowPlaying.moveDownLabel', { title: item.title })}
              @click=${() => void this.#move(item, index + 1, () => t('admin.nowPlaying.movedLater', { title: item.title }))}
            >
              ${t('admin.nowPlaying.moveDown')}
            </button>`
          : nothing
      }
      <button
        type="button"
        class="secondary"
        data-action="remove"
        aria-label=${t('admin.nowPlaying.removeLabel', { title: item.title })}
        @click=${() => void this.#remove(item)}
      >
        ${t('admin.nowPlaying.remove')}
      </button>
      ${this.#blockButton(item)}
    </span>`;
  }

  /** Blocks a queued song: it leaves the queue and never plays here until lifted on the Blocked music page. */
  #blockButton(item: StaffQueueItem) {
    return html`<button
      type="button"
      class="secondary"
      data-action="block"
      aria-label=${t('admin.nowPlaying.blockLabel', { title: item.title })}
      @click=${() => void this.#block(item)}
    >
      ${t('admin.nowPlaying.block')}
    </button>`;
  }

  /** What Moodbox would pick from for the room as it is now (the kiosk's suggestions): likely later, not promised. */
  #later(state: StateSnapshot | null) {
    const queued = new Set([state?.player.nowPlaying?.id, ...(this._view?.upcoming ?? []).map((i) => i.trackId)]);
    const later = (state?.suggestions ?? []).filter((s) => !queued.has(s.id)).slice(0, LATER);
    if (later.length === 0) return nothing;
    const heading = t(this.#isUnread ? 'admin.nowPlaying.laterUnread' : 'admin.nowPlaying.later');
    const list = html`<ol aria-labelledby="later-h" data-later>
      ${later.map(
        (s) =>
          html`<li data-suggested=${s.id}>
            <mb-cover .src=${s.coverUrl} label=${s.title} .mood=${s.moods[0] ?? null}></mb-cover>
            <span class="what"
              ><strong>${s.title}</strong>${s.artist ? ` · ${s.artist}` : nothing}
              ${s.why ? html`<br /><span class="muted">${i18n.said(s.whySaid, s.why)}</span>` : nothing}</span
            >
            <span></span>
          </li>`,
      )}
    </ol>`;
    return this.brief
      ? html`<details data-later-more>
          <summary><h4 id="later-h">${heading}</h4></summary>
          ${list}
        </details>`
      : html`<h4 id="later-h">${heading}</h4>
          ${list}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-now-playing-card': MbNowPlayingCard;
  }
}
