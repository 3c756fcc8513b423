/**
 * The fake Spotify's accounts service (`FakeSpotifyServer`): the authorize page a person signs in
 * on, PKCE codes, and the token endpoint that issues and refreshes access tokens, with Spotify's
 * errors (400 invalid_client, invalid_grant, unsupported_grant_type).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json } from './fake-spotify-http.js';

/** The tokens and codes of the fake Spotify: what it approved, issued and still accepts. */
export class FakeSpotifyAccounts {
  readonly clientId = 'moodbox-test-client';
  /** Whether token responses carry a new refresh token. @default false */
  rotateRefreshTokens = false;
  /** Tokens refreshed so far. */
  refreshes = 0;

  readonly #codes = new Map<string, { challenge: string; redirectUri: string }>();
  readonly #access = new Map<string, { expiresAt: number }>();
  readonly #refresh = new Set<string>();

  /** The person approves the app on the authorize page: returns what Spotify puts on the redirect. */
  approve(authorizeUrl: string): { code: string; state: string } {
    const url = new URL(authorizeUrl);
    const p = url.searchParams;
    if (
      url.pathname !== '/authorize' ||
      p.get('response_type') !== 'code' ||
      p.get('code_challenge_method') !== 'S256' ||
      p.get('client_id') !== this.clientId
    ) {
      throw new Error(`not a PKCE authorize URL: ${authorizeUrl}`);
    }
    const code = randomBytes(12).toString('hex');
    this.#codes.set(code, { challenge: p.get('code_challenge') ?? '', redirectUri: p.get('redirect_uri') ?? '' });
    return { code, state: p.get('state') ?? '' };
  }

  /** Makes every access token issued so far expired: the next API call gets 401. */
  expireTokens(): void {
    for (const token of this.#access.values()) token.expiresAt = 0;
  }

  /** Whether the request's `Authorization: Bearer` token is one issued here, and still valid. */
  check(authorization: string | undefined): 'valid' | 'expired' | 'invalid' {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    const access = this.#access.get(token);
    if (!access) return 'invalid';
    return access.expiresAt <= Date.now() ? 'expired' : 'valid';
  }

  /**
   * The accounts service's authorize page: `GET` shows what the app asks for with Agree and Cancel;
   * the choice (`POST`) sends the browser to the app's redirect with `code` and `state`, or with
   * `error=access_denied`, as Spotify does. A bad request gets an error page, not a redirect.
   * `site.baseUrl` is the server's URL; `site.displayName`, the account's name the page shows.
   */
  authorize(params: URLSearchParams, isDecision: boolean, res: ServerResponse, site: { baseUrl: string; displayName: string }): void {
    const query = new URLSearchParams([...params].filter(([key]) => key !== 'decision'));
    const page = (status: number, body: string): void =>
      void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Spotify</title>${body}`);
    let approved: { code: string; state: string };
    try {
      approved = this.approve(`${site.baseUrl}/authorize?${query.toString()}`);
    } catch {
      return page(400, '<h1>INVALID_CLIENT: Invalid authorization request</h1>');
    }
    const redirect = new URL(query.get('redirect_uri') ?? '');
    if (!isDecision) {
      // Nothing is granted until the person agrees; the code made by the check above is dropped.
      this.#codes.delete(approved.code);
      const hidden = [...query].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      return page(
        200,
        `<h1>Moodbox would like to</h1><ul>${(query.get('scope') ?? '')
          .split(' ')
          .map((scope) => `<li>${escapeHtml(scope)}</li>`)
          .join('')}</ul><p>Signed in as ${escapeHtml(site.displayName)}</p>` +
          `<form method="post" action="/authorize">${hidden}<button name="decision" value="agree">Agree</button>` +
          `<button name="decision" value="cancel">Cancel</button></form>`,
      );
    }
    if (params.get('decision') === 'agree') {
      redirect.searchParams.set('code', approved.code);
    } else {
      this.#codes.delete(approved.code);
      redirect.searchParams.set('error', 'access_denied');
    }
    redirect.searchParams.set('state', approved.state);
    res.writeHead(303, { location: redirect.toString() }).end();
  }

  /** `POST /api/token`: a code (with its PKCE verifier) or a refresh token for an access token. */
  token(form: URLSearchParams, res: ServerResponse): void {
    if (form.get('client_id') !== this.clientId)
      return void json(res, 400, { error: 'invalid_client', error_description: 'Invalid client' });
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const pending = this.#codes.get(form.get('code') ?? '');
      if (!pending) return void json(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
      if (pending.redirectUri !== form.get('redirect_uri'))
        return void json(res, 400, { error: 'invalid_grant', error_description: 'Invalid redirect URI' });
      const challenge = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      if (challenge !== pending.challenge)
        return void json(res, 400, { error: 'invalid_grant', error_description: 'code_verifier was incorrect' });
      this.#codes.delete(form.get('code') ?? '');
      return void json(res, 200, this.#issue(true));
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (!this.#refresh.has(refresh)) return void json(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      if (this.rotateRefreshTokens) this.#refresh.delete(refresh);
      this.refreshes += 1;
      return void json(res, 200, this.#issue(this.rotateRefreshTokens));
    }
    json(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type must be authorization_code or refresh_token` });
  }

  #issue(withRefresh: boolean): Record<string, unknown> {
    const accessToken = randomBytes(16).toString('hex');
    this.#access.set(accessToken, { expiresAt: Date.now() + 3600_000 });
    const out: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      scope: 'playlist-read-private user-modify-playback-state',
      expires_in: 3600,
    };
    if (withRefresh) {
      const refresh = randomBytes(16).toString('hex');
      this.#refresh.add(refresh);
      out['refresh_token'] = refresh;
    }
    return out;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
