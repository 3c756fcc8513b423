import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import { databasePath } from '../config/paths.js';
import { openSqliteStore, SqliteStore } from '../store/sqlite-store.js';

const silent = { info() {}, warn() {} };

/** A database whose disk a test can fill: SQLite's own page limit stands in for the disk. */
export interface StoreOnDisk {
  readonly store: SqliteStore;
  /** The disk is full from now on: the file may not grow, so a write that needs a new page fails (SQLITE_FULL). */
  readonly limit: () => void;
  /** `limit()`, then the last free page filled too, so that any write fails. */
  readonly fill: () => void;
  /** Room again. */
  readonly space: () => void;
  /** Closes the store and removes its folder. */
  readonly remove: () => void;
}

/** A migrated database in a folder of its own, with `seed` written first (while there is room). */
export function storeOnDisk(clock: Clock, seed: (store: SqliteStore) => void = () => undefined): StoreOnDisk {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-full-'));
  const path = databasePath({ dataDir: dir });
  const setup = openSqliteStore({ clock, log: silent }, { path });
  seed(setup);
  setup.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const store = new SqliteStore(db, clock);
  const limit = (): void => {
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
  };
  return {
    store,
    limit,
    fill: () => {
      limit();
      for (const pad of [512, 64, 0]) {
        for (;;) {
          try {
            store.audit.append({ at: clock.now(), actor: 'test', action: 'fill', target: '', detail: { pad: 'x'.repeat(pad) } });
          } catch {
            break;
          }
        }
      }
    },
    space: () => {
      db.pragma('max_page_count = 1073741823');
    },
    remove: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
