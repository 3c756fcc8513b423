import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { StateSnapshot, TrackView } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import '../components/mb-mood-face.js';
import { moodLook } from '../components/mb-mood-face.js';
import { sentence } from '../components/words.js';
import { moodColour } from '../components/mood-colours.js';
import { ApiClient, ApiError } from '../data/api-client.js';
import { KioskApi } from '../data/kiosk-api.js';
import type { MbEvent } from '../events.js';
import { clockTime, duration, renderAttract } from './kiosk-words.js';
import { KIOSK_STYLES } from './mb-kiosk.styles.js';
import './mb-guest-qr.js';
import './mb-me.js';
import { ICON_LIKE } from './mb-suggestions.js';
import './mb-sign-in.js';
import type { MbSignIn } from './mb-sign-in.js';

const CAMERA_TEXT = { on: 'Camera on', starting: 'Camera starting', off: 'Camera off', unavailable: 'Camera unavailable' } as const;
const ICON_SKIP = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M4 5l10 7-10 7zM15 5l8 7-8 7z"/></svg>`;
const ICON_CAMERA = svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><path d="M3 8h3.5l1.5-2.5h8L17.5 8H21v11H3z"/><circle cx="12" cy="13.5" r="3.5"/></svg>`;
/** " · asked for by a guest" after the next song's name, when a guest's phone asked for it. */
const asked = (track: TrackView) => (track.whyKind === 'guest' ? html`<span data-guest> · asked for by a guest</span>` : nothing);
/** How long a tap on the attract screen keeps the full screen up without anyone in view (ms). */
const AWAKE_MS = 60_000;
/** How long a message such as the answer to a tap stays on screen (ms). */
const TOAST_MS = 6_000;
/** The idle sign-out time until the daemon says otherwise (`sessions.kioskIdleTimeoutS`'s default, s). */
const IDLE_TIMEOUT_S = 120;
/** How long before the idle sign-out the countdown shows: 10 s, or half the timeout when that is shorter (ms). */
const warnMs = (timeoutS: number): number => Math.min(10_000, (timeoutS * 1000) / 2);
/** Taps closer together than this start the idle time again only once (ms). */
const STAY_EVERY_MS = 1000;
/** The daemon's wait sentence at the end of a sign-in error; the sign-in panel shows a live countdown instead. */
const TRY_AGAIN_IN = /\s*Try again in \d+ seconds?\.$/;

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
  /** Seconds left before the idle sign-out while the countdown shows; null while it does not. */
  @state() private _signOutInS: number | null = null;
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
  /** When (performance.now) the idle sign-out comes, as the daemon last said; null when unknown or nobody is signed in. */
  #signOutAt: number | null = null;
  #idleTimeoutS = IDLE_TIMEOUT_S;
  #lastStayAt = -Infinity;
  /** Set while this screen's own sign-out button signs the person out: that one is announced by the button. */
  #isSigningOutHere = false;
  #countdown: ReturnType<typeof setInterval> | undefined;

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
    this._isOnline = isOnline;
    this.toggleAttribute('data-offline', !isOnline);
    if (next !== null) this.#followPerson(next.session.user);
  };

  /** Any touch of the screen while someone is signed in starts their idle time again. */
  readonly #onActivity = (): void => {
    if (this.#person !== null) void this.#stay(false);
  };

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
    // A quarter second, so the countdown's number changes within 250 ms of the real second.
    this.#countdown = setInterval(this.#updateCountdown, 250);
    this.addEventListener('pointerdown', this.#onActivity, { capture: true });
  }

  override disconnectedCallback(): void {
    this.api?.client.removeEventListener('change', this.#onChange);
    if (this.#ownsClient) this.api?.client.close();
    clearInterval(this.#ticker);
    clearInterval(this.#countdown);
    this.removeEventListener('pointerdown', this.#onActivity, { capture: true });
    clearTimeout(this.#toastTimer);
    clearTimeout(this.#awakeTimer);
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues<this>): void {
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
    const qr =
      s === null || this._guestUrl === null ? nothing : html`<mb-guest-qr .url=${this._guestUrl} ?large=${isAttract}></mb-guest-qr>`;
    return html`
      <header>
        <span class="brand">Moodbox${s?.demo ? html` <small>· demo</small>` : nothing}</span>
        ${this.#renderCamera(s)}
        ${
          user
            ? html`<button
                  class="who"
                  data-action="me"
                  aria-label="Signed in as ${user.name}: your history and preferences"
                  @click=${this.#openMe}
                >
                  ${user.name}<span class="me">· My music</span>
                </button>
                <button class="pill" data-action="sign-out" @click=${this.#signOut}>Sign out</button>`
            : html`<button class="pill" data-action="sign-in" ?disabled=${!this._isOnline} @click=${this.#openSignIn}>Sign in</button>`
        }
        ${isAttract || user === null ? nothing : qr}
      </header>
      <main>${s === null ? this.#renderConnecting() : isAttract ? html`${renderAttract(s, this.#wake)}${qr}` : this.#renderMain(s)}</main>
      <footer>
        ${this.#renderToast(s)}
        <span class="privacy"
          >${ICON_CAMERA}The camera only reads expressions to choose music. No picture is recorded or sent anywhere.</span
        >
      </footer>
      ${this._isOnline ? nothing : html`<div class="banner" role="alert">Offline: reconnecting to Moodbox…</div>`}
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
      ${
        user && this._signOutInS !== null
          ? html`<button class="countdown" data-action="stay" @click=${this.#stayHere}>
              <span aria-live="polite"
                >${
                  this._signOutInS > 0
                    ? html`Signing out in <span data-sign-out-s>${this._signOutInS}</span> s — tap to stay`
                    : 'Signing out…'
                }</span
              >
            </button>`
          : nothing
      }
    `;
  }

  /** The message of the moment (a notice from the daemon first), above the footer; none while a panel is open. */
  #renderToast(s: StateSnapshot | null) {
    const notice = s?.session.notice ?? null;
    const text = notice !== null && notice !== '' ? notice : this._toast;
    if (text === null || this.#isPanelOpen()) return nothing;
    return html`<div class="toast" role="status" ?data-lifted=${this._signOutInS !== null}>${text}</div>`;
  }

  #renderCamera(s: StateSnapshot | null) {
    // Offline, the kiosk does not know what the camera does: it says so rather than show a stale "Camera on".
    if (!this._isOnline) {
      return html`<span class="camera" data-status="offline" role="status"
        ><span class="dot" aria-hidden="true"></span>Camera status unknown</span
      >`;
    }
    const camera = s?.camera.status ?? 'off';
    return html`<span class="camera" data-status=${camera} role="status"
      ><span class="dot" aria-hidden="true"></span>${CAMERA_TEXT[camera]}</span
    >`;
  }

  #renderConnecting() {
    return html`<section class="now" aria-label="Room mood">
      <div class="mood"><div class="label">Connecting to Moodbox…</div></div>
    </section>`;
  }

  #renderMain(s: StateSnapshot) {
    const shown = s.player.nowPlaying ?? s.player.next;
    return html`${this.#renderBackdrop(shown)}${this.#renderNow(s)}<mb-suggestions
        .tracks=${s.suggestions}
        .person=${s.session.user?.name ?? null}
        .mood=${s.mood.held?.music ?? s.mood.current}
        .liked=${this._liked}
        @mb-track-play=${(event: MbEvent<'mb-track-play'>) => void this.#send('play', event.detail.track)}
      ></mb-suggestions>`;
  }

  /** The cover of what plays, blurred, behind the screen; a glow in the music's mood colour when it has none. */
  #renderBackdrop(track: TrackView | null) {
    if (track === null) return nothing;
    if (track.coverUrl) return html`<div class="backdrop" aria-hidden="true" style="background-image: url('${track.coverUrl}')"></div>`;
    const colour = moodColour(track.moods[0] ?? '');
    return html`<div
      class="backdrop generated"
      aria-hidden="true"
      style="background: radial-gradient(circle at 30% 40%, ${colour}55, transparent 60%)"
    ></div>`;
  }

  /**
   * The room mood badge and the line under it, which always agree: both come from the mood and the
   * face count in the daemon's state (what the dashboard shows). A staff hold is what plays, so it
   * is what the badge says, and the line says when the music follows the room again.
   */
  #renderMood(s: StateSnapshot) {
    const held = s.mood.held ?? null;
    if (held !== null) {
      const music = held.music;
      const until = clockTime(held.until);
      return html`<div class="mood" aria-label="Room mood" data-state="held" data-mood=${music} style="color: ${moodLook(music).colour}">
        <mb-mood-face mood=${music}></mb-mood-face>
        <div>
          <div class="label">Staff pick: ${music} until ${until}</div>
          <p>
            ${
              s.camera.status === 'off' || s.camera.status === 'unavailable'
                ? `The camera is ${s.camera.status === 'off' ? 'off' : 'not working'}: after ${until} the music plays on without it.`
                : `The music follows the room again at ${until}.`
            }
          </p>
        </div>
      </div>`;
    }
    if (s.camera.status === 'unavailable' || s.camera.status === 'off') {
      const isOff = s.camera.status === 'off';
      return html`<div class="mood" aria-label="Room mood" data-state=${isOff ? 'camera-off' : 'camera-unavailable'} style="color: #c3ced8">
        <div>
          <div class="label">${isOff ? 'Camera off' : 'Camera unavailable'}</div>
          <p>
            ${isOff ? 'Moodbox is not reading the room right now. Pick a song.' : (s.camera.detail ?? 'Moodbox is trying to reconnect it.')}
          </p>
        </div>
      </div>`;
    }
    const mood = s.mood.current;
    // Someone came into view and their mood is not read yet: "Nobody here" over "1 face in view" would contradict itself.
    if (mood === null || (mood === 'nobody' && s.mood.faces > 0)) {
      return html`<div class="mood" aria-label="Room mood" data-state="reading" style="color: #c3ced8">
        <div>
          <div class="label">Reading the room…</div>
          ${s.mood.faces > 0 && s.mood.why ? html`<p>${s.mood.why}</p>` : nothing}
        </div>
      </div>`;
    }
    const look = moodLook(mood);
    return html`<div class="mood" aria-label="Room mood" data-state="mood" data-mood=${mood} style="color: ${look.colour}">
      <mb-mood-face mood=${mood}></mb-mood-face>
      <div>
        <div class="label">${look.label}</div>
        ${s.mood.why ? html`<p>${s.mood.why}</p>` : nothing}
        ${
          s.mood.isPersonal === true && s.session.user !== null
            ? html`<span class="calibrated" data-calibrated role="status">Reading you with your calibration</span>`
            : nothing
        }
      </div>
    </div>`;
  }

  #renderNow(s: StateSnapshot) {
    const now = s.player.nowPlaying;
    const next = s.player.next;
    const user = s.session.user;
    if (now === null) {
      return html`<section class="now" aria-label="Now playing" data-state="stopped" ?data-qr=${this.#hasQrCard()}>
        ${this.#renderMood(s)}${this.#renderQrCard()}
        <mb-cover label=${next?.title ?? 'Moodbox'} .src=${next?.coverUrl ?? null} .mood=${next?.moods[0] ?? s.mood.current}></mb-cover>
        <div class="text">
          <h2>Now playing</h2>
          <div class="title">Nothing playing</div>
          ${next ? html`<p class="next">Next: ${next.title} · ${next.artist}${asked(next)}</p>` : html`<p class="next">Tap a song to start.</p>`}
        </div>
      </section>`;
    }
    const elapsed = s.player.status === 'playing' ? (this.#offlineAt ?? performance.now()) - this.#positionAt : 0;
    void this._tick;
    const position = s.player.positionMs + elapsed;
    const share = now.durationMs ? Math.min(1, position / now.durationMs) : 0;
    return html`<section class="now" aria-label="Now playing" data-state=${s.player.status} ?data-qr=${this.#hasQrCard()}>
      ${this.#renderMood(s)}${this.#renderQrCard()}
      <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
      <div class="text">
        <h2>${s.player.status === 'paused' ? 'Paused' : 'Now playing'}</h2>
        ${this.#renderTitle(now, s.player.streamTitle ?? null)}${
          now.whyKind === 'guest'
            ? html`<span class="asked" data-guest>Asked for by a guest</span>`
            : now.why
              ? html`<p class="playing-why" data-why>${sentence(now.why)}</p>`
              : nothing
        }
        <div
          class="progress"
          role="progressbar"
          aria-label="Progress"
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${Math.round(share * 100)}
        >
          <div style="width: ${(share * 100).toFixed(1)}%"></div>
        </div>
        ${next ? html`<p class="next">Next: ${next.title} · ${next.artist}${asked(next)}</p>` : nothing}
        ${
          user
            ? html`<div class="actions">
                <button
                  data-action="like"
                  aria-pressed=${this._liked.has(now.id) ? 'true' : 'false'}
                  aria-label="${this._liked.has(now.id) ? 'Unlike' : 'Like'} ${now.title}"
                  @click=${() => this.#toggleLike(now)}
                >
                  ${ICON_LIKE} ${this._liked.has(now.id) ? 'Liked' : 'Like'}
                </button>
                <button data-action="skip" aria-label="Skip ${now.title}" @click=${() => this.#send('skip', now)}>${ICON_SKIP} Skip</button>
              </div>`
            : nothing
        }
      </div>
    </section>`;
  }

  /**
   * The guest page's code as a card under the room's mood, while guests may ask for songs and nobody
   * is signed in (a person at the screen has their Like and Skip there).
   */
  #renderQrCard() {
    return this.#hasQrCard() ? html`<mb-guest-qr card .url=${this._guestUrl}></mb-guest-qr>` : nothing;
  }

  #hasQrCard(): boolean {
    return this._guestUrl !== null && this._state?.session.user === null;
  }

  /** The song and its artist; for a station, what it says it plays (its ICY title) over the station's name. */
  #renderTitle(now: TrackView, streamTitle: string | null) {
    const title = streamTitle ?? now.title;
    return html`<div class="title ${title.length > 30 ? 'longer' : ''}">${title}</div>
      <div class="artist">${streamTitle === null ? now.artist : now.title}</div>`;
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
      this.#showToast(isRegistering ? `Welcome, ${signed.user.name}. Your account is ready.` : `Welcome, ${signed.user.name}.`);
    } catch (err) {
      const message = err instanceof ApiError ? err.message : '';
      if (isRegistering && err instanceof ApiError && err.code === 'MB_ERR_CONFLICT') panel.startOver();
      // The panel counts the wait down itself: the daemon's "Try again in N seconds." would stand still.
      this._signInError = message.replace(TRY_AGAIN_IN, '') || 'Sign-in failed. Try again.';
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
      this.#showToast('Signed out. See you soon.');
    } catch (err) {
      this.#isSigningOutHere = false;
      this.#showToast(err instanceof ApiError ? err.message : 'Sign-out failed. Try again.');
    }
  };

  /** Whether self-registration is on and the idle sign-out time; asked each time the link to the daemon comes up. */
  async #loadOptions(): Promise<void> {
    try {
      const options = await this.api?.options();
      this._canRegister = options?.selfRegistration === true;
      this._canSuggestNames = options?.suggestNames === true;
      this._guestUrl = typeof options?.guestUrl === 'string' && options.guestUrl !== '' ? options.guestUrl : null;
      if (typeof options?.idleTimeoutS === 'number') this.#idleTimeoutS = options.idleTimeoutS;
    } catch {
      // An older daemon, or offline: no registration offered, the default timeout.
    }
  }

  /** Notices a sign-in (loads their likes, starts the countdown's clock) or a sign-out (announces it). */
  #followPerson(user: { id: number; name: string } | null): void {
    const before = this.#person;
    if ((before?.id ?? null) === (user?.id ?? null)) return;
    this.#person = user === null ? null : { id: user.id, name: user.name };
    const hadRunOut = this.#signOutAt !== null && performance.now() >= this.#signOutAt - 1000;
    this.#signOutAt = null;
    this._signOutInS = null;
    this._liked = new Set();
    this._isMeOpen = false;
    this.#lastStayAt = -Infinity;
    if (user !== null) {
      void this.#loadLikes(user.id);
      void this.#stay(true);
    } else if (before !== null && !this.#isSigningOutHere) {
      this.#showToast(
        hadRunOut
          ? `${before.name}, you were signed out after ${duration(this.#idleTimeoutS)} without a tap. See you soon.`
          : `${before.name} is signed out. See you soon.`,
      );
    }
    this.#isSigningOutHere = false;
  }

  async #loadLikes(userId: number): Promise<void> {
    try {
      const profile = await this.api?.profile();
      if (this.#person?.id !== userId || !Array.isArray(profile?.likedTrackIds)) return;
      this._liked = new Set(profile.likedTrackIds);
      if (typeof profile.idleTimeoutS === 'number') this.#idleTimeoutS = profile.idleTimeoutS;
    } catch {
      // Likes show unmarked until the next sign-in; liking still works.
    }
  }

  /** Starts the idle time again on the daemon and learns when the sign-out comes; at most once a second unless `force`. */
  async #stay(force: boolean): Promise<void> {
    const api = this.api;
    const now = performance.now();
    if (api === null || this.#person === null || (!force && now - this.#lastStayAt < STAY_EVERY_MS)) return;
    this.#lastStayAt = now;
    try {
      const answer = await api.stay();
      if (this.#person !== null && typeof answer?.expiresInMs === 'number') {
        this.#signOutAt = now + answer.expiresInMs;
        this.#idleTimeoutS = Math.round(answer.expiresInMs / 1000);
        this.#updateCountdown();
      }
    } catch {
      // Signed out meanwhile: the daemon's state says so.
    }
  }

  readonly #stayHere = (): void => {
    this._signOutInS = null;
    void this.#stay(true);
  };

  readonly #updateCountdown = (): void => {
    const at = this.#signOutAt;
    if (at === null || this.#person === null) {
      this._signOutInS = null;
      return;
    }
    const leftMs = at - performance.now();
    this._signOutInS = leftMs > warnMs(this.#idleTimeoutS) ? null : Math.max(0, Math.ceil(leftMs / 1000));
  };

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
      this.#showToast(answer?.message ?? (wasLiked ? `You no longer like “${track.title}”.` : `Liked “${track.title}”.`));
    } catch (err) {
      this.#showToast(err instanceof ApiError ? err.message : 'That did not work. Try again.');
    }
  }

  async #send(action: 'play' | 'skip', track: TrackView): Promise<void> {
    const api = this.api;
    if (api === null) return;
    try {
      const answer = await api[action](track);
      const fallback = { play: `Playing “${track.title}”.`, skip: `Skipped “${track.title}”.` }[action];
      this.#showToast(answer.message ?? fallback);
    } catch (err) {
      this.#showToast(err instanceof ApiError ? err.message : 'That did not work. Try again.');
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
