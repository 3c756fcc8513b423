/**
 * The store's port for its own upkeep: pruning and thinning the logs, compacting the file, and the
 * database by part for the disk report.
 */

/** The logs the retention job prunes by age. */
export type PrunedLog = 'mood_log' | 'plays' | 'audit_log';

/** What `compact()` did. */
export interface CompactResult {
  /** Pages given back to the disk (an incremental vacuum) or saved by a full one. */
  pagesFreed: number;
  /** A full VACUUM ran (once, to turn incremental vacuum on for a database made without it). */
  isFullVacuum: boolean;
  /** Time it took (ms). */
  ms: number;
  /** Why nothing was done, when nothing was. */
  skipped?: string;
}

/** The database file by part: bytes per table (its indexes included), the log and the free pages inside the file. */
export interface DatabaseUse {
  fileBytes: number;
  walBytes: number;
  freeBytes: number;
  /** Largest first. */
  tables: Array<{ name: string; bytes: number }>;
}

/**
 * The database's upkeep, for the nightly retention job and the disk report. Every removing method
 * works in steps of at most `limit` rows, so the daemon's other work goes on between them.
 */
export interface MaintenanceRepository {
  /** Removes up to `limit` rows of `what` from before `before` (epoch ms), oldest first; a play still open is never removed. Returns how many went. */
  prune(what: PrunedLog, before: number, limit: number): number;
  /** Thins the mood log in [from, to) (epoch ms) to the last change of each minute, up to `limit` rows; returns how many went. */
  thinMoodLog(from: number, to: number, limit: number): number;
  /** `PRAGMA optimize` and an incremental vacuum (a full one, once, on a database made without incremental vacuum). */
  compact(): CompactResult;
  use(): DatabaseUse;
  /** Every cover file tracks name, with when one of them last played (null: never), least recently played first. */
  coversByLastPlay(): Array<{ cover: string; lastPlayedAt: number | null }>;
  /** Tracks with these covers show none from now on (their files are gone). */
  forgetCovers(names: readonly string[]): void;
}
