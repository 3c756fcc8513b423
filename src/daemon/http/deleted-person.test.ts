import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { actors } from '../store/audit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface AuditItem {
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

// Issue 42, item 9: the docs promise that a deleted person's name and cards cannot be read back.
it("takes a deleted person's names and card digits out of the audit log, its API and the database files, the log included", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-deleted-'));
  dirs.push(dir);
  const path = join(dir, 'moodbox.db');
  const clock = new FakeClock(Date.UTC(2026, 10, 24, 9));
  const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path });
  const { app, auth } = await buildTestServer({ clock, store });
  try {
    await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const headers = {
      cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken,
    };
    const admin = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    // Created, two cards linked and one unlinked, a wrong PIN typed in another case, a sign-in, a
    // rename (the earlier lines keep the first name), and a line from before lines kept their subject.
    const created = await admin('POST', '/api/admin/users', { name: 'Zelda Quintessence', role: 'member', pin: '4711' });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: number }>().id;
    expect((await admin('POST', '/api/admin/cards', { cardId: 'CARD7F3A9B21', userId: id, label: 'blue key fob' })).statusCode).toBe(201);
    expect((await admin('POST', '/api/admin/cards', { cardId: 'CARD55E1C0DE', userId: id })).statusCode).toBe(201);
    expect((await admin('DELETE', '/api/admin/cards/CARD55E1C0DE')).statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'zelda quintessence', pin: '0000' } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Zelda Quintessence', pin: '4711' } })).statusCode,
    ).toBe(200);
    expect((await admin('PATCH', `/api/admin/users/${id}`, { name: 'Zelda Q' })).statusCode).toBe(200);
    store.audit.append({ at: clock.now(), actor: 'cli', action: 'user.pin', target: 'ZELDA Q' });

    const audit = async (): Promise<{ body: string; items: AuditItem[] }> => {
      const res = await app.inject({ url: '/api/admin/audit?limit=100', headers });
      return { body: res.body, items: res.json<{ items: AuditItem[] }>().items };
    };
    const files = (): string =>
      [path, `${path}-wal`]
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('latin1'))
        .join('');
    const traces = ['Zelda Quintessence', 'zelda quintessence', 'Zelda Q', 'ZELDA Q', '9B21', 'C0DE', 'blue key fob'];
    const before = await audit();
    for (const trace of ['Zelda Quintessence', 'zelda quintessence', 'Zelda Q', '9B21', 'C0DE']) expect(before.body).toContain(trace);
    expect(files()).toContain('Zelda Quintessence');

    expect((await admin('DELETE', `/api/admin/users/${id}?history=anonymize`)).statusCode).toBe(204);

    const after = await audit();
    for (const trace of traces) expect(after.body).not.toContain(trace);
    const pseudonym = `person #${id} (deleted)`;
    expect(after.items.filter((item) => item.target === pseudonym).map((item) => item.action)).toEqual([
      'user.delete',
      'user.pin',
      'user.update',
      'auth.sign-in',
      'auth.failed',
      'card.unlink',
      'card.link',
      'card.link',
      'user.create',
    ]);
    expect(after.items.find((item) => item.action === 'user.delete')).toMatchObject({ actor: 'admin:1', detail: { history: 'anonymize' } });
    // The admin's own lines still name them: only the deleted person's name went.
    expect(after.items.filter((item) => item.target === 'Boss').map((item) => item.action)).toEqual(['auth.sign-in', 'user.create']);

    // Read while the database is open, as on a running box (closing it checkpoints on its own).
    const left = files();
    for (const trace of traces) expect(left).not.toContain(trace);
    expect(left).toContain(pseudonym);
  } finally {
    await app.close();
    store.close();
  }
});
