import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PENDING_META, PENDING_RESTORE, type PendingRestore } from './backups.js';
import { restoreProblemsOffLoop } from './restore-check.js';
import { BACKUP_REFUSALS } from './backup-refusals.js';

/**
 * Readies a backup to replace the database at the next start (`applyPendingRestore`): the one
 * restore, whichever door asked for it (the admin panel, or `moodbox restore`). A copy of it,
 * checked (`restoreProblems`), waits in the data directory; the start puts it in place, keeps
 * today's people unless `meta.people` asks for the backup's, signs everyone out, and reviews its
 * settings and rows before anything uses them. Refused with `MB_ERR_STORE_RESTORE` and its
 * reasons, and then nothing waits. `source` is the backup's path, or its bytes as a stream (a file
 * opened before the command gave up root's rights). The copy is made by libuv's threads and the
 * check runs in a child process: the event loop keeps turning while a large backup is read.
 */
export async function stageRestore(dataDir: string, source: string | Readable, meta: PendingRestore): Promise<void> {
  const pending = join(dataDir, PENDING_RESTORE);
  const partial = `${pending}.part`;
  const drop = (path: string): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  drop(partial);
  try {
    if (typeof source === 'string') await copyFile(source, partial);
    else await pipeline(source, createWriteStream(partial, { mode: 0o600, flags: 'wx' }));
    await chmod(partial, 0o600);
  } catch (err) {
    drop(partial);
    throw err;
  }
  const problems = await restoreProblemsOffLoop(partial, meta.from);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  if (problems.length > 0) {
    // Nothing waits but the last restore asked for: one that failed leaves no older one to go in unannounced.
    drop(partial);
    drop(pending);
    rmSync(join(dataDir, PENDING_META), { force: true });
    throw BACKUP_REFUSALS.cannotRestore(meta.from, problems);
  }
  writeFileSync(join(dataDir, PENDING_META), `${JSON.stringify(meta)}\n`, { mode: 0o600 });
  drop(pending);
  renameSync(partial, pending);
}
