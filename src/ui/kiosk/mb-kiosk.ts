import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { StateSnapshot, TrackView } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import '../components/mb-mood-face.js';
import { ApiClient, ApiError } from '../data/api-client.js';
import { KioskApi } from '../data/kiosk-api.js';
import type { MbEvent } from '../events.js';
import { renderFooter, renderHeader } from './kiosk-frame.js';
import { renderSleep, SleepReport } from './kiosk-sleep.js';
import { IdleSignOut } from './kiosk-idle-sign-out.js';
import { renderBackdrop, renderConnecting, renderNow } from './kiosk-now.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, kioskLanguage, t } from './kiosk-i18n.js';
import { renderAttract, signedOutIdle } from './kiosk-words.js';
import { KIOSK_STYLES } from './mb-kiosk.styles.js';
import './mb-guest-qr.js';
import './mb-me.js';
import './mb-sign-in.js';
import type { MbSignIn } from './mb-sign-in.js';
import { adminAddress, libraryGap } from './mb-suggestions.js';

/** How long a tap on the attract screen keeps the full screen up without anyone in view (ms). */
const AWAKE_MS = 60_000;
/** How long a message such as the answer to a tap stays on screen (ms). */
const TOAST_MS = 6_000;
/** The daemon's wait sentence at the end of a sign-in error; the sign-in panel shows a live countdown instead. */

/**
 * The kiosk screen: the room mood, what plays and what plays next, six suggestions to tap, sign-in
 * by card or PIN, and the camera indicator and privacy notice at all times. Renders only from the
 * daemon's pushed state; shows when the link to the daemon is down.
 *
 * @summary The touchscreen kiosk.
 */
@customElement('mb-kiosk')
export class MbKiosk extends LitElement {
  static override styles = KIOSK_STYLES;

  /** The data layer; a test may hand in one built on a fake socket. Created on connect when unset. */
  @property({ attribute: false }) api: KioskApi | null = null;

  @state() private _state: StateSnapshot | null = null;
  @state() private _isOnline = false;
  @state() private _isSigningIn = false;
  @state() private _signInError: string | null = null;
  @state() private _signInWaitUntil: number | null = null;
  @state() private _isBusy = false;
  @state() private _toast: string | null = null;
  @state() private _isAwake = false;
  @state() private _tick = 0;
  /** The tracks the signed-in person likes (from `me/profile`, then kept by their taps). */
  @state() private _liked: ReadonlySet<number> = new Set();
  @state() private _isMeOpen = false;
  @state() private _canRegister = false;
  @state() private _canSuggestNames = false;
  /** The guest page's address for the QR code (`session/options`); null hides it. */
  @state() private _guestUrl: string | null = null;
  @query('mb-sign-in') private _signIn!: MbSignIn | null;

  #hasRendered = false;
  #positionAt = 0;
  /** When (performance.now) the link to the daemon went down; null while it is up. Offline, the progress stands still. */
  #offlineAt: number | null = null;
  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  #awakeTimer: ReturnType<typeof setTimeout> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #ownsClient = false;
  /** Who the kiosk last saw signed in, to notice a sign-in or sign-out once. */
  #person: { id: number; name: string } | null = null;
  /** Set while this screen's own sign-out button signs the person out: that one is announced by the button. */
  #isSigningOutHere = false;
  readonly #idle = new IdleSignOut(this, () => this.api);
  readonly #sleep = new SleepReport(() => this.api);

  readonly #onChange = (): void => {
    const api = this.api;
    if (api === null) return;
    const { state: next, isOnline } = api.client.snapshot;
    if (next?.player !== this._state?.player) this.#positionAt = performance.now();
    if (isOnline) this.#offlineAt = null;
    else this.#offlineAt ??= performance.now();
    if (next !== null && next.session.user === null && this._state?.session.user != null) api.forget();
    if (next?.session.user != null && this._isSigningIn) this.#closeSignIn();
    if (isOnline && !this._isOnline) void this.#loadOptions();
    this._state = next;
    void i18n.use(kioskLanguage(next));
    i18n.useTimeZone(next?.timeZone);
    this._isOnline = isOnline;
    this.toggleAttribute('data-offline', !isOnline);
    if (next !== null) this.#followPerson(next.session.user);
  };

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.api === null) {
      this.api = new KioskApi(new ApiClient());
      this.#ownsClient = true;
    }
    this.api.client.addEventListener('change', this.#onChange);
    this.#onChange();
    if (this.#ownsClient) this.api.client.connect();
    this.#ticker = setInterval(() => {
      if (this._state?.player.status === 'playing' && this.#offlineAt === null) this._tick += 1;
    }, 1000);
  }

  override disconnectedCallback(): void {
    this.api?.client.removeEventListener('change', this.#onChange);
    if (this.#ownsClient) this.api?.client.close();
    clearInterval(this.#ticker);
    clearTimeout(this.#toastTimer);
    clearTimeout(this.#awakeTimer);
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#sleep.follow(this.#isAsleep(this._state), this._isOnline);
    if (!changed.has('_state' as keyof MbKiosk) || this._state === null) return;
    if (!this.#hasRendered) {
      this.#hasRendered = true;
      performance.mark('mb-first-render');
    }
    performance.mark('mb-rendered');
    requestAnimationFrame(() => performance.mark('mb-painted'));
  }

  override render() {
    const s = this._state;
    const user = s?.session.user ?? null;
    // The guest page's QR code: large beside the attract screen; a card beside the music while people
    // are in view; small in the header's corner while someone signed in uses the screen.
    const isAttract = s !== null && this.#isIdle(s);
    const isAsleep = this.#isAsleep(s);
    const qr =
      s === null || this._guestUrl === null
        ? nothing
        : html`<mb-guest-qr .url=${this._guestUrl} ?large=${isAttract} ?offline=${!this._isOnline}></mb-guest-qr>`;
    return html`
      ${renderHeader(s, {
        isOnline: this._isOnline,
        qr: isAttract || user === null ? nothing : qr,
        onMe: this.#openMe,
        onSignIn: this.#openSignIn,
        onSignOut: this.#signOut,
      })}
      <main>${s === null ? renderConnecting() : isAttract ? html`${renderAttract(s, this.#wake)}${qr}` : this.#renderMain(s)}</main>
      ${renderFooter(this.#renderToast(s))} ${this._isOnline ? nothing : html`<div class="banner" role="alert">${t('kiosk.offline')}</div>`}
      ${
        this._isSigningIn
          ? html`<mb-sign-in
              ?can-register=${this._canRegister}
              ?has-card-reader=${s?.session.hasCardReader === true}
              .findNames=${this._canSuggestNames ? this.#findNames : null}
              .error=${this._signInError}
              .waitUntil=${this._signInWaitUntil}
              ?busy=${this._isBusy}
              @mb-pin-submit=${this.#onPin}
              @mb-cancel=${this.#closeSignIn}
            ></mb-sign-in>`
          : nothing
      }
      ${
        this._isMeOpen && user
          ? html`<mb-me
              .api=${this.api}
              .liked=${this._liked}
              .toggleLike=${this.#toggleLikeOf}
              name=${user.name}
              @mb-cancel=${() => (this._isMeOpen = false)}
            ></mb-me>`
          : nothing
      }
      ${user ? this.#idle.render() : nothing} ${isAsleep && s !== null ? renderSleep(s, this.#wake) : nothing}
    `;
  }

  /** The message of the moment (a notice from the daemon first), above the footer; none while a panel is open. */
  #renderToast(s: StateSnapshot | null) {
    const notice = s?.session.notice ?? null;
    const text = notice !== null && notice !== '' ? notice : this._toast;
    if (text === null || this.#isPanelOpen()) return nothing;
    return html`<div class="toast" role="status" ?data-lifted=${this.#idle.secondsLeft !== null}>${text}</div>`;
  }

  #renderMain(s: StateSnapshot) {
    const shown = s.player.nowPlaying ?? s.player.next;
    const qrCard = this.#renderQrCard();
    const now = renderNow(s, {
      positionMs: this.#positionMs(s),
      qrCard,
      liked: this._liked,
      onLike: (track) => this.#toggleLike(track),
      onSkip: (track) => this.#send('skip', track),
      isStale: !this._isOnline,
    });
    return html`${renderBackdrop(shown)}${now}<mb-suggestions
        qr=${qrCard === null ? nothing : (s.guests.kioskQr ?? 'card')}
        .tracks=${s.suggestions}
        .person=${s.session.user?.name ?? null}
        .mood=${s.mood.held?.music ?? s.mood.current}
        .liked=${this._liked}
        .library=${libraryGap(s.library)}
        .adminUrl=${adminAddress(this._guestUrl, window.location.origin)}
        .quietUntil=${s.quietHours ? ((s.quietUntil ?? '') === '' ? '' : i18n.clock(s.quietUntil ?? '')) : null}
        @mb-track-play=${(event: MbEvent<'mb-track-play'>) => void this.#send('play', event.detail.track)}
      ></mb-suggestions>`;
  }

  /** Where the song playing is (ms): the daemon's position, counted on while it plays; offline, it stands still. */
  #positionMs(s: StateSnapshot): number {
    const elapsed = s.player.status === 'playing' ? (this.#offlineAt ?? performance.now()) - this.#positionAt : 0;
    void this._tick;
    return s.player.positionMs + elapsed;
  }

  /**
   * The guest page's code as a card beside the music (as the venue's `guests.kioskQr` says: a card,
   * or large for the tables), while guests may ask for songs and nobody is signed in (a person at
   * the screen has their Like and Skip there). Offline, its place stays with no code in it.
   */
  #renderQrCard() {
    return this._guestUrl !== null && this._state?.session.user === null
      ? html`<mb-guest-qr card .url=${this._guestUrl} ?offline=${!this._isOnline}></mb-guest-qr>`
      : null;
  }

  /**
   * The attract screen: nobody is in front of the camera (or the camera has not read the room yet
   * and nothing plays), nobody is signed in, and nobody tapped the screen in the last minute.
   */
  #isIdle(s: StateSnapshot): boolean {
    if (this._isAwake || this._isSigningIn || s.session.user !== null) return false;
    if (s.camera.status === 'unavailable' || s.camera.status === 'off') return false;
    if (s.mood.current === 'nobody') return true;
    return s.mood.current === null && s.player.status === 'stopped';
  }

  /** The dark screen of the quiet hours shows: nobody signed in, no panel open, no touch in the last minute. */
  #isAsleep(s: StateSnapshot | null): boolean {
    return s !== null && s.quietHours && !this._isAwake && s.session.user === null && !this.#isPanelOpen();
  }

  readonly #wake = (): void => {
    this._isAwake = true;
    clearTimeout(this.#awakeTimer);
    this.#awakeTimer = setTimeout(() => (this._isAwake = false), AWAKE_MS);
  };

  /** A panel (sign-in, My music) covers the screen: no message shows over it. */
  #isPanelOpen(): boolean {
    return this._isSigningIn || this._isMeOpen;
  }

  readonly #openMe = (): void => {
    this.#dismissToast();
    this._isMeOpen = true;
  };

  readonly #openSignIn = (): void => {
    this.#dismissToast();
    this._signInError = null;
    this._signInWaitUntil = null;
    this._isSigningIn = true;
  };

  readonly #closeSignIn = (): void => {
    this._isSigningIn = false;
    this._signInError = null;
    this._signInWaitUntil = null;
    this._isBusy = false;
  };

  readonly #findNames = async (prefix: string): Promise<string[]> => (await this.api?.names(prefix))?.names ?? [];

  readonly #onPin = async (event: MbEvent<'mb-pin-submit'>): Promise<void> => {
    const api = this.api;
    const panel = this._signIn;
    if (api === null || panel === null) return;
    this._isBusy = true;
    const isRegistering = panel.mode === 'register';
    try {
      const signed = isRegistering ? await api.register(panel.name, event.detail.pin) : await api.signIn(panel.name, event.detail.pin);
      this.#closeSignIn();
      this.#showToast(t(isRegistering ? 'kiosk.welcomeNew' : 'kiosk.welcome', { name: signed.user.name }));
    } catch (err) {
      const message = err instanceof ApiError ? i18n.said(err.said, err.message) : '';
      if (isRegistering && err instanceof ApiError && err.code === 'MB_ERR_CONFLICT') panel.startOver();
      // The refusal as the daemon says it (`said`: its sentence without the wait, which the panel counts down itself).
      this._signInError = message || t('kiosk.signInFailed');
      this._signInWaitUntil = err instanceof ApiError && err.retryAfterS !== null ? Date.now() + err.retryAfterS * 1000 : null;
      panel.clearPin();
    } finally {
      this._isBusy = false;
    }
  };

  readonly #signOut = async (): Promise<void> => {
    this.#isSigningOutHere = true;
    try {
      await this.api?.signOut();
      this.#showToast(t('kiosk.signedOut'));
    } catch (err) {
      this.#isSigningOutHere = false;
      this.#showToast(err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.signOutFailed'));
    }
  };

  /** Whether self-registration is on and the idle sign-out time; asked each time the link to the daemon comes up. */
  async #loadOptions(): Promise<void> {
    try {
      const options = await this.api?.options();
      this._canRegister = options?.selfRegistration === true;
      this._canSuggestNames = options?.suggestNames === true;
      this._guestUrl = typeof options?.guestUrl === 'string' && options.guestUrl !== '' ? options.guestUrl : null;
      if (typeof options?.idleTimeoutS === 'number') this.#idle.timeoutS = options.idleTimeoutS;
    } catch {
      // An older daemon, or offline: no registration offered, the default timeout.
    }
  }

  /** Notices a sign-in (loads their likes, starts the countdown's clock) or a sign-out (announces it). */
  #followPerson(user: { id: number; name: string } | null): void {
    const before = this.#person;
    if ((before?.id ?? null) === (user?.id ?? null)) return;
    this.#person = user === null ? null : { id: user.id, name: user.name };
    const hadRunOut = this.#idle.follow(user !== null);
    this._liked = new Set();
    this._isMeOpen = false;
    if (user !== null) {
      void this.#loadLikes(user.id);
      void this.#idle.stay(true);
    } else if (before !== null && !this.#isSigningOutHere) {
      this.#showToast(hadRunOut ? signedOutIdle(before.name, this.#idle.timeoutS) : t('kiosk.signedOutOther', { name: before.name }));
    }
    this.#isSigningOutHere = false;
  }

  async #loadLikes(userId: number): Promise<void> {
    try {
      const profile = await this.api?.profile();
      if (this.#person?.id !== userId || !Array.isArray(profile?.likedTrackIds)) return;
      this._liked = new Set(profile.likedTrackIds);
      if (typeof profile.idleTimeoutS === 'number') this.#idle.timeoutS = profile.idleTimeoutS;
    } catch {
      // Likes show unmarked until the next sign-in; liking still works.
    }
  }

  readonly #toggleLikeOf = (trackId: number, title: string): Promise<void> => this.#toggleLike({ id: trackId, title });

  /** Like, or unlike when the person already likes it; the heart follows the daemon's answer. */
  async #toggleLike(track: Pick<TrackView, 'id' | 'title'>): Promise<void> {
    const api = this.api;
    if (api === null) return;
    const wasLiked = this._liked.has(track.id);
    try {
      const answer = wasLiked ? await api.unlike(track) : await api.like(track);
      const next = new Set(this._liked);
      if (wasLiked) next.delete(track.id);
      else next.add(track.id);
      this._liked = next;
      this.#showToast(answer?.message ?? t(wasLiked ? 'kiosk.unliked' : 'kiosk.likedToast', { title: track.title }));
    } catch (err) {
      this.#showToast(err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.failed'));
    }
  }

  async #send(action: 'play' | 'skip', track: TrackView): Promise<void> {
    const api = this.api;
    if (api === null) return;
    try {
      const answer = await api[action](track);
      const fallback = t(action === 'play' ? 'kiosk.playingToast' : 'kiosk.skippedToast', { title: track.title });
      this.#showToast(answer.message ?? fallback);
    } catch (err) {
      this.#showToast(err instanceof ApiError ? i18n.said(err.said, err.message) : t('kiosk.failed'));
    }
  }

  #dismissToast(): void {
    clearTimeout(this.#toastTimer);
    this._toast = null;
  }

  /** Shows `text` above the footer for a while; dropped while a panel is open (the panel shows what happens in it). */
  #showToast(text: string): void {
    if (this.#isPanelOpen()) return;
    this._toast = text;
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => (this._toast = null), TOAST_MS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-kiosk': MbKiosk;
  }
}
