import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MpvPlayer } from '../../player/mpv-player.js';
import { PlayRecorder } from '../../player/play-recorder.js';
import { makeTone } from '../../player/testing/tones.js';
import { loadConfig } from '../config/load-config.js';
import { SWITCH_AT_ONCE } from '../testing/director-harness.js';
import type { MoodboxBus } from '../events.js';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { seededRandom } from '../../kernel/random.js';
import { BlockedMusic } from './blocked-music.js';
import { MusicDirector } from './music-director.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { until } from '../testing/daemon-process.js';
import { buildTestServer } from '../testing/server.js';

// The owner blocks songs and artists from the admin panel (issue 40): a real director on real mpv
// (no audio out), a real SQLite file, the admin routes.

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };
const PASSPHRASE = 'correct horse battery';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Three 8-second calm tones and two mellow ones, each by its own artist; calm plays at start. */
async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'moodbox-blocks-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const clock = systemClock;
  const store = openSqliteStore({ clock, log: silent }, { path: join(dir, 'moodbox.db') });
  cleanups.push(async () => store.close());
  const ids: number[] = [];
  for (const [i, mood] of ['calm', 'calm', 'calm', 'mellow', 'mellow'].entries()) {
    const uri = await makeTone(dir, { file: `${mood}-${i}.flac`, hz: 300 + 40 * i, seconds: 8 });
    const track = store.tracks.upsert({ uri, title: `${mood} ${i}`, artist: `Artist ${i}` });
    store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
    ids.push(track.id);
  }
  const player = new MpvPlayer({ clock, log: silent }, { socketPath: join(dir, 'mpv.sock'), audioOutput: 'null', volume: 70 });
  await player.start();
  cleanups.push(() => player.stop());
  await new PlayRecorder({ player, history: store.plays, clock, log: silent }).start();
  const bus: MoodboxBus = new EventBus();
  const blocks = new BlockedMusic({ clock, log: silent, bus, store, explicit: () => 'play' });
  blocks.start();
  cleanups.push(async () => blocks.stop());
  const settings = { ...loadConfig({ env: {} }).config.player, transitions: SWITCH_AT_ONCE };
  const director = new MusicDirector({
    clock,
    random: seededRandom(5),
    log: silent,
    store,
    player,
    bus,
    listener: () => null,
    settings: () => settings,
    blocked: (track) => blocks.reasonFor(track),
  });
  await director.start();
  cleanups.push(() => director.stop());
  const server = await buildTestServer({ clock, store, staff: director.staff, blocks });
  cleanups.push(() => server.app.close());
  await server.auth.createUser({ name: 'Boss', role: 'admin', secret: PASSPHRASE }, 'test');
  const res = await server.app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'Boss', passphrase: PASSPHRASE } });
  const headers = {
    cookie: String(res.headers['set-cookie']).split(';')[0] ?? '',
    'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken,
  };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  const playing = () => player.state().current;
  await until(() => playing());
  return { server, player, store, ids, call, playing };
}

describe('the owner blocks songs and artists', { timeout: 60_000 }, () => {
  it('takes a blocked artist out of the queue and a blocked song off the speakers at once, refuses them to staff, and lets them play again once lifted', async () => {
    const { call, player, store, ids, playing } = await setup();
    const [mellowA, mellowB] = [ids[3] ?? 0, ids[4] ?? 0];
    await call('POST', '/api/admin/player/queue', { trackId: mellowA });
    await call('POST', '/api/admin/player/queue', { trackId: mellowB });
    expect(player.state().upcoming.map((i) => i.track.id)).toEqual([mellowB, mellowA]);

    // An artist, typed in another case: their song leaves the queue; the other staff pick stays.
    const artist = await call('POST', '/api/admin/blocks', { artist: 'ARTIST 3' });
    expect(artist.statusCode).toBe(201);
    expect(artist.json()).toMatchObject({ kind: 'artist', artist: 'ARTIST 3', createdBy: expect.stringMatching(/^admin:\d+$/) as unknown });
    await until(() => (player.state().upcoming.some((i) => i.track.id === mellowA) ? undefined : true));
    expect(player.state().upcoming.map((i) => i.track.id)).toEqual([mellowB]);

    // The song playing: another plays at once, and it is not the blocked one.
    const before = playing();
    const song = await call('POST', '/api/admin/blocks', { trackId: before?.track.id });
    expect(song.json()).toMatchObject({ kind: 'song', trackId: before?.track.id, title: before?.track.title });
    const after = await until(() => (playing()?.key !== before?.key ? playing() : undefined));
    expect(after?.track.id).not.toBe(before?.track.id);

    // Staff are told why they cannot play them.
    const refused = await call('POST', '/api/admin/player/play-now', { trackId: mellowA });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'MB_ERR_MUSIC_BLOCKED', message: expect.stringContaining('its artist is blocked on this box') as unknown },
    });
    // Refused means nothing happened: no staff play was started, none recorded or audited.
    expect(playing()?.track.id).not.toBe(mellowA);
    expect(store.plays.list({ reason: 'staff' }).total).toBe(0);
    expect(store.audit.list({ action: 'player.play-now' }).total).toBe(0);
    const list = await call('GET', '/api/admin/blocks');
    expect(list.json()).toMatchObject({
      items: [
        { kind: 'artist', artist: 'ARTIST 3' },
        { kind: 'song', trackId: before?.track.id },
      ],
      explicit: 'play',
      explicitSkipped: 0,
    });

    // Lifted: staff may play the song again.
    const lifted = await call('DELETE', `/api/admin/blocks/${artist.json<{ id: number }>().id}`);
    expect(lifted.statusCode).toBe(200);
    const played = await call('POST', '/api/admin/player/play-now', { trackId: mellowA });
    expect(played.statusCode).toBe(200);
    expect(playing()?.track.id).toBe(mellowA);
    const actions = store.audit
      .list({})
      .items.map((e) => e.action)
      .filter((a) => a.startsWith('music.'))
      .reverse();
    expect(actions).toEqual(['music.block', 'music.block', 'music.unblock']);
  });

  it('imports a block list, names the field of a bad one, and refuses anyone but an admin', async () => {
    const { call, server, store } = await setup();
    const imported = await call('POST', '/api/admin/blocks/import', { csv: 'artist,title\nArtist 1,calm 1\nArtist 4,\nNobody,Nothing\n' });
    expect(imported.json()).toEqual({ songs: 1, artists: 1, unmatched: [{ line: 4, key: 'Nobody – Nothing' }], invalid: [] });
    const bad = await call('POST', '/api/admin/blocks/import', { csv: 'title\nsomething\n' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'MB_ERR_HTTP_BAD_REQUEST', message: expect.stringMatching(/^body\.csv: .*`artist` column/) as unknown },
    });
    const gone = await call('DELETE', '/api/admin/blocks/9999');
    expect(gone.statusCode).toBe(404);

    const anonymous = await server.app.inject({ method: 'POST', url: '/api/admin/blocks', payload: { artist: 'Artist 2' } });
    expect([401, 403]).toContain(anonymous.statusCode);
    expect(store.blocks.list().map((b) => b.kind)).toEqual(['artist', 'song']);
  });
});
