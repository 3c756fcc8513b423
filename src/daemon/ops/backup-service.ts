import { join } from 'node:path';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import { backupDatabase, backupName, backupsDir, DATABASE_FILE, NIGHTLY_KEEP, pruneNightly } from '../store/backups.js';

/** The local hour of the nightly copy (a café is closed, a home asleep). */
export const NIGHTLY_HOUR = 3;

/**
 * A copy of the database every night at 03:00 local time, into `<dataDir>/backups`, keeping the
 * newest seven. Timed by the injected clock; a copy that fails is logged, shown in health, and
 * tried again the next night.
 */
export class BackupService implements Service {
  readonly name = 'backups';
  readonly #clock: Clock;
  readonly #log: Pick<Log, 'info' | 'error'>;
  readonly #dataDir: string;
  #timer: Timer | undefined;
  #failure: string | undefined;
  #running: Promise<void> | undefined;

  constructor(deps: { clock: Clock; log: Pick<Log, 'info' | 'error'> }, options: { dataDir: string }) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#dataDir = options.dataDir;
  }

  async start(): Promise<void> {
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#running;
  }

  health(): ServiceHealth {
    return this.#failure === undefined ? { status: 'ready' } : { status: 'degraded', detail: this.#failure };
  }

  /** Takes a nightly copy now and removes the oldest beyond seven; resolves with the copy's path. */
  async backUp(): Promise<string> {
    const target = join(backupsDir(this.#dataDir), backupName('nightly', this.#clock.now()));
    try {
      await backupDatabase(join(this.#dataDir, DATABASE_FILE), target);
      const removed = pruneNightly(this.#dataDir, NIGHTLY_KEEP);
      this.#failure = undefined;
      this.#log.info({ backup: target, removed: removed.length }, 'database backed up');
      return target;
    } catch (err) {
      this.#failure = `the last nightly backup failed: ${(err as Error).message}`;
      this.#log.error({ err }, 'nightly backup failed');
      throw err;
    }
  }

  #schedule(): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#running = this.backUp().then(
        () => undefined,
        () => undefined,
      );
      this.#schedule();
    }, msUntilNight(this.#clock.now()));
  }
}

/** Milliseconds from `now` (epoch ms) to the next 03:00 local time, always more than zero. */
export function msUntilNight(now: number): number {
  const next = new Date(now);
  next.setHours(NIGHTLY_HOUR, 0, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime() - now;
}
