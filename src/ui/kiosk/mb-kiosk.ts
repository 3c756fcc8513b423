import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { StateSnapshot, TrackView } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import '../components/mb-mood-face.js';
import { moodLook } from '../components/mb-mood-face.js';
import { moodColour } from '../components/mood-colours.js';
import { ApiClient, ApiError } from '../data/api-client.js';
import { KioskApi } from '../data/kiosk-api.js';
import type { MbEvent } from '../events.js';
import './mb-me.js';
import './mb-sign-in.js';
import type { MbSignIn } from './mb-sign-in.js';

const CAMERA_TEXT = { on: 'Camera on', starting: 'Camera starting', off: 'Camera off', unavailable: 'Camera unavailable' } as const;
const ICON_LIKE = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M12 21s-7.5-4.6-9.6-9.2C.9 8.3 3 4.5 6.7 4.5c2.1 0 3.6 1.2 5.3 3 1.7-1.8 3.2-3 5.3-3 3.7 0 5.8 3.8 4.3 7.3C19.5 16.4 12 21 12 21z"/></svg>`;
const ICON_SKIP = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M4 5l10 7-10 7zM15 5l8 7-8 7z"/></svg>`;
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
 * Why a suggestion, in a guest's words and about the song itself: for a pick by the mood (or one of
 * the closest when few fit), the song's own mood ("Mellow"); else the recommender's reason,
 * short enough for a chip: its first clause, capitalised ("you liked it; fits calm" → "You liked it").
 */
function whyChip(track: TrackView): string | null {
  if (track.whyKind === 'mood' || track.whyKind === 'fallback') {
    const own = track.moods[0];
    return own === undefined ? 'Something different' : moodLook(own).label;
  }
  const first = track.why?.split(';')[0]?.trim() ?? '';
  return first === '' ? null : first.charAt(0).toUpperCase() + first.slice(1);
}

/** "2 minutes", "45 seconds": the idle time in the sign-out announcement. */
function duration(seconds: number): string {
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} minutes`;
  return seconds === 60 ? '1 minute' : `${seconds} seconds`;
}

/**
 * The kiosk screen: the room mood, what plays and what plays next, six suggestions to tap, sign-in
 * by card or PIN, and the camera indicator and privacy notice at all times. Renders only from the
 * daemon's pushed state; shows when the link to the daemon is down.
 *
 * @summary The touchscreen kiosk.
 */
@customElement('mb-kiosk')
export class MbKiosk extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
      height: 100vh;
      height: 100dvh;
      overflow: hidden;
      background: #0d1117;
      color: #f4f6f8;
      font:
        400 clamp(15px, 2.4vmin, 30px) / 1.3 system-ui,
        sans-serif;
      -webkit-user-select: none;
      user-select: none;
      --accent: #ffd166;
    }
    button {
      font: inherit;
      color: inherit;
      touch-action: manipulation;
    }
    button:focus-visible {
      outline: 3px solid #ffd166;
      outline-offset: 2px;
    }
    button:disabled {
      opacity: 0.45;
    }
    header,
    footer {
      /* Above the sign-in panel: the camera indicator and the privacy notice stay visible at all times. */
      position: relative;
      z-index: 11;
      display: flex;
      align-items: center;
      gap: 0.8em;
      padding: 0.3em 0.8em;
      background: #060a0f;
    }
    header .brand {
      font-weight: 800;
      margin-right: auto;
    }
    .camera {
      display: inline-flex;
      align-items: center;
      gap: 0.45em;
      font-weight: 700;
    }
    .dot {
      width: 0.85em;
      height: 0.85em;
      border-radius: 50%;
      background: #7a8794;
    }
    .camera[data-status='on'] .dot {
      background: #ff4d5a;
      box-shadow: 0 0 0 0.2em rgb(255 77 90 / 0.3);
    }
    .camera[data-status='unavailable'],
    .camera[data-status='offline'] {
      color: #ffb4a2;
    }
    .pill {
      min-height: max(2.4em, 48px);
      padding: 0 1.1em;
      border: 2px solid #ffd166;
      border-radius: 2em;
      background: transparent;
      font-weight: 700;
    }
    .who {
      font-weight: 700;
    }
    main {
      position: relative;
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1.5fr);
      grid-template-rows: minmax(0, 1fr);
      grid-template-areas: 'now tiles';
      gap: 0.8em 1.2em;
      padding: 0.7em 1em;
      min-height: 0;
      overflow: hidden;
      isolation: isolate;
    }
    /* The cover of what plays, blurred and dimmed, behind everything: the screen takes its colours. */
    .backdrop {
      position: absolute;
      inset: -10%;
      z-index: -1;
      background-size: cover;
      background-position: center;
      filter: blur(40px) saturate(1.3) brightness(0.42);
      transform: scale(1.1);
    }
    .backdrop.generated {
      filter: none;
      transform: none;
      opacity: 0.55;
    }
    .now {
      grid-area: now;
      display: grid;
      grid-template-rows: auto minmax(0, min(42vh, 34vw)) auto;
      justify-items: center;
      align-content: center;
      gap: 0.35em;
      min-height: 0;
      min-width: 0;
      text-align: center;
    }
    /* The hero cover takes the height the mood and the text leave, up to a large square. */
    .now mb-cover {
      height: 100%;
      width: auto;
      max-height: min(42vh, 34vw);
      max-width: 100%;
      min-height: 0;
      border-radius: 0.6em;
      box-shadow: 0 0.6em 2em rgb(0 0 0 / 0.55);
    }
    .now .text {
      display: grid;
      gap: 0.15em;
      width: 100%;
      min-width: 0;
    }
    .now h2,
    .tiles h2 {
      margin: 0;
      font-size: 0.75em;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: #c3ced8;
    }
    .title.longer {
      font-size: 1.15em;
    }
    .title {
      font-size: 1.45em;
      font-weight: 800;
      line-height: 1.15;
      overflow-wrap: anywhere;
    }
    .artist {
      color: #dbe3ea;
      overflow-wrap: anywhere;
    }
    .progress {
      height: 0.35em;
      margin: 0.3em 0;
      border-radius: 0.2em;
      background: rgb(255 255 255 / 0.18);
      overflow: hidden;
    }
    .progress div {
      height: 100%;
      background: var(--accent);
    }
    .next {
      margin: 0;
      font-size: 0.85em;
      color: #c3ced8;
      overflow-wrap: anywhere;
    }
    .mood {
      display: inline-flex;
      align-items: center;
      gap: 0.5em;
      max-width: 100%;
      padding: 0.25em 0.9em 0.25em 0.35em;
      border-radius: 2em;
      background: rgb(6 10 15 / 0.6);
      border: 2px solid currentColor;
      text-align: left;
    }
    /* Camera off or unavailable: two or three lines and no face on the left, so a pill's round
       ends would cut into the text. */
    .mood[data-state^='camera'] {
      border-radius: 1em;
      padding: 0.45em 0.9em;
    }
    .mood mb-mood-face {
      flex: none;
      width: 2.1em;
      height: 2.1em;
    }
    .mood .label {
      font-size: 1.15em;
      font-weight: 800;
      line-height: 1.1;
    }
    .mood p {
      margin: 0;
      font-size: 0.8em;
      color: #dbe3ea;
    }
    .mood .calibrated {
      display: inline-block;
      margin-top: 0.15em;
      padding: 0 0.5em;
      border-radius: 1em;
      font-size: 0.7em;
      font-weight: 700;
      color: #0d1117;
      background: #2ecc71;
    }
    .actions {
      display: flex;
      justify-content: center;
      gap: 0.6em;
      margin-top: 0.2em;
    }
    .actions button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      gap: 0.4em;
      min-height: max(2.4em, 48px);
      min-width: 5em;
      border: 2px solid #8fa3b5;
      border-radius: 0.5em;
      background: rgb(30 40 51 / 0.85);
      font-weight: 700;
    }
    .actions button[aria-pressed='true'] {
      border-color: #ff6b81;
      color: #ff8fa0;
    }
    .tiles {
      grid-area: tiles;
      display: grid;
      grid-template-rows: auto minmax(0, 1fr);
      gap: 0.35em;
      min-height: 0;
      min-width: 0;
    }
    .grid {
      /* --rows is set from the number of suggestions; the cover fills the tile's height. */
      --cover: min(11vw, calc((100dvh - 9em - (var(--rows) - 1) * 0.5em) / var(--rows) - 1.3em));
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      grid-template-rows: repeat(var(--rows), minmax(0, 1fr));
      gap: 0.5em;
      min-height: 0;
    }
    .tile {
      display: grid;
      grid-template-columns: var(--cover) minmax(0, 1fr);
      align-items: center;
      gap: 0.6em;
      padding: 0.4em;
      border: 2px solid rgb(255 255 255 / 0.12);
      border-radius: 0.7em;
      background: rgb(22 30 39 / 0.78);
      text-align: left;
      min-width: 0;
      min-height: 0;
      overflow: hidden;
    }
    .tile:active {
      border-color: #ffd166;
    }
    .tile mb-cover {
      --mb-cover-size: var(--cover);
    }
    .tile .text {
      display: grid;
      align-content: center;
      gap: 0.15em;
      min-width: 0;
      font-size: 0.88em;
      line-height: 1.15;
    }
    .tile .t {
      font-weight: 700;
      overflow-wrap: anywhere;
    }
    /* Long titles wrap in a smaller size rather than being cut. */
    .tile .t.long {
      font-size: 0.88em;
    }
    .tile .t.longer {
      font-size: 0.78em;
    }
    .tile .a {
      font-size: 0.85em;
      color: #c3ced8;
      overflow-wrap: anywhere;
    }
    .tile .meta {
      display: grid;
      gap: 0.15em;
      min-width: 0;
    }
    .tiles-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      column-gap: 0.8em;
      min-width: 0;
    }
    .few {
      margin: 0;
      font-size: max(14px, 0.75em);
      color: #ffd166;
    }
    .why {
      justify-self: start;
      max-width: 100%;
      padding: 0 0.55em;
      border-radius: 1em;
      /* Readable at arm's length on the smallest kiosk screen; tight lines, so that a tile keeps its height. */
      font-size: max(14px, 0.75em);
      line-height: 1.1;
      font-weight: 700;
      color: #0d1117;
      background: var(--chip, #c3ced8);
      overflow-wrap: anywhere;
    }
    .empty {
      margin: 0.4em 0 0;
      padding: 0.8em 1em;
      border: 2px dashed #4a5a6a;
      border-radius: 0.6em;
      color: #dbe3ea;
    }
    footer {
      font-size: 0.72em;
      color: #c3ced8;
    }
    footer .privacy {
      margin-right: auto;
    }
    .banner,
    .toast {
      position: fixed;
      left: 50%;
      transform: translateX(-50%);
      z-index: 20;
      max-width: 90vw;
      padding: 0.6em 1.2em;
      border-radius: 0.6em;
      font-weight: 800;
      text-align: center;
    }
    .banner {
      top: 3em;
      background: #ffd7d7;
      color: #5c0000;
      border: 3px solid #ff4d5a;
    }
    .toast {
      top: 3em;
      background: #f4f6f8;
      color: #0d1117;
    }
    .attract {
      grid-column: 1 / -1;
      grid-row: 1 / -1;
      display: grid;
      align-content: center;
      justify-items: center;
      gap: 0.7em;
      width: 100%;
      min-height: 0;
      padding: 0.5em;
      border: none;
      background: radial-gradient(circle at 50% 42%, color-mix(in srgb, var(--accent) 32%, transparent), transparent 62%);
      text-align: center;
      overflow: hidden;
    }
    .attract .big {
      font-size: 2.6em;
      font-weight: 800;
      line-height: 1.05;
    }
    .attract .line {
      max-width: 30em;
      font-size: 1.2em;
      font-weight: 600;
    }
    .attract mb-mood-face {
      width: 5.5em;
      height: 5.5em;
    }
    .attract .playing {
      display: inline-flex;
      align-items: center;
      gap: 0.7em;
      max-width: 100%;
      padding: 0.4em 1em 0.4em 0.4em;
      border-radius: 0.8em;
      background: rgb(6 10 15 / 0.55);
      text-align: left;
    }
    .attract .playing mb-cover {
      --mb-cover-size: 5em;
      flex: none;
    }
    .attract .hint {
      color: #c3ced8;
    }
    :host([data-offline]) main {
      opacity: 0.45;
    }
    .who {
      min-height: max(2.4em, 48px);
      padding: 0 0.9em;
      border: 2px solid rgb(255 255 255 / 0.35);
      border-radius: 2em;
      background: rgb(30 40 51 / 0.85);
    }
    .who .me {
      margin-left: 0.4em;
      font-weight: 600;
      color: #ffd166;
    }
    .who,
    .pill,
    .camera {
      white-space: nowrap;
    }
    /* A narrow screen keeps the header on one line: the name alone opens My music. */
    @media (max-width: 600px) {
      .who .me {
        display: none;
      }
    }
    .tile[data-for-you] {
      border-color: color-mix(in srgb, var(--accent) 70%, transparent);
    }
    .why.for-you::before {
      content: '★ ';
    }
    .liked {
      display: inline-flex;
      color: #ff8fa0;
    }
    .countdown {
      position: fixed;
      left: 50%;
      bottom: 2.4em;
      transform: translateX(-50%);
      z-index: 25;
      max-width: 92vw;
      min-height: max(2.8em, 56px);
      padding: 0.4em 1.4em;
      border: 3px solid #ffd166;
      border-radius: 0.8em;
      background: #2b2207;
      color: #ffe3a0;
      font-size: 1.1em;
      font-weight: 800;
      box-shadow: 0 0.4em 1.6em rgb(0 0 0 / 0.6);
      font-variant-numeric: tabular-nums;
    }
    @media (orientation: portrait) {
      main {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
        grid-template-areas: 'now' 'tiles';
      }
      .now {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        grid-template-rows: auto auto;
        grid-template-areas: 'mood mood' 'cover text';
        align-items: center;
        justify-items: start;
        column-gap: 0.9em;
        text-align: left;
      }
      .now .mood {
        grid-area: mood;
        justify-self: center;
      }
      .now mb-cover {
        grid-area: cover;
        height: auto;
        max-height: none;
        --mb-cover-size: min(42vw, 28vh);
        width: var(--mb-cover-size);
      }
      .now .text {
        grid-area: text;
      }
      .actions {
        justify-content: flex-start;
      }
      .grid {
        --cover: min(24vw, 16vh);
      }
      .tile .text {
        font-size: 1.05em;
      }
    }
    /* A narrow portrait screen: one column of wide tiles, and a smaller hero. */
    @media (orientation: portrait) and (max-width: 700px) {
      .now mb-cover {
        --mb-cover-size: min(36vw, 22vh);
      }
      .tile {
        padding: 0.25em 0.4em;
      }
      .tile .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.1em 0.6em;
      }
      .grid {
        --cover: min(15vw, 6.4vh);
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: repeat(calc(var(--rows) * 2), minmax(0, 1fr));
      }
    }
  `;

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
  @query('mb-sign-in') private _signIn!: MbSignIn | null;

  #hasRendered = false;
  #positionAt = 0;
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
      if (this._state?.player.status === 'playing') this._tick += 1;
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
                  @click=${() => (this._isMeOpen = true)}
                >
                  ${user.name}<span class="me">· My music</span>
                </button>
                <button class="pill" data-action="sign-out" @click=${this.#signOut}>Sign out</button>`
            : html`<button class="pill" data-action="sign-in" ?disabled=${!this._isOnline} @click=${this.#openSignIn}>Sign in</button>`
        }
      </header>
      <main>${s === null ? this.#renderConnecting() : this.#isIdle(s) ? this.#renderAttract(s) : this.#renderMain(s)}</main>
      <footer>
        <span class="privacy">The camera only reads expressions to choose music. No picture is recorded or sent anywhere.</span>
      </footer>
      ${this._isOnline ? nothing : html`<div class="banner" role="alert">Offline: reconnecting to Moodbox…</div>`}
      ${
        s?.session.notice && !this._isSigningIn
          ? html`<div class="toast" role="status">${s.session.notice}</div>`
          : this._toast
            ? html`<div class="toast" role="status">${this._toast}</div>`
            : nothing
      }
      ${
        this._isSigningIn
          ? html`<mb-sign-in
              ?can-register=${this._canRegister}
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
    return html`${this.#renderBackdrop(shown)}${this.#renderNow(s)}${this.#renderTiles(s)}`;
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

  #renderMood(s: StateSnapshot) {
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
    if (mood === null) {
      return html`<div class="mood" aria-label="Room mood" data-state="reading" style="color: #c3ced8">
        <div class="label">Reading the room…</div>
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
      return html`<section class="now" aria-label="Now playing" data-state="stopped">
        ${this.#renderMood(s)}
        <mb-cover label=${next?.title ?? 'Moodbox'} .src=${next?.coverUrl ?? null} .mood=${next?.moods[0] ?? s.mood.current}></mb-cover>
        <div class="text">
          <h2>Now playing</h2>
          <div class="title">Nothing playing</div>
          ${next ? html`<p class="next">Next: ${next.title} · ${next.artist}</p>` : html`<p class="next">Tap a song to start.</p>`}
        </div>
      </section>`;
    }
    const elapsed = s.player.status === 'playing' ? performance.now() - this.#positionAt : 0;
    void this._tick;
    const position = s.player.positionMs + elapsed;
    const share = now.durationMs ? Math.min(1, position / now.durationMs) : 0;
    return html`<section class="now" aria-label="Now playing" data-state=${s.player.status}>
      ${this.#renderMood(s)}
      <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
      <div class="text">
        <h2>${s.player.status === 'paused' ? 'Paused' : 'Now playing'}</h2>
        ${this.#renderTitle(now, s.player.streamTitle ?? null)}
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
        ${next ? html`<p class="next">Next: ${next.title} · ${next.artist}</p>` : nothing}
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

  /** The song and its artist; for a station, what it says it plays (its ICY title) over the station's name. */
  #renderTitle(now: TrackView, streamTitle: string | null) {
    const title = streamTitle ?? now.title;
    return html`<div class="title ${title.length > 30 ? 'longer' : ''}">${title}</div>
      <div class="artist">${streamTitle === null ? now.artist : now.title}</div>`;
  }

  #renderTiles(s: StateSnapshot) {
    const tracks = s.suggestions.slice(0, 6);
    if (tracks.length === 0) {
      const mood = s.mood.current;
      const text =
        mood !== null && mood !== 'nobody'
          ? `No music for this mood yet. An admin can tag songs as “${moodLook(mood).label}”.`
          : 'No songs to suggest yet.';
      return html`<section class="tiles" aria-label="Suggestions" data-state="empty">
        <h2>Suggestions</h2>
        <p class="empty">${text}</p>
      </section>`;
    }
    const rows = Math.ceil(tracks.length / 2);
    // Said once for the screen, not on every tile: few songs fit the mood, so these are the closest.
    const isFewFit = tracks.some((t) => t.whyKind === 'fallback');
    const aim = s.mood.current !== null && s.mood.current !== 'nobody' ? moodLook(s.mood.current).label.toLowerCase() : null;
    return html`<section class="tiles" aria-label="Suggestions">
      <div class="tiles-head">
        <h2>${s.session.user ? `For you, ${s.session.user.name}: tap a song to play it` : 'Tap a song to play it'}</h2>
        ${isFewFit ? html`<p class="few">${aim === null ? 'Few songs fit now' : `Few songs fit a ${aim} room`}: these are the closest</p>` : nothing}
      </div>
      <div class="grid" style="--rows: ${rows}">
        ${tracks.map((track) => {
          const mood = track.moods[0] ?? null;
          const why = whyChip(track);
          // Picked from the signed-in person's own taste (likes, artists, language, what was learned of them): marked as theirs.
          const isForYou = s.session.user !== null && track.isPersonalPick === true;
          const isLiked = s.session.user !== null && this._liked.has(track.id);
          return html`<button
            class="tile"
            data-track-id=${track.id}
            ?data-for-you=${isForYou}
            ?data-liked=${isLiked}
            aria-label="Play ${track.title} by ${track.artist}${isForYou ? ', picked for you' : ''}${isLiked ? ', you like it' : ''}"
            @click=${() => this.#send('play', track)}
          >
            <mb-cover .src=${track.coverUrl} label=${track.title} .mood=${mood}></mb-cover>
            <span class="text">
              <span class="t ${track.title.length > 36 ? 'longer' : track.title.length > 22 ? 'long' : ''}">${track.title}</span>
              <span class="meta">
                <span class="a"
                  >${isLiked ? html`<span class="liked" aria-hidden="true">${ICON_LIKE}</span> ` : nothing}${track.artist}</span
                >
                ${why ? html`<span class="why ${isForYou ? 'for-you' : ''}" style="--chip: ${moodColour(mood ?? '')}">${why}</span>` : nothing}
              </span>
            </span>
          </button>`;
        })}
      </div>
    </section>`;
  }

  #renderAttract(s: StateSnapshot) {
    const now = s.player.nowPlaying;
    const colour = moodColour(now?.moods[0] ?? 'nobody');
    return html`<button
      class="attract"
      data-state="attract"
      aria-label="Moodbox: tap to choose a song"
      style="--accent: ${colour}"
      @click=${this.#wake}
    >
      <mb-mood-face mood="nobody" style="color: ${colour}"></mb-mood-face>
      <span class="big">Moodbox</span>
      <span class="line"
        >The music follows the mood of the room: step in front of the camera and the songs and this colour change with you.</span
      >
      ${
        now
          ? html`<span class="playing" data-state="attract-playing">
              <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
              <span><strong>${now.title}</strong><br />${now.artist}</span>
            </span>`
          : nothing
      }
      <span class="hint">${s.suggestions.length > 0 ? 'Tap anywhere to choose a song.' : 'Tap anywhere to start.'}</span>
    </button>`;
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

  readonly #openSignIn = (): void => {
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

  #showToast(text: string): void {
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
