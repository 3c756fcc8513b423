import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupService } from './backup-service.js';
import { MOODBOX_CLI, DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { FakeClock } from '../testing/fake-clock.js';
import {
  backupDatabase,
  backupName,
  backupsDir,
  BEFORE_RESTORE_KEEP,
  DATABASE_FILE,
  latestBackup,
  PENDING_RESTORE,
  PID_FILE,
  restoreDatabase,
} from './backups.js';
import { loadMigrations, openSqliteStore } from '../store/sqlite-store.js';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-backup-'));
  dirs.push(dir);
  const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: join(dir, DATABASE_FILE) });
  store.tracks.upsert({ uri: '/music/song.ogg', title: 'Song', artist: 'Band', durationMs: 1000 });
  store.close();
  return dir;
}

const env = (dir: string) => ({ PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dir });

/** `moodbox …` as a person runs it, waiting for it to end without blocking the writer beside it. */
async function moodbox(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [MOODBOX_CLI, ...args], { env: env(dir) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Starts the daemon on `dir` (putting a readied restore in place first) and stops it again. */
async function startAndStop(dir: string): Promise<void> {
  const config = writeConfig(dir, { camera: { enabled: false }, rfid: { enabled: false }, player: { audioOutput: 'null' } });
  const daemon = await DaemonProcess.start({ args: ['--config', config], env: { ...env(dir), MOODBOX_PORT: '0' } });
  await daemon.stop();
}

function playIds(file: string): number[] {
  const db = new Database(file, { readonly: true });
  const ids = (db.prepare('SELECT id FROM plays ORDER BY id').all() as Array<{ id: number }>).map((row) => row.id);
  db.close();
  return ids;
}

describe('backup and restore', () => {
  it('a backup taken while another process writes plays holds every play committed before it, and restores them all', async () => {
    const dir = dataDir();
    const db = join(dir, DATABASE_FILE);
    // Another process writes plays as fast as it can, one transaction each, and says each id once committed.
    // It never checkpoints: its rows live in the write-ahead log, which a copy of the file alone would miss.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require(${JSON.stringify(BETTER_SQLITE3)}))(${JSON.stringify(db)});
         db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = 5000'); db.pragma('wal_autocheckpoint = 0');
         const insert = db.prepare("INSERT INTO plays (track_id, reason, started_at, ended_at, outcome) VALUES (1, 'mood', ?, ?, 'completed')");
         for (let i = 0; ; i++) { const { lastInsertRowid } = insert.run(i, i + 1); process.stdout.write(lastInsertRowid + '\\n'); }`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let committed = 0;
    writer.stdout.setEncoding('utf8');
    writer.stdout.on('data', (text: string) => {
      committed = Number(text.trim().split('\n').at(-1));
    });
    try {
      await until(() => (committed >= 500 ? true : undefined));
      const before = committed;
      const file = join(dir, 'copy.db');
      const backup = await moodbox(dir, ['backup', file]);
      expect(backup).toMatchObject({ code: 0, stdout: `backed up to ${file}\n` });
      const after = committed;
      expect(after).toBeGreaterThan(before);
      writer.kill('SIGKILL');
      await new Promise((resolve) => writer.once('exit', resolve));

      // Every play committed before the backup began is in it, with no gap: one consistent moment.
      const saved = playIds(file);
      expect(saved.length).toBeGreaterThanOrEqual(before);
      expect(saved).toEqual(Array.from({ length: saved.length }, (_, i) => i + 1));
      const written = playIds(db).length;
      expect(written).toBeGreaterThanOrEqual(after);

      // Readied, and put in place by the next start: the database is the backup, and the one it replaced is kept whole beside it.
      const restore = await moodbox(dir, ['restore', file]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toBe(
        `readied ${file}: it goes in when Moodbox next starts; today’s people, PINs, passphrases and cards stay, everyone is signed out, and the database it replaces is kept\n`,
      );
      expect(playIds(db).length).toBe(written);
      await startAndStop(dir);
      const kept = readdirSync(dir).find((name) => /^moodbox-before-restore-\d{8}T\d{6}Z\.db$/.test(name));
      expect(playIds(db)).toEqual(saved);
      expect(playIds(join(dir, kept ?? '?')).length).toBe(written);
    } finally {
      writer.kill('SIGKILL');
    }
  }, 90_000);

  it('readies a restore while Moodbox runs for its restart; refuses a file that is not a sound Moodbox database, and readies nothing then', async () => {
    const dir = dataDir();
    const config = writeConfig(dir, { camera: { enabled: false }, rfid: { enabled: false }, player: { audioOutput: 'null' } });
    const daemon = await DaemonProcess.start({ args: ['--config', config], env: { ...env(dir), MOODBOX_PORT: '0' } });
    let file: string;
    try {
      expect(existsSync(join(dir, PID_FILE))).toBe(true);
      // The backup runs beside the daemon; the restore does not.
      const backup = await moodbox(dir, ['backup']);
      expect(backup.code, backup.stderr).toBe(0);
      file = latestBackup(dir) ?? '';
      expect(backup.stdout).toBe(`backed up to ${file}\n`);
      expect(file).toMatch(/backups\/moodbox-\d{8}T\d{6}Z\.db$/);
      const readied = await moodbox(dir, ['restore', file]);
      expect(readied).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(
          /^readied .*: Moodbox is running \(pid \d+\): it goes in when it restarts \(sudo systemctl restart moodbox\);/,
        ),
      });
      expect(existsSync(join(dir, PENDING_RESTORE))).toBe(true);
    } finally {
      await daemon.stop();
    }
    expect(existsSync(join(dir, PID_FILE))).toBe(false);
    // A later try that fails takes the readied one away: nothing waits but what passed last.
    const plays = playIds(join(dir, DATABASE_FILE));
    const names = () =>
      readdirSync(dir)
        .filter((name) => !name.startsWith('restore-pending'))
        .sort();
    const before = names();

    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database');
    expect(await moodbox(dir, ['restore', garbage])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`cannot restore ${garbage}: ${garbage} cannot be read as a SQLite database: file is not a database`),
    });
    const other = join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE IF NOT EXISTS notes (text TEXT)').close();
    expect(await moodbox(dir, ['restore', other])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `${other} is not a Moodbox database as made by its migrations: schema version 0 is not one Moodbox knows (${loadMigrations()
          .map((m) => m.version)
          .join(', ')}): an empty or foreign database`,
      ),
    });
    expect(names()).toEqual([...before, 'garbage.db', 'other.db'].sort());
    expect(existsSync(join(dir, PENDING_RESTORE))).toBe(false);
    expect(playIds(join(dir, DATABASE_FILE))).toEqual(plays);

    expect((await moodbox(dir, ['restore', file])).code).toBe(0);
    expect(existsSync(join(dir, PENDING_RESTORE))).toBe(true);
  }, 90_000);

  it('copies the database every night at 03:00 and keeps the newest seven', async () => {
    const dir = dataDir();
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12, 0));
    const service = new BackupService({ clock, log: { info() {}, error() {} } }, { dataDir: dir });
    await service.start();
    const nightly = () =>
      readdirSync(backupsDir(dir))
        .filter((name) => name.startsWith('moodbox-nightly-'))
        .sort();
    const night = (day: number) => backupName('nightly', Date.UTC(2026, 10, day, 3, 0));
    clock.advance(15 * 3_600_000);
    await until(() => (existsSync(backupsDir(dir)) && nightly().length === 1 ? true : undefined));
    expect(nightly()).toEqual(['moodbox-nightly-20261124T030000Z.db']);
    for (let day = 25; day <= 32; day++) {
      clock.advance(24 * 3_600_000);
      await until(() => (nightly().at(-1) === night(day) ? true : undefined));
    }
    await service.stop();
    expect(nightly()).toEqual(Array.from({ length: 7 }, (_, i) => night(26 + i)));
    expect(night(32)).toBe('moodbox-nightly-20261202T030000Z.db');
    expect(playIds(join(backupsDir(dir), nightly()[0] ?? ''))).toEqual([]);
    expect(service.health()).toEqual({ status: 'ready' });
  });
});

// Issue 42, item 10: a backup is restored only when its schema is exactly one Moodbox's migrations make.
describe('restore refuses a database whose schema is not one of Moodbox', () => {
  const LATEST = loadMigrations().at(-1)?.version ?? 0;
  const KNOWN = loadMigrations()
    .map((m) => m.version)
    .join(', ');

  /** A data directory with a live database, a good backup of it beside, and the live files' bytes. */
  async function withBackup(): Promise<{ dir: string; good: string; live: () => string[] }> {
    const dir = dataDir();
    const good = join(dir, 'good.db');
    await backupDatabase(join(dir, DATABASE_FILE), good);
    // The live database after the backup: a second track the backup lacks.
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: join(dir, DATABASE_FILE) });
    store.tracks.upsert({ uri: '/music/live.ogg', title: 'Live', artist: 'Band', durationMs: 1000 });
    store.close();
    const live = (): string[] => [
      ...readdirSync(dir).sort(),
      ...['', '-wal', '-shm'].map((suffix) => {
        const file = join(dir, DATABASE_FILE + suffix);
        return existsSync(file) ? readFileSync(file).toString('base64') : '';
      }),
    ];
    return { dir, good, live };
  }

  /** A copy of `good` changed by `sql` (and `user_version`), as an attacker would hand it over. */
  function hostile(good: string, name: string, sql: string): string {
    const file = join(good, '..', name);
    copyFileSync(good, file);
    const db = new Database(file);
    db.exec(sql);
    db.pragma('journal_mode = DELETE');
    db.close();
    return file;
  }

  function titles(file: string): string[] {
    const db = new Database(file, { readonly: true });
    const rows = (db.prepare('SELECT title FROM tracks ORDER BY id').all() as Array<{ title: string }>).map((r) => r.title);
    db.close();
    return rows;
  }

  it('restores a good backup, and an older one whose schema is that of its version', async () => {
    const { dir, good } = await withBackup();
    expect(titles(join(dir, DATABASE_FILE))).toEqual(['Song', 'Live']);
    const { kept } = restoreDatabase(dir, good, Date.UTC(2026, 10, 24, 12));
    expect(titles(join(dir, DATABASE_FILE))).toEqual(['Song']);
    expect(titles(kept ?? '?')).toEqual(['Song', 'Live']);
    expect(readdirSync(dir).filter((name) => name.includes('restoring'))).toEqual([]);

    // The nightly job's `PRAGMA optimize` leaves SQLite's statistics tables: a backup with them restores.
    restoreDatabase(dir, hostile(good, 'analysed.db', 'ANALYZE'), Date.UTC(2026, 10, 24, 12, 30));
    expect(titles(join(dir, DATABASE_FILE))).toEqual(['Song']);

    // A box still at migration 8: its backup restores (and is migrated when the daemon opens it).
    const old = join(dir, 'v8.db');
    const migrations = loadMigrations().filter((m) => m.version <= 8);
    openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: old, migrations }).close();
    restoreDatabase(dir, old, Date.UTC(2026, 10, 24, 13));
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    db.close();

    // Each restore keeps the database it replaced; only the newest few stay.
    restoreDatabase(dir, good, Date.UTC(2026, 10, 24, 14));
    const keptCopies = readdirSync(dir).filter((name) => name.startsWith('moodbox-before-restore-'));
    expect(keptCopies.sort()).toEqual(
      ['20261124T123000Z', '20261124T130000Z', '20261124T140000Z'].slice(-BEFORE_RESTORE_KEEP).map((t) => `moodbox-before-restore-${t}.db`),
    );
  });

  it.each([
    {
      what: 'two added triggers (audit lines dropped, a member made admin at sign-in)',
      sql: `CREATE TRIGGER audit_gone AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log WHERE id = new.id; END;
            CREATE TRIGGER promote AFTER INSERT ON sessions BEGIN UPDATE users SET role = 'admin' WHERE id = new.user_id; END;`,
      reasons: [
        `an extra trigger \`audit_gone\` on audit_log, not in schema version ${LATEST}`,
        `an extra trigger \`promote\` on sessions, not in schema version ${LATEST}`,
      ],
    },
    {
      what: 'user_version 99',
      sql: 'PRAGMA user_version = 99',
      reasons: [`schema version 99 is not one Moodbox knows (${KNOWN}): from a newer Moodbox?`],
    },
    {
      what: 'user_version 0',
      sql: 'PRAGMA user_version = 0',
      reasons: [`schema version 0 is not one Moodbox knows (${KNOWN}): an empty or foreign database`],
    },
    {
      what: 'a version that names an older schema than it holds',
      sql: 'PRAGMA user_version = 8',
      // Migrations 12 and 16 changed plays, 17 added the mood slots (and later ones more).
      reasons: ["table `plays` differs from schema version 8's", 'an extra table `mood_slots`, not in schema version 8'],
      isPartial: true,
    },
    {
      what: 'a dropped index',
      sql: 'DROP INDEX cards_user',
      reasons: [`no index \`cards_user\` on cards, which schema version ${LATEST} has`],
    },
    {
      what: 'an extra table',
      sql: 'CREATE TABLE notes (text TEXT)',
      reasons: [`an extra table \`notes\`, not in schema version ${LATEST}`],
    },
    {
      what: 'an extra view',
      sql: 'CREATE VIEW hashes AS SELECT name, pin_hash FROM users',
      reasons: [`an extra view \`hashes\`, not in schema version ${LATEST}`],
    },
    {
      what: 'a users table rebuilt without the check on roles',
      sql: `PRAGMA foreign_keys = OFF;
            CREATE TABLE users_new (
              id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT NULL,
              pin_hash TEXT, must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
              disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
              preferences TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(preferences)),
              created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
            DROP TABLE users;
            ALTER TABLE users_new RENAME TO users;`,
      reasons: [`table \`users\` differs from schema version ${LATEST}'s`],
    },
  ])('refuses a backup with $what, says why, and leaves the database in place as it was', async ({ sql, reasons, what, isPartial }) => {
    const { dir, good, live } = await withBackup();
    const file = hostile(good, `${what.split(' ')[1] ?? 'bad'}.db`, sql);
    const before = live();
    let message = '';
    try {
      restoreDatabase(dir, file, Date.UTC(2026, 10, 24, 12));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`^cannot restore ${file}: `));
    const problems = message.slice(`cannot restore ${file}: `.length).split('; ');
    const expected = reasons.map((reason) => `${file} is not a Moodbox database as made by its migrations: ${reason}`);
    expect(problems).toEqual(isPartial === true ? expect.arrayContaining(expected) : expected);
    expect(live()).toEqual(before);
    expect(titles(join(dir, DATABASE_FILE))).toEqual(['Song', 'Live']);
  });
});

describe('backups made or uploaded at the same moment', () => {
  it('keeps every one under a name of its own, and two uploads in the same second are two backups', async () => {
    const dir = dataDir();
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 10, 0, 0));
    const audit: string[] = [];
    const service = new BackupService(
      { clock, log: { info() {}, error() {} }, audit: { append: (e) => (audit.push(`${e.action} ${e.target}`), audit.length) } },
      { dataDir: dir },
    );
    // "Back up now" twice in the same second.
    const made = await Promise.all([service.backUpNow({ name: 'admin:1' }), service.backUpNow({ name: 'admin:1' })]);
    expect(made.map((b) => b.name).sort()).toEqual(['moodbox-20261127T100000Z-2.db', 'moodbox-20261127T100000Z.db']);
    // Four uploads of the same backup in the same second.
    const file = join(backupsDir(dir), 'moodbox-20261127T100000Z.db');
    const uploads = await Promise.all([1, 2, 3, 4].map(() => service.keepUpload(Readable.from([readFileSync(file)]), { name: 'admin:1' })));
    const names = uploads.map((u) => u.name);
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(readdirSync(backupsDir(dir))).toContain(name);
    expect(audit.filter((line) => line.startsWith('backup.upload ')).sort()).toEqual(names.map((name) => `backup.upload ${name}`).sort());
    expect(readdirSync(backupsDir(dir)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('removes at start the partial files an upload or a copy cut short left, and lists none of them', async () => {
    const dir = dataDir();
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 10));
    await backupDatabase(join(dir, DATABASE_FILE), join(backupsDir(dir), 'moodbox-20261127T090000Z.db'));
    const left = ['.upload-0a1b2c3d4e5f.part', 'moodbox-20261127T095959Z.db.0a1b2c3d4e5f.part', 'moodbox-20261126T030000Z.db.part'];
    for (const name of left) writeFileSync(join(backupsDir(dir), name), 'half a backup');
    const service = new BackupService({ clock, log: { info() {}, error() {} } }, { dataDir: dir });
    await service.start();
    await service.stop();
    expect(readdirSync(backupsDir(dir))).toEqual(['moodbox-20261127T090000Z.db']);
    expect(service.list().map((b) => b.name)).toEqual(['moodbox-20261127T090000Z.db']);
  });

  it('deletes any backup by name, a copy a restore replaced too, and audits it', async () => {
    const dir = dataDir();
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 10));
    const audit: string[] = [];
    const service = new BackupService(
      { clock, log: { info() {}, error() {} }, audit: { append: (e) => (audit.push(`${e.action} ${e.target}`), audit.length) } },
      { dataDir: dir },
    );
    copyFileSync(join(dir, DATABASE_FILE), join(dir, 'moodbox-before-restore-20261126T120000Z.db'));
    expect(service.list().map((b) => b.kind)).toEqual(['before-restore']);
    service.remove('moodbox-before-restore-20261126T120000Z.db', { name: 'admin:1' });
    expect(service.list()).toEqual([]);
    expect(existsSync(join(dir, 'moodbox-before-restore-20261126T120000Z.db'))).toBe(false);
    expect(audit).toEqual(['backup.delete moodbox-before-restore-20261126T120000Z.db']);
    expect(() => service.remove('../moodbox.db', { name: 'admin:1' })).toThrow(/No backup named/);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
  });
});
