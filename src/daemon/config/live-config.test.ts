import { describe, expect, it } from 'vitest';
import { ConfigError } from '../kernel/errors.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { LiveConfig, OVERRIDES_KEY, requiresRestart } from './live-config.js';
import { loadConfig } from './load-config.js';

const env = { HOME: '/home/kiosk', MOODBOX_PORT: '9100' };

function setup() {
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
  const settings = new LiveConfig({ store: store.settings }, { file: undefined, env, config: loadConfig({ env }).config });
  return { store, settings };
}

describe('LiveConfig', () => {
  it('applies live settings at once and keeps restart-only ones until the restart', () => {
    const { settings } = setup();
    const seen: string[][] = [];
    settings.on(({ changed }) => seen.push(changed));
    const change = settings.save({ camera: { enabled: false }, server: { host: '0.0.0.0' }, sessions: { kioskIdleTimeoutS: 60 } }, 1);
    expect(change.changed.sort()).toEqual(['camera.enabled', 'server.host', 'sessions.kioskIdleTimeoutS']);
    expect(change.restartRequired).toEqual(['server.host']);
    expect(settings.current.camera.enabled).toBe(false);
    expect(settings.current.sessions.kioskIdleTimeoutS).toBe(60);
    expect(settings.current.server.host).toBe('127.0.0.1');
    expect(seen).toHaveLength(1);
  });

  it('reports a pending restart setting until it is saved back, and the environment still wins', () => {
    const { settings } = setup();
    settings.save({ server: { host: '0.0.0.0' } }, 1);
    expect(settings.save({ server: { host: '0.0.0.0' }, log: { level: 'debug' } }, 2).restartRequired.sort()).toEqual([
      'log.level',
      'server.host',
    ]);
    expect(settings.save({ server: { port: 7000 } }, 3).config.server.port).toBe(9100);
  });

  it('refuses invalid settings with every problem, and the file-only keys, saving nothing', () => {
    const { settings, store } = setup();
    let problems: readonly string[] = [];
    try {
      settings.save({ camera: { hours: { from: '25:00', to: '08:00' } }, sessions: { kioskIdleTimeoutS: 1 }, dataDir: '/tmp' }, 1);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['dataDir: can only be set in the configuration file']);
    expect(() => settings.save({ camera: { hours: { from: '25:00', to: '08:00' } }, sessions: { kioskIdleTimeoutS: 1 } }, 1)).toThrow(
      /2 problems/,
    );
    expect(store.settings.get(OVERRIDES_KEY)).toBeUndefined();
  });

  it('applies saved settings at the next start, and ignores them when they no longer validate', () => {
    const { store } = setup();
    store.settings.set(OVERRIDES_KEY, { camera: { enabled: false }, server: { host: '0.0.0.0' } }, 1);
    const next = new LiveConfig({ store: store.settings }, { file: undefined, env, config: loadConfig({ env }).config });
    expect(next.applySaved()).toEqual([]);
    expect([next.current.camera.enabled, next.current.server.host]).toEqual([false, '0.0.0.0']);
    store.settings.set(OVERRIDES_KEY, { camera: { shutter: 1 } }, 2);
    const broken = new LiveConfig({ store: store.settings }, { file: undefined, env, config: loadConfig({ env }).config });
    expect(broken.applySaved()).toEqual([expect.stringMatching(/^camera\.shutter: unknown key/)]);
    expect(broken.current.camera.enabled).toBe(true);
  });

  it('knows which settings need a restart', () => {
    expect(['server.port', 'camera.source', 'camera.enabled', 'camera.hours', 'sessions.kioskIdleTimeoutS'].map(requiresRestart)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
