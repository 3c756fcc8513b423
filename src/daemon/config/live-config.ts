import { EventBus } from '../kernel/event-bus.js';
import { ConfigError } from '../kernel/errors.js';
import { changedPaths, deepFreeze, loadConfig } from './load-config.js';
import { ConfigSchema, type Config } from './schema.js';

/** Where the admin panel's settings are kept in the store's settings table. */
export const OVERRIDES_KEY = 'config.overrides';

/** Keys only the configuration file may set: they decide where the database itself lives. */
const FILE_ONLY = new Set(['version', 'dataDir']);

export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown, at: number): void;
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
 * read them through `current`; the others are saved and take effect at the next start.
 */
export class LiveConfig {
  readonly #store: SettingsStore;
  readonly #source: { file: string | undefined; env: Readonly<Record<string, string | undefined>> };
  readonly #bus = new EventBus<{ changed: SettingsChange }>();
  #current: Config;
  #applied: Config;

  constructor(
    deps: { store: SettingsStore },
    options: { file: string | undefined; env: Readonly<Record<string, string | undefined>>; config: Config },
  ) {
    this.#store = deps.store;
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
   * Applies the saved overrides at start-up. Returns the problems when they no longer validate
   * (after an upgrade, say): they are then kept in the store but not applied.
   */
  applySaved(): string[] {
    try {
      this.#current = this.#load(this.overrides());
      this.#applied = this.#current;
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return [...err.problems];
      throw err;
    }
  }

  /** Validates and saves new overrides, applying what can be applied now. Throws `ConfigError` listing every problem. */
  save(overrides: Record<string, unknown>, at: number): SettingsChange {
    const fileOnly = Object.keys(overrides).filter((k) => FILE_ONLY.has(k));
    if (fileOnly.length > 0)
      throw new ConfigError(
        'MB_ERR_CONFIG_INVALID',
        fileOnly.map((k) => `${k}: can only be set in the configuration file`),
      );
    const next = this.#load(overrides);
    const changed = changedPaths(this.#current, next);
    const restartRequired = changedPaths(this.#applied, next).filter(requiresRestart);
    this.#store.set(OVERRIDES_KEY, overrides, at);
    // Live settings take effect now; restart-only ones keep their running value until the restart.
    this.#current = freezeLive(this.#applied, next);
    const change = { config: next, changed, restartRequired };
    this.#bus.emit('changed', change);
    return change;
  }

  on(listener: (change: SettingsChange) => void): () => void {
    return this.#bus.on('changed', listener);
  }

  #load(overlay: Record<string, unknown>): Config {
    return loadConfig({ file: this.#source.file, env: this.#source.env, overlay }).config;
  }
}

/** Whether the setting at `path` (e.g. `server.port`) takes effect only after a restart. */
export function requiresRestart(path: string): boolean {
  let node: unknown = ConfigSchema;
  for (const key of path.split('.')) {
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties === undefined || !(key in properties)) break;
    node = properties[key];
  }
  return (node as { requiresRestart?: boolean }).requiresRestart === true;
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
