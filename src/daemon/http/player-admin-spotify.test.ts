import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { startStaffServer } from '../testing/staff-server.js';

// Issue 59: on a business box (its music is the library alone) a Spotify track left in the
// library from a home set-up answered staff's "play now" with a 500 `MB_ERR_INTERNAL`, after
// handing `spotify:track:…` to mpv.

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a Spotify track left in the library of a box that plays its library alone', () => {
  it('is refused to staff playing it now or next with 403 `MB_ERR_PLAYER_NOT_ALLOWED`, and the player never gets it', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0));
    const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
    cleanups.push(() => store.close());
    const calm = store.tracks.upsert({ uri: '/music/calm.flac', title: 'calm', artist: 'A' });
    store.tracks.setMoods(calm.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    const leftover = store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:t1', title: 'Slow River' });
    const { player, call, close } = await startStaffServer({ store, clock, siteKind: 'business' });
    cleanups.push(close);
    for (const url of ['/api/admin/player/play-now', '/api/admin/player/queue']) {
      const res = await call('POST', url, { trackId: leftover.id });
      expect([url, res.statusCode]).toEqual([url, 403]);
      expect(res.json()).toMatchObject({
        error: { code: 'MB_ERR_PLAYER_NOT_ALLOWED', message: expect.stringMatching(/^“Slow River” is a Spotify track/) as unknown },
      });
    }
    const state = player.state();
    expect([state.current, ...state.upcoming].map((i) => i?.track.uri).filter((u) => u?.startsWith('spotify:'))).toEqual([]);
    expect(store.audit.list({}).items.filter((a) => a.action.startsWith('player.'))).toEqual([]);
  });
});
