import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { startStaffServer, type StaffServer } from '../testing/staff-server.js';
import { actors, type Actor } from '../store/audit.js';

// Staff controls of the music over typed admin routes, audited (issue 16).

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };
const open: StaffServer[] = [];

afterEach(async () => {
  for (const staff of open.splice(0)) await staff.close();
});

async function setup(options: { maxVolume?: number; restart?: (actor: Actor) => void } = {}) {
  // The real clock: the director's fades (300 ms) run in real time; its timers end with `stop()`.
  const clock = systemClock;
  const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
  for (const mood of ['calm', 'upbeat', 'mellow']) {
    for (let i = 1; i <= 3; i++) {
      const track = store.tracks.upsert({ uri: `/music/${mood}-${i}.flac`, title: `${mood} ${i}`, artist: 'A' });
      store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
    }
  }
  const staff = await startStaffServer({ store, clock, maxVolume: options.maxVolume, restart: options.restart });
  open.push(staff);
  return staff;
}

/** The staff actions of the audit log, oldest first. */
function staffActions(store: { audit: { list(o: object): { items: Array<{ action: string }> } } }): string[] {
  return store.audit
    .list({})
    .items.map((e) => e.action)
    .filter((action) => /^(player|mood)\./.test(action))
    .reverse();
}

describe('staff controls of the music', () => {
  it('pauses until staff resume, skips and sets the volume under the maximum, each audited', async () => {
    const { call, player, store } = await setup({ maxVolume: 80 });
    const first = player.state().current?.track.id;
    expect((await call('GET', '/api/admin/player')).json()).toMatchObject({ status: 'playing', isPausedByStaff: false, volumeCap: 80 });

    const paused = await call('POST', '/api/admin/player/pause');
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'paused', isPausedByStaff: true, silence: 'paused by staff' });
    expect(player.state().isPaused).toBe(true);
    const refused = await call('POST', '/api/admin/player/skip');
    expect([refused.statusCode, refused.json<{ error: { code: string } }>().error.code]).toEqual([403, 'MB_ERR_PLAYER_NOT_ALLOWED']);

    expect((await call('POST', '/api/admin/player/resume')).json()).toMatchObject({ status: 'playing', silence: null });
    const skipped = await call('POST', '/api/admin/player/skip');
    expect(skipped.json()).toEqual({ trackId: first });
    expect(player.state().current?.track.id).not.toBe(first);

    const loud = await call('PUT', '/api/admin/player/volume', { volume: 95 });
    expect(loud.json()).toMatchObject({ volume: 80, wantedVolume: 95, volumeCap: 80 });
    expect((await call('PUT', '/api/admin/player/volume', { volume: 101 })).statusCode).toBe(400);

    expect(staffActions(store)).toEqual(['player.pause', 'player.resume', 'player.skip', 'player.volume']);
  });

  it('holds a mood for the minutes asked, then releases it, and says so on the bus', async () => {
    const { call, bus, clock, store } = await setup();
    const heard: string[] = [];
    bus.on('moodHeld', ({ label }) => heard.push(`held ${label}`), 'test');
    bus.on('moodReleased', ({ why }) => heard.push(`released (${why})`), 'test');
    const before = clock.now();
    const held = await call('PUT', '/api/admin/mood/hold', { label: 'happy', minutes: 45 });
    const until = held.json<{ hold: { label: string; until: number } }>().hold.until;
    expect(held.json()).toMatchObject({ hold: { label: 'happy' } });
    expect(until - before).toBeGreaterThanOrEqual(45 * 60_000);
    expect(until - clock.now()).toBeLessThanOrEqual(45 * 60_000);
    expect((await call('PUT', '/api/admin/mood/hold', { label: 'party', minutes: 45 })).statusCode).toBe(400);
    expect((await call('PUT', '/api/admin/mood/hold', { label: 'sad', minutes: 0 })).statusCode).toBe(400);
    expect((await call('DELETE', '/api/admin/mood/hold')).json()).toMatchObject({ hold: null });
    expect(heard).toEqual(['held happy', 'released (staff)']);
    const entries = store.audit.list({}).items.filter((e) => e.action.startsWith('mood.'));
    expect(entries.map((e) => [e.action, e.detail]).reverse()).toEqual([
      ['mood.hold', { label: 'happy', minutes: 45, until }],
      ['mood.release', { label: 'happy' }],
    ]);
  });

  it('restarts the daemon after answering, for the admin who asked, and refuses people who are not signed in as admin', async () => {
    const restarts: string[] = [];
    const { call, server, store } = await setup({ restart: (actor) => restarts.push(actor.name) });
    const anonymous = await server.app.inject({ method: 'POST', url: '/api/admin/player/pause' });
    expect(anonymous.statusCode).toBe(401);
    const res = await call('POST', '/api/admin/restart');
    expect([res.statusCode, res.json()]).toEqual([202, { restarting: true }]);
    // The core's restart writes the audit with this actor (the daemon test of fleet commands reads it back).
    expect(restarts).toEqual([`admin:${store.users.byName('Boss')?.id}`]);
  });

  it('does not restart for a request it refused: anonymous, a member, an admin without the CSRF token', async () => {
    let restarts = 0;
    const { call, server, store } = await setup({ restart: () => (restarts += 1) });
    await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    const pin = await server.app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '4711' } });
    const member = pin.json<{ token: string }>().token;
    const admin = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const adminCookie = String(admin.headers['set-cookie']).split(';')[0] ?? '';
    const refused = [
      {},
      { authorization: `Bearer ${member}` },
      { cookie: `mb_admin=${member}`, 'x-csrf-token': 'x' },
      { cookie: adminCookie },
    ];
    const audited = store.audit.list({}).items.length;
    for (const headers of refused) {
      const res = await server.app.inject({ method: 'POST', url: '/api/admin/restart', headers });
      expect([401, 403], JSON.stringify(headers)).toContain(res.statusCode);
    }
    expect(restarts).toBe(0);
    expect(store.audit.list({}).items).toHaveLength(audited);
    expect((await call('POST', '/api/admin/restart')).statusCode).toBe(202);
    expect(restarts).toBe(1);
  });
});
