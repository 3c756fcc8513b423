import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { KioskApi } from '../data/kiosk-api.js';
import { t, tWith } from './kiosk-i18n.js';

/** The idle sign-out time until the daemon says otherwise (`sessions.kioskIdleTimeoutS`'s default, s). */
const IDLE_TIMEOUT_S = 120;
/** How long before the idle sign-out the countdown shows: 10 s, or half the timeout when that is shorter (ms). */
const warnMs = (timeoutS: number): number => Math.min(10_000, (timeoutS * 1000) / 2);
/** Taps closer together than this start the idle time again only once (ms). */
const STAY_EVERY_MS = 1000;

/**
 * The kiosk's idle sign-out, which the daemon keeps: any touch of the screen while someone is
 * signed in starts their idle time again and learns when the sign-out comes; in the last seconds a
 * countdown shows, and a tap on it stays. The host tells it of each sign-in and sign-out (`follow`).
 */
export class IdleSignOut implements ReactiveController {
  /** Seconds left before the idle sign-out while the countdown shows; null while it does not. */
  secondsLeft: number | null = null;
  /** The idle time (s), as the daemon last said. */
  timeoutS = IDLE_TIMEOUT_S;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #api: () => KioskApi | null;
  #isSignedIn = false;
  /** When (performance.now) the idle sign-out comes, as the daemon last said; null when unknown or nobody is signed in. */
  #signOutAt: number | null = null;
  #lastStayAt = -Infinity;
  #countdown: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, api: () => KioskApi | null) {
    this.#host = host;
    this.#api = api;
    host.addController(this);
  }

  hostConnected(): void {
    // A quarter second, so the countdown's number changes within 250 ms of the real second.
    this.#countdown = setInterval(this.#updateCountdown, 250);
    this.#host.addEventListener('pointerdown', this.#onActivity, { capture: true });
  }

  hostDisconnected(): void {
    clearInterval(this.#countdown);
    this.#host.removeEventListener('pointerdown', this.#onActivity, { capture: true });
  }

  /**
   * Someone signed in or out: the clock of the one before stops. Says whether their idle time had run
   * out (the sign-out was the idle one). The host then calls `stay(true)` for a new person.
   */
  follow(isSignedIn: boolean): boolean {
    const hadRunOut = this.#signOutAt !== null && performance.now() >= this.#signOutAt - 1000;
    this.#isSignedIn = isSignedIn;
    this.#signOutAt = null;
    this.#show(null);
    this.#lastStayAt = -Infinity;
    return hadRunOut;
  }

  /** Starts the idle time again on the daemon and learns when the sign-out comes; at most once a second unless `force`. */
  async stay(force: boolean): Promise<void> {
    const api = this.#api();
    const now = performance.now();
    if (api === null || !this.#isSignedIn || (!force && now - this.#lastStayAt < STAY_EVERY_MS)) return;
    this.#lastStayAt = now;
    try {
      const answer = await api.stay();
      if (this.#isSignedIn && typeof answer?.expiresInMs === 'number') {
        this.#signOutAt = now + answer.expiresInMs;
        this.timeoutS = Math.round(answer.expiresInMs / 1000);
        this.#updateCountdown();
      }
    } catch {
      // Signed out meanwhile: the daemon's state says so.
    }
  }

  /** The countdown, while it shows: "Signing out in 7 s — tap to stay". */
  render() {
    const seconds = this.secondsLeft;
    if (seconds === null) return nothing;
    return html`<button class="countdown" data-action="stay" @click=${this.#stayHere}>
      <span aria-live="polite"
        >${seconds > 0 ? tWith('kiosk.signingOutIn', 'seconds', html`<span data-sign-out-s>${seconds}</span>`) : t('kiosk.signingOut')}</span
      >
    </button>`;
  }

  /** Any touch of the screen while someone is signed in starts their idle time again. */
  readonly #onActivity = (): void => {
    if (this.#isSignedIn) void this.stay(false);
  };

  readonly #stayHere = (): void => {
    this.#show(null);
    void this.stay(true);
  };

  readonly #updateCountdown = (): void => {
    const at = this.#signOutAt;
    if (at === null || !this.#isSignedIn) {
      this.#show(null);
      return;
    }
    const leftMs = at - performance.now();
    this.#show(leftMs > warnMs(this.timeoutS) ? null : Math.max(0, Math.ceil(leftMs / 1000)));
  };

  #show(seconds: number | null): void {
    if (seconds === this.secondsLeft) return;
    this.secondsLeft = seconds;
    this.#host.requestUpdate();
  }
}
