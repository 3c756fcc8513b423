/**
 * Where Moodbox's files are on disk, derived from the configuration: a configured path relative to
 * the install folder, the bundled demo camera and music, and the cover art in the data directory.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Config } from './schema.js';
import { INSTALL_DIR } from '../version.js';
import { DEMO_LIBRARY } from './demo-paths.js';

export { DEMO_CAMERA, DEMO_LIBRARY } from './demo-paths.js';

/** A path from the configuration: relative ones start at the install folder (`installDir`, this install's by default). */
export function installPath(path: string, installDir: string = INSTALL_DIR): string {
  return isAbsolute(path) ? path : resolve(installDir, path);
}

/**
 * The folders whose songs are in the library: the configured ones (relative ones from the install
 * folder), less the bundled demo music once a folder of the owner's own is among them. A demo box
 * given its owner's folder keeps none of the demo's songs, whether the demo's folder was left in the
 * list or not; take the owner's folders out again and the demo's songs come back.
 */
export function libraryFolders(folders: readonly string[], installDir: string = INSTALL_DIR): string[] {
  const demo = installPath(DEMO_LIBRARY, installDir);
  const all = [...new Set(folders.map((folder) => resolve(installPath(folder, installDir))))];
  const own = all.filter((folder) => folder !== demo);
  return own.length > 0 ? own : all;
}

/** The database's file in the data directory. */
export const DATABASE_FILE = 'moodbox.db';

/** Where the database lives: `moodbox.db` in the data directory. */
export function databasePath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, DATABASE_FILE);
}

/** Where extracted cover art lives: `covers/` in the data directory. */
export function coversDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'covers');
}

/**
 * The file at `path` with symbolic links resolved, when it lies inside one of `folders` (each
 * resolved too, relative ones from the install folder); undefined when it is elsewhere, or does not
 * exist. Asked when a file is served, not only when it was scanned: a database restored from a
 * backup, or a link changed since, may name any file. Open the path it returns, not `path`.
 */
export async function realPathInside(
  path: string,
  folders: readonly string[],
  installDir: string = INSTALL_DIR,
): Promise<string | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return undefined;
  for (const folder of folders) {
    const root = await realpath(installPath(folder, installDir)).catch(() => undefined);
    if (root === undefined) continue;
    const rel = relative(root, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return real;
  }
  return undefined;
}
