import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import type { MoodboxBus } from '../events.js';
import { BackupService } from '../backups/backup-service.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { applyPendingRestore, backupDatabase, backupsDir, DATABASE_FILE } from '../backups/backups.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { actors } from '../store/audit.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the latest backup from the admin panel', () => {
  it('is an admin’s download only, never cached, and says so when there is none yet', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-backup-route-'));
    dirs.push(dataDir);
    const { app, auth } = await buildTestServer({ clock: new FakeClock(), dataDir });
    await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
    await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
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

describe('backups in the admin panel', () => {
  async function panel() {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-backups-panel-'));
    dirs.push(dataDir);
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 10, 15));
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: join(dataDir, DATABASE_FILE) });
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const staged: Array<{ by: string; from: string }> = [];
    bus.on('restoreStaged', (event) => staged.push(event), 'test');
    const backups = new BackupService({ clock, log: { info() {}, error() {} }, audit: store.audit, bus }, { dataDir });
    const { app, auth } = await buildTestServer({ clock, store, dataDir, backups });
    const boss = await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
    await app.ready();
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const { csrfToken } = signIn.json<{ csrfToken: string }>();
    const headers = { cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '', 'x-csrf-token': csrfToken };
    return { dataDir, clock, store, app, headers, staged, boss, close: () => app.close().then(() => store.close()) };
  }

  it('backs up now, lists the backups with sizes, and downloads one by its name', async () => {
    const { app, headers, store, boss, close } = await panel();
    const empty = await app.inject({ method: 'GET', url: '/api/admin/backups', headers });
    expect(empty.json()).toEqual({ items: [], nightlyHour: 3, lastRestore: null });

    const made = await app.inject({ method: 'POST', url: '/api/admin/backups', headers });
    expect(made.statusCode).toBe(201);
    const backup = made.json<{ name: string; kind: string; bytes: number }>();
    expect(backup).toMatchObject({ name: 'moodbox-20261124T101500Z.db', kind: 'manual' });
    expect(backup.bytes).toBeGreaterThan(4096);
    expect(store.audit.list({ limit: 10 }).items[0]).toMatchObject({
      actor: `admin:${boss.id}`,
      action: 'backup.create',
      target: backup.name,
    });

    const listed = await app.inject({ method: 'GET', url: '/api/admin/backups', headers });
    expect(listed.json<{ items: unknown[] }>().items).toEqual([expect.objectContaining({ name: backup.name, bytes: backup.bytes })]);
    const file = await app.inject({ method: 'GET', url: `/api/admin/backups/${backup.name}`, headers });
    expect(file.statusCode).toBe(200);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.rawPayload.subarray(0, 15).toString()).toBe('SQLite format 3');
    for (const name of ['..%2Fmoodbox.db', 'moodbox.db', 'nothing-here.db']) {
      expect((await app.inject({ method: 'GET', url: `/api/admin/backups/${name}`, headers })).statusCode, name).toBe(404);
    }
    expect((await app.inject({ method: 'POST', url: '/api/admin/backups' })).statusCode).toBe(401);
    await close();
  });

  it('keeps an uploaded file only when it would restore, and says why not', async () => {
    const { app, headers, dataDir, close } = await panel();
    const upload = (payload: Buffer) =>
      app.inject({
        method: 'POST',
        url: '/api/admin/backups/upload',
        headers: { ...headers, 'content-type': 'application/vnd.sqlite3' },
        payload,
      });

    const text = await upload(Buffer.from('this is not a database'));
    expect(text.statusCode).toBe(422);
    expect(text.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'MB_ERR_STORE_RESTORE',
      message: expect.stringMatching(/the file cannot be read as a SQLite database|not a database/) as unknown,
    });
    // A Moodbox database with one table more is not one the migrations make.
    const extra = join(dataDir, 'extra.db');
    const other = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: extra });
    other.close();
    const db = new Database(extra);
    db.exec('CREATE TABLE loot (x TEXT)');
    db.close();
    const refused = await upload(readFileSync(extra));
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/loot/);
    expect((await app.inject({ method: 'GET', url: '/api/admin/backups', headers })).json<{ items: unknown[] }>().items).toEqual([]);

    const good = join(dataDir, 'good.db');
    openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: good }).close();
    const kept = await upload(readFileSync(good));
    expect(kept.statusCode).toBe(201);
    expect(kept.json()).toMatchObject({ name: 'moodbox-uploaded-20261124T101500Z.db', kind: 'uploaded' });
    await close();
  });

  it('restores: checked first, the restart asked for after the answer, swapped at the next start with the replaced database kept', async () => {
    const { app, headers, dataDir, clock, store, staged, close } = await panel();
    const made = (await app.inject({ method: 'POST', url: '/api/admin/backups', headers })).json<{ name: string }>();
    // Changed after the backup: the restore takes it back, and the kept database still has it.
    store.tracks.upsert({ uri: '/music/after.ogg', title: 'After the backup', artist: 'Band', durationMs: 1000 });

    expect((await app.inject({ method: 'POST', url: '/api/admin/backups/none.db/restore', headers })).statusCode).toBe(404);
    const res = await app.inject({ method: 'POST', url: `/api/admin/backups/${made.name}/restore`, headers });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ restarting: true, from: made.name });
    expect(staged).toEqual([]);
    clock.advance(1000);
    expect(staged).toEqual([{ by: expect.stringMatching(/^admin:/) as unknown, from: made.name }]);
    expect(store.audit.list({ limit: 10 }).items[0]).toMatchObject({ action: 'backup.restore', target: made.name });
    await close();

    const outcome = applyPendingRestore(dataDir, Date.UTC(2026, 10, 24, 10, 20));
    expect(outcome).toMatchObject({ from: made.name, kept: join(dataDir, 'moodbox-before-restore-20261124T102000Z.db') });
    const titles = (file: string) => {
      const opened = new Database(file, { readonly: true });
      const rows = opened.prepare('SELECT title FROM tracks').all() as Array<{ title: string }>;
      opened.close();
      return rows.map((row) => row.title);
    };
    expect(titles(join(dataDir, DATABASE_FILE))).not.toContain('After the backup');
    expect(titles(join(dataDir, 'moodbox-before-restore-20261124T102000Z.db'))).toContain('After the backup');
    // Nothing waits any more; the kept database is listed as a backup to restore in turn.
    expect(applyPendingRestore(dataDir, Date.UTC(2026, 10, 24, 10, 25))).toBeUndefined();
    const restarted = new BackupService({ clock, log: { info() {}, error() {} } }, { dataDir, restored: outcome });
    expect(restarted.list().map((b) => b.kind)).toContain('before-restore');
    expect(restarted.lastRestore()).toMatchObject({ from: made.name, kept: 'moodbox-before-restore-20261124T102000Z.db', failed: null });
  });
});
