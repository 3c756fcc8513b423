import type { Clock } from '../../kernel/clock.js';
import { SpotifyError } from './spotify-error.js';
import type {
  SpotifyAccountInfo,
  SpotifyClient,
  SpotifyDevice,
  SpotifyPlaybackState,
  SpotifyPlaylist,
  SpotifyTrack,
} from './spotify-client.js';
import type { Log } from '../../kernel/log.js';
import { parseJson } from '../../kernel/json.js';

export interface SpotifyWebClientOptions {
  /** @default 'https://api.spotify.com' */
  apiUrl?: string;
  /** Tries after a 429 before giving up. @default 3 */
  maxRetries?: number;
  /** The longest Retry-After honoured (s); a longer one fails at once. @default 60 */
  maxRetryAfterS?: number;
}

/** What the client needs from the sign-in: a token, and a fresh one after a 401. */
export interface AccessTokens {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

interface Paging<T> {
  items: T[];
  next: string | null;
}

interface TrackObject {
  type?: string;
  id: string | null;
  uri: string;
  name: string;
  is_local?: boolean;
  duration_ms: number;
  album?: { name: string; images?: Image[] };
  artists?: Array<{ name: string }>;
}

interface Image {
  url: string;
  width?: number | null;
}

/**
 * The Spotify Web API over an injected `fetch`. A 401 refreshes the token once and retries; a 429
 * waits for Retry-After (on the injected clock) and retries; a network failure becomes
 * `MB_ERR_SPOTIFY_UNREACHABLE` so that the caller can play the local library instead.
 */
export class SpotifyWebClient implements SpotifyClient {
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #auth: AccessTokens;
  readonly #log: Pick<Log, 'warn' | 'debug'>;
  readonly #apiUrl: string;
  readonly #maxRetries: number;
  readonly #maxRetryAfterS: number;

  constructor(
    deps: { fetch: typeof fetch; clock: Clock; auth: AccessTokens; log: Pick<Log, 'warn' | 'debug'> },
    options: SpotifyWebClientOptions = {},
  ) {
    this.#fetch = deps.fetch;
    this.#clock = deps.clock;
    this.#auth = deps.auth;
    this.#log = deps.log;
    this.#apiUrl = (options.apiUrl ?? 'https://api.spotify.com').replace(/\/$/, '');
    this.#maxRetries = options.maxRetries ?? 3;
    this.#maxRetryAfterS = options.maxRetryAfterS ?? 60;
  }

  async playlists(): Promise<SpotifyPlaylist[]> {
    type Item = {
      id: string;
      uri: string;
      name: string;
      owner?: { display_name?: string | null; id?: string };
      tracks?: { total: number };
      items?: { total: number };
      images?: Image[] | null;
    };
    const items = await this.#pages<Item>('/v1/me/playlists?limit=50');
    return items.map((p) => ({
      id: p.id,
      uri: p.uri,
      name: p.name,
      owner: p.owner?.display_name ?? p.owner?.id ?? '',
      tracks: p.tracks?.total ?? p.items?.total ?? 0,
      ...withCover(largest(p.images)),
    }));
  }

  async playlistTracks(playlistId: string): Promise<SpotifyTrack[]> {
    const items = await this.#pages<{ track: TrackObject | null }>(`/v1/playlists/${encodeURIComponent(playlistId)}/tracks?limit=100`);
    return items
      .map((i) => i.track)
      .filter((t): t is TrackObject => t !== null)
      .flatMap(toTrack);
  }

  async search(query: string, options: { limit?: number } = {}): Promise<SpotifyTrack[]> {
    const limit = options.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10)
      throw new RangeError(`Expected \`limit\` to be 1–10 (Spotify's page size), got \`${limit}\` (number)`);
    const params = new URLSearchParams({ q: query, type: 'track', limit: String(limit) });
    const body = (await this.#request('GET', `/v1/search?${params.toString()}`)) as { tracks?: Paging<TrackObject> } | undefined;
    return (body?.tracks?.items ?? []).flatMap(toTrack);
  }

  async devices(): Promise<SpotifyDevice[]> {
    type Device = {
      id: string | null;
      name: string;
      type: string;
      is_active: boolean;
      is_restricted: boolean;
      volume_percent: number | null;
    };
    const body = (await this.#request('GET', '/v1/me/player/devices')) as { devices?: Device[] } | undefined;
    return (body?.devices ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      type: d.type,
      isActive: d.is_active,
      isRestricted: d.is_restricted,
      volumePercent: d.volume_percent,
    }));
  }

  async transfer(deviceId: string, options: { play?: boolean } = {}): Promise<void> {
    await this.#request('PUT', '/v1/me/player', { device_ids: [deviceId], play: options.play ?? false });
  }

  async play(options: { deviceId?: string; uris?: readonly string[]; contextUri?: string } = {}): Promise<void> {
    const query = options.deviceId === undefined ? '' : `?${new URLSearchParams({ device_id: options.deviceId }).toString()}`;
    const body: Record<string, unknown> = {};
    if (options.uris !== undefined) body['uris'] = options.uris;
    if (options.contextUri !== undefined) body['context_uri'] = options.contextUri;
    await this.#request('PUT', `/v1/me/player/play${query}`, Object.keys(body).length === 0 ? undefined : body);
  }

  async me(): Promise<SpotifyAccountInfo> {
    const body = (await this.#request('GET', '/v1/me')) as { id?: string; display_name?: string | null; product?: string } | undefined;
    return { id: body?.id ?? '', name: body?.display_name ?? body?.id ?? '', product: body?.product ?? 'unknown' };
  }

  async playbackState(): Promise<SpotifyPlaybackState | null> {
    type State = {
      device?: { id: string | null; name: string; volume_percent: number | null } | null;
      is_playing?: boolean;
      progress_ms?: number | null;
      context?: { uri: string } | null;
      item?: TrackObject | null;
    };
    const body = (await this.#request('GET', '/v1/me/player')) as State | undefined;
    if (body === undefined) return null;
    return {
      deviceId: body.device?.id ?? null,
      deviceName: body.device?.name ?? null,
      isPlaying: body.is_playing === true,
      progressMs: body.progress_ms ?? 0,
      contextUri: body.context?.uri ?? null,
      track: body.item ? (toTrack(body.item)[0] ?? null) : null,
      volumePercent: body.device?.volume_percent ?? null,
    };
  }

  async next(): Promise<void> {
    await this.#request('POST', '/v1/me/player/next');
  }

  async pause(): Promise<void> {
    await this.#request('PUT', '/v1/me/player/pause');
  }

  async setVolume(percent: number): Promise<void> {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw new RangeError(`Expected \`percent\` to be an integer 0–100, got \`${percent}\` (number)`);
    await this.#request('PUT', `/v1/me/player/volume?volume_percent=${percent}`);
  }

  async saveTracks(ids: readonly string[]): Promise<void> {
    await this.#request('PUT', `/v1/me/tracks?${new URLSearchParams({ ids: ids.join(',') }).toString()}`);
  }

  async #pages<T>(first: string): Promise<T[]> {
    const out: T[] = [];
    let path: string | null = first;
    // Spotify's `next` is an absolute URL on the same API host.
    for (let page = 0; path !== null && page < 200; page++) {
      const body = (await this.#request('GET', path)) as Paging<T> | undefined;
      out.push(...(body?.items ?? []));
      path = body?.next ? body.next.replace(/^https?:\/\/[^/]+/, '') : null;
    }
    return out;
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    let token = await this.#auth.accessToken();
    let hasRefreshed = false;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(`${this.#apiUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (err) {
        throw new SpotifyError('MB_ERR_SPOTIFY_UNREACHABLE', `cannot reach Spotify: ${(err as Error).message}`, { cause: err });
      }
      if (response.status === 401 && !hasRefreshed) {
        await response.body?.cancel();
        hasRefreshed = true;
        this.#log.debug({ path }, 'spotify token refused; refreshing');
        token = await this.#auth.refresh();
        continue;
      }
      if (response.status === 429) {
        await response.body?.cancel();
        const waitS = Number(response.headers.get('retry-after') ?? '1');
        const seconds = Number.isFinite(waitS) && waitS >= 0 ? waitS : 1;
        if (attempt >= this.#maxRetries || seconds > this.#maxRetryAfterS) {
          throw new SpotifyError(
            'MB_ERR_SPOTIFY_RATE_LIMITED',
            `Spotify is rate limiting ${method} ${pathOnly(path)} (Retry-After ${seconds} s)`,
          );
        }
        this.#log.warn({ path: pathOnly(path), retryAfterS: seconds }, 'spotify rate limit; waiting');
        await this.#clock.sleep(seconds * 1000);
        continue;
      }
      if (response.status === 204 || response.status === 202) return undefined;
      const text = await response.text();
      const data = text === '' ? undefined : safeJson(text);
      if (response.ok) return data;
      const error = (data as { error?: { status?: number; message?: string; reason?: string } } | undefined)?.error;
      const message = `Spotify answered ${response.status} to ${method} ${pathOnly(path)}: ${error?.message ?? response.statusText}${error?.reason ? ` (${error.reason})` : ''}`;
      if (response.status === 401) throw new SpotifyError('MB_ERR_SPOTIFY_AUTH', message);
      if (error?.reason === 'NO_ACTIVE_DEVICE' || (response.status === 404 && path.startsWith('/v1/me/player'))) {
        throw new SpotifyError('MB_ERR_SPOTIFY_NO_DEVICE', message);
      }
      throw new SpotifyError('MB_ERR_SPOTIFY_API', message);
    }
  }
}

function toTrack(t: TrackObject): SpotifyTrack[] {
  if (t.id === null || t.is_local === true || (t.type !== undefined && t.type !== 'track')) return [];
  return [
    {
      id: t.id,
      uri: t.uri,
      name: t.name,
      artists: (t.artists ?? []).map((a) => a.name),
      album: t.album?.name ?? '',
      durationMs: t.duration_ms,
      ...withCover(largest(t.album?.images)),
    },
  ];
}

function withCover(url: string | null): { coverUrl?: string } {
  return url === null ? {} : { coverUrl: url };
}

/** The address of the widest image, or null. */
function largest(images: readonly Image[] | null | undefined): string | null {
  if (!images || images.length === 0) return null;
  return [...images].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0]?.url ?? null;
}

function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}

function safeJson(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}
