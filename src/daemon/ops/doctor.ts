import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { LiveConfig, OVERRIDES_KEY } from '../config/live-config.js';
import { changedPaths, loadConfig, type LoadedConfig } from '../config/load-config.js';
import { databasePath, installPath } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../config/config-error.js';
import { checkMemory } from './memory-check.js';
import { isOnPath } from '../music/stations.js';
import { SNAPCAST, snapcastPipe, snapcastPipeProblem } from '../../player/audio-output.js';
import { AUDIO_EXTENSIONS } from '../../player/library/scanner-walk.js';
import { INSTALL_DIR, VERSION } from '../version.js';
import { checkGuests } from '../guests/guest-doctor.js';
import { type CameraOrigin, checkCamera, listDevices } from './doctor-camera.js';
import { checkFaceLight, checkFaceSizes } from './doctor-faces.js';
import { modelChecks } from './doctor-models.js';
import { checkDatabase, checkDisk, checkDiskUse } from './doctor-storage.js';

import { checkFirstAdmin } from './doctor-admin.js';
import { checkVersion } from './doctor-version.js';
import { checkScreen, type ScreenPlaces } from './doctor-screen.js';
import { sourceChecks } from './doctor-sources.js';
import { INSTALL_RECORD, isInstalled, type Check, type CheckStatus, type DoctorEnv } from './doctor-check.js';
import { parseJson } from '../../kernel/json.js';

export type { Check, CheckStatus, DoctorEnv } from './doctor-check.js';

/** Runs every check of this machine against the configuration (`totalMemory`: bytes, this machine's by default). Never throws. */
export async function runDoctor(
  options: { configFile?: string | undefined; totalMemory?: number; screen?: ScreenPlaces } & Partial<DoctorEnv>,
): Promise<Check[]> {
  const env = options.env ?? process.env;
  const ctx: DoctorEnv = {
    env,
    devDir: options.devDir ?? '/dev',
    installDir: options.installDir ?? INSTALL_DIR,
    installRecord: options.installRecord ?? INSTALL_RECORD,
  };
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({ file: options.configFile, env, devDir: ctx.devDir });
  } catch (err) {
    const message = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
    return [{ name: 'config', status: 'fail', message, fix: 'correct the configuration file; each problem names its field' }];
  }
  // The settings saved from the admin panel apply on top of the file: check what the daemon will run with.
  const isDemo = loaded.file === undefined;
  const isDefault = (path: (typeof loaded.defaults)[number]): boolean => loaded.defaults.includes(path);
  const fileFolders = isDefault('library.folders') ? [] : loaded.config.library.folders;
  const saved = savedSettings(loaded.config, options.configFile, env);
  const config = saved.config;
  // A default is told as one, unless the panel saved another value over it.
  const cameraOrigin: CameraOrigin =
    !isDefault('camera.source') || config.camera.source !== loaded.config.camera.source ? 'set' : isDemo ? 'demo mode' : 'default';
  const defaultFolders = isDefault('library.folders') ? loaded.config.library.folders : [];
  const checks: Check[] = [
    { name: 'config', status: 'ok', message: options.configFile ?? env['MOODBOX_CONFIG'] ?? 'no file: defaults (demo mode)' },
    saved.check,
    checkVersion(VERSION, ctx.installDir),
    checkNode(),
    checkMemory(options.totalMemory ?? totalmem(), env),
    checkCamera(config, ctx, cameraOrigin),
    await checkFaceSizes(config, { fetch }),
    await checkFaceLight(config, { fetch }),
    ...(await modelChecks(config, ctx)),
    checkMpv(config),
    checkAudio(config, ctx),
    ...(config.player.audioOutput === SNAPCAST ? [checkSnapcastPipe(config)] : []),
    checkMusic(config, { fileFolders, defaultFolders, isDemo }, ctx),
    ...(config.music.youtube ? [checkYtDlp(ctx)] : []),
    ...sourceChecks(config),
    checkDatabase(config),
    checkDisk(config),
    checkDiskUse(config),
    await checkPort(config),
    ...[checkScreen(config.player.quietHours, options.screen)].filter((check) => check !== undefined),
    checkRfid(ctx),
    checkGuests(config, isDemo),
    ...(isDemo ? [] : [checkFirstAdmin(config, isInstalled(ctx.installDir, ctx.installRecord))]),
  ];
  return checks;
}

export function formatChecks(checks: readonly Check[]): string {
  const mark: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
  const lines = checks.map((c) => `[${mark[c.status]}] ${c.name}: ${c.message}${c.fix === undefined ? '' : `\n       fix: ${c.fix}`}`);
  const fails = checks.filter((c) => c.status === 'fail').length;
  const warns = checks.filter((c) => c.status === 'warn').length;
  lines.push(
    '',
    fails === 0
      ? `No problems found${warns > 0 ? ` (${warns} warning${warns > 1 ? 's' : ''})` : ''}.`
      : `${fails} problem${fails > 1 ? 's' : ''} found.`,
  );
  return lines.join('\n');
}

function checkNode(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return ok
    ? { name: 'node', status: 'ok', message: `Node ${process.versions.node}` }
    : {
        name: 'node',
        status: 'fail',
        message: `Node ${process.versions.node} is too old`,
        fix: 'install Node 20.19 or newer (apt install nodejs on Debian 13 / Raspberry Pi OS)',
      };
}

/**
 * The overrides saved from the admin panel (in the database), applied as the daemon applies them:
 * file-only settings among them are ignored (a warning), and a set that no longer validates is not
 * used at all (a failure: the daemon then runs on the file alone).
 */
function savedSettings(
  config: Config,
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { config: Config; check: Check } {
  const name = 'settings';
  const path = databasePath(config);
  if (!existsSync(path)) return { config, check: { name, status: 'ok', message: 'none saved from the admin panel yet' } };
  let overrides: Record<string, unknown>;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(OVERRIDES_KEY) as { value: string } | undefined;
      overrides = row === undefined ? {} : (parseJson(row.value) as Record<string, unknown>);
    } finally {
      db.close();
    }
  } catch (err) {
    return { config, check: { name, status: 'warn', message: `cannot read the saved settings: ${(err as Error).message}` } };
  }
  if (Object.keys(overrides).length === 0) return { config, check: { name, status: 'ok', message: 'none saved from the admin panel' } };
  const log = { error: (obj: { err?: unknown }, msg: string) => process.stderr.write(`moodbox doctor: ${msg}: ${String(obj.err)}\n`) };
  const live = new LiveConfig({ store: { get: () => overrides, set: () => {} }, log }, { file, env, config });
  const problems = live.applySaved();
  const paths = changedPaths(config, live.current);
  if (problems.length === 0) {
    return {
      config: live.current,
      check: { name, status: 'ok', message: `saved from the admin panel: ${paths.join(', ') || 'nothing that differs from the file'}` },
    };
  }
  const unusable = paths.length === 0 && problems.some((p) => !p.includes('the saved value is set aside'));
  return {
    config: live.current,
    check: {
      name,
      status: unusable ? 'fail' : 'warn',
      message: `${unusable ? 'the settings saved from the admin panel are not used' : 'some saved settings are ignored'}: ${problems.join('; ')}`,
      fix: 'fix or discard them in the admin panel (Settings); file-only settings go in the configuration file',
    },
  };
}

function checkMpv(config: Config): Check {
  const result = spawnSync(config.player.mpvPath, ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (result.error !== undefined || result.status !== 0) {
    return {
      name: 'mpv',
      status: 'fail',
      message: `cannot run ${config.player.mpvPath}: ${result.error?.message ?? `exit ${String(result.status)}`}`,
      fix: 'apt install mpv, or set player.mpvPath',
    };
  }
  return { name: 'mpv', status: 'ok', message: (result.stdout.split('\n')[0] ?? '').trim() };
}

/** YouTube stations need yt-dlp, which Moodbox does not install: checked only where `music.youtube` is on. */
function checkYtDlp(ctx: DoctorEnv): Check {
  return isOnPath('yt-dlp', ctx.env)
    ? { name: 'yt-dlp', status: 'ok', message: 'yt-dlp is installed: YouTube stations can play' }
    : {
        name: 'yt-dlp',
        status: 'warn',
        message: '`music.youtube` is on but yt-dlp is not installed: YouTube stations are not played',
        fix: 'sudo apt install yt-dlp',
      };
}

function checkAudio(config: Config, ctx: DoctorEnv): Check {
  if (config.player.audioOutput === 'null')
    return { name: 'audio', status: 'ok', message: 'audio output is null (silent) by configuration' };
  const playback = listDevices(join(ctx.devDir, 'snd'), 'pcm').filter((p) => p.endsWith('p'));
  const runtime = ctx.env['XDG_RUNTIME_DIR'];
  const server = runtime !== undefined && (existsSync(join(runtime, 'pulse', 'native')) || existsSync(join(runtime, 'pipewire-0')));
  if (playback.length === 0 && !server) {
    return {
      name: 'audio',
      status: 'warn',
      message: 'no sound device found: music plays to the null output (silently)',
      fix: 'connect speakers or HDMI audio; check with `aplay -l`',
    };
  }
  return { name: 'audio', status: 'ok', message: server ? 'a sound server is running' : `sound devices: ${playback.length}` };
}

/** The `snapcast` output writes only into a FIFO: anything else there, and nothing plays. */
function checkSnapcastPipe(config: Config): Check {
  const pipe = snapcastPipe(config.player.audioOutput, config.player.snapcastPipe, config.player.mpvArgs) ?? config.player.snapcastPipe;
  const problem = snapcastPipeProblem(pipe);
  if (problem === undefined) return { name: 'snapcast', status: 'ok', message: `${pipe} is a FIFO: the music goes to Snapcast` };
  return {
    name: 'snapcast',
    status: 'fail',
    message: problem,
    fix: 'see docs/multiroom.md: the pipe under /run/snapserver/ that the systemd unit may write',
  };
}

/** Audio files counted in a music folder before the check stops counting. */
const MUSIC_COUNT_LIMIT = 10_000;

/**
 * Every music folder the daemon will scan, those of the configuration file, those added in the
 * admin panel and the default (the bundled demo music, where the file names none), each with its
 * audio files counted and where it was set: one missing fails, an empty one warns, and neither
 * hides the others.
 */
function checkMusic(
  config: Config,
  origins: { fileFolders: readonly string[]; defaultFolders: readonly string[]; isDemo: boolean },
  ctx: DoctorEnv,
): Check {
  const name = 'music';
  const inFile = new Set(origins.fileFolders.map((f) => installPath(f, ctx.installDir)));
  const byDefault = new Set(origins.defaultFolders.map((f) => installPath(f, ctx.installDir)));
  const origin = (folder: string): string =>
    inFile.has(folder)
      ? 'in the configuration file'
      : !byDefault.has(folder)
        ? 'added in the admin panel'
        : origins.isDemo
          ? "the demo music, demo mode's default"
          : 'the demo music, the default: the configuration file names no folder';
  const folders = config.library.folders.map((f) => installPath(f, ctx.installDir));
  if (folders.length === 0) {
    return {
      name,
      status: 'warn',
      message: 'no music folder configured',
      fix: `add one in the admin panel (${PANEL_FOLDERS}), or set library.folders in the configuration file`,
    };
  }
  const found: string[] = [];
  const missing: string[] = [];
  const empty: string[] = [];
  for (const folder of folders) {
    const named = `${folder} (${origin(folder)})`;
    try {
      accessSync(folder, constants.R_OK | constants.X_OK);
    } catch {
      missing.push(named);
      continue;
    }
    const count = countAudio(folder, MUSIC_COUNT_LIMIT);
    if (count === 0) empty.push(named);
    else found.push(`${named}: ${count >= MUSIC_COUNT_LIMIT ? `${MUSIC_COUNT_LIMIT}+` : count} audio file${count === 1 ? '' : 's'}`);
  }
  const others = found.length === 0 ? '' : `; ${found.join('; ')}`;
  if (missing.length > 0) {
    return {
      name,
      status: 'fail',
      message: `music folder ${missing.join(', ')} is missing or not readable${empty.length === 0 ? '' : `; no audio files in ${empty.join(', ')}`}${others}`,
      fix: `create it, or make it readable by the user Moodbox runs as (the \`moodbox\` user under systemd), or change the folders (${PANEL_FOLDERS}, or library.folders in the configuration file)`,
    };
  }
  if (empty.length > 0) {
    return {
      name,
      status: 'warn',
      message: `no audio files in ${empty.join(', ')}${others}`,
      fix: `copy music there (${AUDIO_EXTENSIONS.join(' ')}), then rescan from the admin panel (${PANEL_FOLDERS})`,
    };
  }
  return { name, status: 'ok', message: found.join('; ') };
}

/** Where the admin panel chooses the music folders, as its tabs name it. */
const PANEL_FOLDERS = 'Settings › Music › Music folders';

function countAudio(dir: string, limit: number): number {
  let count = 0;
  const pending = [dir];
  while (pending.length > 0 && count < limit) {
    const current = pending.pop() ?? '';
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) pending.push(join(current, entry.name));
      else if (entry.isFile() && AUDIO_EXTENSIONS.includes(extname(entry.name).toLowerCase())) count += 1;
    }
  }
  return count;
}

function checkPort(config: Config): Promise<Check> {
  const { host, port } = config.server;
  return new Promise((done) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      done(
        err.code === 'EADDRINUSE'
          ? {
              name: 'port',
              status: 'warn',
              message: `${host}:${port} is in use (a running Moodbox, or another program)`,
              fix: 'if Moodbox is not running, set server.port or MOODBOX_PORT',
            }
          : {
              name: 'port',
              status: 'fail',
              message: `cannot listen on ${host}:${port} (${err.code ?? err.message})`,
              fix: 'check server.host',
            },
      );
    });
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => done({ name: 'port', status: 'ok', message: `${host}:${port} is free` }));
    });
  });
}

function checkRfid(ctx: DoctorEnv): Check {
  const nodes = listDevices(ctx.devDir, 'hidraw');
  if (nodes.length === 0) {
    return { name: 'rfid', status: 'ok', message: 'no RFID reader (no hidraw device); sign-in works with a PIN' };
  }
  const readable = nodes.filter((n) => {
    try {
      accessSync(n, constants.R_OK);
      return statSync(n).isCharacterDevice();
    } catch {
      return false;
    }
  });
  return readable.length > 0
    ? { name: 'rfid', status: 'ok', message: `HID devices readable: ${readable.join(', ')}` }
    : {
        name: 'rfid',
        status: 'warn',
        message: `HID devices present but not readable: ${nodes.join(', ')}`,
        fix: 'install systemd/99-moodbox.rules and replug the reader',
      };
}
