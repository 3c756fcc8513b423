import { chmodSync, existsSync, mkdirSync, statfsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../kernel/clock.js';
import { StoreError } from './store-error.js';
import { keepTodaysPeople, type PeopleAfterRestore } from './restore-people.js';
import type {
  AuditRepository,
  CardRepository,
  PlayRepository,
  SecretRepository,
  StationRepository,
  SessionRepository,
  SettingsRepository,
  UnreadableSetting,
  TasteRepository,
  CalibrationRepository,
  AnalysisRepository,
  Store,
  TrackRepository,
  UserRepository,
} from './store.js';
import { MAX_SETTING_BYTES } from './store.js';
import type { MaintenanceRepository } from './store-maintenance.js';
import type { MoodLogEntry, StatsRepository } from './store-stats.js';
import type { Log } from '../../kernel/log.js';
import { chartStatsQueries } from './sqlite-chart-stats.js';
import { stationsRepo } from './sqlite-stations.js';
import { blocksRepo, type BlockRepository } from './sqlite-blocks.js';
import { tasteRepo } from './sqlite-taste.js';
import { calibrationRepo } from './sqlite-calibration.js';
import { analysesRepo } from './sqlite-analyses.js';
import { maintenanceRepo } from './sqlite-maintenance.js';
import { moodSlotsRepo } from './sqlite-mood-slots.js';
import { guard } from './sqlite-guard.js';
import { loadMigrations, migrate, type Migration } from './sqlite-migrations.js';
import { cardsRepo, sessionsRepo, usersRepo } from './sqlite-people.js';
import { auditRepo } from './sqlite-audit.js';
import { playsRepo } from './sqlite-plays.js';
import { tracksRepo } from './sqlite-tracks.js';
import { parseJson } from '../../kernel/json.js';

export { loadMigrations, type Migration } from './sqlite-migrations.js';

type Db = Database.Database;

/**
 * A damaged database file (not a database, or corrupt pages) as a `StoreError` saying where it is
 * and what to do; undefined for any other error. A 0-byte file is not damaged: SQLite starts a new
 * database in it, which is safe, since such a file holds no rows to lose.
 */
function damaged(err: unknown, path: string, backupDir: string | undefined): StoreError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') return undefined;
  const backups = backupDir ?? join(dirname(path), 'backups');
  return new StoreError(
    'MB_ERR_STORE_DAMAGED',
    `the database at ${path} is damaged (${(err as Error).message}). Restore a backup from ${backups} over it, ` +
      `or move it away (with its -wal and -shm files) to start with an empty database`,
    { cause: err },
  );
}

/**
 * Opens (or creates) the database at `path` and brings its schema up to date. Before any migration
 * of an existing database, a consistent copy is written to `backupDir`.
 *
 * Durability: WAL with `synchronous=FULL`, so a committed transaction survives a crash or a power cut.
 */
export function openSqliteStore(
  deps: { clock: Clock; log: Pick<Log, 'info' | 'warn'> },
  options: { path: string; backupDir?: string; migrations?: Migration[] },
): SqliteStore {
  const { path } = options;
  const isMemory = path === ':memory:';
  let db: Db;
  try {
    if (!isMemory) {
      // PIN hashes and play history are nobody else's business: the folder and the files are private.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      chmodSync(dirname(path), 0o700);
    }
    db = new Database(path);
    // A new database gives the room of deleted rows back to the disk when the nightly job asks
    // (`PRAGMA incremental_vacuum`); on an existing one this does nothing until a VACUUM.
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    if (!isMemory) for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted rows (a person, their cards, calibration, history) are overwritten with zeros rather
    // than left in free space, where anyone with the file could read them back.
    db.pragma('secure_delete = ON');
  } catch (err) {
    throw (
      damaged(err, path, options.backupDir) ??
      new StoreError('MB_ERR_STORE_OPEN', `cannot open the database at ${path}: ${(err as Error).message}`, { cause: err })
    );
  }
  try {
    migrate(db, deps, {
      migrations: options.migrations ?? loadMigrations(),
      backupDir: isMemory ? undefined : (options.backupDir ?? join(dirname(path), 'backups')),
      label: isMemory ? 'memory' : basename(path, '.db'),
    });
  } catch (err) {
    db.close();
    throw damaged(err, path, options.backupDir) ?? err;
  }
  return new SqliteStore(db, deps.clock);
}

export class SqliteStore implements Store {
  readonly users: UserRepository;
  readonly cards: CardRepository;
  readonly sessions: SessionRepository;
  readonly tracks: TrackRepository;
  readonly plays: PlayRepository;
  readonly settings: SettingsRepository;
  readonly audit: AuditRepository;
  readonly stats: StatsRepository;
  readonly secrets: SecretRepository;
  readonly stations: StationRepository;
  readonly blocks: BlockRepository;
  readonly taste: TasteRepository;
  readonly calibrations: CalibrationRepository;
  readonly analyses: AnalysisRepository;
  readonly maintenance: MaintenanceRepository;
  readonly #db: Db;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.users = usersRepo(db, clock);
    this.cards = cardsRepo(db, clock);
    this.sessions = sessionsRepo(db);
    this.tracks = tracksRepo(db, clock);
    this.plays = playsRepo(db);
    this.settings = settingsRepo(db);
    this.audit = auditRepo(db);
    const moodSlots = moodSlotsRepo(db, { guard });
    moodSlots.fillIfEmpty();
    this.stats = statsRepo(db, moodSlots);
    this.secrets = secretsRepo(db);
    this.stations = stationsRepo(db, { clock, tracks: this.tracks, guard });
    this.blocks = blocksRepo(db, { guard });
    this.taste = tasteRepo(db, { guard });
    this.calibrations = calibrationRepo(db, { guard });
    this.analyses = analysesRepo(db, { guard });
    this.maintenance = maintenanceRepo(db, { guard, pruneMoodSlots: moodSlots.pruneBefore });
  }

  transaction<T>(fn: () => T): T {
    return guard(() => this.#db.transaction(fn)());
  }

  /**
   * After a restore: signs out every session the backup carried and, unless `restorePeople`, keeps
   * today's people, PINs, passphrases, cards and secrets from the replaced database `today`
   * (`keepTodaysPeople`).
   */
  keepTodaysPeople(today: string | undefined, options: { restorePeople: boolean }): PeopleAfterRestore {
    return guard(() => keepTodaysPeople(this.#db, today, options));
  }

  schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  ping(): boolean {
    try {
      return (this.#db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
    } catch {
      return false;
    }
  }

  spaceProblem(): string | null {
    try {
      // At its page limit the file cannot grow: the free pages left inside it (a migration's rebuilt
      // tables leave some) run out after a few writes, and a write then fails with SQLITE_FULL.
      const pages = Number(this.#db.pragma('page_count', { simple: true }));
      if (pages >= Number(this.#db.pragma('max_page_count', { simple: true }))) return 'the database has reached its size limit';
      if (this.#db.memory) return null;
      const disk = statfsSync(dirname(this.#db.name));
      const bytes = disk.bavail * disk.bsize;
      return bytes < MIN_FREE_BYTES ? `the disk is full (${Math.round(bytes / 1024)} KiB free)` : null;
    } catch {
      return null;
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/** Below this much free space (bytes) a write may fail at any moment: health says so. */
const MIN_FREE_BYTES = 1024 * 1024;

function settingsRepo(db: Db): SettingsRepository {
  // The size comes from the row's header: a row too large to read is never loaded to be refused.
  const read = (value: string | null, bytes: number): { value: unknown } | { why: string } => {
    if (bytes > MAX_SETTING_BYTES) return { why: `${bytes} bytes, more than the ${MAX_SETTING_BYTES} a setting may take` };
    try {
      return { value: parseJson(value ?? '') };
    } catch (err) {
      return { why: (err as Error).message };
    }
  };
  const rows = `SELECT key, octet_length(value) AS bytes, CASE WHEN octet_length(value) <= ${MAX_SETTING_BYTES} THEN value END AS value FROM settings`;
  type Row = { key: string; bytes: number; value: string | null };
  return {
    get(key) {
      const row = db.prepare<[string], Row>(`${rows} WHERE key = ?`).get(key);
      if (row === undefined) return undefined;
      const got = read(row.value, row.bytes);
      return 'value' in got ? got.value : undefined;
    },
    set(key, value, at) {
      guard(() =>
        db
          .prepare(
            'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
          )
          .run(key, JSON.stringify(value), at),
      );
    },
    all() {
      const out: Record<string, unknown> = {};
      for (const row of db.prepare<[], Row>(`${rows} ORDER BY key`).iterate()) {
        const got = read(row.value, row.bytes);
        if ('value' in got) out[row.key] = got.value;
      }
      return out;
    },
    review() {
      const unreadable: UnreadableSetting[] = [];
      for (const row of db.prepare<[], Row>(`${rows} ORDER BY key`).all()) {
        const got = read(row.value, row.bytes);
        if ('why' in got) unreadable.push({ key: row.key, bytes: row.bytes, why: got.why });
      }
      if (unreadable.length > 0) {
        const drop = db.prepare('DELETE FROM settings WHERE key = ?');
        guard(() => db.transaction(() => unreadable.forEach(({ key }) => drop.run(key)))());
      }
      return unreadable;
    },
  };
}

function statsRepo(db: Db, slots: ReturnType<typeof moodSlotsRepo>): StatsRepository {
  return {
    ...chartStatsQueries(db),
    logMood: slots.logMood,
    logMoods: slots.logMoods,
    moodMsPerBucket: slots.moodMsPerBucket,
    peopleMsPerHourOfDay: slots.peopleMsPerHourOfDay,
    moodLog: (from, to) =>
      db
        .prepare<[number, number], MoodLogEntry>(
          'SELECT at, mood, confidence, faces FROM mood_log WHERE at >= ? AND at < ? ORDER BY at, id',
        )
        .all(from, to),
    playsPerMoodPerDay: (from, to) =>
      db
        .prepare<[number, number], { day: string; mood: string; plays: number }>(
          `SELECT strftime('%Y-%m-%d', started_at / 1000, 'unixepoch') AS day, coalesce(mood, 'unknown') AS mood, count(*) AS plays
           FROM plays WHERE started_at >= ? AND started_at < ? GROUP BY day, mood ORDER BY day, mood`,
        )
        .all(from, to),
  };
}

function secretsRepo(db: Db): SecretRepository {
  return {
    get: (key) => db.prepare<[string], { value: string }>('SELECT value FROM secrets WHERE key = ?').get(key)?.value,
    set(key, value, at) {
      guard(() =>
        db
          .prepare(
            'INSERT INTO secrets (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
          )
          .run(key, value, at),
      );
    },
    delete(key) {
      guard(() => db.prepare('DELETE FROM secrets WHERE key = ?').run(key));
    },
  };
}
