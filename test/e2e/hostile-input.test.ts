import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { addUser, signInAdmin as signIn, startDaemon, tempDir, until, type Daemon } from './harness.js';

// What an attacker on the LAN sends, against the daemon as it runs: nothing takes it down, and the
// process-level guard (the last line of defence in main.ts) never hears of any of it.

const PASSPHRASE = 'correct horse battery staple';
/** The log lines of the process-level guard. */
const GUARD_LINES = new Set(['unhandled rejection', 'uncaught exception']);

let dir: string;
let daemon: Daemon;

beforeAll(async () => {
  dir = tempDir('hostile');
  const dataDir = join(dir, 'data');
  const music = join(dir, 'music');
  mkdirSync(music, { recursive: true });
  addUser(dataDir, 'Root', 'admin', PASSPHRASE);
  addUser(dataDir, 'Ada', 'member', '4711');
  daemon = await startDaemon(dir, {
    dataDir,
    server: { port: 0 },
    rfid: { enabled: false },
    player: { audioOutput: 'null' },
    camera: { enabled: false },
    library: { folders: [music] },
  });
}, 120_000);

afterAll(async () => {
  await daemon.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The lines the process-level guard wrote. */
const guardLines = (): unknown[] => daemon.lines.filter((line) => GUARD_LINES.has(String(line['msg'])));

async function expectUp(): Promise<void> {
  expect(daemon.child.exitCode).toBeNull();
  const health = await fetch(`${daemon.base}/api/health`);
  expect(health.status).toBe(200);
  expect(guardLines()).toEqual([]);
}

/** Opens `/ws`, as the kiosk's own screen when `isKiosk`, or as a script (no Origin). */
async function openSocket(isKiosk: boolean): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${daemon.base.replace('http', 'ws')}/ws`, isKiosk ? { origin: daemon.base } : {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/** `{"a":` … `1` … `}` nested `depth` deep. */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const signInAdmin = (): Promise<Record<string, string>> => signIn(daemon.base, 'Root', PASSPHRASE);

describe('hostile input against the running daemon', () => {
  it('closes a socket whose message is nested 2,000, 5,000 or 10,000 deep, or is 60 KB, with a reason, and stays up', async () => {
    const messages = [
      ...[2_000, 5_000, 10_000].map((depth) => `{"type":"state/get","transaction":"t","data":${nested(depth)}}`),
      `{"type":"state/get","transaction":"t","data":"${'x'.repeat(60_000)}"}`,
    ];
    for (const message of messages) {
      const { ws, closed } = await openSocket(false);
      ws.send(message);
      const { code, reason } = await closed;
      expect([1008, 1009], `${message.length} bytes`).toContain(code);
      expect(reason).toMatch(/^Expected JSON (nested at most 32 levels deep|of at most 32768 bytes)/);
      await expectUp();
    }
    // A socket that keeps to the limits is answered as before.
    const { ws } = await openSocket(false);
    const reply = new Promise<string>((resolve) =>
      ws.on(
        'message',
        (raw) => (raw as Buffer).toString('utf8').includes('"transaction":"ok"') && resolve((raw as Buffer).toString('utf8')),
      ),
    );
    ws.send(JSON.stringify({ type: 'state/get', transaction: 'ok', data: null }));
    expect(JSON.parse(await reply)).toMatchObject({ type: 'state/get', status: 'ok' });
    ws.close();
  });

  it('refuses a JSON body nested too deep with 400, before anything reads it', async () => {
    const res = await fetch(`${daemon.base}/api/session/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"name":"Ada","pin":${nested(5_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'MB_ERR_HTTP_BAD_REQUEST', message: 'Expected JSON nested at most 32 levels deep, got deeper in the request body' },
    });
    await expectUp();
  });

  it('never reaches the process guard: every route, anonymous and as admin, and every message type, with hostile bodies', async () => {
    const doc = (await (await fetch(`${daemon.base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const bodies = [
      nested(5_000),
      nested(40),
      '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
      JSON.stringify({ name: 'x'.repeat(60_000), pin: '1', label: 'happy', minutes: 1e308, volume: -1, id: '1 OR 1=1' }),
      '[[[[[]]]]]',
      'null',
      '"\\ud800"',
      '{"a":',
      '\u0000',
    ];
    const admin = await signInAdmin();
    let calls = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // The restart does what it says (its own test below); signing out or a new passphrase would end this test's session.
        if (['restartDaemon', 'adminSignOut', 'changeOwnPassphrase'].includes(op.operationId)) continue;
        const url = `${daemon.base}${path.replace(/\{[^}]+\}/g, '999999')}`;
        for (const body of bodies) {
          for (const asAdmin of [false, true]) {
            const headers = { 'content-type': 'application/json', ...(asAdmin ? admin : {}) };
            const hasBody = method !== 'get' && method !== 'head';
            const res = await fetch(hasBody ? url : `${url}?limit=${encodeURIComponent(body.slice(0, 2000))}`, {
              method: method.toUpperCase(),
              headers,
              ...(hasBody ? { body } : {}),
            });
            calls += 1;
            expect(res.status, `${method} ${path} ${body.slice(0, 40)}`).toBeLessThan(500);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(500);
    // Every message type, from the kiosk's own screen (so that no type is refused for want of an Origin).
    const { CLIENT_REQUEST_SPECS } = await import('../../src/daemon/http/schemas/client-requests.js');
    const { ws, closed } = await openSocket(true);
    const replies: string[] = [];
    ws.on('message', (raw) => replies.push((raw as Buffer).toString('utf8')));
    let sent = 0;
    const answered: number[] = [];
    for (const type of Object.keys(CLIENT_REQUEST_SPECS)) {
      // A key that reaches a prototype: the message is refused whole, before its transaction is read.
      ws.send(`{"type":${JSON.stringify(type)},"transaction":"p${sent}","token":"x","data":${bodies[2]}}`);
      // Hostile data within the limits (past them the socket is closed, as above).
      for (const data of [nested(30), '[[[[[]]]]]', 'null', '"\\ud800"', JSON.stringify({ trackId: -1, expression: 'x'.repeat(9000) })]) {
        ws.send(`{"type":${JSON.stringify(type)},"transaction":"f${sent}","token":"x","data":${data}}`);
        answered.push(sent);
        sent += 1;
      }
    }
    await until(() => (replies.some((r) => r.includes(`"transaction":"f${sent - 1}"`)) ? true : undefined), 20_000);
    for (const i of answered) expect(replies.some((r) => r.includes(`"transaction":"f${i}"`))).toBe(true);
    const prototypes = replies.filter((r) => r.includes('reaches a prototype'));
    expect(prototypes).toHaveLength(Object.keys(CLIENT_REQUEST_SPECS).length);
    expect(replies.some((r) => r.includes('"transaction":"p'))).toBe(false);
    ws.send(nested(33));
    expect((await closed).code).toBe(1008);
    await expectUp();
  }, 120_000);

  it('lets nothing happen when an admin route is called anonymously or as a member: state, settings, people, audit log, music', async () => {
    const admin = await signInAdmin();
    const pin = await fetch(`${daemon.base}/api/session/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', pin: '4711' }),
    });
    const { token } = (await pin.json()) as { token: string };
    const read = async (path: string, headers: Record<string, string> = admin): Promise<unknown> =>
      (await fetch(`${daemon.base}${path}`, { headers })).json();
    const snapshot = async () => ({
      state: ((await read('/api/state', {})) as { data: unknown }).data,
      settings: await read('/api/admin/settings'),
      users: await read('/api/admin/users'),
      audit: await read('/api/admin/audit'),
      player: await read('/api/admin/player'),
      stations: await read('/api/admin/stations'),
    });
    // The first library scan may still be running (the library's health says "…, scanning" or
    // "…, analysing"): wait until it has ended, so that what changes below can only be the requests' doing.
    await until(
      async () => (/"detail":"[^"]*, (scanning|analysing)"/.test(JSON.stringify(await read('/api/state', {}))) ? undefined : true),
      60_000,
      () => 'the first library scan did not end',
    );
    const before = await snapshot();
    expect(JSON.stringify(before.users)).toContain('"name":"Root"');
    expect(JSON.stringify(before)).not.toContain('MB_ERR_');
    const doc = (await (await fetch(`${daemon.base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; tags?: string[] }>>;
    };
    // Bodies an admin's request would be carried out with, so that only the refusal stops them.
    const bodies: Record<string, unknown> = {
      createUser: { name: 'Eve', role: 'admin', pin: 'correct horse battery staple' },
      updateUser: { role: 'admin' },
      setUserPin: { pin: '9999' },
      setVolume: { volume: 5 },
      holdMood: { label: 'happy', minutes: 30 },
      saveSettings: { player: { maxVolume: 10 } },
      addStation: { name: 'Evil FM', url: 'http://192.0.2.1/stream' },
      playNow: { trackId: 1 },
      playNext: { trackId: 1 },
      createFirstAdmin: { name: 'Eve', passphrase: 'correct horse battery staple' },
    };
    const callers: Array<[string, Record<string, string>]> = [
      ['anonymous', {}],
      ['a member by kiosk token', { authorization: `Bearer ${token}` }],
      ['a member token as the admin cookie', { cookie: `mb_admin=${token}`, 'x-csrf-token': 'x' }],
    ];
    let calls = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // The sign-in and the first run's status are open to all; the first admin's creation is
        // shut (409) on a box that has its admin, as this one does.
        if (op.tags?.includes('admin') !== true || op.operationId === 'adminSignIn' || op.operationId === 'firstRun') continue;
        for (const [who, headers] of callers) {
          const hasBody = method !== 'get' && method !== 'head';
          const res = await fetch(`${daemon.base}${path.replace(/\{[^}]+\}/g, '1')}`, {
            method: method.toUpperCase(),
            headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
            ...(hasBody ? { body: JSON.stringify(bodies[op.operationId] ?? {}) } : {}),
          });
          calls += 1;
          expect(res.status, `${who}: ${method} ${path}`).toBe(op.operationId === 'createFirstAdmin' ? 409 : 401);
        }
      }
    }
    expect(calls).toBeGreaterThan(150);
    expect(await snapshot()).toEqual(before);
    await expectUp();
    expect(daemon.lines.filter((line) => line['msg'] === 'shutting down')).toEqual([]);
  }, 60_000);

  it('restarts for an admin only: anonymous and member requests leave it running', async () => {
    const pin = await fetch(`${daemon.base}/api/session/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', pin: '4711' }),
    });
    const { token } = (await pin.json()) as { token: string };
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${token}` },
      { cookie: `mb_admin=${token}`, 'x-csrf-token': 'x' },
    ];
    for (const headers of refused) {
      const res = await fetch(`${daemon.base}/api/admin/restart`, { method: 'POST', headers });
      expect(res.status).toBe(401);
    }
    await expectUp();
    const res = await fetch(`${daemon.base}/api/admin/restart`, { method: 'POST', headers: await signInAdmin() });
    expect(res.status).toBe(202);
    expect(await daemon.exited).toEqual({ code: 75, signal: null });
    // One stop, the admin's (named as the audit names who acted): a refused request started none before it.
    expect(daemon.lines.filter((line) => line['msg'] === 'shutting down').map((line) => line['reason'])).toEqual([
      expect.stringMatching(/^restart asked for by admin:\d+$/),
    ]);
  });
});
