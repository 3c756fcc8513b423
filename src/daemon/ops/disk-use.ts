import { existsSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatabaseUse } from '../store/store-maintenance.js';
import { DATABASE_FILE } from '../config/paths.js';
import { parseJson } from '../../kernel/json.js';

const DAY_MS = 86_400_000;
/** In the data directory: the size of the data directory after each night's retention run. */
export const DISK_SAMPLES_FILE = 'disk-use.json';
/** Nights of samples kept; the growth rate is taken over the last 30. */
const SAMPLES_KEPT = 60;
const RATE_WINDOW_MS = 30 * DAY_MS;
/** Files of the data directory that are the database. */
const DATABASE_FILES = new Set([DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]);

/** One night's size of the data directory (bytes) at `at` (epoch ms). */
export interface DiskSample {
  at: number;
  bytes: number;
}

export type DiskPart = 'database' | 'covers' | 'backups' | 'logs' | 'other';

/** What the box keeps on disk, by part, and how long its filesystem lasts at the rate it grows. */
export interface DiskUse {
  dataDir: string;
  /** Bytes in the data directory, by part; `logs` only counts a `log.file` (journald keeps its own under systemd). */
  parts: Array<{ name: DiskPart; bytes: number }>;
  /** The database by table (its indexes included), largest first; empty when it cannot be read. */
  tables: Array<{ name: string; bytes: number }>;
  /** The filesystem the data directory is on. */
  filesystem: { sizeBytes: number; freeBytes: number };
  /** How fast the data directory grows (bytes a day), over the nightly samples; null before two nights a day apart. */
  growthBytesPerDay: number | null;
  /** Days until the filesystem is full at that rate; null while it does not grow (or before the rate is known). */
  daysLeft: number | null;
  /** Nights measured for the rate. */
  samples: number;
}

/** Total bytes of the files under `path` (0 when it is missing). */
export function folderBytes(path: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

/** The nightly samples recorded so far, oldest first; none when the file is missing or unreadable. */
export function readDiskSamples(dataDir: string): DiskSample[] {
  try {
    const parsed = parseJson(readFileSync(join(dataDir, DISK_SAMPLES_FILE), 'utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((s): s is DiskSample => typeof (s as DiskSample).at === 'number' && typeof (s as DiskSample).bytes === 'number');
  } catch {
    return [];
  }
}

/** Records the data directory's size now (the retention job does, each night after it ran); keeps the last 60. */
export function recordDiskSample(dataDir: string, at: number): DiskSample {
  const sample = { at, bytes: folderBytes(dataDir) };
  const samples = [...readDiskSamples(dataDir), sample].slice(-SAMPLES_KEPT);
  writeFileSync(join(dataDir, DISK_SAMPLES_FILE), JSON.stringify(samples), { mode: 0o600 });
  return sample;
}

/**
 * The disk use of the data directory by part, the database by table (`database` from the open
 * store, or undefined when it cannot be read), and the days left on its filesystem at the rate the
 * nightly samples show over the last 30 days.
 */
export function diskUse(options: { dataDir: string; now: number; database?: DatabaseUse | undefined; logFile?: string }): DiskUse {
  const { dataDir, now } = options;
  const parts: Record<DiskPart, number> = { database: 0, covers: 0, backups: 0, logs: 0, other: 0 };
  // A rotating log file (`log.file`) is written as `<stem>.<n>.log` beside where it is named.
  const log = options.logFile === undefined || options.logFile === '' ? undefined : join(dataDir, options.logFile);
  const logDir = log === undefined ? undefined : dirname(log);
  const logStem = log === undefined ? undefined : basename(log).replace(/\.log$/, '');
  const isLog = (dir: string, name: string): boolean => logStem !== undefined && dir === logDir && name.startsWith(logStem);
  for (const entry of existsSync(dataDir) ? readdirSync(dataDir, { withFileTypes: true }) : []) {
    const full = join(dataDir, entry.name);
    const bytes = entry.isDirectory() ? folderBytes(full) : (statSync(full, { throwIfNoEntry: false })?.size ?? 0);
    if (DATABASE_FILES.has(entry.name)) parts.database += bytes;
    else if (entry.name === 'covers') parts.covers += bytes;
    else if (entry.name === 'backups') parts.backups += bytes;
    else if (full === logDir || isLog(dataDir, entry.name)) parts.logs += bytes;
    else parts.other += bytes;
  }
  const disk = statfsSync(existsSync(dataDir) ? dataDir : dirname(dataDir));
  const filesystem = { sizeBytes: disk.blocks * disk.bsize, freeBytes: disk.bavail * disk.bsize };
  const samples = readDiskSamples(dataDir).filter((s) => s.at >= now - RATE_WINDOW_MS && s.at <= now);
  const first = samples[0];
  const last = samples.at(-1);
  const growthBytesPerDay =
    first === undefined || last === undefined || last.at - first.at < DAY_MS
      ? null
      : ((last.bytes - first.bytes) / (last.at - first.at)) * DAY_MS;
  return {
    dataDir,
    parts: (Object.keys(parts) as DiskPart[]).map((name) => ({ name, bytes: parts[name] })),
    tables: options.database?.tables ?? [],
    filesystem,
    growthBytesPerDay: growthBytesPerDay === null ? null : Math.round(growthBytesPerDay),
    daysLeft: growthBytesPerDay === null || growthBytesPerDay <= 0 ? null : Math.floor(filesystem.freeBytes / growthBytesPerDay),
    samples: samples.length,
  };
}

/** `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** One line for `moodbox doctor`: the parts, the largest tables, and the days left. */
export function describeDiskUse(use: DiskUse): string {
  const parts = use.parts
    .filter((p) => p.bytes > 0 || p.name === 'database')
    .map((p) => `${p.name} ${formatBytes(p.bytes)}`)
    .join(', ');
  const tables = use.tables
    .slice(0, 3)
    .map((t) => `${t.name} ${formatBytes(t.bytes)}`)
    .join(', ');
  const rate =
    use.growthBytesPerDay === null
      ? 'growth not measured yet (the nightly job records it)'
      : use.daysLeft === null
        ? `not growing over ${use.samples} nights`
        : `growing ${formatBytes(use.growthBytesPerDay)} a day: ${use.daysLeft} days left`;
  return `${parts}${tables === '' ? '' : ` (largest tables: ${tables})`}; ${formatBytes(use.filesystem.freeBytes)} free; ${rate}`;
}
