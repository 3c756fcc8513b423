import type { TrackView } from '../../daemon/http/contract.js';
import { type ApiClient, httpJson } from './api-client.js';

/** The answer to a PIN sign-in. */
export interface KioskSignIn {
  token: string;
  expiresAt: number;
  user: { id: number; name: string; role: 'admin' | 'member' };
}

/**
 * What the kiosk asks of the daemon: sign-in by name and PIN, sign-out, and the player requests
 * (`player/play`, `player/like`, `player/skip`) over the socket, each with the kiosk token when
 * this screen holds one (the daemon acts for a signed-in person only on their token, or on the
 * kiosk's own screen). Holds the token in memory only: a reload signs the person out of this
 * screen, never leaves the token on a shared device.
 */
export class KioskApi {
  readonly client: ApiClient;
  #token: string | null = null;

  constructor(client: ApiClient) {
    this.client = client;
  }

  get hasToken(): boolean {
    return this.#token !== null;
  }

  async signIn(name: string, pin: string): Promise<KioskSignIn> {
    const signed = await httpJson<KioskSignIn>('POST', '/api/session/pin', { body: { name, pin } });
    this.#token = signed.token;
    return signed;
  }

  /**
   * Signs out: by the token when this screen signed the person in, else over the socket, which the
   * daemon allows from the kiosk's own screen only (after a card sign-in no screen holds a token).
   */
  async signOut(): Promise<void> {
    const token = this.#token;
    this.#token = null;
    if (token !== null) await httpJson<undefined>('DELETE', '/api/session', { headers: { authorization: `Bearer ${token}` } });
    else await this.client.request('session/sign-out');
  }

  /** Forgets the token once the daemon says nobody is signed in (timeout, card, another screen). */
  forget(): void {
    this.#token = null;
  }

  play(track: Pick<TrackView, 'id'>): Promise<unknown> {
    return this.client.request('player/play', { trackId: track.id }, { token: this.#token });
  }

  like(track: Pick<TrackView, 'id'>): Promise<unknown> {
    return this.client.request('player/like', { trackId: track.id }, { token: this.#token });
  }

  skip(track: Pick<TrackView, 'id'>): Promise<unknown> {
    return this.client.request('player/skip', { trackId: track.id }, { token: this.#token });
  }
}
