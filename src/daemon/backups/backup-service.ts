import { rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock, Timer } from '../../kernel/clock.js';
import { BACKUP_REFUSALS } from './backup-refusals.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { MoodboxBus } from '../events.js';
import { actors, recordAudit, type Actor, type AuditLine } from '../store/audit.js';
import type { AuditRepository } from '../store/store.js';
import type { RestoredRowsSetAside } from './restore-review.js';
import type { PeopleAfterRestore } from '../store/restore-people.js';
import {
  backupDatabase,
  backupName,
  backupPath,
  backupsDir,
  DATABASE_FILE,
  keepUpload,
  listBackups,
  NIGHTLY_KEEP,
  pruneNightly,
  type BackupFile,
  type RestoreOutcome,
} from './backups.js';
import { removePartials } from './backup-files.js';
import { stageRestore } from './restore-stage.js';

/** The largest backup the panel takes in as an upload (bytes). */
export const UPLOAD_MAX_BYTES = 1024 * 2 ** 20;

/** How long after a restore is readied the restart is asked for (ms): the panel's answer goes out first. */
const RESTART_AFTER_MS = 300;

/** The restore the last start put in place, or could not, as the panel shows it. */
export interface LastRestore {
  from: string;
  at: number;
  kept: string | null;
  failed: string | null;
  setAside: { tracks: number; stations: string[]; files: string[] };
  people: PeopleAfterRestore | null;
}

/** The local hour of the nightly copy (a café is closed, a home asleep). */
export const NIGHTLY_HOUR = 3;

/**
 * A copy of the database every night at 03:00 local time, into `<dataDir>/backups`, keeping the
 * newest seven. Timed by the injected clock; a copy that fails is logged, shown in health, and
 * tried again the next night.
 *
 * Staff commands (audited, with who asked): a copy now, an upload kept once it passes the
 * restore's checks, and a restore, which readies a checked copy and emits `restoreStaged`: the
 * daemon restarts, and the next start puts it in place before the database opens, keeping the one
 * it replaces (`applyPendingRestore`).
 */
export class BackupService implements Service {
  readonly name = 'backups';
  readonly #clock: Clock;
  readonly #log: Pick<Log, 'info' | 'error'>;
  readonly #dataDir: string;
  #timer: Timer | undefined;
  #restoreTimer: Timer | undefined;
  #failure: string | undefined;
  #running: Promise<void> | undefined;

  readonly #audit: Pick<AuditRepository, 'append'> | undefined;
  readonly #restored: RestoreOutcome | undefined;
  readonly #setAside: RestoredRowsSetAside;
  readonly #people: PeopleAfterRestore | undefined;
  readonly #bus: Pick<MoodboxBus, 'emit'> | undefined;

  constructor(
    deps: {
      clock: Clock;
      log: Pick<Log, 'info' | 'error'>;
      /** Where staff commands are written down. @default none: the nightly copy alone */
      audit?: Pick<AuditRepository, 'append'>;
      /** Hears `restoreStaged`. @default none */
      bus?: Pick<MoodboxBus, 'emit'>;
    },
    options: {
      dataDir: string;
      /** The restore this start put in place (or could not), written down once the service starts. @default none */
      restored?: RestoreOutcome | undefined;
      /** What the review of the restored rows set aside (`reviewRestoredRows`). @default nothing */
      setAside?: RestoredRowsSetAside | undefined;
      /** Who may sign in after the restore (`keepTodaysPeople`). @default unknown */
      people?: PeopleAfterRestore | undefined;
    },
  ) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#dataDir = options.dataDir;
    this.#restored = options.restored;
    this.#setAside = options.setAside ?? { tracks: [], stations: [] };
    this.#people = options.people;
    this.#audit = deps.audit;
    this.#bus = deps.bus;
  }

  /** The backups on the box, newest first, with their sizes. */
  list(): BackupFile[] {
    return listBackups(this.#dataDir);
  }

  /** The path of the backup `name`; `MB_ERR_NOT_FOUND` when there is none of that name. */
  file(name: string): string {
    const path = backupPath(this.#dataDir, name);
    if (path === undefined) throw BACKUP_REFUSALS.noBackupNamed(name);
    return path;
  }

  /** A copy of the database now (`moodbox-<time>.db`), which the nightly pruning leaves alone. Audited `backup.create`. */
  async backUpNow(by: Actor): Promise<BackupFile> {
    const name = basename(
      await backupDatabase(join(this.#dataDir, DATABASE_FILE), join(backupsDir(this.#dataDir), backupName('manual', this.#clock.now()))),
    );
    const made = this.list().find((file) => file.name === name);
    if (made === undefined) throw BACKUP_REFUSALS.writtenButGone(name);
    this.#log.info({ backup: name, bytes: made.bytes, by: by.name }, 'database backed up');
    this.#record(by, 'backup.create', { target: name, detail: { bytes: made.bytes } });
    return made;
  }

  /**
   * Keeps an uploaded file (untrusted: at most `UPLOAD_MAX_BYTES`) as a backup when it passes the
   * restore's checks; `MB_ERR_STORE_RESTORE` with the reasons otherwise, and nothing is kept. Audited `backup.upload`.
   */
  async keepUpload(source: Readable, by: Actor): Promise<BackupFile> {
    const kept = await keepUpload(this.#dataDir, source, this.#clock.now(), UPLOAD_MAX_BYTES);
    this.#log.info({ backup: kept.name, bytes: kept.bytes, by: by.name }, 'backup uploaded');
    this.#record(by, 'backup.upload', { target: kept.name, detail: { bytes: kept.bytes } });
    return kept;
  }

  /** Deletes the backup `name` (any kind, the copies a restore replaced too); `MB_ERR_NOT_FOUND` when there is none. Audited `backup.delete`. */
  remove(name: string, by: Actor): void {
    const path = this.file(name);
    const { size } = statSync(path);
    rmSync(path, { force: true });
    this.#log.info({ backup: name, bytes: size, by: by.name }, 'backup deleted');
    this.#record(by, 'backup.delete', { target: name, detail: { bytes: size } });
  }

  /**
   * Readies the backup `name` to replace the database: checked now (`MB_ERR_STORE_RESTORE` with the
   * reasons, and nothing changes), audited `backup.restore` in the database it replaces (which is
   * kept), then `restoreStaged`: the daemon restarts and the next start swaps it in.
   */
  async restore(name: string, by: Actor, options: { people?: boolean } = {}): Promise<void> {
    const path = this.file(name);
    const people = options.people === true;
    await stageRestore(this.#dataDir, path, { from: name, by: by.name, at: this.#clock.now(), people });
    this.#log.info({ backup: name, by: by.name, people }, 'restore readied; restarting');
    this.#record(by, 'backup.restore', { target: name, detail: { people } });
    // A moment later: the answer goes out before the restart closes the server.
    this.#restoreTimer?.cancel();
    this.#restoreTimer = this.#clock.setTimeout(() => this.#bus?.emit('restoreStaged', { by: by.name, from: name }), RESTART_AFTER_MS);
  }

  async start(): Promise<void> {
    // A copy or an upload cut short by a crash or a power cut left a partial file: it is no backup, and it takes space.
    const partials = removePartials(backupsDir(this.#dataDir));
    if (partials.length > 0) this.#log.info({ removed: partials }, 'removed partial backup files left by an interrupted copy or upload');
    const restored = this.#restored;
    // Written into the database now in use: the one restored (the line asking for it stays in the one replaced, which is kept).
    if (restored !== undefined) {
      this.#record(actors.named(restored.by), 'failed' in restored ? 'backup.restore-failed' : 'backup.restored', {
        target: restored.from,
        detail:
          'failed' in restored
            ? { why: restored.failed }
            : {
                kept: restored.kept === undefined ? null : basename(restored.kept),
                people: this.#people?.people ?? null,
                signedOut: this.#people?.signedOut ?? 0,
                disabled: this.#people?.disabled ?? [],
                added: this.#people?.added ?? [],
              },
      });
    }
    this.#schedule();
  }

  /** A line of the audit, where the service keeps one (a box built without it, as in a check of the copies alone, keeps none). */
  #record(actor: Actor, action: string, line: AuditLine): void {
    if (this.#audit !== undefined) recordAudit({ audit: this.#audit, clock: this.#clock }, actor, action, line);
  }

  /**
   * The restore the last start put in place, or could not (`failed`): the replaced database's name
   * as `kept`, and the restored rows today's rules set aside.
   */
  lastRestore(): LastRestore | undefined {
    const restored = this.#restored;
    if (restored === undefined) return undefined;
    const { tracks, stations } = this.#setAside;
    const setAside = { tracks: tracks.length, stations, files: tracks.slice(0, 20) };
    const people = this.#people === undefined ? null : { ...this.#people };
    return 'failed' in restored
      ? { from: restored.from, at: restored.at, kept: null, failed: restored.failed, setAside, people: null }
      : {
          from: restored.from,
          at: restored.at,
          kept: restored.kept === undefined ? null : basename(restored.kept),
          failed: null,
          setAside,
          people,
        };
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    // A restore readied stays readied: the next start puts it in place whatever stopped this one.
    this.#restoreTimer?.cancel();
    await this.#running;
  }

  health(): ServiceHealth {
    return this.#failure === undefined ? { status: 'ready' } : { status: 'degraded', detail: this.#failure };
  }

  /** Takes a nightly copy now and removes the oldest beyond seven; resolves with the copy's path. */
  async backUp(): Promise<string> {
    try {
      const target = await backupDatabase(
        join(this.#dataDir, DATABASE_FILE),
        join(backupsDir(this.#dataDir), backupName('nightly', this.#clock.now())),
      );
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
