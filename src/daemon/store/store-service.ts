import type { Clock } from '../../kernel/clock.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Logger } from '../logging.js';
import type { Store } from './store.js';

/**
 * The database as a service: the composition root opens (and migrates) it first, since every
 * other service is built on it; at start this closes plays a crash left open, at stop it closes
 * the database, and its health is whether the database answers.
 */
export class StoreService implements Service {
  readonly name = 'database';
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  #isOpen = true;

  constructor(deps: { store: Store; clock: Clock; log: Logger }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  async start(): Promise<void> {
    const closed = this.#store.plays.closeDangling(this.#clock.now());
    if (closed > 0) this.#log.warn({ plays: closed }, 'plays left open by an unclean stop marked interrupted');
  }

  async stop(): Promise<void> {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#store.close();
  }

  health(): ServiceHealth {
    if (!this.#isOpen || !this.#store.ping()) return { status: 'failed', detail: 'the database does not answer' };
    const problem = this.#store.spaceProblem();
    return problem === null ? { status: 'ready' } : { status: 'degraded', detail: `cannot write to the database: ${problem}` };
  }
}
