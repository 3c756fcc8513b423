import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LiveConfig, OVERRIDES_KEY } from '../config/live-config.js';
import { changedPaths, loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { systemClock } from '../../kernel/clock.js';
import { ConfigError } from '../../kernel/errors.js';
import { describeDiskUse, diskUse } from './disk-use.js';
import { checkMemory } from './memory-check.js';
import { databaseUse } from '../store/sqlite-maintenance.js';
import { spotifyRedirectUri } from '../music/music-adapters.js';
import { isOnPath } from '../music/stations.js';
import { loadMigrations } from '../store/sqlite-store.js';
import { SNAPCAST, snapcastPipe, snapcastPipeProblem } from '../../player/audio-output.js';
import { AUDIO_EXTENSIONS } from '../../player/library/scanner.js';
import { SpotifyAuth } from '../../player/spotify/spotify-auth.js';
import { INSTALL_DIR } from '../version.js';
import { checkGuests } from '../guests/guest-doctor.js';
import { checkCamera, listDevices } from './doctor-camera.js';
import { checkFaceSizes } from './doctor-faces.js';

import type { Check, CheckStatus, DoctorEnv } from './doctor-check.js';

export type { Check, CheckStatus, DoctorEnv } from './doctor-check.js';

const MIN_FREE_FAIL = 200 * 1024 * 1024;
const MIN_FREE_WARN = 1024 * 1024 * 1024;

/** Runs every check of this machine against the configuration (`totalMemory`: bytes, this machine's by default). Never throws. */
export async function runDoctor(options: { configFile?: string | undefined; totalMemory?: number } & Partial<DoctorEnv>): Promise<Check[]> {
  const env = options.env ?? process.env;
  const ctx: DoctorEnv = { env, devDir: options.devDir ?? '/dev', installDir: options.installDir ?? INSTALL_DIR };
  let config: Config;
  try {
    config = loadConfig({ file: options.configFile, env }).config;
  } catch (err) {
    const message = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
    return [{ name: 'config', status: 'fail', message, fix: 'correct the configuration file; each problem names its field' }];
  }
  // The settings saved from the admin panel apply on top of the file: check what the daemon will run with.
  const saved = savedSettings(config, options.configFile, env);
  config = saved.config;
  const checks: Check[] = [
    { name: 'config', status: 'ok', message: options.configFile ?? env['MOODBOX_CONFIG'] ?? 'no file: defaults (demo mode)' },
    saved.check,
    checkNode(),
    checkMemory(options.totalMemory ?? totalmem(), env),
    checkCamera(config, ctx),
    await checkFaceSizes(config, { fetch }),
    ...(await modelChecks(config, ctx)),
    checkMpv(config),
    checkAudio(config, ctx),
    ...(config.player.audioOutput === SNAPCAST ? [checkSnapcastPipe(config)] : []),
    checkMusic(config, ctx),
    ...(config.music.youtube ? [checkYtDlp(ctx)] : []),
    ...(config.site.kind === 'home' && config.spotify.clientId !== '' ? [checkSpotify(config)] : []),
    checkDatabase(config),
    checkDisk(config),
    checkDiskUse(config),
    await checkPort(config),
    checkRfid(ctx),
    checkGuests(config, options.configFile === undefined && env['MOODBOX_CONFIG'] === undefined),
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

function checkModel(config: Config, ctx: DoctorEnv): Check {
  const name = 'model';
  const path = isAbsolute(config.vision.modelPath) ? config.vision.modelPath : resolve(ctx.installDir, config.vision.modelPath);
  if (!existsSync(path)) {
    return {
      name,
      status: 'fail',
      message: `emotion model ${path} is missing; the room mood cannot be read`,
      fix: 'reinstall Moodbox, or set vision.modelPath to the model file',
    };
  }
  const manifestPath = join(dirname(path), 'manifest.json');
  let manifest: { models?: Record<string, { sha256?: string }> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch {
    return {
      name,
      status: 'fail',
      message: `no readable manifest.json beside ${path}`,
      fix: 'the model and its manifest.json must be installed together',
    };
  }
  const file = path.slice(dirname(path).length + 1);
  const expected = manifest.models?.[file]?.sha256;
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (expected !== actual) {
    return {
      name,
      status: 'fail',
      message: `${file} does not match its manifest (sha256 ${actual.slice(0, 12)}…, expected ${expected?.slice(0, 12) ?? 'none'}…)`,
      fix: 'reinstall the model files',
    };
  }
  return { name, status: 'ok', message: `${file} matches its manifest` };
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
  const path = join(config.dataDir, 'moodbox.db');
  if (!existsSync(path)) return { config, check: { name, status: 'ok', message: 'none saved from the admin panel yet' } };
  let overrides: Record<string, unknown>;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(OVERRIDES_KEY) as { value: string } | undefined;
      overrides = row === undefined ? {} : (JSON.parse(row.value) as Record<string, unknown>);
    } finally {
      db.close();
    }
  } catch (err) {
    return { config, check: { name, status: 'warn', message: `cannot read the saved settings: ${(err as Error).message}` } };
  }
  if (Object.keys(overrides).length === 0) return { config, check: { name, status: 'ok', message: 'none saved from the admin panel' } };
  const live = new LiveConfig({ store: { get: () => overrides, set: () => {} } }, { file, env, config });
  const problems = live.applySaved();
  const paths = changedPaths(config, live.current);
  if (problems.length === 0) {
    return {
      config: live.current,
      check: { name, status: 'ok', message: `saved from the admin panel: ${paths.join(', ') || 'nothing that differs from the file'}` },
    };
  }
  const unusable = paths.length === 0 && problems.some((p) => !p.includes('the saved value is ignored'));
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

/** The model's file and manifest, then (when they are sound) whether its int8 kernels hold on this CPU. */
async function modelChecks(config: Config, ctx: DoctorEnv): Promise<Check[]> {
  const model = checkModel(config, ctx);
  return [...(model.status === 'ok' ? [model, await checkInt8(config, ctx)] : [model]), await checkDetector(config, ctx)];
}

/** The configured face detector's model: YuNet's file (checked against its sha256), or the Haar cascade. */
async function checkDetector(config: Config, ctx: DoctorEnv): Promise<Check> {
  const name = 'detector';
  if (config.vision.detector === 'haar') {
    return existsSync(config.vision.cascadePath)
      ? { name, status: 'ok', message: `Haar cascade ${config.vision.cascadePath}` }
      : {
          name,
          status: 'fail',
          message: `the Haar cascade ${config.vision.cascadePath} is missing`,
          fix: 'apt install opencv-data, or set vision.cascadePath, or vision.detector to "yunet"',
        };
  }
  const { YUNET_MODEL_FILE, YUNET_SHA256 } = await import('../../vision/yunet-face-detector.js');
  const path = join(ctx.installDir, 'models', YUNET_MODEL_FILE);
  if (!existsSync(path)) {
    return {
      name,
      status: 'fail',
      message: `the YuNet face detector ${path} is missing`,
      fix: 'reinstall Moodbox, or set vision.detector to "haar"',
    };
  }
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  return actual === YUNET_SHA256
    ? { name, status: 'ok', message: `YuNet ${YUNET_MODEL_FILE} (sha256 checked)` }
    : {
        name,
        status: 'fail',
        message: `${YUNET_MODEL_FILE} is not the YuNet build Moodbox ships (sha256 ${actual.slice(0, 12)}…)`,
        fix: 'reinstall the model files',
      };
}

/**
 * Whether the int8 emotion model reads faces as its float original does on this CPU (onnxruntime's
 * int8 kernels differ between CPUs). Skipped for a float model or a missing one (`model` says so).
 */
async function checkInt8(config: Config, ctx: DoctorEnv): Promise<Check> {
  const name = 'int8';
  const path = isAbsolute(config.vision.modelPath) ? config.vision.modelPath : resolve(ctx.installDir, config.vision.modelPath);
  try {
    const [{ checkInt8Agreement, describeAgreement, floatOriginal }, { OnnxEmotionClassifier }, { cpuInfo, describeCpu }] =
      await Promise.all([
        import('../../vision/int8-agreement.js'),
        import('../../vision/onnx-emotion-classifier.js'),
        import('../../vision/cpu-info.js'),
      ]);
    if ((await floatOriginal(path)) === undefined) {
      return { name, status: 'ok', message: `${path} is not an int8 model: nothing to compare on ${describeCpu(cpuInfo())}` };
    }
    const agreement = await checkInt8Agreement({
      int8Model: path,
      open: (modelPath) => new OnnxEmotionClassifier({}, { modelPath, flipTta: false }),
    });
    if (agreement.ok) return { name, status: 'ok', message: describeAgreement(agreement) };
    const action =
      config.vision.int8Check === 'fallback'
        ? 'Moodbox runs the float model instead (about 3x slower per face)'
        : 'Moodbox runs it anyway (vision.int8Check is not "fallback"): expect poorer mood readings';
    return {
      name,
      status: 'warn',
      message: `${describeAgreement(agreement)}; ${action}`,
      fix: 'reinstall the models (a current Moodbox ships 7-bit int8 weights that hold on every CPU), or set vision.modelPath to models/emotion-float.onnx',
    };
  } catch (err) {
    // The model check above already reports a missing or mismatched model.
    return { name, status: 'warn', message: `int8 model not checked: ${(err as Error).message}` };
  }
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
/** Whether Spotify's sign-in can be set up with these settings, as the daemon does at start (it stops the start otherwise). */
function checkSpotify(config: Config): Check {
  const name = 'spotify';
  try {
    new SpotifyAuth(
      { fetch, clock: systemClock, tokens: { load: () => undefined, save: () => {}, clear: () => {} } },
      { clientId: config.spotify.clientId, redirectUri: spotifyRedirectUri(config), accountsUrl: config.spotify.accountsUrl },
    );
  } catch (err) {
    return {
      name,
      status: 'fail',
      message: `these settings would stop Moodbox from starting: ${(err as Error).message}`,
      fix: 'fix spotify.clientId and spotify.redirectUri in Settings or the configuration file',
    };
  }
  return { name, status: 'ok', message: `Spotify app ${config.spotify.clientId.trim()}, back to ${spotifyRedirectUri(config)}` };
}

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

function checkMusic(config: Config, ctx: DoctorEnv): Check {
  const name = 'music';
  const folders = config.library.folders.map((f) => (isAbsolute(f) ? f : resolve(ctx.installDir, f)));
  if (folders.length === 0) {
    return { name, status: 'warn', message: 'no music folder configured', fix: 'set library.folders to the folders of music to play' };
  }
  const found: string[] = [];
  for (const folder of folders) {
    try {
      accessSync(folder, constants.R_OK | constants.X_OK);
    } catch {
      return {
        name,
        status: 'fail',
        message: `music folder ${folder} is missing or not readable`,
        fix: 'create it, or make it readable by the user Moodbox runs as (the `moodbox` user under systemd), or fix library.folders',
      };
    }
    const count = countAudio(folder, MUSIC_COUNT_LIMIT);
    found.push(`${folder}: ${count >= MUSIC_COUNT_LIMIT ? `${MUSIC_COUNT_LIMIT}+` : count} audio files`);
    if (count === 0) {
      return {
        name,
        status: 'warn',
        message: `no audio files in ${folder}`,
        fix: `copy music there (${AUDIO_EXTENSIONS.join(' ')}), then rescan from the admin panel`,
      };
    }
  }
  return { name, status: 'ok', message: found.join('; ') };
}

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

function checkDatabase(config: Config): Check {
  const name = 'database';
  const path = join(config.dataDir, 'moodbox.db');
  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  } catch (err) {
    return {
      name,
      status: 'fail',
      message: `data directory ${config.dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      fix: 'set dataDir or MOODBOX_DATA_DIR to a writable folder',
    };
  }
  if (!existsSync(path)) return { name, status: 'ok', message: `${path} will be created at first start` };
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const version = db.pragma('user_version', { simple: true }) as number;
      const integrity = db.pragma('quick_check', { simple: true }) as string;
      // The newest migration's number: numbers may be left unused, so the count of files is not it.
      const latest = loadMigrations().at(-1)?.version ?? 0;
      if (integrity !== 'ok')
        return {
          name,
          status: 'fail',
          message: `${path} is damaged (${integrity})`,
          fix: 'stop Moodbox and restore the newest file from the backups folder beside it',
        };
      if (version > latest)
        return { name, status: 'fail', message: `${path} is from a newer Moodbox (schema ${version} > ${latest})`, fix: 'upgrade Moodbox' };
      return {
        name,
        status: 'ok',
        message: `${path}, schema ${version}${version < latest ? ` (will migrate to ${latest}, with a backup first)` : ''}`,
      };
    } finally {
      db.close();
    }
  } catch (err) {
    return {
      name,
      status: 'fail',
      message: `cannot open ${path}: ${(err as Error).message}`,
      fix: 'check the file permissions of the data directory',
    };
  }
}

function checkDisk(config: Config): Check {
  try {
    const stats = statfsSync(config.dataDir);
    const free = stats.bavail * stats.bsize;
    const shown = `${(free / 1024 ** 3).toFixed(1)} GiB free in ${config.dataDir}`;
    if (free < MIN_FREE_FAIL)
      return { name: 'disk', status: 'fail', message: shown, fix: 'free disk space: history cannot be written when the disk is full' };
    if (free < MIN_FREE_WARN) return { name: 'disk', status: 'warn', message: shown, fix: 'free some disk space soon' };
    return { name: 'disk', status: 'ok', message: shown };
  } catch (err) {
    return { name: 'disk', status: 'fail', message: `cannot read free space of ${config.dataDir}: ${(err as Error).message}` };
  }
}

/** Below this many days left at the current growth, the disk-use check warns. */
const DAYS_LEFT_WARN = 30;

/** What the box keeps (database by table, covers, backups, logs) and the days left at the rate it grows. */
function checkDiskUse(config: Config): Check {
  const name = 'disk use';
  const path = join(config.dataDir, 'moodbox.db');
  try {
    let database;
    if (existsSync(path)) {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        database = databaseUse(db);
      } finally {
        db.close();
      }
    }
    const use = diskUse({ dataDir: config.dataDir, now: systemClock.now(), database, logFile: config.log.file });
    const message = describeDiskUse(use);
    if (use.daysLeft !== null && use.daysLeft < DAYS_LEFT_WARN) {
      return { name, status: 'warn', message, fix: 'free space on this filesystem, or keep less (retention.* in the configuration)' };
    }
    return { name, status: 'ok', message };
  } catch (err) {
    return { name, status: 'warn', message: `cannot measure the disk use of ${config.dataDir}: ${(err as Error).message}` };
  }
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
