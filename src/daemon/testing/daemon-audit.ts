import Database from 'better-sqlite3';
import { databasePath } from '../config/paths.js';
import { until } from './daemon-process.js';

/** A line of a running daemon's audit log, as its database file holds it. */
export interface AuditRow {
  id: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** The audit log's lines after `afterId`, oldest first, read from the database file of the daemon whose data folder is `dataDir`. */
export function auditAfter(dataDir: string, afterId: number): AuditRow[] {
  const db = new Database(databasePath({ dataDir }), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, actor, action, detail FROM audit_log WHERE id > ? ORDER BY id').all(afterId) as Array<
      Omit<AuditRow, 'detail'> & { detail: string }
    >;
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

/** The id of the audit log's last line (0 while it is empty). */
export function lastAuditId(dataDir: string): number {
  return auditAfter(dataDir, 0).at(-1)?.id ?? 0;
}

/**
 * Does `act` (a command sent to the daemon) and waits for the audit lines it writes; throws, with
 * `what` and `lastSaid()` (the daemon's last log lines), when none comes within 20 s.
 */
export async function auditedBy(dataDir: string, act: () => Promise<unknown>, what: string, lastSaid: () => unknown): Promise<AuditRow[]> {
  const before = lastAuditId(dataDir);
  await act();
  return until(
    () => {
      const after = auditAfter(dataDir, before);
      return after.length > 0 ? after : undefined;
    },
    20_000,
    () => `no audit line for ${what}; the daemon said: ${JSON.stringify(lastSaid())}`,
  );
}
