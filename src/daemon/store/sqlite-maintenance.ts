import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { CompactResult, DatabaseUse, MaintenanceRepository, PrunedLog } from './store-maintenance.js';

type Db = Database.Database;

/** `PRAGMA auto_vacuum` value of a database whose free pages an incremental vacuum returns to the disk. */
const AUTO_VACUUM_INCREMENTAL = 2;

/** The logs retention prunes: the table and its time column. Nothing references their rows. */
const PRUNED: Record<PrunedLog, { table: string; column: string; closed: string }> = {
  mood_log: { table: 'mood_log', column: 'at', closed: '1' },
  // A play still open (playing now, or left open until the next start closes it) is never removed.
  plays: { table: 'plays', column: 'started_at', closed: 'ended_at IS NOT NULL' },
  audit_log: { table: 'audit_log', column: 'at', closed: '1' },
};

/**
 * What the nightly retention job does to the database, in steps small enough (`limit` rows) that
 * the daemon's other work goes on between them: better-sqlite3 runs on the event loop.
 */
export function maintenanceRepo(
  db: Db,
  deps: { guard: <T>(fn: () => T) => T; pruneMoodSlots: (before: number) => number },
): MaintenanceRepository {
  const { guard } = deps;
  const prune = Object.fromEntries(
    Object.entries(PRUNED).map(([what, { table, column, closed }]) => [
      what,
      db.prepare<[number, number]>(
        `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? AND ${closed} ORDER BY ${column} LIMIT ?)`,
      ),
    ]),
  ) as Record<PrunedLog, Database.Statement<[number, number]>>;
  // Within each minute of [from, to) only the last change stays: the room's mood at the end of that
  // minute, which is what a chart of a week or more draws.
  const thin = db.prepare<[number, number, number]>(
    `DELETE FROM mood_log WHERE id IN (
       SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY at / 60000 ORDER BY at DESC, id DESC) AS n
         FROM mood_log WHERE at >= ? AND at < ?)
       WHERE n > 1 LIMIT ?)`,
  );
  // Guests' likes are kept as long as the plays they were given to (prepared at first use: a database
  // opened at an older version has no such table).
  let pruneGuestLikes: Database.Statement<[number, number]> | undefined;
  const isFile = (): boolean => !db.memory;
  return {
    prune(what, before, limit) {
      const removed = guard(() => prune[what].run(before, limit).changes);
      if (what === 'plays') {
        pruneGuestLikes ??= db.prepare('DELETE FROM guest_likes WHERE id IN (SELECT id FROM guest_likes WHERE at < ? ORDER BY at LIMIT ?)');
        guard(() => pruneGuestLikes?.run(before, limit));
      }
      // The mood log's slots go with it: a day's are a few hundred rows.
      if (what === 'mood_log') deps.pruneMoodSlots(before);
      return removed;
    },
    thinMoodLog: (from, to, limit) => guard(() => thin.run(from, to, limit).changes),
    compact() {
      return guard(() => {
        const started = performance.now();
        db.pragma('optimize');
        let isFullVacuum = false;
        const mode = Number(db.pragma('auto_vacuum', { simple: true }));
        if (mode !== AUTO_VACUUM_INCREMENTAL) {
          // A database made before incremental vacuum was turned on: one full VACUUM sets it. It
          // writes a copy of the whole file, so it waits for a night with that much room left.
          const bytes = isFile() ? statSync(db.name).size : 0;
          const free = isFile() ? freeDiskBytes(db.name) : Number.POSITIVE_INFINITY;
          if (free < 2 * bytes) {
            return { pagesFreed: 0, isFullVacuum, ms: performance.now() - started, skipped: 'too little free disk for a full vacuum' };
          }
          const before = Number(db.pragma('page_count', { simple: true }));
          db.pragma(`auto_vacuum = ${AUTO_VACUUM_INCREMENTAL}`);
          db.exec('VACUUM');
          isFullVacuum = true;
          const pagesFreed = before - Number(db.pragma('page_count', { simple: true }));
          if (isFile()) db.pragma('wal_checkpoint(TRUNCATE)');
          return { pagesFreed: Math.max(pagesFreed, 0), isFullVacuum, ms: performance.now() - started } satisfies CompactResult;
        }
        const free = Number(db.pragma('freelist_count', { simple: true }));
        db.pragma('incremental_vacuum');
        // The freed pages are written through the log: empty it, so the -wal file does not keep the room.
        if (isFile()) db.pragma('wal_checkpoint(TRUNCATE)');
        return { pagesFreed: free, isFullVacuum, ms: performance.now() - started } satisfies CompactResult;
      });
    },
    use: () => databaseUse(db),
    coversByLastPlay: () =>
      db
        .prepare<[], { cover: string; lastPlayedAt: number | null }>(
          `SELECT t.cover AS cover, max(p.started_at) AS lastPlayedAt FROM tracks t LEFT JOIN plays p ON p.track_id = t.id
           WHERE t.cover IS NOT NULL GROUP BY t.cover ORDER BY lastPlayedAt IS NOT NULL, lastPlayedAt, cover`,
        )
        .all(),
    forgetCovers(names) {
      guard(() =>
        db.transaction(() => {
          const forget = db.prepare('UPDATE tracks SET cover = NULL WHERE cover = ?');
          for (const name of names) forget.run(name);
        })(),
      );
    },
  };
}

/** Bytes free to this user on the filesystem that holds `path`. */
function freeDiskBytes(path: string): number {
  const disk = statfsSync(dirname(path));
  return disk.bavail * disk.bsize;
}

/** The database's size on disk: the file, its log, free pages and each table with its indexes. */
export function databaseUse(db: Db): DatabaseUse {
  const isFile = !db.memory;
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const tables = new Map<string, number>();
  const owners = new Map(
    db
      .prepare<[], { name: string; tbl_name: string }>("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')")
      .all()
      .map((r) => [r.name, r.tbl_name]),
  );
  // dbstat counts every page by the table or index it belongs to; an index counts with its table.
  for (const row of db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all()) {
    const table = owners.get(row.name) ?? row.name;
    tables.set(table, (tables.get(table) ?? 0) + row.bytes);
  }
  const freePages = Number(db.pragma('freelist_count', { simple: true }));
  const fileBytes = isFile ? statSync(db.name).size : Number(db.pragma('page_count', { simple: true })) * pageSize;
  let walBytes = 0;
  try {
    walBytes = isFile ? statSync(`${db.name}-wal`).size : 0;
  } catch {
    // No log file (yet).
  }
  return {
    fileBytes,
    walBytes,
    freeBytes: freePages * pageSize,
    tables: [...tables].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name)),
  };
}
