import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { Clock } from '../../kernel/clock.js';
import { PlayerError } from '../errors.js';
import { coverType, MAX_COVER_BYTES } from './cover-files.js';
import { FolderCovers } from './folder-covers.js';
import type { KnownFile, LibraryStore, ScannedTrack } from './library.js';
import { applySuggestedMoods, importSidecar, type SidecarReport } from './mood-tags.js';
import { listAudioFiles, unsupportedFormat } from './scanner-walk.js';
import { TAG_TEXT_LIMITS, type AudioTags, type TagReader } from './tag-reader.js';
import { readableText } from '../../kernel/visible-text.js';
import type { Log } from '../../kernel/log.js';

/** Covers are the box's own files, readable by its group at most: the covers route serves them, nothing else needs to. */
const COVER_FILE_MODE = 0o640;

export interface ScanProgress {
  /** Files looked at so far, unchanged ones included. */
  done: number;
  /** Audio files found under the folder. */
  total: number;
  /** The file just looked at. */
  path: string;
}

export interface ScanReport {
  root: string;
  /** Audio files found. */
  files: number;
  added: number;
  updated: number;
  /** Files whose size and mtime had not changed since the last scan (not read again). */
  unchanged: number;
  /** Tracks whose file is gone (or no longer readable), now marked missing. */
  missing: number;
  /** Files that could not be read, and music in formats Moodbox does not play: skipped, never fatal. */
  failed: Array<{ path: string; error: string }>;
  /** Cover images written to the covers folder. */
  coversWritten: number;
  /** The moods sidecar found in the folder, if any. */
  sidecar?: { file: string; report: SidecarReport };
  /** How long the scan took (ms). */
  ms: number;
}

/** A file read and waiting to be written. */
interface Ready {
  track: ScannedTrack;
  tags: Pick<AudioTags, 'genre' | 'bpm' | 'mood'>;
  /**
   * The file is the one the store knew (same size and time), read again because it came back or its
   * folder's cover changed: what the analysis heard in it still holds.
   */
  isSameFile: boolean;
}

export interface ScannerOptions {
  /** Where embedded covers are written, named by the sha256 of their bytes. */
  coversDir: string;
  /** Files read at the same time. @default 8 */
  concurrency?: number;
  /** Tracks written per transaction. @default 200 */
  batchSize?: number;
  /** Sidecar file names looked for at the top of a scanned folder. @default ['moods.json', 'moods.csv'] */
  sidecarNames?: readonly string[];
}

/**
 * Scans folders of audio files into the library. A rescan reads only files whose size or mtime
 * changed; files that vanished are marked missing; unreadable files, and music in formats it does
 * not play, are listed and skipped.
 */
export class LibraryScanner {
  readonly #store: LibraryStore;
  readonly #tags: TagReader;
  readonly #clock: Clock;
  readonly #log: Pick<Log, 'info' | 'warn'> | undefined;
  readonly #coversDir: string;
  readonly #concurrency: number;
  readonly #batchSize: number;
  readonly #sidecarNames: readonly string[];

  constructor(deps: { store: LibraryStore; tags: TagReader; clock: Clock; log?: Pick<Log, 'info' | 'warn'> }, options: ScannerOptions) {
    this.#store = deps.store;
    this.#tags = deps.tags;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#coversDir = options.coversDir;
    this.#concurrency = positive('concurrency', options.concurrency ?? 8);
    this.#batchSize = positive('batchSize', options.batchSize ?? 200);
    this.#sidecarNames = options.sidecarNames ?? ['moods.json', 'moods.csv'];
  }

  /**
   * Scans `dir` (recursively). Calls `onProgress` after each file. Rejects with the signal's reason
   * when `signal` aborts; what was written until then stays.
   */
  async scan(dir: string, options: { signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void } = {}): Promise<ScanReport> {
    const started = this.#clock.monotonic();
    const root = resolve(dir);
    const { signal, onProgress } = options;
    let paths: string[];
    let unsupported: string[];
    try {
      ({ audio: paths, unsupported } = await listAudioFiles(root, signal));
    } catch (err) {
      if (signal?.aborted) throw err;
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new PlayerError('MB_ERR_LIBRARY_SCAN', `Expected a readable folder of music, got \`${dir}\` (${why})`, { cause: err });
    }
    const known = new Map<string, KnownFile>();
    for (const file of this.#store.tracks.files()) if (isUnder(file.uri, root)) known.set(file.uri, file);

    const report: ScanReport = {
      root,
      files: paths.length,
      added: 0,
      updated: 0,
      unchanged: 0,
      missing: 0,
      // Music in a format Moodbox does not play is named, not passed over in silence.
      failed: unsupported.map((path) => ({ path, error: unsupportedFormat(path) })),
      coversWritten: 0,
      ms: 0,
    };
    const seen = new Set<string>();
    const unreadable: number[] = [];
    const pending: Array<Ready> = [];
    // Results wait here until every file before them is done, so that tracks are written in path
    // order: the same folder gets the same track ids, however the reads interleave.
    const results: Array<Ready | null | undefined> = new Array<Ready | null | undefined>(paths.length);
    let written = 0;
    const settle = (index: number, result: Ready | null): void => {
      results[index] = result;
      while (written < paths.length && results[written] !== undefined) {
        const ready = results[written];
        if (ready) pending.push(ready);
        results[written++] = null;
      }
    };
    const coversKnown = new Set<string>();
    const folders = await FolderCovers.open(this.#coversDir, this.#log);
    let done = 0;

    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending.splice(0, pending.length);
      this.#store.transaction(() => {
        for (const { track, tags, isSameFile } of batch) {
          const stored = this.#store.tracks.upsert(track);
          applySuggestedMoods(this.#store.tracks, stored.id, tags, { isSameFile });
        }
      });
    };

    const one = async (path: string, index: number): Promise<void> => {
      let result: Ready | null = null;
      const before = known.get(path);
      try {
        // lstat: a file swapped for a link since the listing is not followed out of the folder.
        const info = await lstat(path);
        if (!info.isFile()) throw new Error('not a regular file (a link or a special file): skipped');
        const size = info.size;
        const mtime = Math.floor(info.mtimeMs);
        seen.add(path);
        const folder = dirname(path);
        // Looked at for every folder, so that each folder's image is recorded for the next scan.
        const isFolderCoverChanged = await folders.hasChanged(folder);
        const isSameFile = before !== undefined && before.fileSize === size && before.fileMtimeMs === mtime;
        const isUnchanged = isSameFile && before.missing !== true;
        // An unchanged file is read again only when its folder's cover image changed.
        if (isUnchanged && !isFolderCoverChanged) {
          report.unchanged++;
          return;
        }
        const tags = await this.#tags.read(path, signal === undefined ? {} : { signal });
        const cover = tags.picture
          ? await this.#writeCover(tags.picture, coversKnown, report)
          : await folders.cover(folder, (picture) => this.#writeCover(picture, coversKnown, report));
        // Only what the mood rules need is kept until the write: never the picture bytes.
        result = {
          track: toTrack(path, tags, size, mtime, cover),
          tags: { genre: tags.genre, bpm: tags.bpm, mood: tags.mood },
          isSameFile,
        };
        if (before) report.updated++;
        else report.added++;
      } catch (err) {
        // A stopped scan is no fault of the file's: it is neither listed nor marked missing.
        if (signal?.aborted) throw err;
        const error = err instanceof Error ? err.message : String(err);
        report.failed.push({ path, error });
        this.#log?.warn({ path, error }, 'file skipped');
        if (before && !before.missing) unreadable.push(before.id);
      } finally {
        settle(index, result);
        done++;
        onProgress?.({ done, total: paths.length, path });
      }
    };

    // A bad file is the file's problem (listed, skipped); a failed write to the store ends the scan.
    let writeError: Error | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < paths.length && writeError === undefined) {
        signal?.throwIfAborted();
        const index = next++;
        const path = paths[index];
        if (path !== undefined) await one(path, index);
        if (pending.length >= this.#batchSize) {
          try {
            flush();
          } catch (err) {
            writeError ??= err instanceof Error ? err : new Error(String(err));
          }
        }
      }
    };
    const workers = await Promise.allSettled(Array.from({ length: Math.min(this.#concurrency, Math.max(paths.length, 1)) }, worker));
    if (writeError !== undefined) throw writeError;
    // What was read before an abort is still written.
    flush();
    for (const result of workers) if (result.status === 'rejected') throw result.reason;

    await folders.save();

    const gone = [...known.values()].filter((f) => !f.missing && !seen.has(f.uri)).map((f) => f.id);
    const missing = [...gone, ...unreadable];
    if (missing.length > 0) this.#store.tracks.markMissing(missing);
    report.missing = missing.length;

    const sidecar = this.#sidecarNames.map((name) => join(root, name)).find((file) => existsSync(file));
    if (sidecar !== undefined) report.sidecar = { file: sidecar, report: await importSidecar(this.#store, sidecar) };

    report.failed.sort((a, b) => a.path.localeCompare(b.path));
    report.ms = Math.round(this.#clock.monotonic() - started);
    this.#log?.info(
      {
        root,
        files: report.files,
        added: report.added,
        updated: report.updated,
        missing: report.missing,
        failed: report.failed.length,
        ms: report.ms,
      },
      'library scanned',
    );
    return report;
  }

  async #writeCover(picture: NonNullable<AudioTags['picture']>, written: Set<string>, report: ScanReport): Promise<string | null> {
    // What the bytes are decides, not the mime type the tag claims; a picture too large is left out.
    if (picture.data.length > MAX_COVER_BYTES) return null;
    const ext = coverType(picture.data);
    if (ext === null) return null;
    const name = `${createHash('sha256').update(picture.data).digest('hex')}.${ext}`;
    if (written.has(name)) return name;
    written.add(name);
    await mkdir(this.#coversDir, { recursive: true, mode: 0o750 });
    try {
      // Named by content: an existing file with this name already holds these bytes.
      await writeFile(join(this.#coversDir, name), picture.data, { flag: 'wx', mode: COVER_FILE_MODE });
      report.coversWritten++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return name;
  }
}

function toTrack(path: string, tags: AudioTags, fileSize: number, fileMtimeMs: number, cover: string | null): ScannedTrack {
  const name = path.slice(path.lastIndexOf(sep) + 1);
  return {
    uri: path,
    // A file's name is as untrusted as its tags: it passes the same door.
    title: tags.title ?? readableText(name.slice(0, name.length - extname(name).length), TAG_TEXT_LIMITS.title),
    artist: tags.artist ?? '',
    album: tags.album ?? '',
    year: tags.year ?? null,
    genre: tags.genre ?? '',
    language: tags.language ?? '',
    durationMs: tags.durationMs,
    replayGainDb: tags.replayGainDb ?? null,
    cover,
    fileSize,
    fileMtimeMs,
    explicit: tags.explicit ?? null,
    recordingMbid: tags.recordingMbid ?? null,
  };
}

function isUnder(path: string, root: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Expected \`${name}\` to be an integer ≥ 1, got \`${value}\` (number)`);
  return value;
}
