import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { msUntilNight } from '../backups/backup-service.js';
import { recordDiskSample } from './disk-use.js';
import type { Config } from '../config/schema.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Log } from '../../kernel/log.js';
import type { CompactResult, MaintenanceRepository, PrunedLog } from '../store/store-maintenance.js';

const DAY_MS = 86_400_000;
/** The retention job runs this long after the nightly backup, so last night's copy still holds what it removes (ms). */
export const RETENTION_AFTER_BACKUP_MS = 30 * 60_000;
/** Rows removed in one step; the event loop turns between steps (a step takes a few ms). */
const STEP_ROWS = 2000;
/** Files in the covers folder that are no cover images. */
const NOT_COVERS = new Set(['folder-covers.json']);

/** What one run of the retention job did. */
export interface RetentionReport {
  /** Rows removed per log: older than its window. */
  removed: Record<PrunedLog, number>;
  /** Mood changes thinned to one a minute (older than `retention.moodLogFullDays`). */
  thinned: number;
  /** Cover files removed to stay within `retention.coversMiB`. */
  coversRemoved: number;
  compact: CompactResult;
  /** ms. */
  ms: number;
}

export interface RetentionServiceDeps {
  clock: Clock;
  log: Pick<Log, 'info' | 'error'>;
  store: { readonly maintenance: MaintenanceRepository };
  /** The retention settings now (they may change from the admin panel between nights). */
  settings: () => Config['retention'];
}

/**
 * Keeps the box's disk use bounded: every night, half an hour after the backup, it removes the
 * mood log, plays and audit entries older than their windows, thins the mood log older than
 * `moodLogFullDays` to the last change of each minute, removes the covers of the least recently
 * played tracks beyond `coversMiB`, then runs `PRAGMA optimize` and an incremental vacuum. A row
 * inside its window is never touched. Timed by the injected clock; a run that fails is logged,
 * shown in health and tried again the next night.
 */
export class RetentionService implements Service {
  readonly name = 'retention';
  readonly #deps: RetentionServiceDeps;
  readonly #coversDir: string;
  readonly #dataDir: string | undefined;
  #timer: Timer | undefined;
  #failure: string | undefined;
  #running: Promise<unknown> | undefined;
  #isStopped = false;

  /** `dataDir`: where the data directory's size is recorded after each run (the rate `moodbox doctor` shows); left out, it is not. */
  constructor(deps: RetentionServiceDeps, options: { coversDir: string; dataDir?: string }) {
    this.#deps = deps;
    this.#coversDir = options.coversDir;
    this.#dataDir = options.dataDir;
  }

  async start(): Promise<void> {
    this.#isStopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#running;
  }

  health(): ServiceHealth {
    return this.#failure === undefined ? { status: 'ready' } : { status: 'degraded', detail: this.#failure };
  }

  /** Applies the retention settings now; resolves with what was done. */
  async run(): Promise<RetentionReport> {
    const { clock, log, store, settings } = this.#deps;
    const started = clock.monotonic();
    try {
      const policy = settings();
      const now = clock.now();
      const removed: Record<PrunedLog, number> = {
        mood_log: await this.#steps((limit) => store.maintenance.prune('mood_log', now - policy.moodLogDays * DAY_MS, limit)),
        plays: await this.#steps((limit) => store.maintenance.prune('plays', now - policy.playsDays * DAY_MS, limit)),
        audit_log: await this.#steps((limit) => store.maintenance.prune('audit_log', now - policy.auditDays * DAY_MS, limit)),
      };
      const thinned = await this.#steps((limit) =>
        store.maintenance.thinMoodLog(now - policy.moodLogDays * DAY_MS, now - policy.moodLogFullDays * DAY_MS, limit),
      );
      const coversRemoved = this.#capCovers(policy.coversMiB * 1024 * 1024);
      const compact = store.maintenance.compact();
      const disk = this.#dataDir === undefined ? undefined : recordDiskSample(this.#dataDir, now);
      const report: RetentionReport = { removed, thinned, coversRemoved, compact, ms: Math.round(clock.monotonic() - started) };
      this.#failure = undefined;
      log.info({ ...report, dataDirBytes: disk?.bytes }, 'retention applied');
      return report;
    } catch (err) {
      this.#failure = `the last retention run failed: ${(err as Error).message}`;
      log.error({ err }, 'retention failed');
      throw err;
    }
  }

  /** Repeats `step` until it removes nothing, letting the event loop turn between steps. */
  async #steps(step: (limit: number) => number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = step(STEP_ROWS);
      total += n;
      if (n < STEP_ROWS || this.#isStopped) return total;
      await nextTurn();
    }
  }

  /**
   * Removes cover files until the folder holds at most `capBytes`: first files no track names, then
   * those of the least recently played tracks (which then show none).
   */
  #capCovers(capBytes: number): number {
    let files: Array<{ name: string; bytes: number }>;
    try {
      files = readdirSync(this.#coversDir, { withFileTypes: true })
        .filter((e) => e.isFile() && !NOT_COVERS.has(e.name))
        .map((e) => ({ name: e.name, bytes: statSync(join(this.#coversDir, e.name)).size }));
    } catch {
      return 0; // No covers folder yet.
    }
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    if (total <= capBytes) return 0;
    const bytes = new Map(files.map((f) => [f.name, f.bytes]));
    const named = this.#deps.store.maintenance.coversByLastPlay();
    const isNamed = new Set(named.map((c) => c.cover));
    const order = [
      ...files.filter((f) => !isNamed.has(f.name)).map((f) => f.name),
      ...named.map((c) => c.cover).filter((n) => bytes.has(n)),
    ];
    const removed: string[] = [];
    for (const name of order) {
      if (total <= capBytes) break;
      rmSync(join(this.#coversDir, name), { force: true });
      total -= bytes.get(name) ?? 0;
      removed.push(name);
    }
    this.#deps.store.maintenance.forgetCovers(removed.filter((n) => isNamed.has(n)));
    return removed.length;
  }

  #schedule(): void {
    this.#timer = this.#deps.clock.setTimeout(
      () => {
        this.#running = this.run().catch(() => undefined);
        this.#schedule();
      },
      msUntilNight(this.#deps.clock.now() - RETENTION_AFTER_BACKUP_MS),
    );
  }
}
