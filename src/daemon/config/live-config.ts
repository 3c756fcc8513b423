import { EventBus, type ListenerOwner } from '../../kernel/event-bus.js';
import { ConfigError } from './config-error.js';
import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { actors, recordAudit, type Actor } from '../store/audit.js';
import type { AuditRepository, UnreadableSetting } from '../store/store.js';
import { changedPaths, deepFreeze, loadConfig, mergeDeep } from './load-config.js';
import { ConfigSchema, type Config } from './schema.js';
import { keepable, oversized, type Refusal } from './setting-sizes.js';

/**
 * Where saved settings are announced: the app's bus (`settingsChanged` in `events.ts`), named here by
 * the one event it needs, so that the settings never import the app's events.
 */
export type SettingsAnnouncer = Pick<EventBus<{ settingsChanged: { readonly changed: readonly string[] } }>, 'emit'>;

/** Where the admin panel's settings are kept in the store's settings table. */
export const OVERRIDES_KEY = 'config.overrides';
/** Where saved settings refused at a start are kept, with why: shown in the panel, used by nothing. */
export const SET_ASIDE_KEY = 'config.setAside';
/** The most set-aside settings kept: the oldest go first. */
const SET_ASIDE_KEEP = 50;

/** Keys only the configuration file may set: they decide where the database itself lives. */
const FILE_ONLY = new Set(['version', 'dataDir']);

/** Deepest nesting of a saved settings object (the configuration itself is 3 levels deep). */
const MAX_DEPTH = 6;

/** The path a set-aside entry names when the saved settings as a whole could not be used. */
const WHOLE = '(saved settings)';

/**
 * What the admin panel may set, checked for what it will do. Injected so tests need no devices.
 * Each returns a problem (`path: why`) or undefined.
 */
export interface PanelChecks {
  /** `camera.source`: `demo`, a camera index, or a V4L2 device; files, pipelines and URLs are file-only. */
  cameraSource(value: string): string | undefined;
  /**
   * `camera.source` allowed but not there now (a camera index or device not plugged in): said, not
   * refused, for a camera plugged in later. Undefined when it is there, or is no device.
   */
  cameraAbsent(value: string): string | undefined;
  /**
   * `library.folders`: each an existing, readable folder inside `roots` (or the bundled demo music).
   * `atStart`: the saved value at a start, where a drive not mounted yet is no reason to refuse it,
   * but a folder outside the roots is. `fileFolders`: the configuration file's folders, kept as they are.
   */
  musicFolders(
    value: readonly string[],
    roots: readonly string[],
    options?: { atStart?: boolean; fileFolders?: readonly string[] },
  ): string | undefined;
}

/** A saved setting refused at a start: kept out of use and out of the saved settings, shown in the panel until dismissed. */
export interface SetAsideSetting {
  /** The setting's dotted path (`camera.source`). */
  path: string;
  /** The value that was saved. */
  value: unknown;
  /** Why it is not used. */
  why: string;
  /** When it was set aside (epoch ms). */
  at: number;
}

export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown, at: number): void;
}

/** Where a save for someone is written down (the store's audit log), and when. */
export interface SettingsAudit {
  log: Pick<AuditRepository, 'append'>;
  clock: Pick<Clock, 'now'>;
}

export interface SettingsChange {
  config: Config;
  /** Leaf paths whose value changed. */
  changed: string[];
  /** The changed paths that take effect only after a restart. */
  restartRequired: string[];
}

/**
 * The running configuration: the file and environment, with the settings saved from the admin
 * panel in between. Settings without `requiresRestart` are applied at once by the services that
 * read them through `current`; the others are saved and take effect at the next start. A save is
 * announced on the app's bus (`settingsChanged`, with the paths that changed) when one is given.
 */
export class LiveConfig {
  readonly #store: SettingsStore;
  readonly #source: { file: string | undefined; env: Readonly<Record<string, string | undefined>> };
  readonly #log: Pick<Log, 'error'>;
  readonly #bus = new EventBus<{ changed: SettingsChange }>((err, event, owner) =>
    this.#log.error({ err, event, owner }, 'a settings listener failed'),
  );
  #current: Config;
  #applied: Config;

  readonly #checks: PanelChecks | undefined;
  readonly #announce: SettingsAnnouncer | undefined;
  readonly #audit: SettingsAudit | undefined;
  #safeMode: string | undefined;

  constructor(
    deps: {
      store: SettingsStore;
      log: Pick<Log, 'error'>;
      checks?: PanelChecks;
      bus?: SettingsAnnouncer;
      audit?: SettingsAudit;
    },
    options: { file: string | undefined; env: Readonly<Record<string, string | undefined>>; config: Config },
  ) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#checks = deps.checks;
    this.#announce = deps.bus;
    this.#audit = deps.audit;
    this.#source = { file: options.file, env: options.env };
    this.#current = options.config;
    this.#applied = options.config;
  }

  /** The configuration in force now. */
  get current(): Config {
    return this.#current;
  }

  /** What the admin panel has saved (a partial configuration). */
  overrides(): Record<string, unknown> {
    const saved = this.#store.get(OVERRIDES_KEY);
    return typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? (saved as Record<string, unknown>) : {};
  }

  /**
   * Applies the saved overrides at start-up, through the same door as a save from the panel
   * (`save`): whatever wrote them (the panel, MQTT, an older version, a restored backup), a saved
   * setting the panel would refuse now is not used. Each is set aside: taken out of the saved
   * settings, kept with why (`setAside`, shown in the panel), audited `settings.set-aside`, and the
   * box starts with the rest. Returns those problems, and the schema's when the saved settings no
   * longer validate at all (after an upgrade, say): they are then kept in the store but not
   * applied, and the box runs in safe mode, saying why.
   */
  applySaved(options: { unreadable?: readonly UnreadableSetting[] } = {}): string[] {
    const lost = options.unreadable?.find(({ key }) => key === OVERRIDES_KEY);
    const unread: Refusal[] =
      lost === undefined
        ? []
        : [{ path: WHOLE, problem: `${WHOLE}: cannot be read (${lost.why}); the box runs on the configuration file` }];
    if (unread.length > 0) this.#setAside({}, {}, unread);
    try {
      const saved = this.overrides();
      const { next, refused } = this.#door(saved, { atStart: true });
      const kept = structuredClone(saved);
      for (const { path } of refused) deletePath(kept, path);
      this.#current = refused.length > 0 ? this.#load(kept) : next;
      this.#applied = this.#current;
      if (refused.length > 0) this.#setAside(saved, kept, refused);
      return [...unread, ...refused].map(({ problem }) => `${problem}; the saved value is set aside`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.#safeMode = `the saved settings no longer validate (${err.problems.join('; ')})`;
      return [...err.problems];
    }
  }

  /** The saved settings refused at a start, newest last, until an admin dismisses them. */
  setAside(): SetAsideSetting[] {
    const kept = this.#store.get(SET_ASIDE_KEY);
    return Array.isArray(kept) ? (kept as SetAsideSetting[]) : [];
  }

  /** Forgets the settings set aside (the admin has read them), audited `settings.set-aside-dismissed`. */
  dismissSetAside(actor: Actor): void {
    const audit = this.#mustAudit();
    const count = this.setAside().length;
    this.#store.set(SET_ASIDE_KEY, [], audit.clock.now());
    recordAudit({ audit: audit.log, clock: audit.clock }, actor, 'settings.set-aside-dismissed', { detail: { count } });
  }

  /**
   * Runs on the configuration file alone, leaving the saved overrides in the store for the admin to
   * fix or drop (safe mode: they stopped the daemon from starting). `why` is shown on the panel.
   */
  ignoreSaved(why: string): void {
    this.#safeMode = why;
    this.#current = this.#load({});
    this.#applied = this.#current;
  }

  /** Why the saved settings are not in force (safe mode), or undefined. */
  get safeMode(): string | undefined {
    return this.#safeMode;
  }

  /**
   * Validates and saves new overrides, applying what can be applied now. Throws `ConfigError`
   * listing every problem: settings only the configuration file may set (they run programs,
   * open files or reach outside the box: `fileOnly` in the schema) cannot be changed here, and a camera or music folder is
   * checked for what it will do. Saving leaves safe mode: the new set is tried at the next start.
   */
  save(overrides: Record<string, unknown>, at: number): SettingsChange {
    if (depth(overrides) > MAX_DEPTH) {
      throw new ConfigError('MB_ERR_CONFIG_INVALID', [`(settings): nested more than ${MAX_DEPTH} levels deep`]);
    }
    const { next, refused } = this.#door(overrides, { atStart: false });
    if (refused.length > 0)
      throw new ConfigError(
        'MB_ERR_CONFIG_INVALID',
        refused.map(({ problem }) => problem),
      );
    const changed = changedPaths(this.#current, next);
    const restartRequired = changedPaths(this.#applied, next).filter(requiresRestart);
    this.#store.set(OVERRIDES_KEY, overrides, at);
    this.#safeMode = undefined;
    // Live settings take effect now; restart-only ones keep their running value until the restart.
    this.#current = freezeLive(this.#applied, next);
    const change = { config: next, changed, restartRequired };
    this.#bus.emit('changed', change);
    // The app's bus hears it from here, its owner: the services that apply settings live follow it.
    this.#announce?.emit('settingsChanged', { changed });
    return change;
  }

  /**
   * Saves `overrides` as `actor`'s settings (the admin panel's save: the whole set), audited
   * (`settings.save`, with what changed). Throws as `save` does, and then nothing is written.
   */
  saveAs(actor: Actor, overrides: Record<string, unknown>): SettingsChange {
    const audit = this.#mustAudit();
    const change = this.save(overrides, audit.clock.now());
    recordAudit({ audit: audit.log, clock: audit.clock }, actor, 'settings.save', {
      detail: { changed: change.changed, restartRequired: change.restartRequired },
    });
    return change;
  }

  /**
   * Merges `patch` (a partial configuration, e.g. `{player: {policy: 'lift'}}`) over the saved
   * overrides for `actor` (Home Assistant, a fleet operator), audited as `saveAs`.
   */
  patchAs(actor: Actor, patch: Record<string, unknown>): SettingsChange {
    return this.saveAs(actor, mergeDeep(this.overrides(), patch));
  }

  /**
   * What the configuration file and the environment set (each setting where they differ from the
   * schema's default), without the saved settings: what the panel shows beside a saved setting
   * that overrides the file's value.
   */
  fromFile(): Record<string, unknown> {
    const loaded = loadConfig({ file: this.#source.file, env: this.#source.env, overlay: {} });
    const file = loaded.config;
    const defaults = loadConfig({ file: undefined, env: {}, overlay: {} }).config;
    const named: Record<string, unknown> = {};
    // A box's own default (this machine's camera where the file names none) is not the file's word.
    const isDefault = (path: string): boolean => loaded.defaults.some((told) => path === told || path.startsWith(`${told}.`));
    for (const path of changedPaths(defaults, file)) if (!isDefault(path)) setPath(named, path, valueAt(file, path));
    return named;
  }

  /**
   * What the saved settings allow but will not work now (`path: why`): a camera not plugged in.
   * The camera is the one the box runs after a restart (the saved one, else the file's).
   */
  notes(): Refusal[] {
    let camera = this.#current.camera.source;
    try {
      camera = this.#load(this.overrides()).camera.source;
    } catch (err) {
      // Saved settings that no longer validate (safe mode): the box runs the file's.
      if (!(err instanceof ConfigError)) throw err;
    }
    const problem = this.#checks?.cameraAbsent(camera);
    return problem === undefined ? [] : [{ path: 'camera.source', problem }];
  }

  /** Calls `listener` after each change, on behalf of `owner`; returns the function that stops it. */
  on(listener: (change: SettingsChange) => void, owner: ListenerOwner): () => void {
    return this.#bus.on('changed', listener, owner);
  }

  /**
   * The one door for saved settings, from the panel, MQTT, a restore or an older version: what
   * `overrides` would make of the configuration file, and each setting the panel may not set. Only
   * the configuration file may set where the data lives and the settings that run a program, open
   * a file or reach outside the box (`fileOnly`); a camera or music folders that differ from the
   * file's are checked for what they will do (`PanelChecks`). Throws `ConfigError` when the
   * settings do not validate at all.
   */
  #door(overrides: Record<string, unknown>, options: { atStart: boolean }): { next: Config; refused: Refusal[] } {
    const file = this.#load({});
    const refused: Refusal[] = oversized(overrides);
    // Too large to be what the panel writes: a start goes on without them, a save is refused for them.
    if (refused.length > 0 && !options.atStart) return { next: file, refused };
    if (refused.length > 0) overrides = structuredClone(overrides);
    for (const { path } of refused) deletePath(overrides, path);
    for (const key of Object.keys(overrides))
      if (FILE_ONLY.has(key)) refused.push({ path: key, problem: `${key}: can only be set in the configuration file` });
    // A save that names them is refused for them alone; a start goes on without them.
    if (refused.length > 0 && !options.atStart) return { next: file, refused };
    const next = this.#load(withoutKeys(overrides, FILE_ONLY));
    for (const path of changedPaths(file, next)) {
      if (schemaFlag(path, 'fileOnly') === true && !FILE_ONLY.has(path))
        refused.push({
          path,
          problem: `${path}: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box)`,
        });
    }
    const checks = this.#checks;
    if (checks !== undefined && (options.atStart || refused.length === 0)) {
      if (next.camera.source !== file.camera.source) {
        const problem = checks.cameraSource(next.camera.source);
        if (problem !== undefined) refused.push({ path: 'camera.source', problem });
      }
      if (JSON.stringify(next.library.folders) !== JSON.stringify(file.library.folders)) {
        const problem = checks.musicFolders(next.library.folders, file.library.panelRoots, {
          ...options,
          fileFolders: file.library.folders,
        });
        if (problem !== undefined) refused.push({ path: 'library.folders', problem });
      }
    }
    return { next, refused };
  }

  /** Takes `refused` out of the saved settings (`saved` becomes `kept`), keeps each with why, and audits it. */
  #setAside(saved: Record<string, unknown>, kept: Record<string, unknown>, refused: readonly Refusal[]): void {
    const at = this.#audit?.clock.now() ?? 0;
    const aside = refused.map(({ path, problem }) => ({ path, value: keepable(valueAt(saved, path) ?? null), why: problem, at }));
    this.#store.set(OVERRIDES_KEY, kept, at);
    this.#store.set(SET_ASIDE_KEY, [...this.setAside(), ...aside].slice(-SET_ASIDE_KEEP), at);
    for (const { path, why } of aside) {
      this.#log.error({ setting: path, why }, 'a saved setting is refused and set aside');
      if (this.#audit !== undefined)
        recordAudit({ audit: this.#audit.log, clock: this.#audit.clock }, actors.moodbox, 'settings.set-aside', {
          target: path,
          detail: { why },
        });
    }
  }

  #mustAudit(): SettingsAudit {
    if (this.#audit === undefined) throw new TypeError('Expected an audit log to save settings for someone, got none');
    return this.#audit;
  }

  #load(overlay: Record<string, unknown>): Config {
    return loadConfig({ file: this.#source.file, env: this.#source.env, overlay }).config;
  }
}

/** Whether the setting at `path` (e.g. `server.port`) takes effect only after a restart. */
export function requiresRestart(path: string): boolean {
  return schemaFlag(path, 'requiresRestart') === true;
}

/** A keyword of the schema node at `path` (the deepest one the path reaches). */
function schemaFlag(path: string, keyword: 'requiresRestart' | 'fileOnly' | 'panel'): unknown {
  let node: unknown = ConfigSchema;
  for (const key of path.split('.')) {
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties === undefined || !(key in properties)) break;
    node = properties[key];
  }
  return (node as Record<string, unknown>)[keyword];
}

/** A copy of `value` without the top-level `keys`. */
function withoutKeys(value: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.has(key)));
}

/** The value at `path` (dotted) in `source`, or undefined. */
function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets the leaf at `path` (dotted) of `target` to `value`, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node = typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : (node[key] = {});
  }
  node[keys[keys.length - 1] ?? ''] = value;
}

/** Removes the leaf at `path` (dotted) from `target`, and objects it leaves empty. */
function deletePath(target: Record<string, unknown>, path: string): void {
  const [head = '', ...rest] = path.split('.');
  if (rest.length === 0) {
    delete target[head];
    return;
  }
  const child = target[head];
  if (typeof child !== 'object' || child === null || Array.isArray(child)) return;
  deletePath(child as Record<string, unknown>, rest.join('.'));
  if (Object.keys(child).length === 0) delete target[head];
}

/** How deeply `value` nests objects and arrays (a scalar is 0); stops counting past the limit. */
function depth(value: unknown, limit = MAX_DEPTH + 1): number {
  if (typeof value !== 'object' || value === null || limit === 0) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child, limit - 1));
  return 1 + deepest;
}

/** `next` with every restart-only setting kept at its running value. */
function freezeLive(running: Config, next: Config): Config {
  const out = structuredClone(next) as unknown as Record<string, unknown>;
  for (const path of changedPaths(running, next).filter(requiresRestart)) {
    const keys = path.split('.');
    let target = out;
    let source = running as unknown as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      target = target[key] as Record<string, unknown>;
      source = source[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1] as string;
    target[last] = structuredClone(source[last]);
  }
  return deepFreeze(out) as unknown as Config;
}
