import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PENDING_META, PENDING_RESTORE, type PendingRestore } from './backups.js';
import { restoreProblemsOffLoop } from './restore-check.js';
import { BACKUP_REFUSALS } from '../ops/backup-refusals.js';

/**
 * Readies the backup at `file` to replace the database at the next start (`applyPendingRestore`):
 * a copy of it, checked as `moodbox restore` checks (`restoreProblems`), waits in the data
 * directory. Refused with `MB_ERR_STORE_RESTORE` and its reasons, and then nothing waits. The copy
 * is made by libuv's threads and the check runs in a child process: the event loop keeps turning
 * while a large backup is read.
 */
export async function stageRestore(dataDir: string, file: string, meta: PendingRestore): Promise<void> {
  const pending = join(dataDir, PENDING_RESTORE);
  const partial = `${pending}.part`;
  const drop = (path: string): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  drop(partial);
  try {
    await copyFile(file, partial);
    await chmod(partial, 0o600);
  } catch (err) {
    drop(partial);
    throw err;
  }
  const problems = await restoreProblemsOffLoop(partial, meta.from);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  if (problems.length > 0) {
    drop(partial);
    throw BACKUP_REFUSALS.cannotRestore(meta.from, problems);
  }
  writeFileSync(join(dataDir, PENDING_META), `${JSON.stringify(meta)}\n`, { mode: 0o600 });
  drop(pending);
  renameSync(partial, pending);
}
