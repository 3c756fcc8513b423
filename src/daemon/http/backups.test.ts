import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { backupDatabase, backupsDir } from '../store/backups.js';
import { openSqliteStore } from '../store/sqlite-store.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the latest backup from the admin panel', () => {
  it('is an admin’s download only, never cached, and says so when there is none yet', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-backup-route-'));
    dirs.push(dataDir);
    const { app, auth } = await buildTestServer({ clock: new FakeClock(), config: { dataDir } });
    await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, 'test');
    await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, 'test');
    await app.ready();
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const kiosk = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '4711' } });
    const download = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/api/admin/backups/latest', headers });

    expect((await download()).statusCode).toBe(401);
    expect((await download({ authorization: `Bearer ${kiosk.json<{ token: string }>().token}` })).statusCode).toBe(401);
    const none = await download({ cookie });
    expect(none.statusCode).toBe(404);
    expect(none.headers['cache-control']).toBe('no-store');
    expect(none.json<{ error: { message: string } }>().error.message).toMatch(/No backup yet/);

    const source = join(dataDir, 'source.db');
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: source });
    store.close();
    mkdirSync(backupsDir(dataDir), { recursive: true });
    const older = join(backupsDir(dataDir), 'moodbox-nightly-20261123T030000Z.db');
    writeFileSync(older, 'an older copy');
    utimesSync(older, new Date(Date.UTC(2026, 10, 23)), new Date(Date.UTC(2026, 10, 23)));
    const newest = join(backupsDir(dataDir), 'moodbox-20261124T101500Z.db');
    await backupDatabase(source, newest);

    const res = await download({ cookie });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'application/vnd.sqlite3',
      'cache-control': 'no-store',
      'content-disposition': 'attachment; filename="moodbox-20261124T101500Z.db"',
    });
    expect(res.rawPayload.equals(readFileSync(newest))).toBe(true);
  });
});
