import {
  chmodSync,
  chownSync,
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { StoreError } from '../store/store-error.js';
import { BACKUP_REFUSALS } from './backup-refusals.js';
import { placeUnique } from './backup-files.js';
import { restoreProblemsOffLoop } from './restore-check.js';
import { schemaProblems } from './schema-match.js';
import { loadMigrations, type Migration } from '../store/sqlite-migrations.js';
import { parseJson } from '../../kernel/json.js';

/** The database's file name in the data directory. */
import { DATABASE_FILE } from '../config/paths.js';

export { DATABASE_FILE };
/** The running daemon's pid, in the data directory: `moodbox restore` refuses while it is alive. */
export const PID_FILE = 'moodbox.pid';
/** How many nightly copies are kept; older ones are removed after each new one. */
export const NIGHTLY_KEEP = 7;

const NIGHTLY = /^moodbox-nightly-.*\.db$/;
/** The checked copy a restore from the panel waits in until the next start puts it in place, and who asked for it. */
export const PENDING_RESTORE = 'restore-pending.db';
export const PENDING_META = 'restore-pending.json';
/** How many databases replaced by a restore are kept (`moodbox-before-restore-*.db`); older ones are removed after each restore. */
export const BEFORE_RESTORE_KEEP = 3;
/** A backup's name as the panel may ask for it: a plain file name, no folder. */
const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.db$/;
const KEPT_BEFORE_RESTORE = /^moodbox-before-restore-.*\.db$/;

/** Where a backup came from: the nightly copy, one asked for (panel or `moodbox backup`), a file uploaded in the panel, the copy before a migration, or the database a restore replaced. */
export type BackupKind = 'nightly' | 'manual' | 'uploaded' | 'before-migration' | 'before-restore';

/** A backup on the box, as the panel lists it. */
export interface BackupFile {
  /** The file's name: what the panel downloads and restores by. */
  name: string;
  kind: BackupKind;
  /** Its size (bytes). */
  bytes: number;
  /** When it was written (epoch ms). */
  at: number;
}

/** Where backups live: `<dataDir>/backups` (beside the copies taken before a migration). */
export function backupsDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** A backup's file name for a time (epoch ms, UTC): `moodbox-nightly-20261124T030000Z.db`, or without `nightly-`. */
export function backupName(kind: 'nightly' | 'manual' | 'uploaded', at: number): string {
  return `moodbox-${kind === 'manual' ? '' : `${kind}-`}${stamp(at)}.db`;
}

/**
 * The backups of `dataDir`, newest first: every `.db` in `<dataDir>/backups`, and the databases a
 * restore replaced (`moodbox-before-restore-*.db`, kept beside the database).
 */
export function listBackups(dataDir: string): BackupFile[] {
  const dir = backupsDir(dataDir);
  const files = [
    ...listDb(dir).map((name) => ({ name, path: join(dir, name) })),
    ...listDb(dataDir)
      .filter((name) => KEPT_BEFORE_RESTORE.test(name))
      .map((name) => ({ name, path: join(dataDir, name) })),
  ];
  const found: BackupFile[] = [];
  for (const { name, path } of files) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile() !== true) continue;
    found.push({ name, kind: kindOf(name), bytes: stat.size, at: Math.round(stat.mtimeMs) });
  }
  return found.sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
}

/** The path of the backup `name` of `dataDir`, or undefined when there is no such backup (or the name is not a plain file name). */
export function backupPath(dataDir: string, name: string): string | undefined {
  if (!BACKUP_NAME.test(name)) return undefined;
  const path = KEPT_BEFORE_RESTORE.test(name) ? join(dataDir, name) : join(backupsDir(dataDir), name);
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true ? path : undefined;
}

/**
 * Writes `source` (an upload: untrusted) into `<dataDir>/backups` as `moodbox-uploaded-<time>.db`,
 * at most `maxBytes` of it, and keeps it only when it passes the restore's checks
 * (`restoreProblems`); otherwise nothing is left behind and `MB_ERR_STORE_RESTORE` says why.
 */
export async function keepUpload(dataDir: string, source: Readable, now: number, maxBytes: number): Promise<BackupFile> {
  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = backupName('uploaded', now);
  const partial = join(dir, `.upload-${randomBytes(6).toString('hex')}.part`);
  const drop = (): void => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
  };
  let bytes = 0;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw BACKUP_REFUSALS.tooLarge(maxBytes);
          yield chunk;
        }
      },
      createWriteStream(partial, { mode: 0o600 }),
    );
  } catch (err) {
    drop();
    if (err instanceof StoreError) throw err;
    throw BACKUP_REFUSALS.cannotKeepUpload((err as Error).message, err);
  }
  if (bytes === 0) {
    drop();
    throw BACKUP_REFUSALS.empty();
  }
  // Read in a child process: a large upload's integrity check does not hold the event loop.
  const problems = await restoreProblemsOffLoop(partial, 'the file');
  // Reading it may leave a log beside it; none belongs with a backup.
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  if (problems.length > 0) {
    drop();
    throw new StoreError('MB_ERR_STORE_RESTORE', problems.join('; '));
  }
  const kept = placeUnique(partial, dir, name);
  return { name: kept, kind: 'uploaded', bytes, at: Math.round(statSync(join(dir, kept)).mtimeMs) };
}

/** Who asked for a restore waiting for the next start, and from which backup. */
export interface PendingRestore {
  /** The backup's name. */
  from: string;
  /** The audit log's actor who asked (`admin:7`). */
  by: string;
  /** When it was asked for (epoch ms). */
  at: number;
  /** Whether the backup's people, PINs, passphrases and cards come back too; otherwise today's stay. */
  people?: boolean;
}

/** What became of a restore readied in the panel, at the start after it: put in place (the replaced database `kept`), or `failed` and why. */
export type RestoreOutcome = ({ kept: string | undefined } & PendingRestore) | ({ failed: string } & PendingRestore);

/**
 * Puts a restore staged by `stageRestore` in place, before the database is opened: checked again and
 * swapped by `restoreDatabase` (the database it replaces kept as `moodbox-before-restore-<time>.db`).
 * Undefined when none waits. Whether it went in or not, it no longer waits: a failed one is reported
 * once, and the box starts on the database it had.
 */
export function applyPendingRestore(dataDir: string, now: number): RestoreOutcome | undefined {
  const pending = join(dataDir, PENDING_RESTORE);
  const metaFile = join(dataDir, PENDING_META);
  if (!existsSync(pending)) {
    rmSync(metaFile, { force: true });
    return undefined;
  }
  let meta: PendingRestore = { from: PENDING_RESTORE, by: '?', at: now };
  try {
    const read = parseJson(readFileSync(metaFile, 'utf8')) as Partial<PendingRestore>;
    meta = {
      from: typeof read.from === 'string' ? read.from : meta.from,
      by: typeof read.by === 'string' ? read.by : meta.by,
      at: typeof read.at === 'number' ? read.at : meta.at,
      people: read.people === true,
    };
  } catch {
    // Who asked is lost; the restore itself is not.
  }
  try {
    const { kept } = restoreDatabase(dataDir, pending, now);
    return { ...meta, kept };
  } catch (err) {
    return { ...meta, failed: (err as Error).message };
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(pending + suffix, { force: true });
    rmSync(metaFile, { force: true });
  }
}

/**
 * Copies the database at `source` into `target` with SQLite's online backup (better-sqlite3's
 * `db.backup()`): a consistent snapshot of every committed transaction, safe while the daemon
 * writes (WAL). Written beside the target first and then given its name, so a half-written copy
 * never has a backup's name; a copy made in the same second as another of that name gets `-2`.
 * The copy is readable by its owner only. Resolves with the copy's path.
 */
export async function backupDatabase(source: string, target: string): Promise<string> {
  if (!existsSync(source)) throw BACKUP_REFUSALS.noDatabase(source);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  // Each copy writes its own partial file: two at once never share one.
  const partial = `${target}.${randomBytes(6).toString('hex')}.part`;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // All remaining pages in one step, under one read lock: copied 100 pages at a time, a backup
    // starts over whenever another connection writes, and a busy daemon could keep it from ending.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (err) {
    rmSync(partial, { force: true });
    throw BACKUP_REFUSALS.cannotBackUp(source, target, (err as Error).message, err);
  } finally {
    db.close();
  }
  chmodSync(partial, 0o600);
  return join(dirname(target), placeUnique(partial, dirname(target), basename(target)));
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
    throw BACKUP_REFUSALS.cannotRestore(file, problems);
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
  pruneBeforeRestore(dataDir);
  return { kept };
}

/** Removes all but the `keep` newest databases replaced by a restore (by name, which sorts by time); returns the ones removed. */
export function pruneBeforeRestore(dataDir: string, keep: number = BEFORE_RESTORE_KEEP): string[] {
  const old = listDb(dataDir)
    .filter((name) => KEPT_BEFORE_RESTORE.test(name))
    .sort()
    .reverse()
    .slice(keep)
    .map((name) => join(dataDir, name));
  for (const file of old) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return old;
}

function kindOf(name: string): BackupKind {
  if (NIGHTLY.test(name)) return 'nightly';
  if (KEPT_BEFORE_RESTORE.test(name)) return 'before-restore';
  if (name.startsWith('moodbox-uploaded-')) return 'uploaded';
  // Before a migration: `<database>-v<version>-<time>.db` (sqlite-migrations.ts).
  if (/-v\d+-[^/]*\.db$/.test(name)) return 'before-migration';
  return 'manual';
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
