import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from './doctor-check.js';

/** What `scripts/update.sh` writes after each update: `last-update.json` in the data directory. */
export interface LastUpdate {
  at: string;
  result: 'ok' | 'rolled-back' | 'failed';
  from: string;
  to: string;
  reason: string;
}

export const LAST_UPDATE_FILE = 'last-update.json';

/**
 * `moodbox doctor`'s version line: the version and commit of this install, and how its last
 * update went (`setup.sh update`): a warning when it was rolled back or failed, with the reason.
 */
export function checkVersion(version: string, installDir: string, dataDir: string): Check {
  const commit = gitCommit(installDir);
  const here = `Moodbox ${version}${commit === undefined ? '' : ` (${commit})`} in ${installDir.replace(/\/$/, '')}`;
  const last = readLastUpdate(join(dataDir, LAST_UPDATE_FILE));
  if (last === undefined) return { name: 'version', status: 'ok', message: `${here}; no update since it was installed` };
  if (last === null) return { name: 'version', status: 'warn', message: `${here}; the last update's record is unreadable` };
  const when = `the last update (${last.at.slice(0, 16).replace('T', ' ')} UTC, ${last.from} → ${last.to})`;
  if (last.result === 'ok') return { name: 'version', status: 'ok', message: `${here}; ${when} went well` };
  return {
    name: 'version',
    status: 'warn',
    message: `${here}; ${when} ${last.result === 'rolled-back' ? 'was rolled back' : 'failed'}: ${last.reason}`,
    fix: 'the version before it runs on; fix what the reason says, then run `sudo scripts/setup.sh update` again',
  };
}

function gitCommit(dir: string): string | undefined {
  if (!existsSync(join(dir, '.git'))) return undefined;
  const result = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The record, undefined when there is none, null when it cannot be read as one. */
function readLastUpdate(file: string): LastUpdate | null | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LastUpdate>;
    const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 1000;
    if (
      !isText(value.at) ||
      !isText(value.from) ||
      !isText(value.to) ||
      !isText(value.reason) ||
      !['ok', 'rolled-back', 'failed'].includes(value.result ?? '')
    ) {
      return null;
    }
    return value as LastUpdate;
  } catch {
    return null;
  }
}
