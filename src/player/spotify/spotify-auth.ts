import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Clock } from '../../kernel/clock.js';
import { SpotifyError } from './spotify-error.js';
import type { SpotifyTokens, TokenStore } from './spotify-client.js';

/** What Moodbox asks Spotify for: the user's playlists, and control of playback on their devices. */
export const SPOTIFY_SCOPES = [
  'playlist-read-private',
  'playlist-read-collaborative',
  'user-read-playback-state',
  'user-modify-playback-state',
  'user-read-private',
  'user-library-modify',
] as const;

/** A PKCE verifier (43–128 characters of [A-Za-z0-9-._~]) and its S256 challenge. */
export function createPkcePair(bytes: Uint8Array = randomBytes(64)): { verifier: string; challenge: string } {
  const verifier = Buffer.from(bytes).toString('base64url').slice(0, 128);
  if (verifier.length < 43) throw new RangeError(`Expected at least 32 random bytes for a PKCE verifier, got \`${bytes.length}\` (number)`);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface SpotifyAuthOptions {
  clientId: string;
  /** A loopback address registered with the app, e.g. `http://127.0.0.1:8888/callback` (Spotify no longer accepts `localhost`). */
  redirectUri: string;
  /** @default 'https://accounts.spotify.com' */
  accountsUrl?: string;
  /** Refresh this long before the access token expires (ms). @default 60000 */
  refreshMarginMs?: number;
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/**
 * Authorization Code with PKCE: no client secret on the device. Tokens go to the token store, are
 * refreshed before they expire (and on demand after a 401), and are never logged.
 */
export class SpotifyAuth {
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #tokens: TokenStore;
  readonly #clientId: string;
  readonly #redirectUri: string;
  readonly #accountsUrl: string;
  readonly #refreshMarginMs: number;
  #refreshing: Promise<string> | undefined;

  constructor(deps: { fetch: typeof fetch; clock: Clock; tokens: TokenStore }, options: SpotifyAuthOptions) {
    this.#fetch = deps.fetch;
    this.#clock = deps.clock;
    this.#tokens = deps.tokens;
    if (options.clientId.trim() === '') throw new TypeError('Expected a Spotify `clientId`, got an empty string');
    const redirect = new URL(options.redirectUri);
    if (redirect.protocol !== 'http:' || !['127.0.0.1', '[::1]'].includes(redirect.hostname)) {
      throw new TypeError(`Expected a loopback redirect such as http://127.0.0.1:8888/callback, got \`${options.redirectUri}\``);
    }
    this.#clientId = options.clientId;
    this.#redirectUri = options.redirectUri;
    this.#accountsUrl = (options.accountsUrl ?? 'https://accounts.spotify.com').replace(/\/$/, '');
    this.#refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  /** True when tokens are stored. */
  get isSignedIn(): boolean {
    return this.#tokens.load() !== undefined;
  }

  /** Starts a sign-in: the address to open in a browser, and what `complete` needs afterwards. */
  begin(): { url: string; state: string; verifier: string } {
    const { verifier, challenge } = createPkcePair();
    const state = randomBytes(16).toString('hex');
    const url = new URL(`${this.#accountsUrl}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.#clientId,
      scope: SPOTIFY_SCOPES.join(' '),
      redirect_uri: this.#redirectUri,
      state,
      code_challenge_method: 'S256',
      code_challenge: challenge,
    }).toString();
    return { url: url.toString(), state, verifier };
  }

  /** Trades the code from the redirect for tokens and stores them. */
  async complete(code: string, verifier: string): Promise<void> {
    const tokens = await this.#token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.#redirectUri,
      client_id: this.#clientId,
      code_verifier: verifier,
    });
    if (tokens.refreshToken === '') throw new SpotifyError('MB_ERR_SPOTIFY_AUTH', 'Spotify sent no refresh token');
    this.#tokens.save(tokens);
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const tokens = this.#tokens.load();
    if (!tokens) throw new SpotifyError('MB_ERR_SPOTIFY_AUTH', 'not signed in to Spotify');
    if (tokens.expiresAt - this.#refreshMarginMs > this.#clock.now()) return tokens.accessToken;
    return this.refresh();
  }

  /** Refreshes the access token now (after a 401); concurrent callers share one request. */
  refresh(): Promise<string> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Forgets the tokens. */
  signOut(): void {
    this.#tokens.clear();
  }

  async #refresh(): Promise<string> {
    const current = this.#tokens.load();
    if (!current) throw new SpotifyError('MB_ERR_SPOTIFY_AUTH', 'not signed in to Spotify');
    const tokens = await this.#token({ grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: this.#clientId });
    // Spotify may or may not rotate the refresh token; keep the old one when it sends none.
    const next = { ...tokens, refreshToken: tokens.refreshToken === '' ? current.refreshToken : tokens.refreshToken };
    this.#tokens.save(next);
    return next.accessToken;
  }

  async #token(form: Record<string, string>): Promise<SpotifyTokens> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#accountsUrl}/api/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    } catch (err) {
      throw new SpotifyError('MB_ERR_SPOTIFY_UNREACHABLE', `cannot reach Spotify's accounts service: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const body = (await response.json().catch(() => ({}))) as TokenResponse;
    if (!response.ok || typeof body.access_token !== 'string') {
      if (response.status === 400 && body.error === 'invalid_grant') this.#tokens.clear();
      throw new SpotifyError(
        'MB_ERR_SPOTIFY_AUTH',
        `Spotify refused the ${form['grant_type'] === 'refresh_token' ? 'refresh' : 'sign-in'} (${response.status} ${body.error ?? ''}${body.error_description ? `: ${body.error_description}` : ''})`,
      );
    }
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? '',
      expiresAt: this.#clock.now() + (body.expires_in ?? 3600) * 1000,
      scope: body.scope ?? '',
    };
  }
}

/**
 * Waits for Spotify's redirect on the loopback address of `redirectUri` and resolves with the code.
 * Rejects with `MB_ERR_SPOTIFY_AUTH` when the person declined or the state does not match.
 */
export function waitForRedirect(options: { redirectUri: string; state: string; signal?: AbortSignal }): Promise<string> {
  const redirect = new URL(options.redirectUri);
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirect);
      if (url.pathname !== redirect.pathname) {
        res.writeHead(404).end();
        return;
      }
      const finish = (status: number, text: string, outcome: () => void): void => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(text);
        server.close();
        outcome();
      };
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (url.searchParams.get('state') !== options.state) {
        finish(400, 'Moodbox: this sign-in link is stale. Start again.', () =>
          reject(new SpotifyError('MB_ERR_SPOTIFY_AUTH', 'Expected the state Moodbox sent, got another: the sign-in was not started here')),
        );
      } else if (error !== null || code === null) {
        finish(400, 'Moodbox: Spotify was not connected.', () =>
          reject(new SpotifyError('MB_ERR_SPOTIFY_AUTH', `Spotify sign-in failed: ${error ?? 'no code'}`)),
        );
      } else {
        finish(200, 'Moodbox is connected to Spotify. You can close this page.', () => resolve(code));
      }
    });
    options.signal?.addEventListener(
      'abort',
      () => {
        server.close();
        reject(options.signal?.reason as Error);
      },
      { once: true },
    );
    server.once('error', reject);
    server.listen(Number(redirect.port || 80), redirect.hostname.replace(/^\[|\]$/g, ''));
  });
}
