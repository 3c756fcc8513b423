import type { KioskUser, MoodboxBus } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { Logger } from '../logging.js';
import type { RfidReader } from '../rfid/rfid-reader.js';
import type { AuthService, SignedIn } from './auth-service.js';

/** The person signed in at the kiosk (declared with the events that carry it). */
export type { KioskUser } from '../events.js';

export type CardOutcome = 'signed-in' | 'signed-out' | 'unknown' | 'captured';

/** The card reader as the admin panel sees it: `off` when card reading is turned off (no reader port at all). */
export interface CardReaderStatus {
  status: 'connected' | 'absent' | 'faulted' | 'off';
  detail: string | null;
}

/**
 * Who is signed in at the kiosk screen: at most one person at a time. A PIN or a card signs
 * someone in (replacing whoever was there); the sign-out button, the same card again, or
 * inactivity signs them out, and the kiosk goes back to guest mode. While an admin links a card
 * ("tap a card now"), the next card read goes to them instead. Announces `personSignedIn`,
 * `personSignedOut` and `unknownCardRead` on the bus.
 */
export class KioskPresence implements Service {
  readonly name = 'kiosk-presence';
  readonly #auth: AuthService;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #bus: MoodboxBus;
  readonly #cards: RfidReader | undefined;
  readonly #checkEveryMs: number;
  #current: { user: KioskUser; token: string } | undefined;
  #capture: { resolve: (cardId: string | undefined) => void; timer: Timer } | undefined;
  #expiry: Timer | undefined;
  #unsubscribe: (() => void) | undefined;
  #offStatus: (() => void) | undefined;
  // A reader starts absent until it says it has opened a device.
  #reader: CardReaderStatus;

  constructor(
    deps: {
      auth: AuthService;
      clock: Clock;
      log: Logger;
      bus: MoodboxBus;
      /** The RFID reader, when there is one: its cards sign people in and out. */
      cards?: RfidReader | undefined;
    },
    options: { checkEveryMs?: number } = {},
  ) {
    this.#auth = deps.auth;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#bus = deps.bus;
    this.#cards = deps.cards;
    this.#checkEveryMs = options.checkEveryMs ?? 5000;
    this.#reader = deps.cards === undefined ? { status: 'off', detail: null } : { status: 'absent', detail: null };
  }

  async start(): Promise<void> {
    // Started before the reader, so its first report is heard.
    this.#offStatus = this.#cards?.on(
      'statusChanged',
      ({ status, detail }) => {
        const wasConnected = this.#reader.status === 'connected';
        this.#reader = { status, detail };
        if (wasConnected !== (status === 'connected')) this.#bus.emit('cardReaderChanged', { status });
        // Nobody can tap a card on a reader that is gone: the admin waiting for one hears it at once.
        if (status !== 'connected') this.cancelCapture();
      },
      this,
    );
    this.#unsubscribe = this.#cards?.on(
      'cardScanned',
      ({ cardId }) => {
        const outcome = this.card(cardId, 'rfid');
        this.#log.info({ outcome }, 'card read');
        if (outcome === 'unknown') this.#bus.emit('unknownCardRead', { at: this.#clock.now() });
      },
      this,
    );
    this.#expiry = this.#clock.setInterval(() => {
      if (this.#current !== undefined && !this.#auth.isActive(this.#current.token)) this.signOut('inactivity');
    }, this.#checkEveryMs);
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#offStatus?.();
    this.#offStatus = undefined;
    this.#expiry?.cancel();
    this.cancelCapture();
  }

  /** Whether a card reader is there to tap a card on, as it last said. */
  get reader(): CardReaderStatus {
    return this.#reader;
  }

  /** True while an admin waits for the next card. */
  get isCapturing(): boolean {
    return this.#capture !== undefined;
  }

  /** Ends the wait for a card (the admin cancelled it); the next card signs someone in as usual. Returns whether one was waiting. */
  cancelCapture(): boolean {
    const capture = this.#capture;
    if (capture === undefined) return false;
    this.#capture = undefined;
    capture.timer.cancel();
    capture.resolve(undefined);
    return true;
  }

  /** The person signed in at the kiosk, or null in guest mode. */
  get user(): KioskUser | null {
    return this.#current?.user ?? null;
  }

  /** Records a sign-in made at the kiosk (PIN or card), signing out whoever was there. */
  signedIn(signed: SignedIn): void {
    if (this.#current !== undefined && this.#current.token !== signed.token) this.#auth.signOut(this.#current.token);
    this.#current = { user: { id: signed.user.id, name: signed.user.name }, token: signed.token };
    this.#bus.emit('personSignedIn', { user: this.#current.user });
  }

  /** Ends the kiosk session of whoever is signed in, if anyone. */
  signOut(reason: 'button' | 'card' | 'inactivity' | 'replaced' | 'deleted' | 'disabled'): void {
    if (this.#current === undefined) return;
    const { user, token } = this.#current;
    this.#auth.signOut(token);
    this.#log.info({ reason }, 'kiosk sign-out');
    this.#current = undefined;
    this.#bus.emit('personSignedOut', { user, reason });
  }

  /**
   * Counts a touch at the kiosk (a tap, like or skip) as activity of whoever is signed in, and
   * returns them; null in guest mode or when their session has just run out.
   */
  touch(): KioskUser | null {
    const current = this.#current;
    if (current === undefined) return null;
    if (this.#auth.authenticate(current.token, 'kiosk') === undefined) {
      this.signOut('inactivity');
      return null;
    }
    return current.user;
  }

  /** Signs out the kiosk session with this token (the sign-out button). */
  signOutToken(token: string): void {
    if (this.#current?.token === token) this.signOut('button');
    else this.#auth.signOut(token);
  }

  /** A card was read at the kiosk. */
  card(cardId: string, device: string): CardOutcome {
    if (this.#capture !== undefined) {
      const { resolve, timer } = this.#capture;
      this.#capture = undefined;
      timer.cancel();
      resolve(cardId);
      return 'captured';
    }
    const signed = this.#auth.signInWithCard(cardId, device);
    if (signed === undefined) return 'unknown';
    if (this.#current?.user.id === signed.user.id) {
      this.#auth.signOut(signed.token);
      this.signOut('card');
      return 'signed-out';
    }
    this.signedIn(signed);
    return 'signed-in';
  }

  /** Waits for the next card read (an admin linking a card); undefined after `timeoutMs`. One capture at a time. */
  captureNextCard(timeoutMs: number): Promise<string | undefined> {
    this.cancelCapture();
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        this.#capture = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#capture = { resolve, timer };
    });
  }
}
