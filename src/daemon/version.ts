import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../kernel/json.js';

/** The install folder: the one holding package.json, models/ and the built UI. */
export const INSTALL_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Moodbox's version, from package.json. */
export const VERSION: string = (parseJson(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
