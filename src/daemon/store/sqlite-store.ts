import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Clock } from '../kernel/clock.js';
import { MoodboxError, StoreError } from '../kernel/errors.js';
import type {
  AuditEntry,
  AuditRepository,
  Card,
  CardRepository,
  MoodLogEntry,
  Page,
  Play,
  PlayRepository,
  SecretRepository,
  Session,
  StationRepository,
  SessionRepository,
  SettingsRepository,
  StatsRepository,
  TasteRepository,
  CalibrationRepository,
  AnalysisRepository,
  MaintenanceRepository,
  Store,
  Track,
  TrackFile,
  TrackMood,
  TrackRepository,
  User,
  UserRepository,
} from './store.js';
import type { Log } from '../kernel/log.js';
import { chartStatsQueries } from './sqlite-chart-stats.js';
import { stationsRepo } from './sqlite-stations.js';
import { tasteRepo } from './sqlite-taste.js';
import { calibrationRepo } from './sqlite-calibration.js';
import { analysesRepo, audioPoints } from './sqlite-analyses.js';
import { maintenanceRepo } from './sqlite-maintenance.js';

type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

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
 * Opens (or creates) the database at `path` and brings its schema up to date. Before any migration
 * of an existing database, a consistent copy is written to `backupDir`.
 *
 * Durability: WAL with `synchronous=FULL`, so a committed transaction survives a crash or a power cut.
 */
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

function migrate(
  db: Db,
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
    try {
      db.transaction(() => {
        db.exec(migration.sql);
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
    }
  }
}

/** Turns SQLite write failures (read-only file, full disk) into a `StoreError` the operator can act on. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MoodboxError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_FULL') ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_CANTOPEN')
    ) {
      const why = code.startsWith('SQLITE_FULL')
        ? 'the disk is full'
        : code.startsWith('SQLITE_READONLY')
          ? 'the database is read-only'
          : 'an I/O error';
      throw new StoreError('MB_ERR_STORE_WRITE', `cannot write to the database: ${why} (${code})`, { cause: err });
    }
    throw err;
  }
}

interface UserRow {
  id: number;
  name: string;
  role: 'admin' | 'member';
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
  preferences: JSON.parse(r.preferences) as User['preferences'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface TrackRow {
  id: number;
  source: string;
  uri: string;
  title: string;
  artist: string;
  album: string;
  year: number | null;
  genre: string;
  language: string;
  duration_ms: number | null;
  replaygain_db: number | null;
  cover: string | null;
  file_size: number | null;
  file_mtime_ms: number | null;
  missing: number;
  added_at: number;
  updated_at: number;
}

const toTrack = (r: TrackRow): Track => ({
  id: r.id,
  source: r.source,
  uri: r.uri,
  title: r.title,
  artist: r.artist,
  album: r.album,
  year: r.year,
  genre: r.genre,
  language: r.language,
  durationMs: r.duration_ms,
  replayGainDb: r.replaygain_db,
  cover: r.cover,
  fileSize: r.file_size,
  fileMtimeMs: r.file_mtime_ms,
  missing: r.missing === 1,
  addedAt: r.added_at,
  updatedAt: r.updated_at,
});

interface PlayRow {
  id: number;
  track_id: number | null;
  user_id: number | null;
  reason: Play['reason'];
  mood: string | null;
  started_at: number;
  ended_at: number | null;
  outcome: Play['outcome'];
}

const toPlay = (r: PlayRow): Play => ({
  id: r.id,
  trackId: r.track_id,
  userId: r.user_id,
  reason: r.reason,
  mood: r.mood,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
});

const clampLimit = (limit: number | undefined): number => Math.min(Math.max(limit ?? 50, 1), 1000);

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
    this.stats = statsRepo(db);
    this.secrets = secretsRepo(db);
    this.stations = stationsRepo(db, { clock, tracks: this.tracks, guard });
    this.taste = tasteRepo(db, { guard });
    this.calibrations = calibrationRepo(db, { guard });
    this.analyses = analysesRepo(db, { guard });
    this.maintenance = maintenanceRepo(db, { guard });
  }

  transaction<T>(fn: () => T): T {
    return guard(() => this.#db.transaction(fn)());
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

function usersRepo(db: Db, clock: Clock): UserRepository {
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
    delete(id, history) {
      guard(() =>
        db.transaction(() => {
          if (history === 'remove') db.prepare('DELETE FROM plays WHERE user_id = ?').run(id);
          const info = db.prepare('DELETE FROM users WHERE id = ?').run(id);
          if (info.changes === 0) throw new StoreError('MB_ERR_NOT_FOUND', `no user with id ${id}`);
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

function cardsRepo(db: Db, clock: Clock): CardRepository {
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

function sessionsRepo(db: Db): SessionRepository {
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

function tracksRepo(db: Db, clock: Clock): TrackRepository {
  const byId = db.prepare<[number], TrackRow>('SELECT * FROM tracks WHERE id = ?');
  const byUri = db.prepare<[string, string], TrackRow>('SELECT * FROM tracks WHERE source = ? AND uri = ?');
  const upsert = db.prepare(`
    INSERT INTO tracks (source, uri, title, artist, album, year, genre, language, duration_ms, replaygain_db, cover, file_size, file_mtime_ms, missing, added_at, updated_at)
    VALUES (@source, @uri, @title, @artist, @album, @year, @genre, @language, @durationMs, @replayGainDb, @cover, @fileSize, @fileMtimeMs, 0, @at, @at)
    ON CONFLICT (source, uri) DO UPDATE SET
      title = excluded.title, artist = excluded.artist, album = excluded.album, year = excluded.year, genre = excluded.genre,
      language = excluded.language, duration_ms = excluded.duration_ms, replaygain_db = excluded.replaygain_db, cover = excluded.cover,
      file_size = excluded.file_size, file_mtime_ms = excluded.file_mtime_ms, missing = 0, updated_at = excluded.updated_at`);
  return {
    upsert(input) {
      return guard(() => {
        const source = input.source ?? 'local';
        upsert.run({
          source,
          uri: input.uri,
          title: input.title ?? '',
          artist: input.artist ?? '',
          album: input.album ?? '',
          year: input.year ?? null,
          genre: input.genre ?? '',
          language: input.language ?? '',
          durationMs: input.durationMs ?? null,
          replayGainDb: input.replayGainDb ?? null,
          cover: input.cover ?? null,
          fileSize: input.fileSize ?? null,
          fileMtimeMs: input.fileMtimeMs ?? null,
          at: clock.now(),
        });
        return toTrack(byUri.get(source, input.uri) as TrackRow);
      });
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toTrack(row) : undefined;
    },
    byUri: (uri, source = 'local') => {
      const row = byUri.get(source, uri);
      return row ? toTrack(row) : undefined;
    },
    list(options = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (!options.includeMissing) where.push('t.missing = 0');
      if (options.mood !== undefined) {
        where.push('EXISTS (SELECT 1 FROM track_moods m WHERE m.track_id = t.id AND m.mood = ?)');
        params.push(options.mood);
      }
      if (options.search !== undefined && options.search !== '') {
        where.push("(t.title LIKE ? ESCAPE '\\' OR t.artist LIKE ? ESCAPE '\\' OR t.album LIKE ? ESCAPE '\\')");
        const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        params.push(like, like, like);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM tracks t ${clause}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare<unknown[], TrackRow>(`SELECT t.* FROM tracks t ${clause} ORDER BY t.artist, t.album, t.title, t.id LIMIT ? OFFSET ?`)
        .all(...params, clampLimit(options.limit), Math.max(options.offset ?? 0, 0));
      return { items: rows.map(toTrack), total };
    },
    markMissing(ids) {
      guard(() => {
        const stmt = db.prepare('UPDATE tracks SET missing = 1, updated_at = ? WHERE id = ?');
        const at = clock.now();
        db.transaction(() => ids.forEach((id) => stmt.run(at, id)))();
      });
    },
    moods: (trackId) =>
      db
        .prepare<[number], TrackMood>('SELECT mood, weight, origin FROM track_moods WHERE track_id = ? ORDER BY weight DESC, mood')
        .all(trackId),
    setMoods(trackId, moods) {
      guard(() =>
        db.transaction(() => {
          db.prepare('DELETE FROM track_moods WHERE track_id = ?').run(trackId);
          const insert = db.prepare('INSERT INTO track_moods (track_id, mood, weight, origin) VALUES (?, ?, ?, ?)');
          for (const m of moods) insert.run(trackId, m.mood, m.weight, m.origin);
        })(),
      );
    },
    count: () => (db.prepare('SELECT count(*) AS n FROM tracks WHERE missing = 0').get() as { n: number }).n,
    files: (source = 'local') =>
      db
        .prepare<[string], { id: number; uri: string; file_size: number | null; file_mtime_ms: number | null; missing: number }>(
          'SELECT id, uri, file_size, file_mtime_ms, missing FROM tracks WHERE source = ?',
        )
        .all(source)
        .map((r): TrackFile => ({ id: r.id, uri: r.uri, fileSize: r.file_size, fileMtimeMs: r.file_mtime_ms, missing: r.missing === 1 })),
    byArtistTitle: (artist, title) =>
      db
        .prepare<[string, string], TrackRow>(
          'SELECT * FROM tracks WHERE artist = ? COLLATE NOCASE AND title = ? COLLATE NOCASE AND missing = 0 ORDER BY id',
        )
        .all(artist, title)
        .map(toTrack),
    allWithMoods() {
      const moods = new Map<number, TrackMood[]>();
      const rows = db
        .prepare<[], TrackMood & { track_id: number }>(
          'SELECT m.track_id, m.mood, m.weight, m.origin FROM track_moods m JOIN tracks t ON t.id = m.track_id WHERE t.missing = 0 ORDER BY m.weight DESC, m.mood',
        )
        .all();
      for (const { track_id: id, mood, weight, origin } of rows) {
        let list = moods.get(id);
        if (!list) moods.set(id, (list = []));
        list.push({ mood, weight, origin });
      }
      const points = audioPoints(db);
      return db
        .prepare<[], TrackRow>('SELECT * FROM tracks WHERE missing = 0 ORDER BY id')
        .all()
        .map((r) => ({ ...toTrack(r), moods: moods.get(r.id) ?? [], audio: points.get(r.id) ?? null }));
    },
  };
}

function playsRepo(db: Db): PlayRepository {
  const byId = db.prepare<[number], PlayRow>('SELECT * FROM plays WHERE id = ?');
  return {
    start({ trackId, userId = null, reason, mood = null, startedAt }) {
      return guard(() => {
        const info = db
          .prepare('INSERT INTO plays (track_id, user_id, reason, mood, started_at) VALUES (?, ?, ?, ?, ?)')
          .run(trackId, userId, reason, mood, startedAt);
        return toPlay(byId.get(Number(info.lastInsertRowid)) as PlayRow);
      });
    },
    finish(id, outcome, endedAt) {
      guard(() => db.prepare('UPDATE plays SET outcome = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL').run(outcome, endedAt, id));
    },
    closeDangling: (endedAt) =>
      guard(() => db.prepare("UPDATE plays SET outcome = 'interrupted', ended_at = ? WHERE ended_at IS NULL").run(endedAt).changes),
    get: (id) => {
      const row = byId.get(id);
      return row ? toPlay(row) : undefined;
    },
    list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.userId !== undefined) {
        where.push('user_id = ?');
        params.push(filter.userId);
      }
      if (filter.mood !== undefined) {
        where.push('mood = ?');
        params.push(filter.mood);
      }
      if (filter.reason !== undefined) {
        where.push('reason = ?');
        params.push(filter.reason);
      }
      if (filter.from !== undefined) {
        where.push('started_at >= ?');
        params.push(filter.from);
      }
      if (filter.to !== undefined) {
        where.push('started_at < ?');
        params.push(filter.to);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM plays ${clause}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare<unknown[], PlayRow>(`SELECT * FROM plays ${clause} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...params, clampLimit(filter.limit), Math.max(filter.offset ?? 0, 0));
      return { items: rows.map(toPlay), total } satisfies Page<Play>;
    },
    removeForUser: (userId) =>
      guard(() =>
        db.transaction(() => {
          db.prepare('DELETE FROM feedback WHERE user_id = ?').run(userId);
          // What was learned from the history goes with it.
          db.prepare('DELETE FROM taste_models WHERE user_id = ?').run(userId);
          return db.prepare('DELETE FROM plays WHERE user_id = ?').run(userId).changes;
        })(),
      ),
    recordFeedback({ userId, trackId, kind, at }) {
      guard(() => db.prepare('INSERT INTO feedback (user_id, track_id, kind, at) VALUES (?, ?, ?, ?)').run(userId, trackId, kind, at));
    },
    removeFeedback: ({ userId, trackId, kind }) =>
      guard(() => db.prepare('DELETE FROM feedback WHERE user_id = ? AND track_id = ? AND kind = ?').run(userId, trackId, kind).changes),
    annotate(id, note) {
      guard(() => db.prepare('UPDATE plays SET note = ? WHERE id = ?').run(note, id));
    },
    note: (id) => db.prepare<[number], { note: string }>('SELECT note FROM plays WHERE id = ?').get(id)?.note ?? '',
    feedbackFor: (userId, options = {}) =>
      db
        .prepare<[number, number], { trackId: number; kind: 'like' | 'skip'; at: number }>(
          'SELECT track_id AS trackId, kind, at FROM feedback WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?',
        )
        .all(userId, Math.min(Math.max(options.limit ?? 1000, 1), 100_000)),
  };
}

function settingsRepo(db: Db): SettingsRepository {
  return {
    get(key) {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
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
      const rows = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings ORDER BY key').all();
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    },
  };
}

function statsRepo(db: Db): StatsRepository {
  const insertMood = db.prepare<[number, string, number, number]>('INSERT INTO mood_log (at, mood, confidence, faces) VALUES (?, ?, ?, ?)');
  return {
    ...chartStatsQueries(db),
    logMood({ at, mood, confidence, faces }) {
      guard(() => insertMood.run(at, mood, confidence, faces));
    },
    logMoods(entries) {
      guard(() =>
        db.transaction(() => {
          for (const { at, mood, confidence, faces } of entries) insertMood.run(at, mood, confidence, faces);
        })(),
      );
    },
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

function auditRepo(db: Db): AuditRepository {
  interface Row {
    id: number;
    at: number;
    actor: string;
    action: string;
    target: string;
    detail: string;
  }
  return {
    append({ at, actor, action, target, detail = {} }) {
      guard(() =>
        db
          .prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)')
          .run(at, actor, action, target, JSON.stringify(detail)),
      );
    },
    list(options = {}) {
      const clause = options.action === undefined ? '' : 'WHERE action = ?';
      const params = options.action === undefined ? [] : [options.action];
      const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare<unknown[], Row>(`SELECT * FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...params, clampLimit(options.limit), Math.max(options.offset ?? 0, 0));
      return {
        items: rows.map((r): AuditEntry => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
        total,
      };
    },
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

/** True when a database file exists and is not empty. */
export function databaseExists(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}
