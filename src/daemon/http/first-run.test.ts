import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIRST_RUN_CODE_KEY, FIRST_RUN_WIZARD_KEY } from '../people/first-run.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, signInNewAdmin, type TestServer } from '../testing/server.js';
import { actors } from '../store/audit.js';

// Issue 58: a box started with a configuration and no admin opens on a first-run screen, which
// works from the box itself, or from another device with the one-time code.

const BOX = '127.0.0.1';
const PHONE = '192.168.1.23';
const PASSPHRASE = 'blue kettle on the shelf';

let server: TestServer;
let clock: FakeClock;

beforeEach(async () => {
  clock = new FakeClock();
  server = await buildTestServer({ clock });
  await server.app.ready();
});

afterEach(async () => {
  await server.app.close();
});

function status(remoteAddress: string) {
  return server.app.inject({ method: 'GET', url: '/api/first-run', remoteAddress });
}

function claim(remoteAddress: string, body: { name?: string; passphrase?: string; code?: string }) {
  return server.app.inject({
    method: 'POST',
    url: '/api/first-run',
    remoteAddress,
    payload: { name: 'Mia', passphrase: PASSPHRASE, ...body },
  });
}

function admins(): string[] {
  return server.store.users
    .list()
    .filter((u) => u.role === 'admin')
    .map((u) => u.name);
}

describe('a box with no admin', () => {
  it('asks for the code only from another device', async () => {
    expect((await status(BOX)).json()).toEqual({ isNeeded: true, isCodeNeeded: false });
    expect((await status(PHONE)).json()).toEqual({ isNeeded: true, isCodeNeeded: true });
  });

  it('creates the first admin from the box itself without a code, signed in at once, and audited', async () => {
    const created = await claim(BOX, {});
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ user: { name: 'Mia', mustChangePin: false } });
    const cookie = String(created.headers['set-cookie']).split(';')[0] ?? '';
    const session = await server.app.inject({ method: 'GET', url: '/api/admin/session', headers: { cookie }, remoteAddress: BOX });
    expect(session.json()).toMatchObject({ user: { name: 'Mia' } });
    expect(admins()).toEqual(['Mia']);
    expect(server.store.audit.list({ action: 'user.create' }).items).toMatchObject([{ actor: `first-run:ip:${BOX}`, target: 'Mia' }]);
    expect((await status(PHONE)).json()).toEqual({ isNeeded: false, isCodeNeeded: false });
  });

  it('refuses another device without the code or with a wrong one, and takes the right one however it is typed', async () => {
    const code = server.firstRun.open() ?? '';
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    const without = await claim(PHONE, {});
    expect(without.statusCode).toBe(401);
    expect(without.json()).toMatchObject({ error: { message: 'From another device, the first admin needs the first-run code.' } });
    const wrong = await claim(PHONE, { code: code.startsWith('2') ? '3333-3333' : '2222-2222' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { message: 'That is not the first-run code.' } });
    expect(admins()).toEqual([]);

    const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
    expect((await claim(PHONE, { code: typed })).statusCode).toBe(200);
    expect(admins()).toEqual(['Mia']);
    // The code is spent: doctor no longer prints it.
    expect(server.store.secrets.get(FIRST_RUN_CODE_KEY)).toBeUndefined();
  });

  // Issue 80: the code's guesses were counted for every address together, so one LAN address could keep the owner
  // from setting up from a phone.
  it('slows one address guessing the code by itself: the owner gets in from a phone at once', async () => {
    const code = server.firstRun.open() ?? '';
    const guesser = '192.168.1.66';
    const guesses = await Promise.all(Array.from({ length: 20 }, () => claim(guesser, { code: '2222-2223' })));
    const statuses = guesses.map((g) => g.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(14);
    // The guesser goes on at the pace it is let for an hour; after its last guess even the right code waits there...
    const end = clock.now() + 3_600_000;
    for (let res = guesses[0]; clock.now() < end || res?.statusCode !== 401;) {
      res = await claim(guesser, { code: '2222-2223' });
      if (res.statusCode === 429) clock.advance(Number(res.headers['retry-after']) * 1000);
    }
    const right = await claim(guesser, { code });
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(60);
    expect(admins()).toEqual([]);
    // ...but the owner's phone, at another address, is let in at once.
    expect((await claim(PHONE, { code })).statusCode).toBe(200);
    expect(admins()).toEqual(['Mia']);
  });

  it('slows many addresses guessing together to one try every 30 s at most, and the box itself never', async () => {
    const code = server.firstRun.open() ?? '';
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(`192.168.1.${100 + i}`, { code: '2222-2223' })));
    const statuses = guesses.map((g) => g.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(11);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    for (let n = 0; n < 40;) {
      const res = await claim(`192.168.2.${n}`, { code: '2222-2223' });
      const wait = Number(res.headers['retry-after'] ?? 0);
      expect(wait).toBeLessThanOrEqual(30);
      if (res.statusCode === 401) n += 1;
      else clock.advance(wait * 1000);
    }
    // The owner's phone waits 30 s at most; the box does not wait at all.
    const first = await claim(PHONE, { code });
    expect(first.statusCode).toBe(429);
    expect(Number(first.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect((await claim(BOX, {})).statusCode).toBe(200);
    expect(admins()).toEqual(['Mia']);
  });

  it('keeps the code when the passphrase is too short, and creates no one', async () => {
    const code = server.firstRun.open() ?? '';
    const short = await claim(PHONE, { code, passphrase: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ error: { code: 'MB_ERR_AUTH_POLICY' } });
    expect(admins()).toEqual([]);
    expect((await claim(PHONE, { code })).statusCode).toBe(200);
  });

  it('makes one admin of two claims at once', async () => {
    const [a, b] = await Promise.all([claim(BOX, { name: 'Mia' }), claim(BOX, { name: 'Tom' })]);
    expect([a?.statusCode, b?.statusCode].sort()).toEqual([200, 409]);
    expect(admins()).toHaveLength(1);
  });
});

describe('the set-up after the first admin (issue 82)', () => {
  /** The first admin's calls from `remoteAddress`: their cookie and CSRF token. */
  async function firstAdmin(remoteAddress: string): Promise<Record<string, string>> {
    const created = await claim(remoteAddress, { code: server.firstRun.open() ?? '' });
    expect(created.statusCode).toBe(200);
    return {
      cookie: String(created.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': created.json<{ csrfToken: string }>().csrfToken,
    };
  }
  const wizard = (headers: Record<string, string>) =>
    server.app.inject({ method: 'GET', url: '/api/admin/first-run/wizard', headers, remoteAddress: PHONE });
  const move = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    server.app.inject({ method: 'PUT', url: '/api/admin/first-run/wizard', headers, remoteAddress: PHONE, payload });

  it('keeps its step in the database from the first admin on, for any device of an admin, until it ends', async () => {
    const mia = await firstAdmin(PHONE);
    expect((await wizard(mia)).json()).toEqual({ step: 'music', saved: [] });
    expect((await move(mia, { step: 'camera', saved: ['music'] })).json()).toEqual({ step: 'camera', saved: ['music'] });
    expect(server.store.settings.get(FIRST_RUN_WIZARD_KEY)).toEqual({ step: 'camera', saved: ['music'] });
    // Another admin on another device (another session) finds it where it was left.
    const { headers: boss } = await signInNewAdmin(server);
    expect((await wizard(boss)).json()).toEqual({ step: 'camera', saved: ['music'] });
    expect((await move(boss, { step: null, saved: [] })).json()).toEqual({ step: null, saved: [] });
    expect((await wizard(mia)).json()).toEqual({ step: null, saved: [] });
    // Ended, it does not come back.
    expect((await move(mia, { step: 'music', saved: [] })).json()).toEqual({ step: null, saved: [] });
    expect((await wizard(mia)).json()).toEqual({ step: null, saved: [] });
  });

  it('is for admins only, and refuses a step it does not know', async () => {
    const mia = await firstAdmin(BOX);
    expect((await wizard({})).statusCode).toBe(401);
    expect((await move({}, { step: null, saved: [] })).statusCode).toBe(401);
    expect((await move(mia, { step: 'spotify', saved: [] })).statusCode).toBe(400);
    expect((await wizard(mia)).json()).toEqual({ step: 'music', saved: [] });
  });

  it('is none on a box set up before, and reads a damaged row as none', async () => {
    const { headers } = await signInNewAdmin(server);
    expect((await wizard(headers)).json()).toEqual({ step: null, saved: [] });
    server.store.settings.set(FIRST_RUN_WIZARD_KEY, { step: 'elsewhere', saved: 'all' }, 1);
    expect((await wizard(headers)).json()).toEqual({ step: null, saved: [] });
  });
});

describe('a box with an admin', () => {
  it('has no first-run screen, draws no code, and refuses a claim even from the box', async () => {
    await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
    expect(server.firstRun.open()).toBeUndefined();
    expect((await status(BOX)).json()).toEqual({ isNeeded: false, isCodeNeeded: false });
    const refused = await claim(BOX, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'MB_ERR_CONFLICT', message: 'This box has an admin already: sign in.' } });
    expect(admins()).toEqual(['Boss']);
  });

  it('forgets a code drawn while there was none', async () => {
    server.firstRun.open();
    await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
    server.firstRun.open();
    expect(server.store.secrets.get(FIRST_RUN_CODE_KEY)).toBeUndefined();
  });
});
