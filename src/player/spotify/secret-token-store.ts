import type { SpotifyTokens, TokenStore } from './spotify-client.js';
import { parseJson } from '../../kernel/json.js';

/** The secrets port the tokens are kept in; the daemon's secret repository satisfies it. */
export interface SecretStore {
  get(key: string): string | undefined;
  /** `at`: ms since the Unix epoch. */
  set(key: string, value: string, at: number): void;
  delete(key: string): void;
}

const KEY = 'spotify.tokens';

/** Keeps Spotify tokens as one JSON secret. */
export class SecretTokenStore implements TokenStore {
  readonly #secrets: SecretStore;
  readonly #now: () => number;

  constructor(deps: { secrets: SecretStore; now: () => number }) {
    this.#secrets = deps.secrets;
    this.#now = deps.now;
  }

  load(): SpotifyTokens | undefined {
    const text = this.#secrets.get(KEY);
    if (text === undefined) return undefined;
    try {
      const value = parseJson(text) as Partial<SpotifyTokens>;
      if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string' || typeof value.expiresAt !== 'number')
        return undefined;
      return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresAt: value.expiresAt, scope: value.scope ?? '' };
    } catch {
      return undefined;
    }
  }

  save(tokens: SpotifyTokens): void {
    this.#secrets.set(KEY, JSON.stringify(tokens), this.#now());
  }

  clear(): void {
    this.#secrets.delete(KEY);
  }
}
