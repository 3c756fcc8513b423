import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSpotifyAccounts } from './fake-spotify-accounts.js';
import { coverPng } from './fake-cover-png.js';
import { error, json, readBody } from './fake-spotify-http.js';

interface FakeTrack {
  id: string;
  name: string;
  artists: string[];
  album: string;
  durationMs: number;
}

interface FakeDevice {
  id: string;
  name: string;
  type: string;
  isActive: boolean;
  isRestricted?: boolean;
}

/**
 * A local stand-in for Spotify's accounts service and the Web API endpoints Moodbox uses, on
 * 127.0.0.1: the same paths, payloads, paging and errors (401 expired token, 429 with Retry-After,
 * 404 NO_ACTIVE_DEVICE, 400 invalid_grant). Playback is simulated: a started playlist plays its
 * tracks in order on the wall clock (`GET /v1/me/player`), next, pause, volume and saving tracks
 * work, and each track's album cover is served under `/images/`. Control methods: `approve()`,
 * `expireTokens()`, `rateLimitNext()`, `addPlaylist()`, `addDevice()`, `goAway()`, `comeBack()`;
 * `saved` lists the saved track ids. A browser can sign in on its authorize page (`/authorize`).
 */
export class FakeSpotifyServer {
  /** Every API request, as `METHOD /path?query`. */
  readonly requests: string[] = [];
  /** What the last successful play command asked for. */
  playback: { deviceId: string | null; contextUri?: string; uris?: string[]; isPlaying: boolean } = { deviceId: null, isPlaying: false };
  /** Track ids saved with `PUT /v1/me/tracks`. */
  readonly saved: string[] = [];
  /** The account `GET /v1/me` describes. */
  account = { id: 'ann', displayName: 'Ann', product: 'premium' };

  readonly #server: Server;
  /** The accounts service: codes, tokens and the authorize page. */
  readonly #accounts = new FakeSpotifyAccounts();
  readonly #playlists: Array<{ id: string; name: string; tracks: FakeTrack[]; hasCover: boolean }> = [];
  readonly #devices: FakeDevice[] = [];
  #rateLimited = 0;
  #retryAfterS = 1;
  #url = '';
  #port = 0;
  /** The simulated playback: which track of the context plays, since when (wall clock), paused at. */
  #track = 0;
  #trackStartedAt = 0;
  #pausedAtMs: number | undefined;
  #volume = 60;

  constructor() {
    this.#server = createServer((req, res) => {
      void this.#handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
  }

  /** The base URL (`http://127.0.0.1:PORT`), for both the accounts service and the API. */
  get url(): string {
    return this.#url;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#url = `http://127.0.0.1:${this.#port}`;
  }

  /** The server goes away (the network is down): connections are refused until `comeBack()`. */
  async goAway(): Promise<void> {
    await this.close();
  }

  /** The server answers again, on the same port, with the same tokens and playback. */
  async comeBack(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The client id the app must present. */
  get clientId(): string {
    return this.#accounts.clientId;
  }

  /** Whether token responses carry a new refresh token. @default false */
  get rotateRefreshTokens(): boolean {
    return this.#accounts.rotateRefreshTokens;
  }

  set rotateRefreshTokens(rotate: boolean) {
    this.#accounts.rotateRefreshTokens = rotate;
  }

  /** Tokens refreshed so far. */
  get refreshes(): number {
    return this.#accounts.refreshes;
  }

  /** The person approves the app on the authorize page: returns what Spotify puts on the redirect. */
  approve(authorizeUrl: string): { code: string; state: string } {
    return this.#accounts.approve(authorizeUrl);
  }

  /** Makes every access token issued so far expired: the next API call gets 401. */
  expireTokens(): void {
    this.#accounts.expireTokens();
  }

  /** Answers the next `count` API calls with 429 and `Retry-After: seconds`. */
  rateLimitNext(count: number, seconds = 1): void {
    this.#rateLimited = count;
    this.#retryAfterS = seconds;
  }

  /** `options.hasCover`: the playlist has a cover image (served under `/images/`). @default false */
  addPlaylist(id: string, name: string, tracks: FakeTrack[], options: { hasCover?: boolean } = {}): void {
    this.#playlists.push({ id, name, tracks, hasCover: options.hasCover ?? false });
  }

  addDevice(device: FakeDevice): void {
    this.#devices.push(device);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#url);
    const body = await readBody(req);
    const image = /^\/images\/([a-z0-9]+)\.png$/i.exec(url.pathname);
    if (req.method === 'GET' && image) {
      res.writeHead(200, { 'content-type': 'image/png' }).end(coverPng(image[1] ?? ''));
      return;
    }
    if (url.pathname === '/authorize') {
      const site = { baseUrl: this.#url, displayName: this.account.displayName };
      this.#accounts.authorize(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams, req.method === 'POST', res, site);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/token') {
      this.#accounts.token(new URLSearchParams(body), res);
      return;
    }
    this.requests.push(`${req.method ?? 'GET'} ${url.pathname}${url.search}`);
    if (this.#rateLimited > 0) {
      this.#rateLimited--;
      res.setHeader('retry-after', String(this.#retryAfterS));
      error(res, 429, 'API rate limit exceeded');
      return;
    }
    const access = this.#accounts.check(req.headers.authorization);
    if (access === 'invalid') return error(res, 401, 'Invalid access token');
    if (access === 'expired') return error(res, 401, 'The access token expired');

    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const limit = Number(url.searchParams.get('limit') ?? '20');
    const offset = Number(url.searchParams.get('offset') ?? '0');
    let match: RegExpExecArray | null;
    if (route === 'GET /v1/me/playlists') {
      if (limit > 50) return error(res, 400, 'Invalid limit');
      const items = this.#playlists.map((p) => ({
        id: p.id,
        uri: `spotify:playlist:${p.id}`,
        name: p.name,
        owner: { id: 'me', display_name: 'Me' },
        tracks: { href: `${this.#url}/v1/playlists/${p.id}/tracks`, total: p.tracks.length },
        images: p.hasCover ? [this.#image(p.id)] : [],
      }));
      return json(res, 200, this.#page(url, items, limit, offset));
    }
    if (req.method === 'GET' && (match = /^\/v1\/playlists\/([^/]+)\/tracks$/.exec(url.pathname))) {
      const playlist = this.#playlists.find((p) => p.id === match?.[1]);
      if (!playlist) return error(res, 404, 'Resource not found');
      if (limit > 100) return error(res, 400, 'Invalid limit');
      return json(
        res,
        200,
        this.#page(
          url,
          playlist.tracks.map((t) => ({ added_at: '2026-01-01T00:00:00Z', track: trackObject(t) })),
          limit,
          offset,
        ),
      );
    }
    if (route === 'GET /v1/search') {
      if (limit > 10) return error(res, 400, 'Invalid limit');
      if (url.searchParams.get('type') !== 'track') return error(res, 400, 'Bad search type field');
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const all = this.#playlists.flatMap((p) => p.tracks).filter((t) => `${t.name} ${t.artists.join(' ')}`.toLowerCase().includes(q));
      return json(res, 200, { tracks: this.#page(url, all.map(trackObject), limit, offset) });
    }
    if (route === 'GET /v1/me/player/devices') {
      return json(res, 200, {
        devices: this.#devices.map((d) => ({
          id: d.id,
          is_active: d.isActive,
          is_private_session: false,
          is_restricted: d.isRestricted ?? false,
          name: d.name,
          type: d.type,
          volume_percent: 60,
          supports_volume: true,
        })),
      });
    }
    if (route === 'PUT /v1/me/player') {
      const { device_ids: ids, play } = JSON.parse(body || '{}') as { device_ids?: string[]; play?: boolean };
      const device = this.#devices.find((d) => d.id === ids?.[0]);
      if (!device || ids?.length !== 1) return error(res, 404, 'Device not found');
      for (const d of this.#devices) d.isActive = d === device;
      this.playback = { ...this.playback, deviceId: device.id, isPlaying: play === true };
      return void res.writeHead(204).end();
    }
    if (route === 'GET /v1/me') {
      return json(res, 200, { id: this.account.id, display_name: this.account.displayName, product: this.account.product });
    }
    if (route === 'GET /v1/me/player') return this.#state(res);
    if (route === 'POST /v1/me/player/next') {
      if (!this.#active()) return error(res, 404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE');
      this.#track += 1;
      this.#trackStartedAt = Date.now();
      this.#pausedAtMs = undefined;
      this.playback = { ...this.playback, isPlaying: true };
      return void res.writeHead(204).end();
    }
    if (route === 'PUT /v1/me/player/pause') {
      if (!this.#active()) return error(res, 404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE');
      this.#pausedAtMs ??= Date.now() - this.#trackStartedAt;
      this.playback = { ...this.playback, isPlaying: false };
      return void res.writeHead(204).end();
    }
    if (route === 'PUT /v1/me/player/volume') {
      const percent = Number(url.searchParams.get('volume_percent'));
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) return error(res, 400, 'Invalid volume_percent');
      if (!this.#active()) return error(res, 404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE');
      this.#volume = percent;
      return void res.writeHead(204).end();
    }
    if (route === 'PUT /v1/me/tracks') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter((id) => id !== '');
      if (ids.length === 0 || ids.length > 50) return error(res, 400, 'Invalid ids');
      this.saved.push(...ids.filter((id) => !this.saved.includes(id)));
      return void res.writeHead(200).end();
    }
    if (route === 'PUT /v1/me/player/play') {
      const id = url.searchParams.get('device_id');
      const device = id === null ? this.#devices.find((d) => d.isActive) : this.#devices.find((d) => d.id === id);
      if (!device) return error(res, 404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE');
      const { context_uri: contextUri, uris } = JSON.parse(body || '{}') as { context_uri?: string; uris?: string[] };
      for (const d of this.#devices) d.isActive = d === device;
      if (contextUri === undefined && uris === undefined && this.#pausedAtMs !== undefined) {
        this.#trackStartedAt = Date.now() - this.#pausedAtMs;
      } else {
        this.#track = 0;
        this.#trackStartedAt = Date.now();
      }
      this.#pausedAtMs = undefined;
      this.playback = {
        deviceId: device.id,
        isPlaying: true,
        ...(contextUri === undefined ? {} : { contextUri }),
        ...(uris === undefined ? {} : { uris }),
      };
      return void res.writeHead(204).end();
    }
    error(res, 404, 'Service not found');
  }

  #active(): FakeDevice | undefined {
    return this.#devices.find((d) => d.isActive && d.id === this.playback.deviceId);
  }

  /** `GET /v1/me/player`: the playlist's tracks one after another on the wall clock; 204 when no device is active. */
  #state(res: ServerResponse): void {
    const device = this.#active();
    if (!device) return void res.writeHead(204).end();
    const playlist = this.#playlists.find((p) => `spotify:playlist:${p.id}` === this.playback.contextUri);
    const tracks = playlist?.tracks ?? [];
    let progress = this.#pausedAtMs ?? Date.now() - this.#trackStartedAt;
    // A track that ran out gives way to the next one, as Spotify plays a playlist on.
    while (
      this.#pausedAtMs === undefined &&
      tracks.length > 0 &&
      progress >= (tracks[this.#track % tracks.length]?.durationMs ?? Infinity)
    ) {
      progress -= tracks[this.#track % tracks.length]?.durationMs ?? 0;
      this.#trackStartedAt += tracks[this.#track % tracks.length]?.durationMs ?? 0;
      this.#track += 1;
    }
    const track = tracks.length === 0 ? undefined : tracks[this.#track % tracks.length];
    json(res, 200, {
      device: { id: device.id, name: device.name, type: device.type, is_active: true, volume_percent: this.#volume },
      is_playing: this.playback.isPlaying,
      progress_ms: track === undefined ? null : progress,
      timestamp: Date.now(),
      context: this.playback.contextUri === undefined ? null : { type: 'playlist', uri: this.playback.contextUri },
      currently_playing_type: track === undefined ? 'unknown' : 'track',
      item: track === undefined ? null : { ...trackObject(track), album: { name: track.album, images: [this.#image(track.id)] } },
    });
  }

  #image(id: string): { url: string; width: number; height: number } {
    return { url: `${this.#url}/images/${id.replace(/[^a-z0-9]/gi, '')}.png`, width: 64, height: 64 };
  }

  #page<T>(url: URL, items: T[], limit: number, offset: number): Record<string, unknown> {
    const next = offset + limit < items.length ? new URL(url.toString()) : null;
    next?.searchParams.set('offset', String(offset + limit));
    next?.searchParams.set('limit', String(limit));
    return {
      href: url.toString(),
      items: items.slice(offset, offset + limit),
      limit,
      offset,
      total: items.length,
      next: next?.toString() ?? null,
      previous: null,
    };
  }
}

function trackObject(t: FakeTrack): Record<string, unknown> {
  return {
    type: 'track',
    id: t.id,
    uri: `spotify:track:${t.id}`,
    name: t.name,
    duration_ms: t.durationMs,
    is_local: false,
    album: { name: t.album },
    artists: t.artists.map((name) => ({ name })),
  };
}
