import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../kernel/errors.js';
import { schemaProblems } from './schema-match.js';
import { loadMigrations, type Migration } from './sqlite-migrations.js';

/** The database's file name in the data directory. */
export const DATABASE_FILE = 'moodbox.db';
/** The running daemon's pid, in the data directory: `moodbox restore` refuses while it is alive. */
export const PID_FILE = 'moodbox.pid';
/** How many nightly copies are kept; older ones are removed after each new one. */
export const NIGHTLY_KEEP = 7;

const NIGHTLY = /^moodbox-nightly-.*\.db$/;

/** Where backups live: `<dataDir>/backups` (beside the copies taken before a migration). */
export function backupsDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** A backup's file name for a time (epoch ms, UTC): `moodbox-nightly-20261124T030000Z.db`, or without `nightly-`. */
export function backupName(kind: 'nightly' | 'manual', at: number): string {
  return `moodbox-${kind === 'nightly' ? 'nightly-' : ''}${stamp(at)}.db`;
}

/**
 * Copies the database at `source` into `target` with SQLite's online backup (better-sqlite3's
 * `db.backup()`): a consistent snapshot of every committed transaction, safe while the daemon
 * writes (WAL). Written beside the target first and renamed, so a half-written copy never has a
 * backup's name. The copy is readable by its owner only.
 */
export async function backupDatabase(source: string, target: string): Promise<void> {
  if (!existsSync(source)) throw new StoreError('MB_ERR_STORE_OPEN', `cannot back up ${source}: no such database`);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const partial = `${target}.part`;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // All remaining pages in one step, under one read lock: copied 100 pages at a time, a backup
    // starts over whenever another connection writes, and a busy daemon could keep it from ending.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (err) {
    rmSync(partial, { force: true });
    throw new StoreError('MB_ERR_STORE_BACKUP', `cannot back up ${source} to ${target}: ${(err as Error).message}`, { cause: err });
  } finally {
    db.close();
  }
  chmodSync(partial, 0o600);
  renameSync(partial, target);
}

/** The newest backup in `<dataDir>/backups` (by time written), or undefined when there is none. */
export function latestBackup(dataDir: string): string | undefined {
  const dir = backupsDir(dataDir);
  const files = listDb(dir).map((name) => ({ path: join(dir, name), at: statSync(join(dir, name)).mtimeMs }));
  return files.sort((a, b) => b.at - a.at || b.path.localeCompare(a.path))[0]?.path;
}

/** Removes all but the `keep` newest nightly copies (by name, which sorts by time); returns the ones removed. */
export function pruneNightly(dataDir: string, keep: number = NIGHTLY_KEEP): string[] {
  const dir = backupsDir(dataDir);
  const old = listDb(dir)
    .filter((name) => NIGHTLY.test(name))
    .sort()
    .reverse()
    .slice(keep);
  for (const name of old) rmSync(join(dir, name), { force: true });
  return old.map((name) => join(dir, name));
}

/**
 * Why `file` cannot be restored, or an empty list: it must open as SQLite, pass
 * `PRAGMA integrity_check`, and hold exactly the schema of one of Moodbox's migrations
 * (`schemaProblems`): a known `user_version`, and no table, column, index, trigger or view more,
 * less or other than a fresh database migrated to that version has. Reasons name `shownAs`.
 */
export function restoreProblems(file: string, shownAs: string = file, migrations: readonly Migration[] = loadMigrations()): string[] {
  if (!existsSync(file)) return [`${shownAs} does not exist`];
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // The file is not trusted yet: functions with side effects stay out of its views and triggers,
    // and cells are checked as they are read.
    db.pragma('trusted_schema = OFF');
    db.pragma('cell_size_check = ON');
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
    if (integrity.length !== 1 || integrity[0] !== 'ok') return integrity.map((line) => `${shownAs}: integrity check: ${line}`);
    return schemaProblems(db, migrations).map((problem) => `${shownAs} is not a Moodbox database as made by its migrations: ${problem}`);
  } catch (err) {
    return [`${shownAs} cannot be read as a SQLite database: ${(err as Error).message}`];
  } finally {
    db?.close();
  }
}

/** The pid of the daemon running on `dataDir` (from its pid file, and alive), or undefined. */
export function runningDaemon(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, but another user's (the daemon runs as `moodbox`).
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * Puts the backup `file` in place of the database of `dataDir`: refused (`MB_ERR_STORE_RESTORE`)
 * while the daemon runs or when the file fails its checks, and then nothing is changed. The database
 * it replaces is kept beside it, renamed with the time (`moodbox-before-restore-<time>.db`); its
 * write-ahead log is folded in first, so the kept file is whole. Returns the kept file's path.
 */
export function restoreDatabase(dataDir: string, file: string, now: number): { kept: string | undefined } {
  const pid = runningDaemon(dataDir);
  if (pid !== undefined) {
    throw new StoreError(
      'MB_ERR_STORE_RESTORE',
      `Moodbox is running (pid ${pid}): stop it first (sudo systemctl stop moodbox), then restore`,
    );
  }
  const current = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new StoreError('MB_ERR_STORE_RESTORE', `cannot restore ${file}: ${file} does not exist`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The copy is checked, not the file it came from: what is put in place is what passed, even if
  // the backup changes meanwhile. A log left by an earlier try must not be read with it.
  const incoming = `${current}.restoring`;
  const dropIncoming = (): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(incoming + suffix, { force: true });
  };
  dropIncoming();
  copyFileSync(file, incoming);
  chmodSync(incoming, 0o600);
  const problems = restoreProblems(incoming, file);
  for (const suffix of ['-wal', '-shm']) rmSync(incoming + suffix, { force: true });
  if (problems.length > 0) {
    dropIncoming();
    throw new StoreError('MB_ERR_STORE_RESTORE', `cannot restore ${file}: ${problems.join('; ')}`);
  }
  // Run as root, the restored file must still belong to the daemon's user, as the one it replaces.
  const owner = statSync(existsSync(current) ? current : dataDir, { throwIfNoEntry: false });
  let kept: string | undefined;
  if (existsSync(current)) {
    const db = new Database(current, { fileMustExist: true });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    kept = join(dataDir, `moodbox-before-restore-${stamp(now)}.db`);
    renameSync(current, kept);
    for (const suffix of ['-wal', '-shm']) if (existsSync(current + suffix)) renameSync(current + suffix, kept + suffix);
  }
  if (owner !== undefined && process.getuid?.() === 0) chownSync(incoming, owner.uid, owner.gid);
  renameSync(incoming, current);
  return { kept };
}

function listDb(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.db') && basename(name) === name);
  } catch {
    return [];
  }
}

function stamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
