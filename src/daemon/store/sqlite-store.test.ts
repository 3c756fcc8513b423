import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { loadMigrations, openSqliteStore, SqliteStore, type Migration } from './sqlite-store.js';
import { MAX_SETTING_BYTES } from './store.js';

const silent = { info() {}, warn() {} };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'moodbox-store-'));
const memory = () => openSqliteStore({ clock: new FakeClock(), log: silent }, { path: ':memory:' });

describe('migrations', () => {
  it('creates every table the daemon needs on a new database', () => {
    const store = memory();
    expect(store.schemaVersion()).toBe(loadMigrations().at(-1)?.version);
    store.close();
  });

  it('uses WAL and full sync so committed rows survive a crash', () => {
    const path = join(tmp(), 'moodbox.db');
    openSqliteStore({ clock: new FakeClock(), log: silent }, { path }).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('backs up an existing database before migrating it, and keeps its rows', () => {
    const dir = tmp();
    const path = join(dir, 'moodbox.db');
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 8, 30));
    const base = loadMigrations();
    const last = base.at(-1)?.version ?? 0;
    const v1 = openSqliteStore({ clock, log: silent }, { path, migrations: base });
    v1.users.create({ name: 'Ada', role: 'admin' });
    v1.close();

    const next: Migration = {
      version: last + 1,
      name: 'add-note',
      sql: "ALTER TABLE users ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    };
    const logged: object[] = [];
    const v2 = openSqliteStore({ clock, log: { info: (o: object) => logged.push(o), warn() {} } }, { path, migrations: [...base, next] });
    expect(v2.schemaVersion()).toBe(last + 1);
    expect(v2.users.byName('ada')?.name).toBe('Ada');
    v2.close();

    const backups = readdirSync(join(dir, 'backups'));
    expect(backups).toEqual([`moodbox-v${last}-2026-11-22T08-30-00-000Z.db`]);
    const copy = new Database(join(dir, 'backups', backups[0] ?? ''), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(last);
    expect(copy.prepare('SELECT name FROM users').all()).toEqual([{ name: 'Ada' }]);
    copy.close();
  });

  it('does not write a backup of a brand-new database', () => {
    const dir = tmp();
    openSqliteStore({ clock: new FakeClock(), log: silent }, { path: join(dir, 'moodbox.db') }).close();
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });

  it('leaves the database as it was when a migration fails', () => {
    const dir = tmp();
    const path = join(dir, 'moodbox.db');
    const base = loadMigrations();
    const last = base.at(-1)?.version ?? 0;
    openSqliteStore({ clock: new FakeClock(), log: silent }, { path }).close();
    const broken: Migration = {
      version: last + 1,
      name: 'broken',
      sql: 'ALTER TABLE users ADD COLUMN x TEXT; SELECT * FROM no_such_table;',
    };
    expect(() => openSqliteStore({ clock: new FakeClock(), log: silent }, { path, migrations: [...base, broken] })).toThrow(
      new RegExp(`migration ${last + 1} \\(broken\\) failed: no such table: no_such_table`),
    );
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(last);
    expect((db.prepare("SELECT count(*) AS n FROM pragma_table_info('users') WHERE name = 'x'").get() as { n: number }).n).toBe(0);
    db.close();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });

  it('keeps every play, its indexes and its foreign keys when plays learn the `switched` outcome (migration 8)', () => {
    const path = join(tmp(), 'moodbox.db');
    const before = loadMigrations().filter((m) => m.version < 8);
    openSqliteStore({ clock: new FakeClock(), log: silent }, { path, migrations: before }).close();
    const old = new Database(path);
    old.exec(`
      INSERT INTO users (id, name, role, created_at, updated_at) VALUES (1, 'Ada', 'member', 1, 1);
      INSERT INTO tracks (id, uri, added_at, updated_at) VALUES (1, '/music/a.ogg', 1, 1), (2, '/music/b.ogg', 1, 1);
      INSERT INTO plays (id, track_id, user_id, reason, mood, started_at, ended_at, outcome, note) VALUES
        (1, 1, 1, 'mood', 'calm', 10, 20, 'skipped', 'fits calm'),
        (2, 2, NULL, 'tap', NULL, 30, NULL, NULL, '');
    `);
    expect(() => old.prepare("UPDATE plays SET outcome = 'switched' WHERE id = 1").run()).toThrow(/CHECK constraint/);
    old.close();

    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    store.plays.finish(2, 'switched', 40);
    store.close();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    expect(
      db.prepare('SELECT id, track_id, user_id, reason, mood, started_at, ended_at, outcome, note FROM plays ORDER BY id').all(),
    ).toEqual([
      { id: 1, track_id: 1, user_id: 1, reason: 'mood', mood: 'calm', started_at: 10, ended_at: 20, outcome: 'skipped', note: 'fits calm' },
      { id: 2, track_id: 2, user_id: null, reason: 'tap', mood: null, started_at: 30, ended_at: 40, outcome: 'switched', note: '' },
    ]);
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'plays' ORDER BY name").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    expect(indexes).toEqual(['plays_started', 'plays_track', 'plays_user']);
    db.prepare('DELETE FROM tracks WHERE id = 1').run();
    db.prepare('DELETE FROM users WHERE id = 1').run();
    expect(db.prepare('SELECT track_id, user_id FROM plays WHERE id = 1').get()).toEqual({ track_id: null, user_id: null });
    expect(() => db.prepare("UPDATE plays SET outcome = 'bored' WHERE id = 1").run()).toThrow(/CHECK constraint/);
    db.close();
  });

  it('calls a file that is not a database damaged, names it and says what to do; starts afresh in a 0-byte file', () => {
    const dir = tmp();
    const path = join(dir, 'moodbox.db');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    expect(() => openSqliteStore({ clock: new FakeClock(), log: silent }, { path })).toThrow(
      expect.objectContaining({
        code: 'MB_ERR_STORE_DAMAGED',
        message: expect.stringMatching(
          new RegExp(`^the database at ${path} is damaged .*Restore a backup from ${join(dir, 'backups')} over it, or move it away`),
        ),
      }),
    );
    writeFileSync(path, '');
    const fresh = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    expect(fresh.schemaVersion()).toBe(loadMigrations().at(-1)?.version);
    fresh.close();
  });

  it('refuses a database from a newer Moodbox', () => {
    const path = join(tmp(), 'moodbox.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore({ clock: new FakeClock(), log: silent }, { path })).toThrow(/schema version 99/);
  });
});

describe('repositories', () => {
  it('leaves nothing of a deleted person in the database or its log: not their name, their card or its label', () => {
    const path = join(tmp(), 'moodbox.db');
    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    const user = store.users.create({ name: 'Zelda Quintessence', role: 'member' });
    store.cards.link({ cardId: 'CARD-7F3A9B21', userId: user.id, label: 'blue key fob' });
    const bytes = (): string =>
      [path, `${path}-wal`]
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('latin1'))
        .join('');
    expect(bytes()).toContain('CARD-7F3A9B21');
    store.users.delete(user.id, 'remove');
    // Read while the database is open, as on a running box (closing it checkpoints on its own).
    const left = bytes();
    for (const trace of ['CARD-7F3A9B21', 'Zelda Quintessence', 'blue key fob']) expect(left).not.toContain(trace);
    store.close();
  });

  it('keeps every person as they were, with their cards, sessions and plays, when staff become a role (migration 23)', () => {
    const path = join(tmp(), 'moodbox.db');
    const old = openSqliteStore(
      { clock: new FakeClock(), log: silent },
      { path, migrations: loadMigrations().filter((m) => m.version < 23) },
    );
    const ada = old.users.create({ name: 'Ada', role: 'member', pinHash: 'pin-hash' });
    const boss = old.users.create({ name: 'Boss', role: 'admin', pinHash: 'passphrase-hash', mustChangePin: true });
    old.users.update(ada.id, { preferences: { languages: ['fr'] } });
    old.cards.link({ cardId: '0004417733', userId: ada.id, label: 'blue' });
    old.sessions.create({
      tokenHash: 'boss-token',
      userId: boss.id,
      kind: 'admin',
      csrfToken: 'csrf',
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 9e12,
    });
    const track = old.tracks.upsert({ uri: '/music/a.ogg', title: 'A' });
    old.plays.start({ trackId: track.id, userId: ada.id, reason: 'tap', mood: 'calm', startedAt: 10 });
    old.close();
    const raw = new Database(path);
    expect(() => raw.prepare("UPDATE users SET role = 'staff' WHERE id = ?").run(ada.id)).toThrow(/CHECK constraint/);
    raw.close();

    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    expect(store.users.list().map((u) => [u.id, u.name, u.role, u.pinHash, u.mustChangePin, u.preferences])).toEqual([
      [ada.id, 'Ada', 'member', 'pin-hash', false, { languages: ['fr'] }],
      [boss.id, 'Boss', 'admin', 'passphrase-hash', true, {}],
    ]);
    expect(store.cards.forUser(ada.id)).toMatchObject([{ cardId: '0004417733', label: 'blue' }]);
    expect(store.sessions.get('boss-token')).toMatchObject({ userId: boss.id, kind: 'admin' });
    expect(store.plays.list({ userId: ada.id }).total).toBe(1);
    expect(store.users.update(ada.id, { role: 'staff' }).role).toBe('staff');
    // The rows that refer to a person still go with them, and the table still refuses a role it does not know.
    store.users.delete(boss.id, 'remove');
    expect(store.sessions.get('boss-token')).toBeUndefined();
    store.close();
    const db = new Database(path);
    expect(() => db.prepare("UPDATE users SET role = 'owner' WHERE id = ?").run(ada.id)).toThrow(/CHECK constraint/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('ties the audit lines of a database from before they kept their subject to the person they name, and only those', () => {
    // Issue 42, item 9: a box updated from schema 17 keeps its older lines naming people.
    const path = join(tmp(), 'moodbox.db');
    const before = loadMigrations().filter((m) => m.version <= 17);
    const old = openSqliteStore({ clock: new FakeClock(), log: silent }, { path, migrations: before });
    const ada = old.users.create({ name: 'Ada', role: 'member' });
    old.close();
    // The lines as that version wrote them (the repository now writes the subject too).
    const raw = new Database(path);
    const line = raw.prepare('INSERT INTO audit_log (at, actor, action, target) VALUES (?, ?, ?, ?)');
    line.run(1, 'cli', 'user.create', 'Ada');
    line.run(2, 'kiosk', 'auth.sign-in', 'ADA');
    line.run(3, 'admin:1', 'track.moods', 'Ada');
    raw.close();
    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    store.users.delete(ada.id, 'anonymize', { at: 4, actor: 'admin:1', action: 'user.delete', detail: {} });
    expect(store.audit.list().items.map((e) => [e.action, e.target])).toEqual([
      ['user.delete', `person #${ada.id} (deleted)`],
      ['track.moods', 'Ada'],
      ['auth.sign-in', `person #${ada.id} (deleted)`],
      ['user.create', `person #${ada.id} (deleted)`],
    ]);
    store.close();
  });

  it("keeps users, cards and sessions, and removes a deleted user's cards and sessions", () => {
    const store = memory();
    const ada = store.users.create({ name: 'Ada', role: 'member', pinHash: 'scrypt$x' });
    expect(store.users.byName('ADA')?.id).toBe(ada.id);
    store.users.update(ada.id, { preferences: { languages: ['fr'] }, disabled: true });
    expect(store.users.get(ada.id)).toMatchObject({ disabled: true, preferences: { languages: ['fr'] } });
    store.cards.link({ cardId: '0004417733', userId: ada.id });
    store.sessions.create({ tokenHash: 'h', userId: ada.id, kind: 'kiosk', csrfToken: '', createdAt: 1, lastSeenAt: 1, expiresAt: 10 });
    store.users.delete(ada.id, 'anonymize');
    expect(store.cards.get('0004417733')).toBeUndefined();
    expect(store.sessions.get('h')).toBeUndefined();
    store.close();
  });

  it('refuses a second user with the same name, whatever the case', () => {
    const store = memory();
    store.users.create({ name: 'Ada', role: 'member' });
    expect(() => store.users.create({ name: 'ada', role: 'admin' })).toThrow(/UNIQUE/);
    store.close();
  });

  it('records plays with their reason and keeps anonymized history after a user is deleted', () => {
    const store = memory();
    const ada = store.users.create({ name: 'Ada', role: 'member' });
    const track = store.tracks.upsert({ uri: '/music/a.flac', title: 'A', artist: 'X' });
    store.tracks.setMoods(track.id, [{ mood: 'upbeat', weight: 1, origin: 'admin' }]);
    const play = store.plays.start({ trackId: track.id, userId: ada.id, reason: 'tap', mood: 'upbeat', startedAt: 1000 });
    store.plays.finish(play.id, 'completed', 2000);
    store.plays.start({ trackId: track.id, reason: 'mood', mood: 'upbeat', startedAt: 3000 });
    expect(store.plays.closeDangling(4000)).toBe(1);

    store.users.delete(ada.id, 'anonymize');
    const history = store.plays.list();
    expect(history.total).toBe(2);
    expect(history.items.map((p) => [p.reason, p.userId, p.outcome])).toEqual([
      ['mood', null, 'interrupted'],
      ['tap', null, 'completed'],
    ]);
    expect(store.tracks.list({ mood: 'upbeat' }).items.map((t) => t.title)).toEqual(['A']);
    store.close();
  });

  it("removes a deleted user's history when asked to", () => {
    const store = memory();
    const ada = store.users.create({ name: 'Ada', role: 'member' });
    const track = store.tracks.upsert({ uri: '/music/a.flac' });
    store.plays.start({ trackId: track.id, userId: ada.id, reason: 'tap', startedAt: 1 });
    store.plays.start({ trackId: track.id, reason: 'mood', startedAt: 2 });
    store.users.delete(ada.id, 'remove');
    expect(store.plays.list().items.map((p) => p.reason)).toEqual(['mood']);
    store.close();
  });

  it('refuses mood weights outside (0, 1]', () => {
    const store = memory();
    const track = store.tracks.upsert({ uri: '/music/a.flac' });
    expect(() => store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1.5, origin: 'admin' }])).toThrow(/CHECK/);
    store.close();
  });

  it('keeps settings and the audit log as JSON', () => {
    const store = memory();
    store.settings.set('camera.hours', { from: '08:00', to: '20:00' }, 5);
    expect(store.settings.all()).toEqual({ 'camera.hours': { from: '08:00', to: '20:00' } });
    store.audit.append({ at: 5, actor: 'admin:1', action: 'settings.change', target: 'camera.hours', detail: { from: null } });
    expect(store.audit.list().items[0]).toMatchObject({ action: 'settings.change', detail: { from: null } });
    store.close();
  });

  it('takes out, at a review, settings rows too large to read or with a key that reaches a prototype, and reads the rest', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'moodbox-settings-')), 'moodbox.db');
    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    store.settings.set('config.overrides', { player: { maxVolume: 40 } }, 5);
    store.settings.set('mqtt.seen', 'x'.repeat(MAX_SETTING_BYTES), 5);
    // What a crafted backup holds: rows written by another program, not through `set`.
    const raw = new Database(path);
    raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('config.setAside', ?, 5)").run('[{"__proto__":{"x":1}}]');
    raw.close();
    expect(store.settings.get('mqtt.seen')).toBeUndefined();
    expect(store.settings.get('config.setAside')).toBeUndefined();
    expect(store.settings.all()).toEqual({ 'config.overrides': { player: { maxVolume: 40 } } });
    expect(store.settings.review()).toEqual([
      { key: 'config.setAside', bytes: 23, why: expect.stringMatching(/reaches a prototype/) },
      {
        key: 'mqtt.seen',
        bytes: MAX_SETTING_BYTES + 2,
        why: `${MAX_SETTING_BYTES + 2} bytes, more than the ${MAX_SETTING_BYTES} a setting may take`,
      },
    ]);
    expect(store.settings.review()).toEqual([]);
    expect(store.settings.get('config.overrides')).toEqual({ player: { maxVolume: 40 } });
    store.close();
    rmSync(dirname(path), { recursive: true, force: true });
  });

  it('says clearly when the database cannot be written', () => {
    const path = join(tmp(), 'moodbox.db');
    openSqliteStore({ clock: new FakeClock(), log: silent }, { path }).close();
    const readOnly = new Database(path, { readonly: true });
    const store = new SqliteStore(readOnly, new FakeClock());
    expect(() => store.users.create({ name: 'Ada', role: 'member' })).toThrow(/cannot write to the database: the database is read-only/);
    readOnly.close();
  });
});

describe('crash safety', () => {
  it('keeps its folder and files private to the daemon (0700 and 0600), even a folder made open before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-private-'));
    chmodSync(dir, 0o755);
    const path = join(dir, 'moodbox.db');
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path });
    store.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir).filter((f) => f.startsWith('moodbox.db')))
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
  });

  it('loses no committed row when the process is killed with SIGKILL mid-write', async () => {
    const path = join(tmp(), 'moodbox.db');
    const writer = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'crash-writer.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed: number[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      writer.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) committed.push(Number(line));
        if (committed.length >= 300 && writer.exitCode === null) {
          writer.kill('SIGKILL');
        }
      });
      writer.on('exit', () => resolve());
      writer.on('error', reject);
    });
    expect(writer.signalCode).toBe('SIGKILL');
    expect(committed.length).toBeGreaterThanOrEqual(300);

    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    store.close();
    const db = new Database(path, { readonly: true });
    const ids = new Set((db.prepare('SELECT id FROM plays').all() as Array<{ id: number }>).map((r) => r.id));
    db.close();
    expect(committed.filter((id) => !ids.has(id))).toEqual([]);
  });
});
