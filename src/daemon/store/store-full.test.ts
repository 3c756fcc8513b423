import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { openSqliteStore, SqliteStore } from './sqlite-store.js';
import { StoreService } from './store-service.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a full disk', () => {
  it('turns the database health degraded, saying why, and answers a write 507 MB_ERR_STORE_WRITE, not MB_ERR_INTERNAL', async () => {
    const clock = new FakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'moodbox.db');
    openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path }).close();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const store = new SqliteStore(db, clock);
    cleanups.push(() => store.close());
    const service = new StoreService({ store, clock, log: pino({ level: 'silent' }) });
    const server = await buildTestServer({ clock, store });
    cleanups.push(() => server.app.close());
    await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, 'test');
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const headers = {
      cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken,
    };
    expect(service.health()).toEqual({ status: 'ready' });

    // SQLite's own page limit stands in for the disk: past it, every write fails with SQLITE_FULL.
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const add = (i: number) =>
      server.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers,
        payload: { name: `Filler ${i}`, role: 'member', pin: '1357' },
      });
    let res = await add(0);
    for (let i = 1; i < 500 && res.statusCode !== 507; i++) res = await add(i);
    expect(res.statusCode).toBe(507);
    expect(res.json()).toEqual({
      error: { code: 'MB_ERR_STORE_WRITE', message: expect.stringMatching(/^cannot write to the database: the disk is full/) },
    });
    expect(service.health()).toEqual({
      status: 'degraded',
      detail: 'cannot write to the database: the database has reached its size limit',
    });
  });
});
