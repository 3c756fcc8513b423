import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './config-error.js';
import { checkConfig } from './load-config.js';

/** What an installer asks for a box's first configuration (`moodbox config init`, `setup.sh install`). */
export interface ConfigAnswers {
  /** The camera: a device (`/dev/video0`), a stream URL, or `none` (no camera: the music follows the day plans). */
  readonly camera: string;
  /** The music folders (absolute paths). */
  readonly music: readonly string[];
  /** Where the box plays: a business (café, shop, lobby) or a home. */
  readonly venue: 'business' | 'home';
  /** The address the daemon listens on: `0.0.0.0` serves the admin panel and guests' phones on the LAN; `127.0.0.1` the box alone. */
  readonly host: string;
  /** The kiosk's language: a two-letter code, or `auto` (the kiosk browser's). */
  readonly language: string;
}

/**
 * The configuration file for `answers`: only what differs from the defaults, so that a later
 * version's defaults still reach the box. Throws a `ConfigError` naming the answer that is wrong
 * (as the daemon would name the field at start).
 */
export function initialConfig(answers: ConfigAnswers): Record<string, unknown> {
  const problems: string[] = [];
  if (answers.music.length === 0) problems.push('music: give at least one music folder');
  for (const folder of answers.music) {
    if (!folder.startsWith('/')) problems.push(`music: expected an absolute path, got \`${folder}\``);
  }
  const hasCamera = answers.camera !== 'none';
  const config = {
    server: { host: answers.host },
    camera: hasCamera ? { source: answers.camera } : { enabled: false },
    library: { folders: [...answers.music] },
    site: { kind: answers.venue, language: answers.language },
  };
  // The daemon's own checks, so a box never starts on a file it would refuse.
  problems.push(...checkConfig(config));
  if (problems.length > 0) throw new ConfigError('MB_ERR_CONFIG_INVALID', problems);
  return config;
}

/**
 * Writes `config` to `file` (its folder made if missing), readable by its owner and group only
 * (0640: the daemon's group reads it). Refuses to replace a file that is there unless `force`:
 * an installer run twice keeps the owner's configuration. Written whole or not at all.
 */
export function writeConfigFile(file: string, config: Record<string, unknown>, options: { force?: boolean } = {}): void {
  if (existsSync(file) && options.force !== true) {
    throw new ConfigError('MB_ERR_CONFIG_INVALID', [`${file}: already exists; it is kept (give --force to replace it)`]);
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const part = `${file}.part`;
  const fd = openSync(part, 'w', 0o640);
  try {
    writeSync(fd, `${JSON.stringify(config, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(part, file);
}
