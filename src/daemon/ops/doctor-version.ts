import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from './doctor-check.js';
import { updateWords } from '../../kernel/health-words.js';
import { readLastUpdate, UPDATE_DIR } from './last-update.js';

/**
 * `moodbox doctor`'s version line: the version and commit of this install, and how its last
 * update went (`setup.sh update`): a warning when it was rolled back or failed, with the reason,
 * and how to put the database back when the rollback could not (with the `moodbox` command that
 * `setup.sh install` put on the PATH: only an installed box is updated). The record is read from
 * root's `updateDir`, never from the data directory (see `UPDATE_DIR`).
 */
export function checkVersion(version: string, installDir: string, updateDir: string = UPDATE_DIR): Check {
  const commit = gitCommit(installDir);
  const here = `Moodbox ${version}${commit === undefined ? '' : ` (${commit})`} in ${installDir.replace(/\/$/, '')}`;
  const last = readLastUpdate(updateDir);
  if (last === undefined) return { name: 'version', status: 'ok', message: `${here}; no update since it was installed` };
  if (last === null) return { name: 'version', status: 'warn', message: `${here}; the last update's record is unreadable` };
  const when = updateWords(last);
  if (last.result === 'ok') return { name: 'version', status: 'ok', message: `${here}; ${when} went well` };
  const again = 'fix what the reason says, then run `sudo scripts/setup.sh update` again';
  const restore = last.restore;
  return {
    name: 'version',
    status: 'warn',
    message: `${here}; ${when} ${last.result === 'rolled-back' ? 'was rolled back' : 'failed'}: ${last.reason}`,
    fix:
      restore === undefined
        ? `the version before it runs on; ${again}`
        : `the version before it runs on, with the database as ${last.to} left it, as the copy from before the update could not be put back (${restore.error}). ` +
          `Once what stopped it is fixed, ready the copy with \`moodbox restore ${restore.backup}\` ` +
          `(or another copy, from the admin panel's Backups) and restart Moodbox (sudo systemctl restart moodbox); then ${again}`,
  };
}

function gitCommit(dir: string): string | undefined {
  if (!existsSync(join(dir, '.git'))) return undefined;
  const result = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
