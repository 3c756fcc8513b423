import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateLine, type UpdateRecord } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import { parseJson } from '../../kernel/json.js';

/**
 * A rollback's restore of the database that failed: the copy from before the update that could not
 * be put back (it is kept), and why. The previous version was started all the same, on the
 * database as the failed version left it.
 */
export interface FailedRestore {
  result: 'failed';
  backup: string;
  error: string;
}

/** What `scripts/update.sh` writes after each update: `last-update.json` in `UPDATE_DIR`. */
export type LastUpdate = UpdateRecord & { restore?: FailedRestore };

export const LAST_UPDATE_FILE = 'last-update.json';

/**
 * Where `scripts/update.sh` keeps its records: a folder of root's (0755), which the daemon reads and
 * the service user cannot write. Never the data directory: a record there is the service user's to
 * write, and the update, run as root, would write it through any link planted in its place.
 */
export const UPDATE_DIR = '/var/lib/moodbox-update';

/** The record in `updateDir`, undefined when there is none, null when it cannot be read as one (any file may be there). */
export function readLastUpdate(updateDir: string = UPDATE_DIR): LastUpdate | null | undefined {
  const file = join(updateDir, LAST_UPDATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const value = parseJson(readFileSync(file, 'utf8')) as Partial<LastUpdate>;
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
    const { restore } = value;
    const isFailedRestore =
      typeof restore === 'object' && restore !== null && restore.result === 'failed' && isText(restore.backup) && isText(restore.error);
    if (restore !== undefined && !isFailedRestore) return null;
    const record: LastUpdate = {
      at: value.at,
      result: value.result as LastUpdate['result'],
      from: value.from,
      to: value.to,
      reason: value.reason,
    };
    return restore === undefined ? record : { ...record, restore: { result: 'failed', backup: restore.backup, error: restore.error } };
  } catch {
    return null;
  }
}

/** How the last update went, as a health line: degraded after one that was rolled back or failed, with its reason. */
export function lastUpdateHealth(last: LastUpdate | null | undefined): ServiceHealth {
  if (last === null) return { status: 'degraded', detail: `the last update's record (${LAST_UPDATE_FILE}) cannot be read` };
  return { status: last === undefined || last.result === 'ok' ? 'ready' : 'degraded', ...updateLine(last) };
}

/**
 * The last update's result (`setup.sh update`) on the admin panel's Health card and `/api/health`:
 * read once at start, as an update ends by starting Moodbox again (the new version, or the old one
 * after a rollback). The data directory it is given is not read (see `UPDATE_DIR`).
 */
export function lastUpdateService(updateDir: string = UPDATE_DIR): Service {
  let health: ServiceHealth = { status: 'ready' };
  return {
    name: 'update',
    start: async () => {
      health = lastUpdateHealth(readLastUpdate(updateDir));
    },
    stop: async () => {},
    health: () => health,
  };
}
