import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import { StoreError } from './store-error.js';
import type { Log } from '../../kernel/log.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The first line of a migration that rebuilds a table other tables refer to (`users`): it runs with
 * the foreign keys off, so that dropping the old table deletes nothing that refers to it.
 */
const KEYS_OFF = /^-- foreign keys off\b/;

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Reads `migrations/NNN-name.sql`, in version order. Each version appears once; a number may be
 * left unused (migrations made side by side take their numbers ahead), and a database records the
 * last version applied.
 */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d{3})-([a-z0-9-]+)\.sql$/.exec(file);
      if (!match) throw new TypeError(`Expected migration file names like \`001-name.sql\`, got \`${file}\``);
      return { version: Number(match[1]), name: match[2] ?? '', sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    const before = migrations[i - 1]?.version ?? 0;
    if (m.version <= before || m.version < 1) {
      throw new TypeError(`Expected migration versions to be unique and from 1 up, got \`${m.version}\` twice or out of order (${m.name})`);
    }
  });
  return migrations;
}

/**
 * Brings the schema of `db` up to the last of `migrations`, each in its own transaction. Before any
 * migration of an existing database, a consistent copy is written to `backupDir` (when given).
 */
export function migrate(
  db: Database.Database,
  deps: { clock: Clock; log: Pick<Log, 'info' | 'warn'> },
  options: { migrations: Migration[]; backupDir: string | undefined; label: string },
): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = options.migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreError(
      'MB_ERR_STORE_NEWER',
      `the database is at schema version ${current} but this Moodbox knows only up to ${latest}; upgrade Moodbox or restore a backup`,
    );
  }
  const pending = options.migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;

  if (current > 0 && options.backupDir !== undefined) {
    mkdirSync(options.backupDir, { recursive: true, mode: 0o700 });
    const stamp = new Date(deps.clock.now()).toISOString().replace(/[:.]/g, '-');
    const backup = join(options.backupDir, `${options.label}-v${current}-${stamp}.db`);
    // VACUUM INTO writes a consistent, compact copy synchronously, WAL contents included.
    db.prepare('VACUUM INTO ?').run(backup);
    chmodSync(backup, 0o600);
    deps.log.info({ backup, from: current }, 'database backed up before migration');
  }
  for (const migration of pending) {
    // SQLite's own way to rebuild a table others refer to: its foreign keys off while it runs (a
    // pragma a transaction ignores), the references checked before it commits: it breaks none.
    const isKeysOff = KEYS_OFF.test(migration.sql) && db.pragma('foreign_keys', { simple: true }) === 1;
    const broken = (): number => (isKeysOff ? (db.pragma('foreign_key_check') as unknown[]).length : 0);
    if (isKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        const before = broken();
        db.exec(migration.sql);
        const after = broken();
        if (after > before) throw new Error(`${after - before} row(s) would refer to rows that are gone`);
        db.pragma(`user_version = ${migration.version}`);
      })();
      deps.log.info({ version: migration.version, name: migration.name }, 'database migrated');
    } catch (err) {
      throw new StoreError(
        'MB_ERR_STORE_MIGRATION',
        `migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    } finally {
      if (isKeysOff) db.pragma('foreign_keys = ON');
    }
  }
}
