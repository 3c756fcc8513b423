import type Database from 'better-sqlite3';
import { parseJson } from '../../kernel/json.js';
import { clampLimit, guard } from './sqlite-guard.js';
import type { AuditEntry, AuditRepository } from './store.js';

type Db = Database.Database;

/** One line for the audit log, as every repository writes it. */
export type AuditLine = Parameters<AuditRepository['append']>[0];

/**
 * Writes one audit line: the one statement that adds to `audit_log`, for the audit repository and
 * for a repository that writes its line in its own transaction (a person deleted). The caller
 * guards it. Returns the line's id.
 */
export function insertAuditLine(db: Db, { at, actor, action, target, detail = {}, subjectId }: AuditLine): number {
  const { lastInsertRowid } = db
    .prepare('INSERT INTO audit_log (at, actor, action, target, detail, subject_id) VALUES (?, ?, ?, ?, ?, ?)')
    .run(at, actor, action, target, JSON.stringify(detail), subjectId ?? null);
  return Number(lastInsertRowid);
}

export function auditRepo(db: Db): AuditRepository {
  interface Row {
    id: number;
    at: number;
    actor: string;
    action: string;
    target: string;
    detail: string;
  }
  return {
    append: (entry) => guard(() => insertAuditLine(db, entry)),
    amend(id, detail) {
      guard(() => db.prepare('UPDATE audit_log SET detail = ? WHERE id = ?').run(JSON.stringify(detail), id));
    },
    withdraw(id) {
      guard(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(id));
    },
    list(options = {}) {
      const clause = options.action === undefined ? '' : 'WHERE action = ?';
      const params = options.action === undefined ? [] : [options.action];
      const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare<unknown[], Row>(
          `SELECT id, at, actor, action, target, detail FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(...params, clampLimit(options.limit), Math.max(options.offset ?? 0, 0));
      return {
        items: rows.map((r): AuditEntry => ({ ...r, detail: parseJson(r.detail) as Record<string, unknown> })),
        total,
      };
    },
  };
}
