import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthService } from '../people/auth-service.js';
import type { KioskPresence } from '../people/kiosk-presence.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeRfidReader } from '../testing/fake-rfid-reader.js';
import { buildTestServer, signInNewAdmin } from '../testing/server.js';
import type { MoodboxServer } from './build-server.js';
import { actors } from '../store/audit.js';

// The routes behind the admin panel's history, users and library pages (issue 16, items 7–9).

let app: MoodboxServer;
let store: SqliteStore;
let auth: AuthService;
let presence: KioskPresence;
let clock: FakeClock;
let reader: FakeRfidReader;
let headers: Record<string, string>;

beforeEach(async () => {
  clock = new FakeClock(Date.UTC(2026, 10, 20, 12));
  reader = new FakeRfidReader();
  ({ app, store, auth, presence } = await buildTestServer({ clock, cards: reader }));
  await presence.start();
  ({ headers } = await signInNewAdmin({ app, auth }));
});

/** Lets the server reach the point where it waits (a pending request registers its capture). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('GET /api/admin/history', () => {
  it('names the track, its artist and the person of each play, and a guest play has no name', async () => {
    const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    const song = store.tracks.upsert({ uri: '/music/song.mp3', title: 'Morning Walk', artist: 'The Strollers' });
    const untitled = store.tracks.upsert({ uri: '/music/field-recording.ogg' });
    store.plays.start({ trackId: song.id, userId: ada.id, reason: 'tap', mood: 'calm', startedAt: clock.now() - 2000 });
    store.plays.start({ trackId: untitled.id, reason: 'mood', mood: 'upbeat', startedAt: clock.now() - 1000 });
    const res = await app.inject({ url: '/api/admin/history', headers });
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json<{
      items: Array<{ title: string | null; artist: string | null; userName: string | null }>;
      total: number;
    }>();
    expect(total).toBe(2);
    expect(items.map(({ title, artist, userName }) => ({ title, artist, userName }))).toEqual([
      { title: 'field-recording.ogg', artist: '', userName: null },
      { title: 'Morning Walk', artist: 'The Strollers', userName: 'Ada' },
    ]);
  });

  it('refuses a From date after the To date, naming both fields', async () => {
    const from = Date.UTC(2026, 10, 21);
    const to = Date.UTC(2026, 10, 20);
    const res = await app.inject({ url: `/api/admin/history?from=${from}&to=${to}`, headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('Expected `from` (2026-11-21T00:00:00.000Z) to be before `to` (2026-11-20T00:00:00.000Z).');
    expect((await app.inject({ url: `/api/admin/history?from=${to}&to=${from}`, headers })).statusCode).toBe(200);
  });
});

describe('GET /api/admin/users', () => {
  it('says who has a PIN or a card, how often they played and when they were last seen', async () => {
    const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    const cleo = await auth.createUser({ name: 'Cleo', role: 'member' }, actors.cli);
    store.cards.link({ cardId: '0004417733', userId: cleo.id });
    const song = store.tracks.upsert({ uri: '/music/song.mp3', title: 'Song' });
    store.plays.start({ trackId: song.id, userId: ada.id, reason: 'tap', startedAt: clock.now() - 60_000 });
    store.plays.start({ trackId: song.id, userId: ada.id, reason: 'like', startedAt: clock.now() - 30_000 });
    clock.advance(5000);
    await auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'kiosk', kind: 'kiosk' });
    const users = (await app.inject({ url: '/api/admin/users', headers })).json<Array<{ name: string; activity: unknown }>>();
    const of = (name: string) => users.find((u) => u.name === name)?.activity;
    expect(of('Ada')).toEqual({ hasPin: true, cards: 0, plays: 2, lastSeenAt: clock.now() });
    expect(of('Cleo')).toEqual({ hasPin: false, cards: 1, plays: 0, lastSeenAt: null });
  });
});

describe('tap a card now', () => {
  const capture = () => app.inject({ method: 'POST', url: '/api/admin/cards/capture', headers, payload: { timeoutS: 20 } });

  it('answers at once when no reader is plugged in, and the reader route says so', async () => {
    const res = await capture();
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({
      code: 'MB_ERR_RFID_NO_READER',
      message: 'No card reader is plugged in. Plug one into the box, or type the card’s ID instead.',
    });
    expect((await app.inject({ url: '/api/admin/cards/reader', headers })).json()).toMatchObject({ status: 'absent', capturing: false });
  });

  it('hands the card tapped to the admin, and a cancelled wait lets the next card sign its owner in', async () => {
    reader.plugIn();
    expect((await app.inject({ url: '/api/admin/cards/reader', headers })).json()).toEqual({
      status: 'connected',
      detail: null,
      capturing: false,
    });
    const first = capture();
    await until(() => presence.isCapturing);
    reader.emitCard('0001112223');
    expect((await first).json()).toEqual({ cardId: '0001112223', linkedTo: null });

    const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    store.cards.link({ cardId: '0004417733', userId: ada.id });
    const second = capture();
    await until(() => presence.isCapturing);
    expect((await app.inject({ method: 'DELETE', url: '/api/admin/cards/capture', headers })).statusCode).toBe(204);
    const cancelled = await second;
    expect([cancelled.statusCode, cancelled.json().error.message]).toEqual([409, 'The wait for a card was cancelled.']);
    reader.emitCard('0004417733');
    expect(presence.user?.name).toBe('Ada');
  });

  it('stops waiting when the reader is unplugged, and after the time asked for', async () => {
    reader.plugIn();
    const unplugged = capture();
    await until(() => presence.isCapturing);
    reader.unplug();
    expect((await unplugged).json().error.code).toBe('MB_ERR_RFID_NO_READER');
    reader.plugIn();
    const timedOut = capture();
    await until(() => presence.isCapturing);
    clock.advance(20_000);
    const res = await timedOut;
    expect([res.statusCode, res.json().error.message]).toEqual([408, 'No card was tapped within 20 s.']);
  });

  it('says card reading is off when the box has no reader at all', async () => {
    // The same database (the admin's session), without a reader.
    ({ app } = await buildTestServer({ clock, store }));
    await app.ready();
    const res = await app.inject({ method: 'POST', url: '/api/admin/cards/capture', headers, payload: { timeoutS: 5 } });
    expect(res.json().error.message).toMatch(/^Card reading is turned off in the settings/);
  });
});

describe('mood tags', () => {
  const track = (title: string) => store.tracks.upsert({ uri: `/music/${title}.mp3`, title });

  it('lists the moods the music asks for, with how many tracks carry each', async () => {
    store.tracks.setMoods(track('a').id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    const { moods } = (await app.inject({ url: '/api/admin/moods', headers })).json<{
      moods: Array<{ name: string; builtIn: boolean; tracks: number }>;
    }>();
    expect(moods.map((m) => m.name)).toEqual(['calm', 'mellow', 'uplifting', 'upbeat', 'energetic', 'power']);
    expect(moods[0]).toEqual({ name: 'calm', builtIn: true, tracks: 1 });
    expect(moods.at(-1)).toEqual({ name: 'power', builtIn: true, tracks: 0 });
  });

  it('refuses a mood that is not known, naming it, and keeps a mood the track already had from a moods file', async () => {
    const a = track('a');
    store.tracks.setMoods(a.id, [{ mood: 'dreamy', weight: 0.4, origin: 'sidecar' }]);
    const typo = await app.inject({
      method: 'PUT',
      url: `/api/admin/tracks/${a.id}/moods`,
      headers,
      payload: { moods: [{ mood: 'calmm', weight: 1 }] },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.message).toBe(
      '“calmm” is not a known mood. Choose one of: calm, mellow, uplifting, upbeat, energetic, power.',
    );
    const kept = await app.inject({
      method: 'PUT',
      url: `/api/admin/tracks/${a.id}/moods`,
      headers,
      payload: {
        moods: [
          { mood: 'dreamy', weight: 0.4 },
          { mood: 'calm', weight: 1 },
        ],
      },
    });
    expect(kept.statusCode).toBe(200);
    expect(
      store.tracks
        .moods(a.id)
        .map((m) => m.mood)
        .sort(),
    ).toEqual(['calm', 'dreamy']);
  });

  it('adds and removes moods on several tracks at once, all or nothing', async () => {
    const [a, b, c] = [track('a'), track('b'), track('c')];
    store.tracks.setMoods(a.id, [
      { mood: 'calm', weight: 0.4, origin: 'rule' },
      { mood: 'power', weight: 1, origin: 'admin' },
    ]);
    store.tracks.setMoods(b.id, [{ mood: 'mellow', weight: 0.7, origin: 'rule' }]);
    const edit = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/admin/tracks/moods', headers, payload });
    const res = await edit({ trackIds: [a.id, b.id], add: ['calm'], remove: ['power'] });
    expect(res.statusCode).toBe(200);
    expect(store.tracks.moods(a.id)).toEqual([{ mood: 'calm', weight: 1, origin: 'admin' }]);
    expect(
      store.tracks
        .moods(b.id)
        .map((m) => `${m.mood}:${m.weight}`)
        .sort(),
    ).toEqual(['calm:1', 'mellow:0.7']);
    expect(store.tracks.moods(c.id)).toEqual([]);

    const unknown = await edit({ trackIds: [c.id], add: ['clam'] });
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([
      400,
      '“clam” is not a known mood. Choose one of: calm, mellow, uplifting, upbeat, energetic, power.',
    ]);
    const missing = await edit({ trackIds: [c.id, 999], add: ['upbeat'] });
    expect([missing.statusCode, missing.json().error.message]).toEqual([404, 'No track with id 999.']);
    expect(store.tracks.moods(c.id)).toEqual([]);
    expect((await edit({ trackIds: [c.id] })).json().error.message).toBe('Expected a mood to add or to remove, got neither.');
  });
});

describe('GET /api/admin/tracks/:id/audio', () => {
  /** A server whose configuration file names `folder` as the music, and an admin's headers. */
  async function serving(folder: string, dir: string) {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ library: { folders: [folder] } }));
    const built = await buildTestServer({ clock, configFile: file });
    return { ...built, headers: (await signInNewAdmin({ app: built.app, auth: built.auth })).headers };
  }

  it('serves a library file to listen to, and answers 404 for a stream or a file that is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-audio-'));
    try {
      const { app, store, headers } = await serving(dir, dir);
      const bytes = Buffer.from('OggS fake but byte-exact');
      writeFileSync(join(dir, 'song.ogg'), bytes);
      const song = store.tracks.upsert({ uri: join(dir, 'song.ogg'), title: 'Song' });
      const res = await app.inject({ url: `/api/admin/tracks/${song.id}/audio`, headers });
      expect([res.statusCode, res.headers['content-type'], res.rawPayload.equals(bytes)]).toEqual([200, 'audio/ogg', true]);
      expect((await app.inject({ url: `/api/admin/tracks/${song.id}/audio` })).statusCode).toBe(401);

      const gone = store.tracks.upsert({ uri: join(dir, 'gone.mp3'), title: 'Gone' });
      const stream = store.tracks.upsert({ source: 'stream', uri: 'https://radio.example/live.mp3', title: 'Radio' });
      for (const id of [gone.id, stream.id]) {
        const missing = await app.inject({ url: `/api/admin/tracks/${id}/audio`, headers });
        expect([missing.statusCode, missing.json().error.message]).toEqual([404, `Track ${id} has no file to listen to here.`]);
      }
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves no file outside the music folders in force, whatever the row says and wherever a link in the folder points', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-audio-'));
    try {
      const music = join(dir, 'music');
      mkdirSync(music);
      const secret = join(dir, 'secret.ogg');
      writeFileSync(secret, 'OggS not for the panel');
      symlinkSync(secret, join(music, 'linked.ogg'));
      const { app, store, headers } = await serving(music, dir);
      // A row a restored backup may carry: a file outside the folders, and a link inside one that leads out.
      const outside = store.tracks.upsert({ uri: secret, title: 'Outside' });
      const linked = store.tracks.upsert({ uri: join(music, 'linked.ogg'), title: 'Linked' });
      const climbing = store.tracks.upsert({ uri: join(music, '..', 'secret.ogg'), title: 'Climbing' });
      for (const id of [outside.id, linked.id, climbing.id]) {
        const res = await app.inject({ url: `/api/admin/tracks/${id}/audio`, headers });
        expect([res.statusCode, res.json().error.message]).toEqual([404, `Track ${id} has no file to listen to here.`]);
      }
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
