import { afterEach, describe, expect, it } from 'vitest';
import { icyStream } from '../../player/testing/stream-servers.js';
import { until } from '../testing/daemon-process.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { STAFF_PASSPHRASE, staffDirector } from '../testing/staff-director.js';
import { actors } from '../store/audit.js';

// Staff choose what the speakers play (issue 28): play now, play next, taken out again; a real
// director on real mpv (no audio out), a real SQLite file, the admin routes.

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Three 6-second tones per mood, each by its own artist (of unknown length, as the music may pick a tone then); calm plays at start. */
async function setup(options: { station?: { url: string; name: string } } = {}) {
  const moods = ['calm', 'upbeat', 'mellow'];
  const songs = moods.flatMap((mood, m) =>
    [1, 2, 3].map((i) => ({ mood, title: `${mood} ${i}`, artist: `${mood} artist ${i}`, hz: 300 + 40 * (3 * m + i), seconds: 6 })),
  );
  const box = await staffDirector({ songs, ...options });
  cleanups.push(() => box.close());
  const ids: Record<string, number[]> = Object.fromEntries(moods.map((mood, m) => [mood, box.ids.slice(3 * m, 3 * m + 3)]));
  return { ...box, ids };
}

const trackOf = (item: { track: { id: number } } | undefined) => item?.track.id;

describe('staff choose what the speakers play', { timeout: 60_000 }, () => {
  it('plays a song queued next after the one playing, even when the room’s mood changes meanwhile, as chosen by staff', async () => {
    const { call, director, player, store, ids, playing } = await setup();
    const chosen = ids['mellow']?.[0] ?? 0;
    const queued = await call('POST', '/api/admin/player/queue', { trackId: chosen });
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toMatchObject({ upcoming: [{ trackId: chosen, title: 'mellow 1', reason: 'staff', note: 'chosen by staff' }] });
    const audit = store.audit.list({}).items[0];
    expect(audit).toMatchObject({ action: 'player.play-next', actor: expect.stringMatching(/^admin:\d+$/) as unknown });
    expect(audit?.detail).toMatchObject({ trackId: chosen, title: 'mellow 1' });

    // The room turns happy: the calm song is changed for an upbeat one, and the staff pick stays next.
    const before = playing();
    await director.roomMoodChanged(roomMoodOf('happy'));
    expect(playing()?.key).not.toBe(before?.key);
    expect(ids['upbeat']).toContain(trackOf(playing()));
    expect(player.state().upcoming.map((i) => [i.track.id, i.reason])).toEqual([[chosen, 'staff']]);

    // It plays when the upbeat song ends, and stays while the mood changes again.
    const started = await until(() => (trackOf(playing()) === chosen ? playing() : undefined), 20_000);
    expect(started?.reason).toBe('staff');
    await director.roomMoodChanged(roomMoodOf('surprise'));
    expect(playing()?.key).toBe(started?.key);
    const play = store.plays.list({ reason: 'staff' }).items[0];
    expect(play).toMatchObject({ trackId: chosen, reason: 'staff' });
    const history = await call('GET', '/api/admin/history?reason=staff');
    expect(history.json()).toMatchObject({ total: 1, items: [{ title: 'mellow 1', reason: 'staff' }] });
  });

  it('plays a song now, and takes a queued one out again, the music’s own pick coming back in its place', async () => {
    const { call, player, store, ids, playing } = await setup();
    const now = ids['upbeat']?.[1] ?? 0;
    const res = await call('POST', '/api/admin/player/play-now', { trackId: now });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'playing', current: { trackId: now, reason: 'staff', artist: 'upbeat artist 2' } });
    expect([trackOf(playing()), playing()?.reason, player.state().isPaused]).toEqual([now, 'staff', false]);

    const [first, second] = [ids['mellow']?.[1] ?? 0, ids['calm']?.[2] ?? 0];
    await call('POST', '/api/admin/player/queue', { trackId: first });
    const both = await call('POST', '/api/admin/player/queue', { trackId: second });
    const upcoming = both.json<{ upcoming: Array<{ key: number; trackId: number }> }>().upcoming;
    // The newest choice plays first; the director's own pick is gone while staff picks wait.
    expect(upcoming.map((i) => i.trackId)).toEqual([second, first]);
    const removed = await call('DELETE', `/api/admin/player/queue/${upcoming[0]?.key ?? 0}`);
    expect(removed.json()).toMatchObject({ upcoming: [{ trackId: first, reason: 'staff' }] });
    const key = removed.json<{ upcoming: Array<{ key: number }> }>().upcoming[0]?.key ?? 0;
    await call('DELETE', `/api/admin/player/queue/${key}`);
    expect(player.state().upcoming.map((i) => i.reason)).toEqual(['mood']);

    const gone = await call('DELETE', `/api/admin/player/queue/${key}`);
    expect([gone.statusCode, gone.json<{ error: { code: string } }>().error.code]).toEqual([404, 'MB_ERR_NOT_FOUND']);
    const missing = await call('POST', '/api/admin/player/play-now', { trackId: 999 });
    expect(missing.statusCode).toBe(404);
    expect(trackOf(playing())).toBe(now);
    const actions = store.audit
      .list({})
      .items.map((e) => e.action)
      .filter((action) => action.startsWith('player.'))
      .reverse();
    expect(actions).toEqual(['player.play-now', 'player.play-next', 'player.play-next', 'player.unqueue', 'player.unqueue']);
  });

  it('reorders the songs staff queued: one moved to play next, another moved last, what follows them kept after them (issue 40)', async () => {
    const { call, player, store, ids } = await setup();
    const [a, b, c] = [ids['mellow']?.[0] ?? 0, ids['calm']?.[1] ?? 0, ids['upbeat']?.[2] ?? 0];
    for (const trackId of [a, b, c]) await call('POST', '/api/admin/player/queue', { trackId });
    type Queue = { upcoming: Array<{ key: number; trackId: number; reason: string }> };
    const order = (res: { json<T>(): T }) => res.json<Queue>().upcoming.map((i) => i.trackId);
    let queue = (await call('GET', '/api/admin/player')).json<Queue>().upcoming;
    // The newest choice plays first.
    expect(queue.map((i) => i.trackId)).toEqual([c, b, a]);

    const first = await call('PUT', `/api/admin/player/queue/${queue[2]?.key ?? 0}/position`, { position: 0 });
    expect(first.statusCode).toBe(200);
    expect(order(first)).toEqual([a, c, b]);
    queue = first.json<Queue>().upcoming;
    const last = await call('PUT', `/api/admin/player/queue/${queue[0]?.key ?? 0}/position`, { position: 99 });
    expect(order(last)).toEqual([c, b, a]);
    expect(player.state().upcoming.map((i) => i.reason)).toEqual(['staff', 'staff', 'staff']);

    const moves = store.audit.list({ action: 'player.queue-move' }).items;
    expect(moves.map((e) => [e.detail['trackId'], e.detail['position']])).toEqual([
      [a, 3],
      [a, 1],
    ]);
    const gone = await call('PUT', '/api/admin/player/queue/99999/position', { position: 0 });
    expect([gone.statusCode, gone.json<{ error: { code: string } }>().error.code]).toEqual([404, 'MB_ERR_NOT_FOUND']);
    const bad = await call('PUT', `/api/admin/player/queue/${queue[0]?.key ?? 0}/position`, { position: -1 });
    expect(bad.statusCode).toBe(400);
  });

  it('plays a station now from the stations list, with what it says it plays', async () => {
    const stream = await icyStream({ name: 'Test FM', title: 'Nina Simone - Feeling Good' });
    cleanups.push(() => stream.close());
    const { call, director, station, playing } = await setup({ station: { url: stream.url, name: 'Night Jazz' } });
    const res = await call('POST', '/api/admin/player/play-now', { trackId: station });
    expect(res.json()).toMatchObject({
      current: { trackId: station, title: 'Night Jazz', isStation: true, durationMs: null, reason: 'staff' },
    });
    expect(trackOf(playing())).toBe(station);
    await until(() => (director.playback.streamTitle === 'Nina Simone - Feeling Good' ? true : undefined));
  });

  it('changes nothing for a request that is not staff’s: anonymous, a member signed in at the kiosk, an admin without the CSRF token', async () => {
    const { server, store, ids, player, playing } = await setup();
    await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    const pin = await server.app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '4711' } });
    const member = pin.json<{ token: string }>().token;
    const admin = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: STAFF_PASSPHRASE },
    });
    const adminCookie = String(admin.headers['set-cookie']).split(';')[0] ?? '';
    const before = { current: playing()?.key, upcoming: player.state().upcoming.map((i) => i.key) };
    const trackId = ids['mellow']?.[2] ?? 0;
    for (const headers of [{}, { authorization: `Bearer ${member}` }, { cookie: adminCookie }]) {
      for (const [method, url, payload] of [
        ['POST', '/api/admin/player/play-now', { trackId }],
        ['POST', '/api/admin/player/queue', { trackId }],
        ['DELETE', `/api/admin/player/queue/${before.upcoming[0] ?? 1}`, undefined],
      ] as const) {
        const res = await server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
        expect([401, 403]).toContain(res.statusCode);
      }
    }
    expect({ current: playing()?.key, upcoming: player.state().upcoming.map((i) => i.key) }).toEqual(before);
    expect(store.plays.list({ reason: 'staff' }).total).toBe(0);
    expect(store.audit.list({}).items.filter((e) => e.action.startsWith('player.'))).toEqual([]);
  });
});
