import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { HostLookup } from '../../player/streams/stream-address.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { icyStream } from '../../player/testing/stream-servers.js';
import type { Config } from '../config/schema.js';
import { checkConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { Stations } from '../music/stations.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, signInNewAdmin } from '../testing/server.js';
import { stopService } from '../../kernel/lifecycle.js';
import { actors } from '../store/audit.js';

type Site = Pick<Config, 'site' | 'music'>;
const HOME: Site = {
  site: { kind: 'home', language: 'auto' },
  music: { source: 'local', youtube: true, explicit: 'play', allowPrivateStations: false },
};
const log = pino({ level: 'silent' });
const TUBE = 'https://www.youtube.com/playlist?list=PL1234';

/** The admin API over a real in-memory store, with an admin signed in; `site` and yt-dlp as given. */
async function admin(site: Site, options: { hasYtDlp?: boolean; lookup?: HostLookup } = {}) {
  const clock = new FakeClock();
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const changes: string[] = [];
  // The library service follows this with `libraryChanged` (library-analysis.test.ts).
  bus.on('stationsChanged', () => changes.push('stations'), 'test');
  const store = openSqliteStore({ clock, log }, { path: ':memory:' });
  const stations = new Stations({
    store,
    clock,
    log,
    bus,
    player: new FakePlayer({ clock }),
    settings: () => site,
    hasYtDlp: () => options.hasYtDlp ?? false,
    // The test's resolver: every name is on the internet unless the test says otherwise.
    lookup: options.lookup ?? (async () => ['93.184.216.34']),
  });
  const server = await buildTestServer({ clock, store, stations });
  const { headers } = await signInNewAdmin(server);
  const add = (payload: unknown) => server.app.inject({ method: 'POST', url: '/api/admin/stations', headers, payload: payload as object });
  return { ...server, headers, add, changes, stations, bus, clock };
}

const error = (res: { json: <T>() => T }) => res.json<{ error: { code: string; message: string } }>().error;

describe('stations from the admin panel', () => {
  it('adds a station with moods that the music picks from at once, lists it, and removes it', async () => {
    const { app, headers, add, changes, store } = await admin(HOME);
    const res = await add({ url: 'https://radio.example/jazz.pls', name: 'Night Jazz', moods: [{ mood: 'calm', weight: 0.8 }] });
    expect(res.statusCode).toBe(200);
    const station = res.json<{ trackId: number }>();
    expect(station).toMatchObject({
      name: 'Night Jazz',
      kind: 'playlist',
      origin: 'admin',
      isFailing: false,
      failedAt: null,
      blocked: null,
    });
    expect(changes).toEqual(['stations']);
    expect(store.tracks.get(station.trackId)).toMatchObject({ source: 'stream', uri: 'https://radio.example/jazz.pls', durationMs: null });

    const list = (await app.inject({ url: '/api/admin/stations', headers })).json<{ items: Array<{ name: string; moods: unknown[] }> }>();
    expect(list.items).toEqual([expect.objectContaining({ name: 'Night Jazz', moods: [{ mood: 'calm', weight: 0.8, origin: 'admin' }] })]);
    expect(store.audit.list({ action: 'station.add' }).items[0]).toMatchObject({ target: 'Night Jazz' });

    const removed = await app.inject({ method: 'DELETE', url: `/api/admin/stations/${station.trackId}`, headers });
    expect(removed.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/admin/stations', headers })).json<{ items: unknown[] }>().items).toEqual([]);
    expect(store.tracks.get(station.trackId)).toBeUndefined();
    const again = await app.inject({ method: 'DELETE', url: `/api/admin/stations/${station.trackId}`, headers });
    expect(again.statusCode).toBe(404);
  });

  it('refuses a URL that is not http or https, naming the field', async () => {
    const { add } = await admin(HOME);
    for (const url of ['ftp://radio.example/live', 'file:///etc/passwd', 'radio.example/live', 'javascript:alert(1)']) {
      const res = await add({ url, name: 'Bad', moods: [{ mood: 'calm', weight: 1 }] });
      expect(res.statusCode, url).toBe(400);
      expect(error(res), url).toMatchObject({
        code: 'MB_ERR_HTTP_BAD_REQUEST',
        message: expect.stringMatching(/^body\.url: expected an http or https URL/),
      });
    }
    const noMoods = await add({ url: 'https://radio.example/live', name: 'No moods', moods: [] });
    expect(noMoods.statusCode).toBe(400);
    expect(error(noMoods).message).toMatch(/body\.moods/);
  });

  it('refuses moods no song uses, naming them and the moods to choose from, storing nothing', async () => {
    const { app, add, headers } = await admin(HOME);
    const res = await add({
      url: 'https://radio.example/live',
      name: 'Typo FM',
      moods: [
        { mood: 'calm', weight: 1 },
        { mood: 'chill', weight: 1 },
        { mood: 'sunny', weight: 1 },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(error(res)).toMatchObject({
      code: 'MB_ERR_HTTP_BAD_REQUEST',
      message: expect.stringMatching(/^body\.moods: “chill”, “sunny” are not known moods; choose from: .*calm/),
    });
    expect((await app.inject({ url: '/api/admin/stations', headers })).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('refuses stations on this box or its network, however the address is written, and ones with a password, storing nothing', async () => {
    // A real service on loopback, as the admin API or SSH would be.
    const local = await icyStream({ name: 'Inside FM', title: 'Secret - Admin API' });
    const port = new URL(local.url).port;
    const names: Record<string, string[]> = {
      localhost: ['127.0.0.1', '::1'],
      'router.lan': ['192.168.1.1'],
      'radio.example': ['93.184.216.34'],
    };
    const lookup: HostLookup = async (host) => names[host] ?? Promise.reject(new Error(`ENOTFOUND ${host}`));
    const { add, app, headers, store } = await admin(HOME, { lookup });
    try {
      for (const url of [
        local.url,
        `http://127.0.0.1:${port}/api/admin/restart`,
        `http://localhost:${port}/`,
        'http://localhost:22/',
        `http://0x7f000001:${port}/`,
        `http://127.1:${port}/`,
        `http://[::1]:${port}/`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        'http://0.0.0.0:8080/',
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.7/stream',
        'https://router.lan/',
      ]) {
        const res = await add({ url, name: 'Inside', moods: [{ mood: 'calm', weight: 1 }] });
        expect(res.statusCode, url).toBe(403);
        expect(error(res), url).toMatchObject({
          code: 'MB_ERR_PLAYER_NOT_ALLOWED',
          message: expect.stringMatching(
            /is this box or its local network: stations must be on the internet; .*`music\.allowPrivateStations`/,
          ),
        });
      }
      const secret = await add({ url: 'https://dj:hunter2@radio.example/live', name: 'Members FM', moods: [{ mood: 'calm', weight: 1 }] });
      expect(secret.statusCode).toBe(400);
      expect(error(secret).message).toMatch(
        /^body\.url: expected a URL without a user name or password \(`user:pass@`\), got one for `radio\.example`/,
      );
      expect(JSON.stringify(secret.json())).not.toContain('hunter2');
      expect((await app.inject({ url: '/api/admin/stations', headers })).json<{ items: unknown[] }>().items).toEqual([]);
      expect(store.tracks.count()).toBe(0);
      expect(local.connections).toBe(0);
      // A station on the internet is still welcome.
      expect((await add({ url: 'https://radio.example/live', name: 'Out FM', moods: [{ mood: 'calm', weight: 1 }] })).statusCode).toBe(200);
    } finally {
      await local.close();
    }
    // The owner may allow local stations in the configuration file.
    const allowed = await admin({ ...HOME, music: { ...HOME.music, allowPrivateStations: true } }, { lookup });
    expect(
      (await allowed.add({ url: 'http://localhost:8000/live', name: 'Home FM', moods: [{ mood: 'calm', weight: 1 }] })).statusCode,
    ).toBe(200);
  });

  // Issue 59: names of the box and its network that a resolver may not answer for were let in, then
  // refused at play.
  it('refuses names of this box or its network at the door, whatever the resolver says', async () => {
    const names: Record<string, string[]> = { 'radio.example': ['93.184.216.34'], 'box.example': ['::ffff:192.168.1.20'] };
    const asked: string[] = [];
    const lookup: HostLookup = async (host) => {
      asked.push(host);
      return names[host] ?? Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    };
    const { add, app, headers, store } = await admin(HOME, { lookup });
    const moods = [{ mood: 'calm', weight: 1 }];
    for (const host of [
      'localhost.',
      'LOCALHOST..',
      'ip6-localhost',
      'ip6-loopback',
      'localhost.localdomain',
      'admin.localhost',
      'printer.local',
      'nas.home.arpa',
    ]) {
      const res = await add({ url: `http://${host}:8080/live`, name: 'Inside', moods });
      expect(res.statusCode, host).toBe(403);
      expect(error(res), host).toEqual({
        code: 'MB_ERR_PLAYER_NOT_ALLOWED',
        message: expect.stringMatching(/^`url`: `[^`]+` is this box or its local network: stations must be on the internet/) as unknown,
        // The same sentence as data, for the panel's language.
        said: { id: 'stations.privateAddress', values: { what: expect.stringMatching(/^`[^`]+`$/) as unknown } },
      });
    }
    expect(asked).toEqual([]);
    const lan = await add({ url: 'http://box.example/live', name: 'Inside', moods });
    expect([lan.statusCode, error(lan).message]).toEqual([
      403,
      expect.stringContaining('`box.example` (::ffff:192.168.1.20) is this box') as unknown,
    ]);
    expect((await app.inject({ url: '/api/admin/stations', headers })).json<{ items: unknown[] }>().items).toEqual([]);
    expect(store.audit.list({ action: 'station.add' }).total).toBe(0);
    // A name that resolves to nothing now (a box set up offline) is let in: it fails when played until it resolves.
    expect((await add({ url: 'http://nowhere.example/live', name: 'Nowhere FM', moods })).statusCode).toBe(200);
    expect((await add({ url: 'https://radio.example/live', name: 'Out FM', moods })).statusCode).toBe(200);
  });

  it('refuses YouTube at a business, saying why, whatever else is set', async () => {
    const { add } = await admin(
      {
        site: { kind: 'business', language: 'auto' },
        music: { source: 'local', youtube: true, explicit: 'play', allowPrivateStations: false },
      },
      { hasYtDlp: true },
    );
    const res = await add({ url: TUBE, name: 'Lo-fi', moods: [{ mood: 'calm', weight: 1 }] });
    expect(res.statusCode).toBe(403);
    expect(error(res)).toMatchObject({
      code: 'MB_ERR_PLAYER_NOT_ALLOWED',
      message: expect.stringMatching(/^`url`: YouTube is not played at a business: streaming services/),
    });
    // And the setting itself cannot be turned on for a business.
    expect(checkConfig({ site: { kind: 'business', language: 'auto' }, music: { youtube: true } })).toEqual([
      expect.stringMatching(/^music\.youtube: expected `false` when `site.kind` is `business`/),
    ]);
    expect(checkConfig({ site: { kind: 'home', language: 'auto' }, music: { youtube: true } })).toEqual([]);
  });

  it('refuses YouTube at home while it is off, and while yt-dlp is missing, saying what to do', async () => {
    const off = await admin(
      {
        site: { kind: 'home', language: 'auto' },
        music: { source: 'local', youtube: false, explicit: 'play', allowPrivateStations: false },
      },
      { hasYtDlp: true },
    );
    const res = await off.add({ url: TUBE, name: 'Lo-fi', moods: [{ mood: 'calm', weight: 1 }] });
    expect(res.statusCode).toBe(403);
    expect(error(res).message).toMatch(/YouTube is off on this box: turn on `music.youtube`/);

    const missing = await admin(HOME, { hasYtDlp: false });
    const res2 = await missing.add({ url: 'https://youtu.be/abc123', name: 'One video', moods: [{ mood: 'calm', weight: 1 }] });
    expect(res2.statusCode).toBe(403);
    expect(error(res2).message).toMatch(
      /YouTube needs yt-dlp, which is not installed on this box: install it with `sudo apt install yt-dlp`/,
    );
  });

  it('adds a YouTube entry at a home with yt-dlp, and leaves it out of the picks once the box may no longer play it', async () => {
    const site: Site = {
      site: { kind: 'home', language: 'auto' },
      music: { source: 'local', youtube: true, explicit: 'play', allowPrivateStations: false },
    };
    const { add, stations, store, bus, changes } = await admin(site, { hasYtDlp: true });
    await stations.start();
    const res = await add({ url: TUBE, name: 'Lo-fi', moods: [{ mood: 'calm', weight: 1 }] });
    expect(res.statusCode).toBe(200);
    const { trackId } = res.json<{ trackId: number; kind: string }>();
    expect(res.json<{ kind: string }>().kind).toBe('youtube');
    const track = store.tracks.get(trackId);
    expect(track && stations.isPlayable(track)).toBe(true);
    site.music.youtube = false;
    expect(track && stations.isPlayable(track)).toBe(false);
    // The music reloads its picks when the setting changes, not at the next scan.
    changes.length = 0;
    bus.emit('settingsChanged', { changed: ['music.youtube'] });
    expect(changes).toEqual(['stations']);
    await stations.stop();
    expect(stations.list()[0]).toMatchObject({
      blocked: expect.stringMatching(/YouTube is off/) as unknown,
      blockedSaid: { id: 'stations.youtube.off' },
    });
  });

  it('marks a station that failed with when and why, leaves it out of the picks for 15 minutes, then tries it again', async () => {
    const { stations, store, changes, clock, bus } = await admin(HOME);
    const player = new FakePlayer({ clock });
    const watched = new Stations({
      store,
      clock,
      log,
      bus,
      player,
      settings: () => HOME,
      hasYtDlp: () => false,
      lookup: async () => ['93.184.216.34'],
    });
    await watched.start();
    const station = await watched.add({ url: 'https://radio.example/live', name: 'Flaky FM', moods: { calm: 1 } }, actors.admin(1));
    const track = store.tracks.get(station.trackId);
    if (track === undefined) throw new Error('no track');
    const item = { track: { id: track.id, uri: track.uri }, reason: 'mood' as const, note: '', mood: null, userId: null, key: 7 };
    const failedAt = clock.now();
    changes.length = 0;

    player.events.emit('trackFailed', { item, error: 'loading failed' });
    expect(changes).toEqual(['stations']);
    expect(watched.isPlayable(track)).toBe(false);
    expect(stations.list()[0]).toMatchObject({
      isFailing: true,
      failedAt,
      retryAt: failedAt + 15 * 60_000,
      error: 'the stream could not be opened (refused, not found, or nothing sent in time)',
    });

    clock.advance(15 * 60_000);
    expect(changes).toEqual(['stations', 'stations']);
    expect(watched.isPlayable(track)).toBe(true);
    // Still shown as failing until it plays again.
    expect(stations.list()[0]).toMatchObject({ isFailing: true, retryAt: null });

    player.events.emit('positionChanged', { item, positionMs: 1000 });
    expect(stations.list()[0]).toMatchObject({ isFailing: false, failedAt: null, error: null, playedAt: clock.now() });
    await stopService(watched, [bus, player.events]);
  });
});
