import { existsSync, linkSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_REFUSALS } from './backup-refusals.js';

/**
 * Moves `partial` into `dir` as `name`, or, when a backup of that name is there already (two in the
 * same second), as `name` with `-2`, `-3`… before `.db`: never over another backup. Returns the name.
 */
export function placeUnique(partial: string, dir: string, name: string): string {
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? name : name.replace(/\.db$/, `-${n}.db`);
    const target = join(dir, candidate);
    try {
      // A hard link fails when the name is taken, where a rename would replace it.
      linkSync(partial, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // A file system without hard links (FAT on a USB stick): the name is checked, then taken.
      if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') && !existsSync(target)) {
        renameSync(partial, target);
        return candidate;
      }
      rmSync(partial, { force: true });
      throw BACKUP_REFUSALS.cannotKeep(candidate, (err as Error).message, err);
    }
    rmSync(partial, { force: true });
    return candidate;
  }
  rmSync(partial, { force: true });
  throw BACKUP_REFUSALS.tooManyOfName(name);
}

/** A partial file left by a copy or an upload cut short (a crash, a power cut): never a backup, removed at start. */
const PARTIAL = /^(\.upload-[0-9a-f]+\.part|.*\.db(\.[0-9a-f]+)?\.part)(-wal|-shm|-journal)?$/;

/** Removes the partial files an interrupted backup or upload left in the backups folder `dir`; returns their names. */
export function removePartials(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => PARTIAL.test(name));
  } catch {
    return [];
  }
  for (const name of names) rmSync(join(dir, name), { force: true });
  return names;
}
