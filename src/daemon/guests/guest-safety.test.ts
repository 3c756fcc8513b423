import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { KIOSK_SCREEN, socket } from '../testing/ws-socket.js';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { guestUrlOf } from './guest-url.js';
import { loadConfig } from '../config/load-config.js';
import { checkGuests } from './guest-doctor.js';
import { GUEST_STATE_KEY } from './guest-memory.js';

// Guests are safe (issue 31): what their calls may change, who may call, how often, and when.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(...args: Parameters<typeof guestHarness>): Promise<GuestHarness> {
  const h = await guestHarness(...args);
  open.push(h);
  return h;
}

const errorOf = (res: { statusCode: number; json: () => unknown }) => ({
  status: res.statusCode,
  code: (res.json() as { error?: { code: string } }).error?.code,
});

/** Everything a guest must not change: the history, people, settings (the guests' own kept state aside), the audit, the player's state. */
function everythingButGuests(h: GuestHarness, db: Database.Database) {
  const { current, isPaused, volume, maxVolume } = h.player.state();
  const rows = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
  const settings = db.prepare('SELECT * FROM settings WHERE key <> ? ORDER BY 1').all(GUEST_STATE_KEY);
  return {
    plays: rows('plays'),
    feedback: rows('feedback'),
    users: rows('users'),
    sessions: rows('sessions'),
    settings,
    audit: rows('audit_log'),
    tracks: rows('tracks'),
    player: { current: current?.key, isPaused, volume, maxVolume, crossfadeMs: h.player.crossfadeMs },
    playback: { ...h.director.playback, nextTrackId: undefined, isNextGuestRequest: undefined, positionMs: undefined },
  };
}

describe('guest calls', () => {
  it('change nothing but the guest queue and votes, whatever a burst of every call sends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-guests-'));
    const h = await harness({ dbPath: join(dir, 'moodbox.db'), config: { guests: { downVotesToSkip: 100, callsPerMinute: 1000 } } });
    const db = new Database(join(dir, 'moodbox.db'), { readonly: true });
    const before = everythingButGuests(h, db);
    const playing = h.player.state().current?.track.id ?? 0;
    const calls = [
      { method: 'GET', url: '/api/guest/state' },
      { method: 'GET', url: '/api/guest/search?q=calm' },
      ...h.byMood.calm.map((trackId) => ({ method: 'POST' as const, url: '/api/guest/requests', payload: { trackId } })),
      ...h.byMood.mellow.map((trackId) => ({ method: 'POST' as const, url: '/api/guest/requests', payload: { trackId } })),
      ...h.byMood.energetic.map((trackId) => ({ method: 'POST' as const, url: '/api/guest/requests', payload: { trackId } })),
      { method: 'POST', url: '/api/guest/like', payload: { trackId: playing } },
      { method: 'POST', url: '/api/guest/votes', payload: { on: 'now', vote: 'down' } },
      { method: 'POST', url: '/api/guest/votes', payload: { on: 'now', vote: 'up' } },
      { method: 'POST', url: '/api/guest/votes', payload: { on: 1, vote: 'down' } },
      // What a guest might try beyond the page: none of it exists for them.
      { method: 'POST', url: '/api/guest/volume', payload: { volume: 100 } },
      { method: 'POST', url: '/api/guest/pause', payload: {} },
      { method: 'POST', url: '/api/admin/player/pause', payload: {} },
      { method: 'POST', url: '/api/admin/player/volume', payload: { volume: 100 } },
      { method: 'PUT', url: '/api/admin/settings', payload: { guests: { requests: 'off' } } },
      { method: 'POST', url: '/api/guest/requests', payload: { trackId: 1, extra: { deep: [[[[1]]]] } } },
    ] as const;
    const statuses = new Set<number>();
    for (let phone = 1; phone <= 5; phone++) {
      for (const call of calls) statuses.add((await h.server.app.inject(h.as(phone, { ...call }))).statusCode);
    }
    await h.settle();
    expect(statuses.has(201)).toBe(true);
    expect([...statuses].filter((s) => s >= 500)).toEqual([]);
    expect(h.guests.queue().length).toBeGreaterThan(0);
    expect(everythingButGuests(h, db)).toEqual(before);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuse a change without this box’s Origin, another site’s page, and a guest cookie elsewhere', async () => {
    const h = await harness();
    const request = { method: 'POST', url: '/api/guest/votes', payload: { on: 'now', vote: 'up' } } as const;
    const noOrigin = await h.server.app.inject(h.as(1, { ...request, headers: { origin: undefined } }));
    expect(errorOf(noOrigin)).toEqual({ status: 403, code: 'MB_ERR_HTTP_FORBIDDEN' });
    const foreign = await h.server.app.inject(h.as(1, { ...request, headers: { origin: 'http://evil.example' } }));
    expect(errorOf(foreign)).toEqual({ status: 403, code: 'MB_ERR_HTTP_FORBIDDEN' });
    // Neither vote was counted; the same vote from the guest page is.
    expect(h.guests.votesOn('now')).toMatchObject({ up: 0, down: 0 });
    expect((await h.server.app.inject(h.as(1, request))).statusCode).toBe(200);
    expect(h.guests.votesOn('now')).toMatchObject({ up: 1, down: 0 });
    const otherHost = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state', headers: { host: 'evil.example' } }));
    expect(otherHost.statusCode).toBe(403);
    // The guest cookie is no admin's or kiosk person's credential.
    const admin = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/admin/guests' }));
    expect(errorOf(admin)).toEqual({ status: 401, code: 'MB_ERR_AUTH_REQUIRED' });
    const me = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/me/history' }));
    expect(me.statusCode).toBe(401);
  });

  it('are rate-limited per phone and per address', async () => {
    const h = await harness({ config: { guests: { callsPerMinute: 3 } } });
    const get = (n: number, as?: { cookie?: string | null; address?: string }) =>
      h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }, as));
    for (let i = 0; i < 3; i++) expect((await get(1)).statusCode).toBe(200);
    const refused = await get(1);
    expect(errorOf(refused)).toEqual({ status: 429, code: 'MB_ERR_GUEST_TOO_FAST' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A new cookie from the same address, or the same cookie from another address: still refused.
    expect((await get(1, { cookie: null })).statusCode).toBe(429);
    expect((await get(1, { address: '192.168.1.200' })).statusCode).toBe(429);
    expect((await get(2)).statusCode).toBe(200);
    h.clock.advance(61_000);
    expect((await get(1)).statusCode).toBe(200);
  });

  it('let each phone that has been around behind one address make its own calls (a café behind one router, issue 40)', async () => {
    const h = await harness({ config: { guests: { callsPerMinute: 3 } } });
    const cafe = { address: '10.0.0.1' };
    const get = (n: number) => h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }, cafe));
    expect((await get(1)).statusCode).toBe(200);
    expect((await get(2)).statusCode).toBe(200);
    // Two minutes on, both are phones of the café: the address makes three calls a minute for each.
    h.clock.advance(121_000);
    for (const n of [1, 2, 1, 2, 1, 2]) expect((await get(n)).statusCode).toBe(200);
    expect(errorOf(await get(3))).toEqual({ status: 429, code: 'MB_ERR_GUEST_TOO_FAST' });
  });

  it('take small bodies only', async () => {
    const h = await harness();
    const big = await h.server.app.inject(
      h.as(1, {
        method: 'POST',
        url: '/api/guest/requests',
        payload: JSON.stringify({ trackId: 1, pad: 'x'.repeat(4000) }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(big.statusCode).toBe(413);
  });
});

describe('guest requests by site', () => {
  it('are off at a business until the owner turns them on, on at a home and in demo mode', async () => {
    const business = await harness({ isDemo: false });
    const closed = (await business.server.app.inject(business.as(1, { method: 'GET', url: '/api/guest/state' }))).json();
    expect(closed).toMatchObject({ isOpen: false, closedReason: expect.stringMatching(/off here/) as unknown });
    const refused = await business.server.app.inject(
      business.as(1, { method: 'POST', url: '/api/guest/requests', payload: { trackId: business.byMood.calm[2] ?? 0 } }),
    );
    expect(errorOf(refused)).toEqual({ status: 403, code: 'MB_ERR_GUEST_CLOSED' });
    expect(refused.json<{ error: { message: string } }>().error.message).toBe('Song requests are off here: the staff can turn them on');

    const turnedOn = await harness({ isDemo: false, config: { guests: { requests: 'on' } } });
    expect(turnedOn.guests.isOpen).toBe(true);
    const home = await harness({ isDemo: false, config: { site: { kind: 'home' } } });
    expect(home.guests.isOpen).toBe(true);
    const demo = await harness({ isDemo: true });
    expect(demo.guests.isOpen).toBe(true);
    const off = await harness({ isDemo: true, config: { guests: { requests: 'off' } } });
    expect(off.guests.isOpen).toBe(false);
  });

  it('take songs of the library and stations at a business, Spotify’s only at a home with Spotify on', async () => {
    const h = await harness({ isDemo: false, config: { guests: { requests: 'on' } } });
    const spotify = h.store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:1', title: 'calm on spotify', artist: 'calm artist 9' });
    const station = h.store.tracks.upsert({
      source: 'stream',
      uri: 'http://radio.example/calm',
      title: 'calm radio',
      artist: 'calm artist 8',
    });
    const search = async () =>
      (await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/search?q=calm' }))).json<{
        tracks: Array<{ id: number; isStation: boolean }>;
      }>();
    const found = (await search()).tracks;
    expect(found.map((t) => t.id)).toContain(station.id);
    expect(found.find((t) => t.id === station.id)?.isStation).toBe(true);
    expect(found.map((t) => t.id)).not.toContain(spotify.id);
    const refused = await h.server.app.inject(h.as(1, { method: 'POST', url: '/api/guest/requests', payload: { trackId: spotify.id } }));
    expect(errorOf(refused)).toEqual({ status: 403, code: 'MB_ERR_GUEST_NOT_ALLOWED' });
    expect(h.guests.mayRequest(spotify.id)).toBe(false);

    const home = await harness({ isDemo: false, config: { site: { kind: 'home' }, music: { source: 'mixed' } } });
    const homeSpotify = home.store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:1', title: 'calm on spotify' });
    expect(home.guests.mayRequest(homeSpotify.id)).toBe(true);
    const homeLocal = await harness({ isDemo: false, config: { site: { kind: 'home' } } });
    const localOnly = homeLocal.store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:1', title: 'calm on spotify' });
    expect(homeLocal.guests.mayRequest(localOnly.id)).toBe(false);
  });
});

describe('the guest URL for the kiosk’s QR code', () => {
  const lan = [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '192.168.1.40', family: 'IPv4', internal: false },
  ];
  const base = { isOpen: true, publicUrl: '', host: '0.0.0.0', port: 8080, interfaces: lan, avahiName: undefined };

  it('is `server.publicUrl` when set, else the LAN address listened on', () => {
    expect(guestUrlOf({ ...base, publicUrl: 'http://cafe-box.local:8080/' })).toBe('http://cafe-box.local:8080/guest');
    expect(guestUrlOf(base)).toBe('http://192.168.1.40:8080/guest');
    expect(guestUrlOf({ ...base, host: '192.168.1.41', port: 80 })).toBe('http://192.168.1.41/guest');
    expect(guestUrlOf({ ...base, interfaces: lan.slice(0, 2), avahiName: 'moodbox.local' })).toBe('http://moodbox.local:8080/guest');
  });

  it('is null while guests are off, or the server listens on loopback only', () => {
    expect(guestUrlOf({ ...base, isOpen: false })).toBeNull();
    expect(guestUrlOf({ ...base, host: '127.0.0.1' })).toBeNull();
    expect(guestUrlOf({ ...base, host: 'localhost' })).toBeNull();
    expect(guestUrlOf({ ...base, interfaces: lan.slice(0, 2) })).toBeNull();
  });

  it('reaches the kiosk in `session/options`', async () => {
    const h = await harness({
      config: { server: { host: '0.0.0.0' } },
      network: { guestNetwork: () => ({ interfaces: lan, avahiName: undefined }) },
    });
    const screen = await socket(h.server.app, KIOSK_SCREEN);
    expect(await screen.ask('session/options')).toMatchObject({ status: 'ok', data: { guestUrl: 'http://192.168.1.40:8080/guest' } });
  });
});

describe('moodbox doctor on guests', () => {
  const lan = [{ address: '192.168.1.40', family: 'IPv4', internal: false }];
  const config = (guests: string, host: string, adminLanOnly = true) => ({
    guests: { ...loadConfig({ env: {} }).config.guests, requests: guests as 'auto' },
    site: { kind: 'business' as const, language: 'auto' },
    server: { ...loadConfig({ env: {} }).config.server, host, adminLanOnly },
  });

  it('says how phones reach the guest page, or why they cannot and what to do', () => {
    const none = { interfaces: [], avahiName: undefined };
    expect(checkGuests(config('auto', '0.0.0.0'), false, { interfaces: lan, avahiName: undefined })).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^guest requests are off/) as unknown,
    });
    expect(checkGuests(config('on', '127.0.0.1'), false, none)).toMatchObject({
      status: 'warn',
      fix: expect.stringMatching(/`server.host` to `0.0.0.0`.*guest Wi-Fi/) as unknown,
    });
    expect(checkGuests(config('auto', '0.0.0.0'), true, { interfaces: lan, avahiName: undefined })).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/at http:\/\/192\.168\.1\.40:8080\/guest .*never a name or a face count/) as unknown,
    });
    expect(checkGuests(config('on', '0.0.0.0', false), false, { interfaces: lan, avahiName: undefined }).status).toBe('warn');
  });
});
