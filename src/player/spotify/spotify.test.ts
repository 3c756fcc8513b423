import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../kernel/clock.js';
import { seededRandom } from '../../kernel/random.js';
import type { MoodSettings } from '../moods.js';
import { FakeSpotifyServer } from '../testing/fake-spotify-server.js';
import { SecretTokenStore, type SecretStore } from './secret-token-store.js';
import { createPkcePair, SpotifyAuth, waitForRedirect } from './spotify-auth.js';
import { SpotifyProvider } from './spotify-provider.js';
import { SpotifyWebClient } from './spotify-web-client.js';

const REDIRECT = 'http://127.0.0.1:0/callback';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  get = (key: string): string | undefined => this.values.get(key);
  set = (key: string, value: string): void => void this.values.set(key, value);
  delete = (key: string): void => void this.values.delete(key);
}

let server: FakeSpotifyServer;
let secrets: MemorySecrets;
let slept: number[];
let logged: string[];
/** The system clock, except that `sleep` returns at once and records how long it was asked to wait. */
let clock: Clock;

beforeEach(async () => {
  server = new FakeSpotifyServer();
  await server.listen();
  server.addPlaylist('calm1', 'Sunday Calm', [
    { id: 't1', name: 'Slow River', artists: ['Ann'], album: 'Water', durationMs: 200_000 },
    { id: 't2', name: 'Quiet Hills', artists: ['Bob'], album: 'Land', durationMs: 180_000 },
    { id: 't3', name: 'Soft Rain', artists: ['Cy'], album: 'Sky', durationMs: 190_000 },
  ]);
  server.addPlaylist('party', 'Party', [{ id: 't4', name: 'Jump', artists: ['Dee'], album: 'Up', durationMs: 150_000 }]);
  secrets = new MemorySecrets();
  slept = [];
  logged = [];
  clock = { ...systemClock, sleep: async (ms: number) => void slept.push(ms) };
});

afterEach(async () => {
  await server.close();
});

function auth(redirectUri = REDIRECT.replace(':0', ':8888')): SpotifyAuth {
  return new SpotifyAuth(
    { fetch, clock, tokens: new SecretTokenStore({ secrets, now: () => clock.now() }) },
    { clientId: server.clientId, redirectUri, accountsUrl: server.url },
  );
}

async function signedIn(): Promise<{ auth: SpotifyAuth; client: SpotifyWebClient }> {
  const a = auth();
  const { url, verifier } = a.begin();
  const { code } = server.approve(url);
  await a.complete(code, verifier);
  const log = {
    warn: (_: object, msg: string) => logged.push(msg),
    debug: (o: object, msg: string) => logged.push(`${msg} ${JSON.stringify(o)}`),
  };
  return { auth: a, client: new SpotifyWebClient({ fetch, clock, auth: a, log }, { apiUrl: server.url }) };
}

describe('Spotify sign-in (Authorization Code with PKCE)', () => {
  it('makes a verifier and its S256 challenge', () => {
    const { verifier, challenge } = createPkcePair(new Uint8Array(64).fill(7));
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('signs in through the loopback redirect and keeps the tokens in the secrets store only', async () => {
    const a = auth('http://127.0.0.1:38571/callback');
    const { url, state, verifier } = a.begin();
    expect(new URL(url).searchParams.get('scope')).toContain('user-modify-playback-state');
    const redirect = waitForRedirect({ redirectUri: 'http://127.0.0.1:38571/callback', state, signal: AbortSignal.timeout(5000) });
    const approved = server.approve(url);
    // The browser follows Spotify's redirect to Moodbox's loopback address.
    const page = await fetch(`http://127.0.0.1:38571/callback?code=${approved.code}&state=${approved.state}`);
    expect(await page.text()).toContain('connected to Spotify');
    await a.complete(await redirect, verifier);
    expect(a.isSignedIn).toBe(true);
    const stored = JSON.parse(secrets.get('spotify.tokens') ?? '{}') as { accessToken?: string; refreshToken?: string };
    expect(stored.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(stored.refreshToken).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a redirect whose state was not sent by Moodbox, and a wrong verifier', async () => {
    const redirect = waitForRedirect({
      redirectUri: 'http://127.0.0.1:38572/callback',
      state: 'expected',
      signal: AbortSignal.timeout(5000),
    });
    const rejected = expect(redirect).rejects.toMatchObject({ code: 'MB_ERR_SPOTIFY_AUTH' });
    await fetch('http://127.0.0.1:38572/callback?code=x&state=forged');
    await rejected;
    const a = auth();
    const { url } = a.begin();
    const { code } = server.approve(url);
    await expect(a.complete(code, 'not-the-verifier-not-the-verifier-not-the-verifier')).rejects.toThrow(
      'Spotify refused the sign-in (400 invalid_grant: code_verifier was incorrect)',
    );
    expect(a.isSignedIn).toBe(false);
  });
});

describe('SpotifyWebClient against the local Web API', () => {
  it('reads every page of playlists and tracks, and searches 10 at most', async () => {
    const { client } = await signedIn();
    for (let k = 0; k < 60; k++) server.addPlaylist(`p${k}`, `Playlist ${k}`, []);
    const playlists = await client.playlists();
    expect(playlists).toHaveLength(62);
    expect(playlists[0]).toEqual({ id: 'calm1', uri: 'spotify:playlist:calm1', name: 'Sunday Calm', owner: 'Me', tracks: 3 });
    expect(server.requests.filter((r) => r.startsWith('GET /v1/me/playlists'))).toHaveLength(2);
    expect((await client.playlistTracks('calm1')).map((t) => t.name)).toEqual(['Slow River', 'Quiet Hills', 'Soft Rain']);
    expect(await client.search('jump')).toEqual([
      { id: 't4', uri: 'spotify:track:t4', name: 'Jump', artists: ['Dee'], album: 'Up', durationMs: 150_000 },
    ]);
    await expect(client.search('x', { limit: 20 })).rejects.toThrow("Expected `limit` to be 1–10 (Spotify's page size), got `20` (number)");
    await expect(client.playlistTracks('nope')).rejects.toMatchObject({
      code: 'MB_ERR_SPOTIFY_API',
      message: expect.stringContaining('404') as string,
    });
  });

  it('refreshes the token once after a 401 and goes on, keeping the refresh token, never logging it', async () => {
    const { client } = await signedIn();
    const before = JSON.parse(secrets.get('spotify.tokens') ?? '{}') as { accessToken: string; refreshToken: string };
    server.expireTokens();
    expect(await client.devices()).toEqual([]);
    const after = JSON.parse(secrets.get('spotify.tokens') ?? '{}') as { accessToken: string; refreshToken: string };
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(server.requests).toEqual(['GET /v1/me/player/devices', 'GET /v1/me/player/devices']);
    for (const line of logged) expect(line).not.toContain(before.accessToken);
  });

  it('refreshes an access token about to expire before using it, without a 401 round trip', async () => {
    const { client } = await signedIn();
    const stored = JSON.parse(secrets.get('spotify.tokens') ?? '{}') as { expiresAt: number; accessToken: string };
    secrets.set('spotify.tokens', JSON.stringify({ ...stored, expiresAt: clock.now() + 30_000 }));
    server.expireTokens();
    expect(await client.devices()).toEqual([]);
    expect(server.requests).toEqual(['GET /v1/me/player/devices']);
    expect((JSON.parse(secrets.get('spotify.tokens') ?? '{}') as { accessToken: string }).accessToken).not.toBe(stored.accessToken);
  });

  it('honours Retry-After on 429, then gives up with a clear error', async () => {
    const { client } = await signedIn();
    server.rateLimitNext(2, 3);
    expect(await client.devices()).toEqual([]);
    expect(slept).toEqual([3000, 3000]);
    server.rateLimitNext(10, 1);
    await expect(client.devices()).rejects.toMatchObject({ code: 'MB_ERR_SPOTIFY_RATE_LIMITED' });
  });

  it('turns a network failure into MB_ERR_SPOTIFY_UNREACHABLE', async () => {
    const { auth: a } = await signedIn();
    const offline = new SpotifyWebClient({ fetch, clock, auth: a, log: { warn() {}, debug() {} } }, { apiUrl: 'http://127.0.0.1:1' });
    await expect(offline.devices()).rejects.toMatchObject({ code: 'MB_ERR_SPOTIFY_UNREACHABLE' });
  });
});

describe('SpotifyProvider', () => {
  const settings = (): MoodSettings => {
    const values = new Map<string, unknown>();
    return { get: (k) => values.get(k), set: (k, v) => void values.set(k, v) };
  };
  const log = { info() {}, warn() {} };

  it('plays a playlist mapped to the mood on a Connect device, transferring playback to it first', async () => {
    const { client } = await signedIn();
    server.addDevice({ id: 'kitchen', name: 'Kitchen speaker', type: 'Speaker', isActive: false });
    server.addDevice({ id: 'phone', name: 'Phone', type: 'Smartphone', isActive: false });
    const provider = new SpotifyProvider({ client, settings: settings(), log }, { deviceName: 'Phone' });
    provider.mapPlaylist('calm1', 'Calm', 1);
    provider.mapPlaylist('party', 'upbeat', 2);
    expect(provider.playlistMoods()).toEqual({ calm1: 'calm', party: 'upbeat' });
    expect(await provider.playMood('calm', seededRandom(1))).toEqual({ source: 'spotify', playlistId: 'calm1', deviceId: 'phone' });
    expect(server.playback).toEqual({ deviceId: 'phone', isPlaying: true, contextUri: 'spotify:playlist:calm1' });
    expect(server.requests).toEqual(['GET /v1/me/player/devices', 'PUT /v1/me/player', 'PUT /v1/me/player/play?device_id=phone']);
  });

  it('falls back to the local library when Spotify cannot play: no playlist, no device, no network', async () => {
    const { client, auth: a } = await signedIn();
    const store = settings();
    const provider = new SpotifyProvider({ client, settings: store, log });
    expect(await provider.playMood('calm', seededRandom(1))).toMatchObject({ source: 'local', code: 'MB_ERR_NOT_FOUND' });
    provider.mapPlaylist('calm1', 'calm', 1);
    expect(await provider.playMood('calm', seededRandom(1))).toMatchObject({ source: 'local', code: 'MB_ERR_SPOTIFY_NO_DEVICE' });
    const offline = new SpotifyWebClient({ fetch, clock, auth: a, log: { warn() {}, debug() {} } }, { apiUrl: 'http://127.0.0.1:1' });
    const offlineProvider = new SpotifyProvider({ client: offline, settings: store, log });
    expect(await offlineProvider.playMood('calm', seededRandom(1))).toMatchObject({ source: 'local', code: 'MB_ERR_SPOTIFY_UNREACHABLE' });
  });
});
