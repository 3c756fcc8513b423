import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { describeValue } from '../../kernel/errors.js';
import { parseJson, PROTOTYPE_KEYS } from '../../kernel/json.js';
import { ConfigError } from './config-error.js';
import { configValidator } from './config-validator.js';
import { dayPlanProblems } from './schema-day-plans.js';
import type { Config } from './schema.js';
import { siteProblems } from './site-rules.js';

/** The environment variables that may override the configuration file, and nothing else. */
export const ENV_OVERRIDES = [
  { name: 'MOODBOX_PORT', path: ['server', 'port'], kind: 'integer' },
  { name: 'MOODBOX_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { name: 'MOODBOX_LOG_LEVEL', path: ['log', 'level'], kind: 'string' },
  { name: 'MOODBOX_CAMERA', path: ['camera', 'source'], kind: 'string' },
] as const;

/**
 * The settings whose default a person must be told of, as a default and not as what the file says:
 * the camera (the demo clip in demo mode, this machine's camera on a box with a file) and the
 * music folders (the bundled demo music until the owner names a folder).
 */
export const TOLD_DEFAULTS = ['camera.source', 'library.folders'] as const;
export type ToldDefault = (typeof TOLD_DEFAULTS)[number];

export interface LoadedConfig {
  config: Config;
  /** The file the configuration came from; undefined when the defaults (demo mode) are in use. */
  file: string | undefined;
  /** Those of `TOLD_DEFAULTS` that neither the file, the saved settings nor the environment set: their defaults are in force. */
  defaults: readonly ToldDefault[];
}

/**
 * This machine's camera, as the first-run wizard and Settings offer it: the first V4L2 device
 * (`/dev/video0`, else the lowest-numbered one there); `/dev/video0` when there is none, which the
 * camera then reports as unavailable, with its usual retries, until one is plugged in.
 */
export function machineCamera(devDir = '/dev'): string {
  let numbers: number[] = [];
  try {
    numbers = readdirSync(devDir).flatMap((name) => (/^video\d+$/.test(name) ? [Number(name.slice('video'.length))] : []));
  } catch {
    // No device folder to read: the usual first camera, reported unavailable when it is opened.
  }
  return join(devDir, `video${numbers.length === 0 ? 0 : Math.min(...numbers)}`);
}

const validate = await configValidator();

/**
 * Loads, validates and freezes the configuration.
 *
 * The file is `options.file`, else `$MOODBOX_CONFIG`, else none (every default: demo mode). Every
 * problem is reported at once in one `ConfigError`, each as `path: message`. A box with a file that
 * names no camera source uses this machine's camera (`machineCamera`): the demo clip is demo mode's,
 * or a file's that says `"source": "demo"`, never a room's by default.
 */
export function loadConfig(options: {
  file?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Settings saved from the admin panel: over the file, under the environment. */
  overlay?: Readonly<Record<string, unknown>>;
  /** Where the camera devices are, for a box with a file and no camera source. @default '/dev' */
  devDir?: string;
}): LoadedConfig {
  const { env } = options;
  const file = options.file ?? nonEmpty(env['MOODBOX_CONFIG']);
  const raw: unknown = file === undefined ? {} : readJson(file);
  if (!isPlainObject(raw)) {
    throw new ConfigError('MB_ERR_CONFIG_INVALID', [`(root): expected an object, got ${describeValue(raw)}`]);
  }
  const problems: string[] = [];
  const candidate = options.overlay === undefined ? structuredClone(raw) : mergeDeep(raw, options.overlay);
  applyEnvOverrides(candidate, env, problems);
  const defaults = TOLD_DEFAULTS.filter((path) => valueAt(candidate, path) === undefined);
  const camera = candidate['camera'] ?? {};
  if (file !== undefined && defaults.includes('camera.source') && isPlainObject(camera)) {
    candidate['camera'] = { ...camera, source: machineCamera(options.devDir) };
  }
  if (!validate(candidate)) problems.push(...describeErrors(validate.errors ?? []));
  else problems.push(...ruleProblems(candidate));
  if (problems.length > 0) throw new ConfigError('MB_ERR_CONFIG_INVALID', dedupe(problems));

  const config = candidate as Config;
  config.dataDir = resolveDataDir(config.dataDir, env);
  return { config: deepFreeze(config), file: file === undefined ? undefined : resolve(file), defaults };
}

/** Validates a configuration object without reading files or the environment; returns the problems. */
export function checkConfig(value: unknown): string[] {
  const candidate = structuredClone(value);
  if (validate(candidate)) return ruleProblems(candidate);
  return dedupe(describeErrors(validate.errors ?? []));
}

/** The rules between settings that the schema cannot say: the site's (`site-rules.ts`) and the day plans' (no two overlap). */
function ruleProblems(config: Config): string[] {
  return [...siteProblems(config), ...dayPlanProblems(config.player.dayPlans)];
}

/**
 * `base` with `over` merged in: objects merge key by key, anything else replaces (an array, `null`,
 * `undefined`). Neither is changed, and the result shares nothing with them: validation fills in
 * defaults and then freezes it. (deepmerge-ts does it with `mergeArrays: false`, `filterValues:
 * false` and a `structuredClone` after it: no shorter than these lines.)
 */
export function mergeDeep(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
  at = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    const path = at === '' ? key : `${at}.${key}`;
    // Assigned, `__proto__` would set the result's prototype: its settings would then be inherited,
    // where neither the schema nor the door between the panel and the file sees them.
    if (PROTOTYPE_KEYS.has(key)) throw new ConfigError('MB_ERR_CONFIG_INVALID', [`${path}: a key that reaches an object's prototype`]);
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    if (isPlainObject(current) && isPlainObject(value)) out[key] = mergeDeep(current, value, path);
    else {
      refusePrototypeKeys(value, path);
      out[key] = structuredClone(value);
    }
  }
  return out;
}

/** Throws `ConfigError` when `value` holds a key that reaches a prototype (`__proto__`, `constructor`, `prototype`), at any depth. */
function refusePrototypeKeys(value: unknown, at: string): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const path = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
    if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key))
      throw new ConfigError('MB_ERR_CONFIG_INVALID', [`${path}: a key that reaches an object's prototype`]);
    refusePrototypeKeys(child, path);
  }
}

/** Every leaf path whose value differs between `a` and `b`, e.g. `camera.enabled`. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix === '' ? k : `${prefix}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new ConfigError('MB_ERR_CONFIG_READ', [`${file}: cannot read the configuration file (${why})`], { cause: err });
  }
  try {
    return parseJson(text);
  } catch (err) {
    throw new ConfigError('MB_ERR_CONFIG_READ', [`${file}: not valid JSON (${(err as Error).message})`], { cause: err });
  }
}

function applyEnvOverrides(target: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>, problems: string[]): void {
  for (const override of ENV_OVERRIDES) {
    const text = env[override.name];
    if (text === undefined || text === '') continue;
    let value: string | number = text;
    if (override.kind === 'integer') {
      if (!/^\d+$/.test(text.trim())) {
        problems.push(`${override.name} (${override.path.join('.')}): expected an integer, got \`${text}\``);
        continue;
      }
      value = Number(text.trim());
    }
    let node = target;
    for (const key of override.path.slice(0, -1)) {
      const child = node[key];
      if (!isPlainObject(child)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[override.path[override.path.length - 1] as string] = value;
  }
}

/**
 * One line per real problem. For a value that may be one of several shapes (null or an object),
 * the branch that did not apply is noise: when an error sits inside a value, the errors about that
 * value's own type and the `anyOf` summary are dropped.
 */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  const kept = errors.filter((e) => {
    if (e.keyword === 'anyOf') return false;
    if (e.keyword !== 'type' && e.keyword !== 'const') return true;
    return !errors.some((other) => other.instancePath.startsWith(`${e.instancePath}/`));
  });
  return kept.map(formatAjvError).filter((p): p is string => p !== undefined);
}

function formatAjvError(error: ErrorObject): string | undefined {
  const path = error.instancePath === '' ? '' : error.instancePath.slice(1).split('/').join('.');
  const at = (p: string): string => (p === '' ? '(root)' : p);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> }).properties ?? {});
      const full = path === '' ? key : `${path}.${key}`;
      const guess = known.length > 0 ? closest(key, known) : undefined;
      const hint =
        guess !== undefined && distance(key, guess) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean \`${guess}\`?)` : '';
      const allowed = known.length > 0 ? `; known keys: ${known.join(', ')}` : '';
      return `${full}: unknown key${hint}${allowed}`;
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `${path === '' ? missing : `${path}.${missing}`}: is required`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return `${at(path)}: expected one of ${allowed}, got ${describeValue(error.data)}`;
    }
    case 'const':
      return `${at(path)}: expected ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}, got ${describeValue(error.data)}`;
    case 'type':
      return `${at(path)}: expected ${String((error.params as { type: string }).type)}, got ${describeValue(error.data)}`;
    default:
      return `${at(path)}: ${error.message ?? 'is invalid'}, got ${describeValue(error.data)}`;
  }
}

function resolveDataDir(dataDir: string, env: Readonly<Record<string, string | undefined>>): string {
  if (dataDir !== '') return isAbsolute(dataDir) ? dataDir : resolve(dataDir);
  const state = nonEmpty(env['STATE_DIRECTORY']);
  if (state !== undefined) return state.split(':')[0] ?? state;
  const xdg = nonEmpty(env['XDG_DATA_HOME']);
  return join(xdg ?? join(env['HOME'] ?? homedir(), '.local', 'share'), 'moodbox');
}

/** The value at a dotted `path` of `target` (`camera.source`), or undefined where any step is missing. */
function valueAt(target: Record<string, unknown>, path: string): unknown {
  let node: unknown = target;
  for (const key of path.split('.')) node = isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
