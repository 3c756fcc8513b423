import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/mb-cover.js';
import { ApiError, GuestApi, type GuestRequest, type GuestState, type GuestTrack, type GuestVote } from '../data/guest-api.js';
import { renderMood } from './guest-mood.js';
import { ICON_DOWN, renderMine, renderUpNext, type QueueContext } from './guest-queue.js';
import { QUEUE_STYLES } from './guest-queue.styles.js';
import { followLanguage } from '../i18n/i18n.js';
import { chosenLanguage, renderLanguageSelect } from '../i18n/language-select.js';
import { i18n, t } from './guest-i18n.js';
import { type Notice, clock, latestNotice, noticeHolds, nowHeading, requestReason, requestsLeft, songStanding } from './guest-words.js';
import { GUEST_STYLES } from './mb-guest.styles.js';

const ICON_LIKE = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M12 21s-7.5-4.6-9.6-9.2C.9 8.3 3 4.5 6.7 4.5c2.1 0 3.6 1.2 5.3 3 1.7-1.8 3.2-3 5.3-3 3.7 0 5.8 3.8 4.3 7.3C19.5 16.4 12 21 12 21z"/></svg>`;
/** How long a message stays on screen (ms). */
const MESSAGE_MS = 6_000;
/** Typing pauses this long before the search runs (ms). */
const SEARCH_AFTER_MS = 300;

/**
 * The guest page, for a phone in the room: what plays and why, what is next (with each song's
 * place, its time and votes), the room's mood, six songs to ask for with one tap, a search, a like
 * for the song playing, and this phone's own requests: where each stands, a way to take one back,
 * a notice when one is next, plays or was skipped, and with none left this hour, why and a
 * countdown to the next. Renders only from the daemon's guest state; it never shows anyone's name
 * or how many faces are in view, and it has no stop, pause or volume.
 *
 * @summary The guest page.
 */
@customElement('mb-guest')
export class MbGuest extends LitElement {
  static override styles = [GUEST_STYLES, QUEUE_STYLES];

  /** The data layer; a test may hand in its own. Created on connect when unset. */
  @property({ attribute: false }) api: GuestApi | null = null;

  @state() private _state: GuestState | null = null;
  @state() private _isOnline = false;
  /**
   * What became of the guest's last tap, said beside what they tapped (`at`: `now`, `tiles`,
   * `result:<id>`, `search`, `next:<key>`, `mine:<id>`), in the page's flow: it never covers a list
   * or a button.
   */
  @state() private _message: { text: string; isError: boolean; at: string } | null = null;
  /** Why the daemon does not serve this phone its page (off its network, requests off), until it does. */
  @state() private _refusal: ApiError | null = null;
  /** The action waiting for its answer (`ask:12`, `like`, `vote:now`), so a second tap does not send it twice. */
  @state() private _pending: string | null = null;
  @state() private _results: GuestTrack[] | null = null;
  @state() private _searched = '';
  @state() private _tick = 0;
  /** What became of one of this phone's requests (next, playing, skipped…), until the next such news or a tap. */
  @state() private _notice: Notice | null = null;

  #ownsApi = false;
  #positionAt = 0;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #messageTimer: ReturnType<typeof setTimeout> | undefined;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The latest search sent: a slower answer to an earlier one is dropped. */
  #searchSeq = 0;
  /** The countdown to the next request this page already asked the daemon about once it ended. */
  #refreshedFor: number | null = null;

  readonly #onChange = (): void => {
    const api = this.api;
    if (api === null) return;
    if (api.state !== this._state) this.#positionAt = performance.now();
    const notice = api.state === null || api.state === this._state ? null : latestNotice(this._state, api.state);
    if (notice !== null) this._notice = notice;
    else if (this._notice !== null && api.state !== null && !noticeHolds(this._notice, api.state)) this._notice = null;
    this._state = api.state;
    i18n.useTimeZone(api.state?.timeZone);
    this._isOnline = api.isOnline;
    this._refusal = api.refusal;
  };

  constructor() {
    super();
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.api === null) {
      this.api = new GuestApi();
      this.#ownsApi = true;
    }
    this.api.addEventListener('change', this.#onChange);
    this.#onChange();
    if (this.#ownsApi) this.api.connect();
    this.#ticker = setInterval(() => this.#onTick(), 1000);
    void i18n.use(chosenLanguage());
  }

  override disconnectedCallback(): void {
    this.api?.removeEventListener('change', this.#onChange);
    if (this.#ownsApi) this.api?.close();
    clearInterval(this.#ticker);
    clearTimeout(this.#messageTimer);
    clearTimeout(this.#searchTimer);
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    document.title = t('guest.pageTitle');
  }

  override render() {
    const s = this._state;
    return html`
      <header>
        <h1 class="brand">${t('guest.brand')}</h1>
        ${s === null ? nothing : renderMood(s, !this._isOnline)} ${this.#renderLanguage()}
      </header>
      <main ?data-stale=${!this._isOnline}>
        ${!this._isOnline && s !== null ? html`<p class="offline" role="status">${t('guest.reconnecting')}</p>` : nothing}
        ${
          this._notice === null
            ? nothing
            : html`<p class="notice" role="status" data-notice @click=${() => (this._notice = null)}>${this._notice.text}</p>`
        }
        ${s !== null ? this.#renderPage(s) : this._refusal === null ? html`<p class="loading">${t('guest.connecting')}</p>` : this.#renderRefusal(this._refusal)}
      </main>
    `;
  }

  /** The message of the guest's last tap, where it was tapped (`at`), or nothing. */
  #messageAt(at: string | ((at: string) => boolean)) {
    const message = this._message;
    if (message === null || !(typeof at === 'string' ? message.at === at : at(message.at))) return nothing;
    return html`<div class="message" ?data-error=${message.isError} role=${message.isError ? 'alert' : 'status'} @click=${this.#dismiss}>
      ${message.text}
    </div>`;
  }

  /**
   * The daemon will not serve this phone the page: why, in the guest's language, and what to do.
   * The page asks again by itself, and shows the room once it may.
   */
  #renderRefusal(refusal: ApiError) {
    // Guests turned off, or a call the box does not take from here (off its network).
    const isClosed = refusal.code === 'MB_ERR_GUEST_CLOSED';
    const isOffLan = refusal.code === 'MB_ERR_HTTP_FORBIDDEN';
    return html`<section class="closed" data-refused aria-label=${t('guest.refusedTitle')}>
      <h2>${t('guest.refusedTitle')}</h2>
      <p data-reason>${i18n.said(refusal.said, refusal.message)}</p>
      <p class="todo" data-todo>${t(isOffLan ? 'guest.refusedOffLan' : isClosed ? 'guest.refusedClosed' : 'guest.refusedOther')}</p>
    </section>`;
  }

  #renderPage(s: GuestState) {
    return html`
      ${
        s.isOpen
          ? nothing
          : html`<section class="closed" data-closed aria-label=${t('guest.closedLabel')}>
              <h2>${t('guest.closedTitle')}</h2>
              <p>${s.closedReason === null ? t('guest.closedDefault') : i18n.said(s.closedReasonSaid, s.closedReason)}</p>
            </section>`
      }
      ${this.#renderNow(s)} ${renderUpNext(s, this.#queueContext())} ${s.isOpen && this._isOnline ? this.#renderAsk(s) : nothing}
      ${renderMine(s, this.#queueContext())}
    `;
  }

  #renderNow(s: GuestState) {
    const now = s.nowPlaying;
    if (now === null) {
      return html`<section class="now" aria-label=${t('guest.nowPlaying')} data-state="stopped">
        ${this._isOnline ? nowHeading(s.status, s.quietUntil ?? null) : html`<h2 data-last-known>${t('guest.lastKnown')}</h2>`}
        <p class="quiet">${t('guest.nothingPlaying')}</p>
        ${this.#messageAt('now')}
      </section>`;
    }
    void this._tick;
    // Offline, the song's time stands still where it was last known.
    const isLive = this._isOnline;
    const elapsed = s.status === 'playing' && isLive ? performance.now() - this.#positionAt : 0;
    // In the quiet hours the paused song does not play on (the music starts afresh after them): no vote to skip it.
    const isQuiet = (s.quietUntil ?? null) !== null;
    const duration = now.track.durationMs;
    const position = duration === null ? now.positionMs + elapsed : Math.min(duration, now.positionMs + elapsed);
    const title = now.streamTitle ?? now.track.title;
    return html`<section class="now" aria-label=${t('guest.nowPlaying')} data-state=${s.status} ?data-stale=${!isLive}>
      <mb-cover .src=${now.track.coverUrl} label=${now.track.title}></mb-cover>
      <div class="text">
        ${isLive ? nowHeading(s.status, s.quietUntil ?? null) : html`<h2 data-last-known>${t('guest.lastKnown')}</h2>`}
        <div class="title">${title}</div>
        <div class="artist">${now.streamTitle === null ? now.track.artist : now.track.title}</div>
        ${
          // In the quiet hours the song does not play on: no place in it, nor a bar standing still.
          duration === null || isQuiet
            ? nothing
            : html`<div class="time" data-time>
                <span>${clock(position)}</span>
                <div class="progress" aria-hidden="true"><div style="width: ${((position / duration) * 100).toFixed(1)}%"></div></div>
                <span>${clock(duration)}</span>
              </div>`
        }
        <p class="why" data-why>${i18n.said(now.whySaid, now.why)}</p>
      </div>
      ${
        s.isOpen && isLive
          ? html`<div class="actions">
              <button
                data-action="like"
                aria-pressed=${now.isLikedByMe ? 'true' : 'false'}
                aria-label=${t(now.isLikedByMe ? 'guest.likedLabel' : 'guest.likeLabel', { title: now.track.title, likes: now.likes })}
                ?disabled=${now.isLikedByMe || this._pending === 'like'}
                @click=${() => this.#like(now.track)}
              >
                ${ICON_LIKE}
                ${now.isLikedByMe ? t('guest.liked') : t('guest.like')}${now.likes > 0 ? html` <span class="count">${now.likes}</span>` : nothing}
              </button>
              ${isQuiet ? nothing : this.#renderNotThis(now)}
            </div>`
          : nothing
      }
      ${this.#messageAt('now')}
    </section>`;
  }

  #renderNotThis(now: NonNullable<GuestState['nowPlaying']>) {
    const votes = now.votes;
    return html`<button
      data-action="not-this"
      aria-pressed=${votes.mine === 'down' ? 'true' : 'false'}
      aria-label=${t('guest.notThisLabel', { title: now.track.title, down: votes.down, needed: votes.downNeeded })}
      ?disabled=${this._pending === 'vote:now'}
      @click=${() => this.#vote('now', votes.mine === 'down' ? 'none' : 'down', now.track.title)}
    >
      ${ICON_DOWN} ${t('guest.notThis')} <span class="count">${votes.down}/${votes.downNeeded}</span>
    </button>`;
  }

  #renderAsk(s: GuestState) {
    const { requestsLeft: left, requestsPerHour, nextRequestAt, limitReason, limitReasonSaid } = s.me;
    return html`<section class="ask" aria-label=${t('guest.askTitle')}>
      <h2>${t('guest.askTitle')}</h2>
      ${
        // A song asked for now is kept in the queue, and plays once the quiet hours end.
        s.quietUntil === null || s.quietUntil === undefined
          ? nothing
          : html`<p class="quiet" data-quiet-ask>${t('guest.quietAsk', { until: i18n.clock(s.quietUntil) })}</p>`
      }
      <p class="left" data-left>${requestsLeft(left, requestsPerHour)}</p>
      ${
        left > 0 || nextRequestAt === null
          ? nothing
          : html`<div class="limit">
              ${limitReason === null ? nothing : html`<p data-limit>${i18n.said(limitReasonSaid, limitReason)}</p>`}
              <p class="countdown">
                ${t('guest.nextRequestIn')} <span role="timer" data-countdown>${clock(nextRequestAt - Date.now())}</span>
              </p>
            </div>`
      }
      ${
        s.suggestions.length === 0
          ? nothing
          : html`<div class="tiles">${s.suggestions.map((track) => this.#renderTile(track, left > 0))}</div>`
      }
      ${this.#messageAt('tiles')}
      <form role="search" @submit=${this.#onSearchSubmit}>
        <label for="q">${t('guest.searchLabel')}</label>
        <div class="search">
          <input id="q" type="search" maxlength="80" autocomplete="off" enterkeyhint="search" @input=${this.#onSearchInput} />
          <button type="submit">${t('guest.search')}</button>
        </div>
      </form>
      ${this.#messageAt((at) => at === 'search' || (at.startsWith('result:') && !this.#isResult(at)))} ${this.#renderResults(s, left > 0)}
    </section>`;
  }

  #renderTile(track: GuestTrack, canAsk: boolean) {
    return html`<button
      class="tile"
      data-track=${track.id}
      aria-label=${t('guest.askForLabel', { title: track.title, artist: track.artist })}
      ?disabled=${!canAsk || this._pending === `ask:${track.id}`}
      @click=${() => this.#ask(track, 'tiles')}
    >
      <mb-cover .src=${track.coverUrl} label=${track.title}></mb-cover>
      <span class="t">${track.title}</span>
      <span class="a">${track.artist}</span>
    </button>`;
  }

  /**
   * The songs a search found, each with "Ask for it"; a song that plays, that this phone asked for
   * or that comes next says so instead, as the daemon would refuse it.
   */
  #renderResults(s: GuestState, canAsk: boolean) {
    const results = this._results;
    if (results === null) return nothing;
    if (results.length === 0) return html`<p class="quiet" role="status">${t('guest.noMatch', { words: this._searched })}</p>`;
    return html`<ul class="results" aria-label=${t('guest.searchResults')}>
      ${results.map((track) => {
        const standing = songStanding(s, track.id);
        return html`<li>
          <mb-cover .src=${track.coverUrl} label=${track.title}></mb-cover>
          <div class="text">
            <div class="t">${track.title}</div>
            <div class="a">${track.artist}</div>
          </div>
          ${
            standing !== null
              ? html`<span class="status" data-standing>${standing}</span>`
              : html`<button
                  data-track=${track.id}
                  aria-label=${t('guest.askForLabel', { title: track.title, artist: track.artist })}
                  ?disabled=${!canAsk || this._pending === `ask:${track.id}`}
                  @click=${() => this.#ask(track, `result:${track.id}`)}
                >
                  ${t('guest.askFor')}
                </button>`
          }
          ${this.#messageAt(`result:${track.id}`)}
        </li>`;
      })}
    </ul>`;
  }

  readonly #onSearchInput = (event: Event): void => {
    const words = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.#search(words), SEARCH_AFTER_MS);
  };

  readonly #onSearchSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    clearTimeout(this.#searchTimer);
    const input = (event.target as HTMLFormElement).querySelector('input');
    void this.#search(input?.value ?? '');
  };

  async #search(words: string): Promise<void> {
    const api = this.api;
    if (api === null) return;
    const seq = ++this.#searchSeq;
    if (words.trim() === '') {
      this._results = null;
      return;
    }
    try {
      const results = await api.search(words);
      if (seq !== this.#searchSeq) return;
      this._searched = words.trim();
      this._results = results;
    } catch (err) {
      if (seq === this.#searchSeq) this.#show(err, 'search');
    }
  }

  /** Whether the message's place `at` (`result:<id>`) is a song of the search results shown. */
  #isResult(at: string): boolean {
    return this._results?.some((track) => at === `result:${track.id}`) ?? false;
  }

  async #ask(track: GuestTrack, at: string): Promise<void> {
    await this.#act(`ask:${track.id}`, at, async (api) => {
      const request = await api.ask(track.id);
      const words = { title: track.title, reason: requestReason(request) };
      return request.status === 'queued' ? t('guest.asked', words) : t('guest.answered', words);
    });
  }

  async #cancel(request: GuestRequest): Promise<void> {
    await this.#act(`cancel:${request.id}`, `mine:${request.id}`, async (api) => {
      await api.cancel(request.id);
      return t('guest.tookBack', { title: request.track.title });
    });
  }

  async #like(track: GuestTrack): Promise<void> {
    await this.#act('like', 'now', async (api) => {
      await api.like(track.id);
      return t('guest.youLike', { title: track.title });
    });
  }

  async #vote(on: 'now' | number, vote: GuestVote, title: string): Promise<void> {
    await this.#act(`vote:${on}`, on === 'now' ? 'now' : `next:${on}`, async (api) => {
      const votesOf = (s: GuestState | null) => (on === 'now' ? s?.nowPlaying?.votes : s?.upNext.find((u) => u.key === on)?.votes);
      const before = votesOf(this._state);
      const after = votesOf(await api.vote(on, vote));
      if (vote === 'none') return t('guest.voteTakenBack', { title });
      // Taken but not counted: from an address other phones voted from, a phone new there counts
      // once it has been around a while. The counter stays, and the page says why.
      if (before !== undefined && after !== undefined && before.mine !== vote && after.mine === vote && after[vote] <= before[vote]) {
        return t('guest.voteNotCounted', { vote, title });
      }
      return vote === 'up' ? t('guest.votedUp', { title }) : t('guest.votedDown', { title });
    });
  }

  #queueContext(): QueueContext {
    void this._tick;
    return {
      pending: this._pending,
      now: Date.now(),
      isQuiet: (this._state?.quietUntil ?? null) !== null,
      vote: (on, vote, title) => void this.#vote(on, vote, title),
      cancel: (request) => void this.#cancel(request),
      message: (at) => this.#messageAt(at),
    };
  }

  #renderLanguage() {
    return renderLanguageSelect(i18n, t('common.language'));
  }

  /** Every second: the song's time moves, the countdown runs, and once it ends the page asks for its view again. */
  #onTick(): void {
    const s = this._state;
    if (s === null) return;
    const next = s.me.nextRequestAt;
    if (s.status === 'playing' || next !== null || s.me.requests.some((r) => r.expectedAt !== null)) this._tick += 1;
    if (next !== null && Date.now() >= next && this.#refreshedFor !== next) {
      this.#refreshedFor = next;
      void this.api?.refresh().catch(() => undefined);
    }
  }

  /** Runs one guest action, one at a time per `key`, and says how it went beside what was tapped (`at`). */
  async #act(key: string, at: string, action: (api: GuestApi) => Promise<string>): Promise<void> {
    const api = this.api;
    if (api === null || this._pending === key) return;
    this._pending = key;
    try {
      this.#say(await action(api), false, at);
    } catch (err) {
      this.#show(err, at);
    } finally {
      this._pending = null;
    }
  }

  /** A refusal in the daemon's own words; anything else in plain ones. */
  #show(err: unknown, at: string): void {
    this.#say(err instanceof ApiError ? i18n.said(err.said, err.message) : t('guest.failed'), true, at);
  }

  /** A tap on the message puts it away at once. */
  readonly #dismiss = (): void => {
    clearTimeout(this.#messageTimer);
    this._message = null;
  };

  #say(text: string, isError: boolean, at: string): void {
    this._message = { text, isError, at };
    clearTimeout(this.#messageTimer);
    this.#messageTimer = setTimeout(() => (this._message = null), MESSAGE_MS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-guest': MbGuest;
  }
}
