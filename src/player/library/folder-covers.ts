/**
 * Folder covers: a folder's own image file is the cover of its tracks that embed none. A record in
 * the covers folder of each folder's image as last seen makes a rescan read a folder's tracks again
 * when its image changed.
 */
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Log } from '../../kernel/log.js';
import { readCoverFile } from './cover-files.js';
import { parseJson } from '../../kernel/json.js';

/**
 * A folder's own cover image, used for its tracks that embed none (as MPD, Volumio and Lyrion do):
 * `cover`, else `folder`, else `front`, as `.jpg`, `.jpeg` or `.png`, in any case. Only a regular
 * file in the folder itself counts (a link is never followed), up to `MAX_COVER_BYTES`, and only
 * when its bytes are an image.
 */
const FOLDER_COVER_NAMES: readonly string[] = ['cover', 'folder', 'front'];
const FOLDER_COVER_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png'];
/** In the covers folder: each scanned folder's cover image as last seen, so that a changed one is picked up on rescan. */
const FOLDER_COVERS_FILE = 'folder-covers.json';

/** A folder's cover image as seen on disk: its file name, size and last change. */
interface FolderImage {
  file: string;
  size: number;
  changedMs: number;
}

/**
 * The folder cover images of one scan: each folder's image found once (a listing per folder), its
 * cover written once, and whether it differs from what the last scan saw.
 */
export class FolderCovers {
  readonly #coversDir: string;
  readonly #before: ReadonlyMap<string, FolderImage>;
  readonly #images = new Map<string, Promise<FolderImage | null>>();
  readonly #covers = new Map<string, Promise<string | null>>();
  readonly #log: Pick<Log, 'warn'> | undefined;

  private constructor(coversDir: string, before: ReadonlyMap<string, FolderImage>, log?: Pick<Log, 'warn'>) {
    this.#coversDir = coversDir;
    this.#before = before;
    this.#log = log;
  }

  /** A scan's folder covers, compared with the record of the last scans in `coversDir`. */
  static async open(coversDir: string, log?: Pick<Log, 'warn'>): Promise<FolderCovers> {
    return new FolderCovers(coversDir, await readRecord(coversDir), log);
  }

  /** Whether the folder's cover image was added, replaced, changed or removed since the last scan. */
  async hasChanged(folder: string): Promise<boolean> {
    const now = await this.#image(folder);
    const before = this.#before.get(folder);
    if (now === null || before === undefined) return now !== null || before !== undefined;
    return now.file !== before.file || now.size !== before.size || now.changedMs !== before.changedMs;
  }

  /** The folder's cover, written by `write` once; null when the folder has no cover image (or it cannot be read). */
  cover(folder: string, write: (picture: { mime: string; data: Uint8Array }) => Promise<string | null>): Promise<string | null> {
    let cover = this.#covers.get(folder);
    if (cover === undefined) {
      cover = this.#image(folder).then(async (image) => {
        if (image === null) return null;
        const file = join(folder, image.file);
        try {
          const { type, data } = await readCoverFile(file);
          return await write({ mime: `image/${type}`, data });
        } catch (err) {
          this.#log?.warn({ file, error: err instanceof Error ? err.message : String(err) }, 'folder cover not used');
          return null;
        }
      });
      this.#covers.set(folder, cover);
    }
    return cover;
  }

  /** Records the image found in each folder looked at in this scan (none: the folder is dropped from the record), for the next scan. */
  async save(): Promise<void> {
    const seen = await this.#seen();
    if (seen.size === 0) return;
    const record = await readRecord(this.#coversDir);
    for (const [folder, image] of seen) {
      if (image === null) record.delete(folder);
      else record.set(folder, image);
    }
    try {
      await mkdir(this.#coversDir, { recursive: true });
      await writeFile(join(this.#coversDir, FOLDER_COVERS_FILE), JSON.stringify(Object.fromEntries(record)));
    } catch (err) {
      // Only costs a second read of those folders' files on the next scan.
      this.#log?.warn({ err, dir: this.#coversDir }, 'cannot record the folder covers seen');
    }
  }

  /** The image found in each folder looked at in this scan (null: none). */
  async #seen(): Promise<Map<string, FolderImage | null>> {
    const entries = await Promise.all([...this.#images].map(async ([folder, image]) => [folder, await image] as const));
    return new Map(entries);
  }

  #image(folder: string): Promise<FolderImage | null> {
    let image = this.#images.get(folder);
    if (image === undefined) {
      image = findFolderImage(folder);
      this.#images.set(folder, image);
    }
    return image;
  }
}

/** The folder cover images seen by the last scans, by folder; none when the record is missing or unreadable. */
async function readRecord(coversDir: string): Promise<Map<string, FolderImage>> {
  try {
    const parsed = parseJson(await readFile(join(coversDir, FOLDER_COVERS_FILE), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    return new Map(Object.entries(parsed as Record<string, FolderImage>));
  } catch {
    // No record yet (a first scan, an upgrade): every folder with an image is read again once.
    return new Map();
  }
}

/** The folder's cover image (`cover` before `folder` before `front`; any case), or null. */
async function findFolderImage(folder: string): Promise<FolderImage | null> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return null;
  }
  const candidates = names
    .map((name) => {
      const ext = extname(name).toLowerCase();
      const rank = FOLDER_COVER_NAMES.indexOf(name.slice(0, name.length - ext.length).toLowerCase());
      return { name, rank, ext };
    })
    .filter((c) => c.rank >= 0 && FOLDER_COVER_EXTENSIONS.includes(c.ext))
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  for (const { name } of candidates) {
    try {
      // lstat: a link named cover.png is not the folder's image, wherever it points.
      const info = await lstat(join(folder, name));
      if (!info.isFile()) continue;
      // ctime too: a file put back with its old mtime (cp -p) is still a change.
      return { file: name, size: info.size, changedMs: Math.floor(Math.max(info.mtimeMs, info.ctimeMs)) };
    } catch {
      continue;
    }
  }
  return null;
}
