import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretTokenStore } from '../../player/spotify/secret-token-store.js';
import { SpotifyAccount } from '../../player/spotify/spotify-account.js';
import { SpotifyAuth } from '../../player/spotify/spotify-auth.js';
import { SpotifyLibrary } from '../../player/spotify/spotify-library.js';
import { SpotifyWebClient } from '../../player/spotify/spotify-web-client.js';
import { FakeSpotifyServer } from '../../player/testing/fake-spotify-server.js';
import { systemClock } from '../../kernel/clock.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { buildTestServer, signInNewAdmin, type TestServer } from '../testing/server.js';

const PASSPHRASE = 'correct horse battery staple';
const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {} };

let fake: FakeSpotifyServer;
let store: SqliteStore;
let coversDir: string;
let servers: TestServer[];

beforeEach(async () => {
  fake = new FakeSpotifyServer();
  await fake.listen();
  fake.addPlaylist('calm1', 'Sunday Calm', [{ id: 't1', name: 'Slow River', artists: ['Ann'], album: 'Water', durationMs: 200_000 }], {
    hasCover: true,
  });
  fake.addDevice({ id: 'phone', name: 'Phone', type: 'Smartphone', isActive: true });
  fake.addDevice({ id: 'box', name: 'Kitchen', type: 'Speaker', isActive: false });
  store = openSqliteStore({ clock: systemClock, log: silent }, { path: ':memory:' });
  coversDir = mkdtempSync(join(tmpdir(), 'moodbox-covers-'));
  servers = [];
});

afterEach(async () => {
  for (const s of servers) await s.app.close();
  await fake.close();
  store.close();
  rmSync(coversDir, { recursive: true, force: true });
});

function account(changes: string[] = []): SpotifyAccount {
  const auth = new SpotifyAuth(
    { fetch, clock: systemClock, tokens: new SecretTokenStore({ secrets: store.secrets, now: () => Date.now() }) },
    { clientId: fake.clientId, redirectUri: 'http://127.0.0.1:8080/api/spotify/callback', accountsUrl: fake.url },
  );
  const client = new SpotifyWebClient({ fetch, clock: systemClock, auth, log: silent }, { apiUrl: fake.url });
  const library = new SpotifyLibrary({ rows: store.tracks, fetch, log: silent }, { coversDir });
  return new SpotifyAccount(
    {
      auth,
      client,
      settings: store.settings,
      clock: systemClock,
      log: silent,
      cover: (url) => library.cover(url),
      problem: () => undefined,
      onAccountChanged: () => changes.push('changed'),
    },
    { boxName: 'moodbox' },
  );
}

async function signedIn(options: Parameters<typeof buildTestServer>[0]) {
  const s = await buildTestServer({ store, ...options });
  servers.push(s);
  const { headers } = await signInNewAdmin(s, { passphrase: PASSPHRASE });
  return { s, headers };
}

describe('the Spotify routes', () => {
  it('a business box says why it plays no Spotify', async () => {
    const { s, headers } = await signedIn({});
    const res = await s.app.inject({ method: 'GET', url: '/api/admin/spotify', headers });
    expect(res.json()).toMatchObject({ isAvailable: false, isConnected: false, source: 'local' });
    expect(res.json<{ why: string }>().why).toMatch(/business .*personal use only/);
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/spotify/connect', headers })).statusCode).toBe(409);
  });

  it('connects through the redirect to the box, lists devices and playlists, remembers the device by name and maps a playlist', async () => {
    const changes: string[] = [];
    const { s, headers } = await signedIn({ config: { site: { kind: 'home' } }, spotify: account(changes) });
    expect((await s.app.inject({ method: 'GET', url: '/api/admin/spotify', headers })).json()).toMatchObject({
      isAvailable: true,
      isConnected: false,
    });
    const { url } = (await s.app.inject({ method: 'POST', url: '/api/admin/spotify/connect', headers })).json<{ url: string }>();
    const { code, state } = fake.approve(url);
    // Spotify sends the browser back to the box: no admin cookie needed, the state is the proof.
    const back = await s.app.inject({ method: 'GET', url: `/api/spotify/callback?code=${code}&state=${state}` });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/admin#spotify');
    const again = await s.app.inject({ method: 'GET', url: `/api/spotify/callback?code=${code}&state=${state}` });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Spotify was not connected. Expected a sign-in begun on this box');
    expect(again.body).toContain('<a href="/admin#spotify">');
    expect((await s.app.inject({ method: 'GET', url: '/api/admin/spotify', headers })).json()).toMatchObject({
      isConnected: true,
      account: 'Ann',
      isPremium: true,
      device: null,
      problem: null,
      problemSince: null,
      recovered: null,
      boxName: 'moodbox',
    });
    expect(store.secrets.get('spotify.tokens')).toMatch(/accessToken/);

    const devices = await s.app.inject({ method: 'GET', url: '/api/admin/spotify/devices', headers });
    expect(devices.json<{ devices: Array<{ name: string; isChosen: boolean }> }>().devices.map((d) => [d.name, d.isChosen])).toEqual([
      ['Phone', true],
      ['Kitchen', false],
    ]);
    await s.app.inject({ method: 'PUT', url: '/api/admin/spotify/device', headers, payload: { name: 'Kitchen' } });
    const chosen = await s.app.inject({ method: 'GET', url: '/api/admin/spotify/devices', headers });
    expect(chosen.json<{ devices: Array<{ name: string; isChosen: boolean }> }>().devices.find((d) => d.isChosen)?.name).toBe('Kitchen');

    const playlists = await s.app.inject({ method: 'GET', url: '/api/admin/spotify/playlists', headers });
    expect(playlists.json()).toEqual({
      playlists: [
        {
          id: 'calm1',
          name: 'Sunday Calm',
          owner: 'Me',
          tracks: 1,
          coverUrl: expect.stringMatching(/^\/api\/covers\/[0-9a-f]{64}\.png$/),
          mood: null,
        },
      ],
    });
    const mapped = await s.app.inject({ method: 'PUT', url: '/api/admin/spotify/playlists/calm1', headers, payload: { mood: 'calm' } });
    expect(mapped.json()).toEqual({ mood: 'calm' });
    expect(store.settings.get('spotify.playlistMoods')).toEqual({ calm1: 'calm' });
    expect(changes).toEqual(['changed', 'changed']);

    const out = await s.app.inject({ method: 'POST', url: '/api/admin/spotify/disconnect', headers });
    expect(out.json()).toMatchObject({ isConnected: false, account: null });
    expect(store.secrets.get('spotify.tokens')).toBeUndefined();
  });

  it('finishes a sign-in from the pasted address, and refuses a state it did not begin', async () => {
    const { s, headers } = await signedIn({ config: { site: { kind: 'home' } }, spotify: account() });
    const { url } = (await s.app.inject({ method: 'POST', url: '/api/admin/spotify/connect', headers })).json<{ url: string }>();
    const { code, state } = fake.approve(url);
    const stale = await s.app.inject({
      method: 'POST',
      url: '/api/admin/spotify/complete',
      headers,
      payload: { url: `http://127.0.0.1:8080/api/spotify/callback?code=${code}&state=not-mine` },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'MB_ERR_SPOTIFY_AUTH' } });
    const done = await s.app.inject({
      method: 'POST',
      url: '/api/admin/spotify/complete',
      headers,
      payload: { url: `http://127.0.0.1:8080/api/spotify/callback?code=${code}&state=${state}` },
    });
    expect(done.json()).toMatchObject({ isConnected: true, account: 'Ann' });
  });
});
