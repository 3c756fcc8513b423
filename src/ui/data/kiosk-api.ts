import type { CalibrationExpression, ClientRequests, KioskSession, TrackView } from '../../daemon/http/contract.js';
import { type ApiClient, httpJson } from './api-client.js';

type Reply<K extends keyof ClientRequests> = Promise<ClientRequests[K]['reply']>;

/**
 * What the kiosk asks of the daemon: sign-in by name and PIN, self-registration, sign-out, the
 * player requests (`player/play`, `player/like`, `player/unlike`, `player/skip`) and the signed-in
 * person's own requests (`me/*`, their calibration among them, `session/stay`) over the socket, each with the kiosk token when
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

  async signIn(name: string, pin: string): Promise<KioskSession> {
    const signed = await httpJson<KioskSession>('POST', '/api/session/pin', { body: { name, pin } });
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
    else await this.client.request('session/sign-out', null);
  }

  /** Forgets the token once the daemon says nobody is signed in (timeout, card, another screen). */
  forget(): void {
    this.#token = null;
  }

  play(track: Pick<TrackView, 'id'>): Reply<'player/play'> {
    return this.client.request('player/play', { trackId: track.id }, { token: this.#token });
  }

  like(track: Pick<TrackView, 'id'>): Reply<'player/like'> {
    return this.client.request('player/like', { trackId: track.id }, { token: this.#token });
  }

  skip(track: Pick<TrackView, 'id'>): Reply<'player/skip'> {
    return this.client.request('player/skip', { trackId: track.id }, { token: this.#token });
  }

  unlike(track: Pick<TrackView, 'id'>): Reply<'player/unlike'> {
    return this.client.request('player/unlike', { trackId: track.id }, { token: this.#token });
  }

  /** Whether people may register here, and the idle sign-out time; asked before anyone signs in. */
  options(): Reply<'session/options'> {
    return this.client.request('session/options', null);
  }

  /** Names of people who signed in here recently that begin with `prefix` (two letters at least); none unless the admin allows it. */
  names(prefix: string): Reply<'session/names'> {
    return this.client.request('session/names', { prefix });
  }

  /** "Tap to stay": the signed-in person's idle sign-out starts again. */
  stay(): Reply<'session/stay'> {
    return this.client.request('session/stay', null, { token: this.#token });
  }

  /** This screen went dark for the quiet hours, or a touch woke it: on the box itself, its display's backlight follows. */
  screenSleep(isAsleep: boolean): Reply<'screen/sleep'> {
    return this.client.request('screen/sleep', { isAsleep });
  }

  profile(): Reply<'me/profile'> {
    return this.client.request('me/profile', null, { token: this.#token });
  }

  history(limit = 20): Reply<'me/history'> {
    return this.client.request('me/history', { limit }, { token: this.#token });
  }

  setPreferences(preferences: ClientRequests['me/preferences']['data']): Reply<'me/preferences'> {
    return this.client.request('me/preferences', preferences, { token: this.#token });
  }

  /** The signed-in person's expression calibration: none, in use, or not used and why. */
  calibration(): Reply<'me/calibration'> {
    return this.client.request('me/calibration', null, { token: this.#token });
  }

  /** Starts (or restarts) recording their expressions; what is stored stays until `finishCalibration`. */
  startCalibration(): Reply<'me/calibration/start'> {
    return this.client.request('me/calibration/start', null, { token: this.#token });
  }

  /**
   * Records the face in view as `expression`: only the model's numbers are kept. Rejects with an
   * `ApiError` of code `MB_ERR_CAMERA_NO_FACE` while no face is in view.
   */
  recordCalibrationSample(expression: CalibrationExpression): Reply<'me/calibration/sample'> {
    return this.client.request('me/calibration/sample', { expression }, { token: this.#token });
  }

  /** Fits and stores their calibration from the recording, and says whether it is used and why. */
  finishCalibration(): Reply<'me/calibration/finish'> {
    return this.client.request('me/calibration/finish', null, { token: this.#token });
  }

  /** Drops the recording in progress; what is stored stays. */
  cancelCalibration(): Reply<'me/calibration/cancel'> {
    return this.client.request('me/calibration/cancel', null, { token: this.#token });
  }

  /** Deletes their stored calibration. */
  deleteCalibration(): Reply<'me/calibration/delete'> {
    return this.client.request('me/calibration/delete', null, { token: this.#token });
  }

  /** Creates a member account with this name and PIN (when the admin allows it), then signs them in. */
  async register(name: string, pin: string): Promise<KioskSession> {
    await httpJson<unknown>('POST', '/api/users', { body: { name, pin } });
    return this.signIn(name, pin);
  }
}
