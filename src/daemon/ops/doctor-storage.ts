/**
 * `moodbox doctor`'s checks of the data directory: the database in it, the free space, and what the
 * box keeps there with the days left at the rate it grows.
 */
import { accessSync, constants, existsSync, mkdirSync, statfsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { systemClock } from '../../kernel/clock.js';
import { describeDiskUse, diskUse } from './disk-use.js';
import { databaseUse } from '../store/sqlite-maintenance.js';
import { loadMigrations } from '../store/sqlite-store.js';
import type { Check } from './doctor-check.js';
import { databasePath } from '../config/paths.js';

const MIN_FREE_FAIL = 200 * 1024 * 1024;
const MIN_FREE_WARN = 1024 * 1024 * 1024;

export function checkDatabase(config: Config): Check {
  const name = 'database';
  const path = databasePath(config);
  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  } catch (err) {
    return {
      name,
      status: 'fail',
      message: `data directory ${config.dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      fix: 'set dataDir or MOODBOX_DATA_DIR to a writable folder',
    };
  }
  if (!existsSync(path)) return { name, status: 'ok', message: `${path} will be created at first start` };
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const version = db.pragma('user_version', { simple: true }) as number;
      const integrity = db.pragma('quick_check', { simple: true }) as string;
      // The newest migration's number: numbers may be left unused, so the count of files is not it.
      const latest = loadMigrations().at(-1)?.version ?? 0;
      if (integrity !== 'ok')
        return {
          name,
          status: 'fail',
          message: `${path} is damaged (${integrity})`,
          fix: 'stop Moodbox and restore the newest file from the backups folder beside it',
        };
      if (version > latest)
        return { name, status: 'fail', message: `${path} is from a newer Moodbox (schema ${version} > ${latest})`, fix: 'upgrade Moodbox' };
      return {
        name,
        status: 'ok',
        message: `${path}, schema ${version}${version < latest ? ` (will migrate to ${latest}, with a backup first)` : ''}`,
      };
    } finally {
      db.close();
    }
  } catch (err) {
    return {
      name,
      status: 'fail',
      message: `cannot open ${path}: ${(err as Error).message}`,
      fix: 'check the file permissions of the data directory',
    };
  }
}

export function checkDisk(config: Config): Check {
  try {
    const stats = statfsSync(config.dataDir);
    const free = stats.bavail * stats.bsize;
    const shown = `${(free / 1024 ** 3).toFixed(1)} GiB free in ${config.dataDir}`;
    if (free < MIN_FREE_FAIL)
      return { name: 'disk', status: 'fail', message: shown, fix: 'free disk space: history cannot be written when the disk is full' };
    if (free < MIN_FREE_WARN) return { name: 'disk', status: 'warn', message: shown, fix: 'free some disk space soon' };
    return { name: 'disk', status: 'ok', message: shown };
  } catch (err) {
    return { name: 'disk', status: 'fail', message: `cannot read free space of ${config.dataDir}: ${(err as Error).message}` };
  }
}

/** Below this many days left at the current growth, the disk-use check warns. */
const DAYS_LEFT_WARN = 30;

/** What the box keeps (database by table, covers, backups, logs) and the days left at the rate it grows. */
export function checkDiskUse(config: Config): Check {
  const name = 'disk use';
  const path = databasePath(config);
  try {
    let database;
    if (existsSync(path)) {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        database = databaseUse(db);
      } finally {
        db.close();
      }
    }
    const use = diskUse({ dataDir: config.dataDir, now: systemClock.now(), database, logFile: config.log.file });
    const message = describeDiskUse(use);
    if (use.daysLeft !== null && use.daysLeft < DAYS_LEFT_WARN) {
      return { name, status: 'warn', message, fix: 'free space on this filesystem, or keep less (retention.* in the configuration)' };
    }
    return { name, status: 'ok', message };
  } catch (err) {
    return { name, status: 'warn', message: `cannot measure the disk use of ${config.dataDir}: ${(err as Error).message}` };
  }
}
