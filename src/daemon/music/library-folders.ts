import { isAbsolute, relative, resolve } from 'node:path';
import type { Log } from '../../kernel/log.js';
import type { Store } from '../store/store.js';

/**
 * The files of `files` that lie under none of `folders` (absolute paths, compared as written: a
 * folder on a drive not mounted still holds its songs). Missing ones are left out: they have left already.
 */
export function outsideFolders<T extends { uri: string; missing: boolean }>(files: readonly T[], folders: readonly string[]): T[] {
  const roots = folders.map((folder) => resolve(folder));
  const isInside = (path: string): boolean =>
    roots.some((root) => {
      const rel = relative(root, resolve(path));
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
  return files.filter((file) => !file.missing && !isInside(file.uri));
}

/** Marks missing the local songs under none of `folders` (absolute), and says so; returns how many left. */
export function dropOutside(deps: { store: Pick<Store, 'tracks'>; log: Pick<Log, 'info'> }, folders: readonly string[]): number {
  const outside = outsideFolders(deps.store.tracks.files('local'), folders);
  if (outside.length === 0) return 0;
  deps.store.tracks.markMissing(outside.map((file) => file.id));
  deps.log.info({ left: outside.length, folders }, 'songs left the library: their folder is no longer a music folder');
  return outside.length;
}
