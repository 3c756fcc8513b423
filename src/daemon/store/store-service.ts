import { join } from 'node:path';
import type { Clock } from '../kernel/clock.js';
import type { Service, ServiceHealth } from '../kernel/lifecycle.js';
import type { Logger } from '../logging.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Opens the database at start (migrating it, with a backup first) and closes it at stop. */
export class StoreService implements Service {
  readonly name = 'database';
  readonly #deps: { clock: Clock; log: Logger };
  readonly #dataDir: string;
  #store: SqliteStore | undefined;

  constructor(deps: { clock: Clock; log: Logger }, options: { dataDir: string }) {
    this.#deps = deps;
    this.#dataDir = options.dataDir;
  }

  /** The open store; throws before `start` has succeeded. */
  get store(): Store {
    if (!this.#store) throw new Error('the database is not open yet');
    return this.#store;
  }

  async start(): Promise<void> {
    const path = join(this.#dataDir, 'moodbox.db');
    this.#store = openSqliteStore(this.#deps, { path });
    const closed = this.#store.plays.closeDangling(this.#deps.clock.now());
    if (closed > 0) this.#deps.log.warn({ plays: closed }, 'plays left open by an unclean stop marked interrupted');
    this.#deps.log.info({ path, schema: this.#store.schemaVersion() }, 'database open');
  }

  async stop(): Promise<void> {
    this.#store?.close();
    this.#store = undefined;
  }

  health(): ServiceHealth {
    return this.#store?.ping() ? { status: 'ready' } : { status: 'failed', detail: 'the database does not answer' };
  }
}
