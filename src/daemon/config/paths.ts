/**
 * Where Moodbox's files are on disk, derived from the configuration: a configured path relative to
 * the install folder, the bundled demo camera and music, and the cover art in the data directory.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from './schema.js';
import { INSTALL_DIR } from '../version.js';

/** The bundled demo camera (`camera.source: demo`): a looped clip of faces whose expressions change. */
export const DEMO_CAMERA = 'demo/camera.mp4';

/** The bundled demo music, the default music folder. */
export const DEMO_LIBRARY = 'demo/library';

/** A path from the configuration: relative ones start at the install folder (`installDir`, this install's by default). */
export function installPath(path: string, installDir: string = INSTALL_DIR): string {
  return isAbsolute(path) ? path : resolve(installDir, path);
}

/** Where extracted cover art lives: `covers/` in the data directory. */
export function coversDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'covers');
}
