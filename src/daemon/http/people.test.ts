import type { Socket } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthService } from '../people/auth-service.js';
import { seededRandom } from '../../kernel/random.js';
import type { Said } from '../../kernel/said.js';
import { saidInEnglish } from '../../kernel/testing/said-in-english.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import type { MoodboxServer } from './build-server.js';
import { actors } from '../store/audit.js';

let app: MoodboxServer;
let store: SqliteStore;
let clock: FakeClock;
const adminRoutes: Array<{ method: string; url: string }> = [];

beforeEach(async () => {
  clock = new FakeClock();
  let auth: AuthService;
  ({ app, store, auth } = await buildTestServer({ clock, config: { sessions: { kioskIdleTimeoutS: 120, adminSessionH: 1 } } }));
  await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
  await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
  await auth.createUser({ name: 'Bob', role: 'member', secret: '2468' }, actors.cli);
  adminRoutes.length = 0;
  await app.ready();
  const doc = (await app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      // The sign-in and the first admin's creation are open by design (first-run.test.ts says to whom).
      if (op.tags?.includes('admin') && path !== '/api/admin/session' && path !== '/api/first-run')
        adminRoutes.push({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, '1') });
    }
  }
});

async function adminSignIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/admin/session',
    payload: { name: 'Boss', passphrase: 'correct horse battery' },
  });
  expect(res.statusCode).toBe(200);
  const setCookie = String(res.headers['set-cookie']);
  expect(setCookie).toMatch(/mb_admin=[\w-]+; .*HttpOnly; SameSite=Strict/i);
  return { cookie: setCookie.split(';')[0] ?? '', csrf: res.json<{ csrfToken: string }>().csrfToken };
}

async function kioskSignIn(name: string, pin: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name, pin } });
  expect(res.statusCode).toBe(200);
  return res.json<{ token: string }>().token;
}

describe('PIN sign-in at the kiosk', () => {
  it('answers a wrong PIN and an unknown name alike, then throttles with Retry-After', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '0000' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Zed', pin: '0000' } });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '0000' } });
    const sixth = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '0000' } });
    expect([sixth.statusCode, sixth.headers['retry-after'], sixth.json().error.retryAfterS]).toEqual([401, '1', 1]);
    const throttled = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '4711' } });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    // The screens say the refusal in their reader's language (`said`) and count the wait down from `retryAfterS`.
    expect(throttled.json().error).toEqual({
      code: 'MB_ERR_AUTH_THROTTLED',
      message: 'Too many wrong tries. Try again in 1 second.',
      said: { id: 'auth.throttled' },
      retryAfterS: 1,
    });
    const refused = sixth.json<{ error: { message: string; said: Said } }>().error;
    expect(refused.said).toEqual({ id: 'auth.failed' });
    expect(saidInEnglish(refused.said)).toBe(refused.message.replace(/ Try again in 1 second\.$/, ''));
  });

  it('describes the sign-in as the operation pinSignIn', async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, { operationId?: string }>> }>();
    expect(doc.paths['/api/session/pin']?.['post']?.operationId).toBe('pinSignIn');
  });

  it('ends the kiosk session after two idle minutes', async () => {
    const token = await kioskSignIn('Ada', '4711');
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/me/history', headers })).statusCode).toBe(200);
    clock.advance(121_000);
    const expired = await app.inject({ url: '/api/me/history', headers });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('MB_ERR_AUTH_REQUIRED');
  });
});

describe('per-person data', () => {
  it("one member cannot read another member's history, and can export and delete their own", async () => {
    const ada = store.users.byName('Ada')?.id ?? 0;
    const bob = store.users.byName('Bob')?.id ?? 0;
    const track = store.tracks.upsert({ uri: '/m/a.flac', title: 'A' });
    store.plays.start({ trackId: track.id, userId: ada, reason: 'tap', startedAt: 1 });
    store.plays.start({ trackId: track.id, userId: bob, reason: 'like', startedAt: 2 });
    store.plays.start({ trackId: track.id, reason: 'mood', startedAt: 3 });

    const token = await kioskSignIn('Bob', '2468');
    const headers = { authorization: `Bearer ${token}` };
    const mine = (await app.inject({ url: '/api/me/history', headers })).json<{ items: Array<{ userId: number }> }>();
    expect(mine.items.map((p) => p.userId)).toEqual([bob]);
    expect((await app.inject({ url: `/api/admin/history?userId=${ada}`, headers })).statusCode).toBe(401);

    // What the recommender learned from Bob's plays goes with his data, and with his history.
    store.taste.save({ userId: bob }, { weights: { 'artist:nina simone': 1.2 }, squares: { 'artist:nina simone': 0.8 }, examples: 3 }, 5);
    store.plays.recordFeedback({ userId: bob, trackId: track.id, kind: 'like', at: 4 });
    store.plays.recordFeedback({ userId: ada, trackId: track.id, kind: 'skip', at: 5 });
    const exportedRes = await app.inject({ url: '/api/me/export', headers });
    expect(exportedRes.headers['cache-control']).toBe('no-store');
    const exported = exportedRes.json<{
      user: { name: string };
      plays: unknown[];
      feedback: unknown[];
      taste: { weights: Record<string, number> } | null;
    }>();
    expect([exported.user.name, exported.plays.length]).toEqual(['Bob', 1]);
    // His likes and skips too (issue 19: the export holds everything kept about him), not Ada's.
    expect(exported.feedback).toEqual([{ trackId: track.id, kind: 'like', at: 4 }]);
    expect(exported.taste?.weights).toEqual({ 'artist:nina simone': 1.2 });
    expect((await app.inject({ method: 'DELETE', url: '/api/me/history', headers })).json()).toEqual({ removed: 1 });
    expect(store.plays.list().total).toBe(2);
    expect((await app.inject({ url: '/api/me/export', headers })).json<{ taste: unknown }>().taste).toBeNull();
  });
});

describe('admin API', () => {
  it("refuses every admin route without an admin sign-in, and with a member's kiosk token", async () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(10);
    const member = await kioskSignIn('Ada', '4711');
    for (const route of adminRoutes) {
      const anonymous = await app.inject({
        method: route.method as 'GET',
        url: route.url,
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      const asMember = await app.inject({
        method: route.method as 'GET',
        url: route.url,
        headers: { authorization: `Bearer ${member}` },
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(asMember.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it("refuses a member's PIN at the admin sign-in, opening no session", async () => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'Ada', passphrase: '4711' } });
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'MB_ERR_AUTH_FAILED']);
    expect(res.headers['set-cookie']).toBeUndefined();
    const ada = store.users.byName('Ada')?.id ?? 0;
    // She had none before; `deleteForUser` answers how many she has now.
    expect(store.sessions.deleteForUser(ada)).toBe(0);
    // The audit says a failed admin sign-in, and no sign-in.
    expect(store.audit.list({ action: 'auth.sign-in' }).total).toBe(0);
    expect(store.audit.list({ action: 'auth.failed' }).items).toMatchObject([{ target: 'Ada', detail: { kind: 'admin' } }]);
  });

  it('makes a member staff, who sign in to the panel with their PIN, then an admin, who must choose a passphrase first; nobody demotes themselves', async () => {
    const { cookie, csrf } = await adminSignIn();
    const headers = { cookie, 'x-csrf-token': csrf };
    const ada = store.users.byName('Ada')?.id ?? 0;
    const made = (role: string) => app.inject({ method: 'PATCH', url: `/api/admin/users/${ada}`, headers, payload: { role } });
    expect((await made('staff')).json()).toMatchObject({ name: 'Ada', role: 'staff' });
    const asStaff = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'Ada', passphrase: '4711' } });
    expect(asStaff.json()).toMatchObject({ user: { name: 'Ada', role: 'staff', mustChangePin: false } });
    expect(store.audit.list({ action: 'user.update' }).items[0]).toMatchObject({
      actor: 'admin:1',
      target: 'Ada',
      detail: { role: 'staff' },
    });

    expect((await made('admin')).json()).toMatchObject({ role: 'admin', mustChangePin: true });
    const asAdmin = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'Ada', passphrase: '4711' } });
    const adaCookie = String(asAdmin.headers['set-cookie']).split(';')[0] ?? '';
    const settings = await app.inject({ url: '/api/admin/settings', headers: { cookie: adaCookie } });
    expect(settings.json<{ error: { message: string } }>().error.message).toMatch(/^Choose a new passphrase first: Ada/);

    const own = await app.inject({ method: 'PATCH', url: '/api/admin/users/1', headers, payload: { role: 'staff' } });
    expect([own.statusCode, own.json<{ error: { message: string } }>().error.message]).toEqual([
      409,
      'You cannot disable or demote your own account.',
    ]);
    expect(store.users.get(1)?.role).toBe('admin');
  });

  it('rejects a change without the CSRF token, and accepts it with one', async () => {
    const { cookie, csrf } = await adminSignIn();
    const body = { name: 'Cleo', role: 'member', pin: '1357' };
    const noCsrf = await app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    const wrongCsrf = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie, 'x-csrf-token': 'nope' },
      payload: body,
    });
    expect(wrongCsrf.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie, 'x-csrf-token': csrf }, payload: body });
    expect(ok.statusCode).toBe(201);
    expect(store.users.byName('Cleo')).toBeDefined();
  });

  it('expires the admin session', async () => {
    const { cookie } = await adminSignIn();
    expect((await app.inject({ url: '/api/admin/users', headers: { cookie } })).statusCode).toBe(200);
    clock.advance(3_600_001);
    expect((await app.inject({ url: '/api/admin/users', headers: { cookie } })).statusCode).toBe(401);
  });

  it('serves the admin API to the LAN only', async () => {
    const { cookie } = await adminSignIn();
    const fromInternet = await app.inject({ url: '/api/admin/users', headers: { cookie }, remoteAddress: '203.0.113.9' });
    expect(fromInternet.statusCode).toBe(403);
    const fromLan = await app.inject({ url: '/api/admin/users', headers: { cookie }, remoteAddress: '192.168.1.20' });
    expect(fromLan.statusCode).toBe(200);
  });

  it('manages users and cards, keeps an audit log, and never leaks a PIN hash', async () => {
    const { cookie, csrf } = await adminSignIn();
    const headers = { cookie, 'x-csrf-token': csrf };
    const ada = store.users.byName('Ada')?.id ?? 0;
    expect(
      (await app.inject({ method: 'POST', url: '/api/admin/users', headers, payload: { name: 'ada', role: 'member' } })).statusCode,
    ).toBe(409);
    expect(
      (await app.inject({ method: 'POST', url: '/api/admin/users', headers, payload: { name: 'Dan', role: 'member', pin: '12' } })).json()
        .error.code,
    ).toBe('MB_ERR_AUTH_POLICY');
    expect(
      (await app.inject({ method: 'POST', url: '/api/admin/cards', headers, payload: { cardId: '0004417733', userId: ada } })).statusCode,
    ).toBe(201);
    expect((await app.inject({ url: `/api/admin/users/${ada}/cards`, headers })).json()).toMatchObject([{ cardId: '0004417733' }]);
    expect(
      (await app.inject({ method: 'PATCH', url: `/api/admin/users/${ada}`, headers, payload: { disabled: true } })).json(),
    ).toMatchObject({ disabled: true });
    expect((await app.inject({ method: 'DELETE', url: `/api/admin/users/${ada}?history=remove`, headers })).statusCode).toBe(204);
    const users = await app.inject({ url: '/api/admin/users', headers });
    expect(users.body).not.toContain('scrypt');
    const auditLog = (await app.inject({ url: '/api/admin/audit', headers })).json<{ items: Array<{ action: string }> }>();
    expect(auditLog.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['card.link', 'user.update', 'user.delete', 'auth.sign-in']),
    );
    const me = store.users.byName('Boss')?.id ?? 0;
    expect((await app.inject({ method: 'DELETE', url: `/api/admin/users/${me}`, headers })).statusCode).toBe(409);
  });

  it('answers fuzzed request bodies with 4xx, never 5xx', async () => {
    const { cookie, csrf } = await adminSignIn();
    const random = seededRandom(42);
    const pick = <T>(xs: readonly T[]): T => xs[random.int(xs.length)] as T;
    const values: unknown[] = [null, true, 0, -1, 1e308, 'x', '', '💥'.repeat(300), [], [1, 'a'], {}, { name: {} }, 'a'.repeat(10_000)];
    const fuzzBody = (): unknown => {
      if (random.next() < 0.2) return pick(values);
      const body: Record<string, unknown> = {};
      for (const key of ['name', 'pin', 'role', 'passphrase', 'cardId', 'userId', 'disabled', 'preferences', '__proto__', 'constructor']) {
        if (random.next() < 0.5) body[key] = pick(values);
      }
      return body;
    };
    const targets = [
      { method: 'POST', url: '/api/session/pin', headers: {} },
      { method: 'POST', url: '/api/admin/session', headers: {} },
      { method: 'POST', url: '/api/admin/users', headers: { cookie, 'x-csrf-token': csrf } },
      { method: 'PATCH', url: '/api/admin/users/2', headers: { cookie, 'x-csrf-token': csrf } },
      { method: 'PUT', url: '/api/admin/users/2/pin', headers: { cookie, 'x-csrf-token': csrf } },
      { method: 'POST', url: '/api/admin/cards', headers: { cookie, 'x-csrf-token': csrf } },
    ] as const;
    for (let i = 0; i < 300; i++) {
      const target = pick(targets);
      const raw = random.next() < 0.1 ? '{"name": "Ada", ' : JSON.stringify(fuzzBody());
      const res = await app.inject({
        method: target.method,
        url: target.url,
        headers: { ...target.headers, 'content-type': 'application/json' },
        payload: raw,
      });
      expect(res.statusCode, `${target.method} ${target.url} ${raw.slice(0, 100)}`).toBeLessThan(500);
      clock.advance(20 * 60_000);
    }
  });
});

describe('library, statistics and self-registration', () => {
  it("lists tracks with their moods and lets an admin replace a track's mood tags", async () => {
    const { cookie, csrf } = await adminSignIn();
    const headers = { cookie, 'x-csrf-token': csrf };
    const track = store.tracks.upsert({ uri: '/m/sun.flac', title: 'Sun', artist: 'Ray' });
    store.tracks.upsert({ uri: '/m/rain.flac', title: 'Rain', artist: 'Ray' });
    const set = await app.inject({
      method: 'PUT',
      url: `/api/admin/tracks/${track.id}/moods`,
      headers,
      payload: {
        moods: [
          { mood: 'upbeat', weight: 1 },
          { mood: 'calm', weight: 0.4 },
        ],
      },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().moods).toEqual([
      { mood: 'upbeat', weight: 1, origin: 'admin' },
      { mood: 'calm', weight: 0.4, origin: 'admin' },
    ]);
    const upbeat = (await app.inject({ url: '/api/admin/tracks?mood=upbeat', headers })).json<{
      items: Array<{ title: string }>;
      total: number;
    }>();
    expect([upbeat.total, upbeat.items[0]?.title]).toEqual([1, 'Sun']);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: `/api/admin/tracks/${track.id}/moods`,
          headers,
          payload: { moods: [{ mood: 'calm', weight: 2 }] },
        })
      ).statusCode,
    ).toBe(400);
    expect((await app.inject({ method: 'PUT', url: '/api/admin/tracks/999/moods', headers, payload: { moods: [] } })).statusCode).toBe(404);
  });

  it('counts plays per mood and day, and returns the mood over time', async () => {
    const { cookie } = await adminSignIn();
    const track = store.tracks.upsert({ uri: '/m/a.flac' });
    const day = Date.UTC(2026, 10, 20);
    store.plays.start({ trackId: track.id, reason: 'mood', mood: 'calm', startedAt: day + 1000 });
    store.plays.start({ trackId: track.id, reason: 'mood', mood: 'calm', startedAt: day + 2000 });
    store.plays.start({ trackId: track.id, reason: 'tap', mood: 'upbeat', startedAt: day + 86_400_000 });
    store.stats.logMood({ at: day + 500, mood: 'calm', confidence: 0.7, faces: 2 });
    const res = await app.inject({ url: `/api/admin/stats?from=${day}&to=${day + 2 * 86_400_000}`, headers: { cookie } });
    expect(res.json()).toEqual({
      playsPerMoodPerDay: [
        { day: '2026-11-20', mood: 'calm', plays: 2 },
        { day: '2026-11-21', mood: 'upbeat', plays: 1 },
      ],
      moodOverTime: [{ at: day + 500, mood: 'calm', confidence: 0.7, faces: 2 }],
    });
  });

  it('refuses self-registration unless the admin allows it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/users', payload: { name: 'Eve', pin: '1357' } });
    expect(res.statusCode).toBe(403);
    expect(store.users.byName('Eve')).toBeUndefined();

    const { app: open } = await buildTestServer({ clock, store, config: { sessions: { selfRegistration: true } } });
    const created = await open.inject({ method: 'POST', url: '/api/users', payload: { name: 'Eve', pin: '1357' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Eve', role: 'member' });
    expect((await open.inject({ method: 'POST', url: '/api/users', payload: { name: 'eve', pin: '1357' } })).statusCode).toBe(409);
    expect((await open.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Eve', pin: '1357' } })).statusCode).toBe(200);
    await open.close();
  });
});

describe('settings', () => {
  it('gives the admin the schema with restart flags and the settings in force', async () => {
    const { cookie } = await adminSignIn();
    const schema = (await app.inject({ url: '/api/admin/config/schema', headers: { cookie } })).json<{
      properties: Record<string, { properties: Record<string, { requiresRestart?: boolean }> }>;
    }>();
    expect(schema.properties['server']?.properties['port']?.requiresRestart).toBe(true);
    expect(schema.properties['camera']?.properties['enabled']?.requiresRestart).toBeUndefined();
    const current = (await app.inject({ url: '/api/admin/settings', headers: { cookie } })).json<{
      config: { camera: { enabled: boolean } };
      overrides: object;
    }>();
    expect([current.config.camera.enabled, current.overrides]).toEqual([true, { sessions: { kioskIdleTimeoutS: 120, adminSessionH: 1 } }]);
  });

  it('saves settings, says which need a restart, applies the others at once, and audits it', async () => {
    const { cookie, csrf } = await adminSignIn();
    const headers = { cookie, 'x-csrf-token': csrf };
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers,
      payload: {
        overrides: {
          sessions: { kioskIdleTimeoutS: 120, adminSessionH: 1 },
          camera: { hours: { from: '08:00', to: '20:00' } },
          server: { port: 9999 },
        },
      },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      changed: ['server.port', 'camera.hours'],
      restartRequired: ['server.port'],
      config: { camera: { hours: { from: '08:00', to: '20:00' } }, server: { port: 8080 } },
    });
    expect((await app.inject({ url: '/api/admin/audit', headers })).json<{ items: Array<{ action: string }> }>().items[0]?.action).toBe(
      'settings.save',
    );
  });

  it('answers invalid settings with a 400 naming every field', async () => {
    const { cookie, csrf } = await adminSignIn();
    const res = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { overrides: { camera: { enabeld: false }, server: { port: -1 } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('camera.enabeld: unknown key (did you mean `enabled`?)');
    expect(res.json().error.message).toContain('server.port: must be >= 0');
  });

  it('applies the LAN-only setting at once', async () => {
    const { cookie, csrf } = await adminSignIn();
    const fromInternet = { cookie, 'x-csrf-token': csrf };
    expect((await app.inject({ url: '/api/admin/users', headers: fromInternet, remoteAddress: '203.0.113.9' })).statusCode).toBe(403);
    await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: fromInternet,
      payload: { overrides: { server: { adminLanOnly: false } } },
    });
    expect((await app.inject({ url: '/api/admin/users', headers: fromInternet, remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
  });
});

describe("a person's own preferences and data", () => {
  it('lets a signed-in member set their preferences, and an admin export their data', async () => {
    const token = await kioskSignIn('Ada', '4711');
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/me/preferences',
      headers: { authorization: `Bearer ${token}` },
      payload: { languages: ['fr'], artists: ['Nina Simone'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().preferences).toEqual({ languages: ['fr'], artists: ['Nina Simone'] });
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: '/api/me/preferences',
          headers: { authorization: `Bearer ${token}` },
          payload: { shoeSize: 9 },
        })
      ).statusCode,
    ).toBe(400);

    const { cookie } = await adminSignIn();
    const ada = store.users.byName('Ada')?.id ?? 0;
    const theirs = await app.inject({ url: `/api/admin/users/${ada}/export`, headers: { cookie } });
    expect(theirs.headers['cache-control']).toBe('no-store');
    const exported = theirs.json<{
      user: { preferences: object };
    }>();
    expect(exported.user.preferences).toEqual({ languages: ['fr'], artists: ['Nina Simone'] });
  });
});

describe('kiosk sign-out over the socket', () => {
  it('signs out whoever is at the kiosk, also after a card sign-in', async () => {
    const { app: server, store: db, auth, presence } = await buildTestServer({ clock: new FakeClock() });
    const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    db.cards.link({ cardId: '0004417733', userId: ada.id });
    expect(presence.card('0004417733', 'rfid')).toBe('signed-in');
    await server.ready();
    const replies: Array<Record<string, unknown>> = [];
    // The kiosk's own screen: a page of the daemon opened on the box itself, which holds no token after a card sign-in.
    const ws = await server.injectWS(
      '/ws',
      {
        headers: { host: '127.0.0.1', origin: 'http://127.0.0.1' },
        // The fields of the connection the upgrade check reads.
        socket: { remoteAddress: '127.0.0.1', localPort: 80 } as Socket,
      },
      {
        onInit: (socket) =>
          socket.on('message', (d) => replies.push(JSON.parse((d as Buffer).toString('utf8')) as Record<string, unknown>)),
      },
    );
    const replied = new Promise<void>((resolve) => ws.on('message', () => replies.some((r) => r['transaction'] === 's1') && resolve()));
    ws.send(JSON.stringify({ type: 'session/sign-out', transaction: 's1' }));
    await replied;
    expect(replies.find((r) => r['transaction'] === 's1')).toMatchObject({ status: 'ok', data: { user: null } });
    expect(presence.user).toBeNull();
    ws.terminate();
    await server.close();
  });
});
