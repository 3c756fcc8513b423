import type Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import { StoreError } from './store-error.js';
import {
  deletedPerson,
  type Card,
  type CardRepository,
  type Session,
  type SessionRepository,
  type User,
  type UserRepository,
} from './store.js';
import { guard } from './sqlite-guard.js';
import { insertAuditLine } from './sqlite-audit.js';
import { parseJson } from '../../kernel/json.js';

type Db = Database.Database;

interface UserRow {
  id: number;
  name: string;
  role: User['role'];
  pin_hash: string | null;
  must_change_pin: number;
  disabled: number;
  preferences: string;
  created_at: number;
  updated_at: number;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  pinHash: r.pin_hash,
  mustChangePin: r.must_change_pin === 1,
  disabled: r.disabled === 1,
  preferences: parseJson(r.preferences) as User['preferences'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The audit actions whose `target` is a person's name: a line written before lines kept their
 * subject (migration 18) is about the person deleted when it names them. Others name a song or a
 * station, which may be spelled as a person is.
 */
const PERSON_ACTIONS = [
  'user.create',
  'user.update',
  'user.pin',
  'user.export',
  'user.delete',
  'history.remove',
  'auth.sign-in',
  'auth.failed',
  'auth.unlock',
  'card.link',
]
  .map((action) => `'${action}'`)
  .join(', ');

/** The people: name, role, PIN hash, preferences; deleting one takes their history if asked. */
export function usersRepo(db: Db, clock: Clock): UserRepository {
  const now = (): number => clock.now();
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?');
  const repo: UserRepository = {
    create({ name, role, pinHash = null, mustChangePin = false }) {
      return guard(() => {
        const at = now();
        const info = db
          .prepare('INSERT INTO users (name, role, pin_hash, must_change_pin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(name, role, pinHash, mustChangePin ? 1 : 0, at, at);
        return toUser(byId.get(Number(info.lastInsertRowid)) as UserRow);
      });
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toUser(row) : undefined;
    },
    byName: (name) => {
      const row = byName.get(name);
      return row ? toUser(row) : undefined;
    },
    list: () => db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name').all().map(toUser),
    update(id, patch) {
      return guard(() => {
        const sets: string[] = [];
        const values: unknown[] = [];
        const add = (column: string, value: unknown): void => {
          sets.push(`${column} = ?`);
          values.push(value);
        };
        if (patch.name !== undefined) add('name', patch.name);
        if (patch.role !== undefined) add('role', patch.role);
        if (patch.pinHash !== undefined) add('pin_hash', patch.pinHash);
        if (patch.mustChangePin !== undefined) add('must_change_pin', patch.mustChangePin ? 1 : 0);
        if (patch.disabled !== undefined) add('disabled', patch.disabled ? 1 : 0);
        if (patch.preferences !== undefined) add('preferences', JSON.stringify(patch.preferences));
        add('updated_at', now());
        const info = db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
        if (info.changes === 0) throw new StoreError('MB_ERR_NOT_FOUND', `no user with id ${id}`);
        return toUser(byId.get(id) as UserRow);
      });
    },
    delete(id, history, audit) {
      guard(() =>
        db.transaction(() => {
          const user = byId.get(id);
          if (user === undefined) throw new StoreError('MB_ERR_NOT_FOUND', `no user with id ${id}`);
          if (history === 'remove') db.prepare('DELETE FROM plays WHERE user_id = ?').run(id);
          // Their lines stay, about nobody who can be named: no subject either, as a later account
          // may be given the same id.
          db.prepare(
            `UPDATE audit_log SET target = ?, subject_id = NULL, detail = json_remove(detail, '$.card')
             WHERE subject_id = ? OR (subject_id IS NULL AND target = ? COLLATE NOCASE AND action IN (${PERSON_ACTIONS}))`,
          ).run(deletedPerson(id), id, user.name);
          db.prepare('DELETE FROM users WHERE id = ?').run(id);
          if (audit !== undefined) {
            insertAuditLine(db, { ...audit, target: deletedPerson(id) });
          }
        })(),
      );
      // The log still holds the pages as they were before: copy the zeroed ones into the database and
      // empty it. The deletion stands if that fails (a full disk): SQLite's next checkpoint does it.
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Nothing to undo.
      }
    },
    count: () => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n,
  };
  return repo;
}

/** The RFID cards, each linked to one person. */
export function cardsRepo(db: Db, clock: Clock): CardRepository {
  interface Row {
    card_id: string;
    user_id: number;
    label: string;
    created_at: number;
  }
  const toCard = (r: Row): Card => ({ cardId: r.card_id, userId: r.user_id, label: r.label, createdAt: r.created_at });
  return {
    link({ cardId, userId, label = '' }) {
      return guard(() => {
        db.prepare(
          'INSERT INTO cards (card_id, user_id, label, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (card_id) DO UPDATE SET user_id = excluded.user_id, label = excluded.label',
        ).run(cardId, userId, label, clock.now());
        return toCard(db.prepare<[string], Row>('SELECT * FROM cards WHERE card_id = ?').get(cardId) as Row);
      });
    },
    unlink: (cardId) => guard(() => db.prepare('DELETE FROM cards WHERE card_id = ?').run(cardId).changes > 0),
    get: (cardId) => {
      const row = db.prepare<[string], Row>('SELECT * FROM cards WHERE card_id = ?').get(cardId);
      return row ? toCard(row) : undefined;
    },
    forUser: (userId) => db.prepare<[number], Row>('SELECT * FROM cards WHERE user_id = ? ORDER BY created_at').all(userId).map(toCard),
  };
}

/** The signed-in sessions, kept by the hash of their token. */
export function sessionsRepo(db: Db): SessionRepository {
  interface Row {
    token_hash: string;
    user_id: number;
    kind: Session['kind'];
    csrf_token: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
  }
  const toSession = (r: Row): Session => ({
    tokenHash: r.token_hash,
    userId: r.user_id,
    kind: r.kind,
    csrfToken: r.csrf_token,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
  });
  return {
    create(s) {
      guard(() =>
        db
          .prepare(
            'INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(s.tokenHash, s.userId, s.kind, s.csrfToken, s.createdAt, s.lastSeenAt, s.expiresAt),
      );
      return { ...s };
    },
    get: (tokenHash) => {
      const row = db.prepare<[string], Row>('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash);
      return row ? toSession(row) : undefined;
    },
    touch: (tokenHash, lastSeenAt, expiresAt) => {
      guard(() =>
        db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?').run(lastSeenAt, expiresAt, tokenHash),
      );
    },
    delete: (tokenHash) => {
      guard(() => db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash));
    },
    deleteForUser: (userId, kind) =>
      guard(() =>
        kind === undefined
          ? db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes
          : db.prepare('DELETE FROM sessions WHERE user_id = ? AND kind = ?').run(userId, kind).changes,
      ),
    deleteExpired: (now) => guard(() => db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now).changes),
  };
}
