import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MoodboxBus } from '../events.js';
import { ConfigError } from './config-error.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { LiveConfig, OVERRIDES_KEY, requiresRestart } from './live-config.js';
import { MAX_SETTING_VALUE_BYTES } from './setting-sizes.js';
import { loadConfig, mergeDeep } from './load-config.js';
import { panelChecks } from './panel-checks.js';
import { INSTALL_DIR } from '../version.js';
import { actors } from '../store/audit.js';

const env = { HOME: '/home/kiosk', MOODBOX_PORT: '9100' };

function setup() {
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
  const settings = new LiveConfig(
    { store: store.settings, log: { error() {} } },
    { file: undefined, env, config: loadConfig({ env }).config },
  );
  return { store, settings };
}

describe('LiveConfig', () => {
  it('applies live settings at once and keeps restart-only ones until the restart', () => {
    const { settings } = setup();
    const seen: string[][] = [];
    settings.on(({ changed }) => seen.push(changed), 'test');
    const change = settings.save({ camera: { enabled: false }, server: { host: '0.0.0.0' }, sessions: { kioskIdleTimeoutS: 60 } }, 1);
    expect(change.changed.sort()).toEqual(['camera.enabled', 'server.host', 'sessions.kioskIdleTimeoutS']);
    expect(change.restartRequired).toEqual(['server.host']);
    expect(settings.current.camera.enabled).toBe(false);
    expect(settings.current.sessions.kioskIdleTimeoutS).toBe(60);
    expect(settings.current.server.host).toBe('127.0.0.1');
    expect(seen).toHaveLength(1);
  });

  it("announces a save on the app's bus with the settings that changed, as the owner of settingsChanged", () => {
    const clock = new FakeClock();
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const seen: string[][] = [];
    bus.on('settingsChanged', ({ changed }) => seen.push([...changed]), 'test');
    const settings = new LiveConfig(
      { store: store.settings, log: { error() {} }, bus },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    settings.save({ player: { maxVolume: 40 } }, 1);
    expect(() => settings.save({ dataDir: '/tmp' }, 2)).toThrow(ConfigError);
    expect(seen).toEqual([['player.maxVolume']]);
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
    const next = new LiveConfig(
      { store: store.settings, log: { error() {} } },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(next.applySaved()).toEqual([]);
    expect([next.current.camera.enabled, next.current.server.host]).toEqual([false, '0.0.0.0']);
    store.settings.set(OVERRIDES_KEY, { camera: { shutter: 1 } }, 2);
    const broken = new LiveConfig(
      { store: store.settings, log: { error() {} } },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(broken.applySaved()).toEqual([expect.stringMatching(/^camera\.shutter: unknown key/)]);
    expect(broken.current.camera.enabled).toBe(true);
  });

  it('refuses settings that would run a program or open a file, and deeply nested ones', () => {
    const { settings, store } = setup();
    const refusal = (overrides: Record<string, unknown>): readonly string[] => {
      try {
        settings.save(overrides, 1);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
      throw new Error('expected the settings to be refused');
    };
    expect(refusal({ player: { mpvPath: '/tmp/evil', mpvArgs: ['--script=/tmp/evil.lua'] } })).toEqual([
      'player.mpvPath: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box)',
      'player.mpvArgs: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box)',
    ]);
    expect(refusal({ vision: { modelPath: '/tmp/x.onnx' } })).toEqual([expect.stringMatching(/^vision\.modelPath: can only be set/)]);
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(refusal({ player: deep })).toEqual(['(settings): nested more than 6 levels deep']);
    // The same value as the file's is not a change, and is accepted.
    expect(settings.save({ player: { mpvPath: 'mpv', volume: 50 } }, 2).changed).toEqual(['player.volume']);
    expect(store.settings.get(OVERRIDES_KEY)).toEqual({ player: { mpvPath: 'mpv', volume: 50 } });
  });

  it('refuses the audio output and every broker setting from the panel, and ignores ones saved before with a reason', () => {
    const { settings, store } = setup();
    let problems: readonly string[] = [];
    try {
      settings.save(
        { player: { audioOutput: 'pcm' }, mqtt: { enabled: true, url: 'mqtt://attacker.example:1883', fleet: true, shareNames: true } },
        1,
      );
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'player.audioOutput',
      'mqtt.enabled',
      'mqtt.url',
      'mqtt.fleet',
      'mqtt.shareNames',
    ]);
    expect(
      problems.every((p) =>
        p.endsWith('can only be set in the configuration file (it runs a program, opens a file or reaches outside the box)'),
      ),
    ).toBe(true);
    for (const mqtt of [
      { username: 'x' },
      { site: 'x' },
      { box: 'x' },
      { homeAssistant: false },
      { discoveryPrefix: 'x' },
      { heartbeatS: 60 },
    ]) {
      expect(() => settings.save({ mqtt }, 2)).toThrow(/can only be set in the configuration file/);
    }
    expect(store.settings.get(OVERRIDES_KEY)).toBeUndefined();

    // Saved by an older version, before these became file-only: not used, and each one said.
    store.settings.set(
      OVERRIDES_KEY,
      { player: { audioOutput: 'pcm', volume: 40 }, mqtt: { enabled: true, url: 'mqtt://attacker.example' } },
      3,
    );
    const next = new LiveConfig(
      { store: store.settings, log: { error() {} } },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(next.applySaved()).toEqual([
      'player.audioOutput: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box); the saved value is set aside',
      'mqtt.enabled: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box); the saved value is set aside',
      'mqtt.url: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box); the saved value is set aside',
    ]);
    expect([next.current.player.audioOutput, next.current.player.volume, next.current.mqtt.enabled, next.current.mqtt.url]).toEqual([
      'auto',
      40,
      false,
      'mqtt://127.0.0.1:1883',
    ]);
  });

  it('refuses a Spotify redirect the sign-in could not come back to, so that it never stops a start', () => {
    const { settings, store } = setup();
    for (const redirectUri of ['https://127.0.0.1:8080/api/spotify/callback', 'not a url', 'http://localhost:8080/api/spotify/callback']) {
      expect(() => settings.save({ site: { kind: 'home' }, spotify: { clientId: 'abc', redirectUri } }, 1)).toThrow(
        /spotify\.redirectUri: expected an http address on the box's loopback/,
      );
    }
    expect(store.settings.get(OVERRIDES_KEY)).toBeUndefined();
    expect(settings.save({ spotify: { redirectUri: 'http://[::1]:8080/api/spotify/callback' } }, 2).changed).toEqual([
      'spotify.redirectUri',
    ]);
  });

  it('checks a camera or music folders chosen in the panel for what they will do', () => {
    const { store } = setup();
    const asked: string[] = [];
    const checks = {
      cameraSource: (value: string) => (asked.push(value), value === '/dev/video0' ? undefined : `camera.source: no ${value}`),
      cameraAbsent: () => undefined,
      musicFolders: (folders: readonly string[], roots: readonly string[]) =>
        folders.every((f) => roots.some((r) => f.startsWith(`${r}/`))) ? undefined : 'library.folders: outside the roots',
    };
    const settings = new LiveConfig(
      { store: store.settings, log: { error() {} }, checks },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(() => settings.save({ camera: { source: 'videotestsrc ! appsink' } }, 1)).toThrow(/camera.source: no videotestsrc/);
    expect(settings.save({ camera: { source: '/dev/video0' } }, 2).restartRequired).toEqual(['camera.source']);
    expect(() => settings.save({ library: { folders: ['/etc'] } }, 3)).toThrow(/outside the roots/);
    expect(settings.save({ library: { folders: ['/srv/music'] } }, 4).changed).toEqual(['library.folders']);
    // Only a changed camera is checked.
    expect(asked).toEqual(['videotestsrc ! appsink', '/dev/video0']);
  });

  it('never takes file-only settings from the store, and can set every saved setting aside (safe mode)', () => {
    const { store } = setup();
    store.settings.set(OVERRIDES_KEY, { player: { mpvPath: '/tmp/evil', volume: 40 } }, 1);
    const next = new LiveConfig(
      { store: store.settings, log: { error() {} } },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(next.applySaved()).toEqual([
      'player.mpvPath: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box); the saved value is set aside',
    ]);
    expect([next.current.player.mpvPath, next.current.player.volume]).toEqual(['mpv', 40]);
    // Set aside: out of the saved settings, kept with why for the panel.
    expect(next.overrides()).toEqual({ player: { volume: 40 } });
    expect(next.setAside()).toEqual([
      { path: 'player.mpvPath', value: '/tmp/evil', why: expect.stringMatching(/^player\.mpvPath: can only be set/), at: 0 },
    ]);
    next.ignoreSaved('mpv would not start');
    expect(next.safeMode).toBe('mpv would not start');
    expect(next.current.player.volume).toBe(70);
    expect(next.overrides()).toEqual({ player: { volume: 40 } });
    next.save({ player: { volume: 30 } }, 2);
    expect(next.safeMode).toBeUndefined();
  });

  it('sets aside, at a start, saved settings the panel would refuse, whoever wrote them, and starts with the rest', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 9));
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
    // What a hand-edited backup brought back: a loopback URL as the camera, /etc as music, another data folder.
    store.settings.set(
      OVERRIDES_KEY,
      {
        camera: { source: 'http://127.0.0.1:18999/cam.mjpg' },
        library: { folders: ['/etc'] },
        dataDir: '/tmp/elsewhere',
        player: { maxVolume: 55 },
      },
      1,
    );
    const errors: unknown[] = [];
    const settings = new LiveConfig(
      {
        store: store.settings,
        log: { error: (obj: unknown) => errors.push(obj) },
        checks: panelChecks({ installDir: INSTALL_DIR }),
        audit: { log: store.audit, clock },
      },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(settings.applySaved()).toEqual([
      'dataDir: can only be set in the configuration file; the saved value is set aside',
      expect.stringMatching(/^camera\.source: the admin panel can choose `demo` or a camera device .*; the saved value is set aside$/),
      expect.stringMatching(/^library\.folders: \/etc is outside the folders the admin panel may use .*; the saved value is set aside$/),
    ]);
    const file = loadConfig({ env }).config;
    expect([settings.current.camera.source, settings.current.library.folders, settings.current.dataDir]).toEqual([
      file.camera.source,
      file.library.folders,
      file.dataDir,
    ]);
    expect(settings.current.player.maxVolume).toBe(55);
    expect(settings.safeMode).toBeUndefined();
    // Out of the saved settings for good, shown with why, audited, until an admin dismisses them.
    expect(settings.overrides()).toEqual({ player: { maxVolume: 55 } });
    expect(settings.setAside().map(({ path, value, at }) => [path, value, at])).toEqual([
      ['dataDir', '/tmp/elsewhere', clock.now()],
      ['camera.source', 'http://127.0.0.1:18999/cam.mjpg', clock.now()],
      ['library.folders', ['/etc'], clock.now()],
    ]);
    expect(store.audit.list({ limit: 10 }).items.map((e) => [e.actor, e.action, e.target])).toEqual(
      expect.arrayContaining([
        ['moodbox', 'settings.set-aside', 'dataDir'],
        ['moodbox', 'settings.set-aside', 'camera.source'],
        ['moodbox', 'settings.set-aside', 'library.folders'],
      ]),
    );
    expect(errors).toHaveLength(3);
    settings.dismissSetAside(actors.admin(1));
    expect(settings.setAside()).toEqual([]);
  });

  it('keeps, at a start, a saved camera not plugged in yet and a music folder on a drive not mounted yet', () => {
    const { store } = setup();
    store.settings.set(OVERRIDES_KEY, { camera: { source: '/dev/video7' }, library: { folders: ['/media/usb-not-mounted/music'] } }, 1);
    const settings = new LiveConfig(
      { store: store.settings, log: { error() {} }, checks: panelChecks({ installDir: INSTALL_DIR, devDir: '/nonexistent-dev' }) },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    expect(settings.applySaved()).toEqual([]);
    expect([settings.current.camera.source, settings.current.library.folders]).toEqual(['/dev/video7', ['/media/usb-not-mounted/music']]);
    expect(settings.setAside()).toEqual([]);
    // From the panel, a camera not plugged in is kept too, and said (a camera plugged in later); a folder must be there.
    expect(settings.save({ camera: { source: '/dev/video8' } }, 2).changed).toContain('camera.source');
    expect(settings.notes()).toEqual([
      { path: 'camera.source', problem: 'camera.source: /dev/video8 does not exist (is the camera plugged in?)' },
    ]);
    expect(() => settings.save({ library: { folders: ['/media/usb-not-mounted/other'] } }, 3)).toThrow(/does not exist/);
  });

  it('keeps the music folders the configuration file names outside the roots, and checks only the new ones (issue 82)', () => {
    const root = mkdtempSync(join(tmpdir(), 'moodbox-file-folders-'));
    for (const dir of ['opt/records', 'srv/music', 'elsewhere']) mkdirSync(join(root, dir), { recursive: true });
    const file = join(root, 'moodbox.json');
    writeFileSync(file, JSON.stringify({ library: { folders: [join(root, 'opt/records')], panelRoots: [join(root, 'srv')] } }));
    const { store } = setup();
    const settings = new LiveConfig(
      { store: store.settings, log: { error() {} }, checks: panelChecks({ installDir: INSTALL_DIR }) },
      { file, env, config: loadConfig({ file, env }).config },
    );
    const folders = [join(root, 'opt/records'), join(root, 'srv/music')];
    expect(settings.save({ library: { folders } }, 1).changed).toEqual(['library.folders']);
    expect(settings.current.library.folders).toEqual(folders);
    expect(() => settings.save({ library: { folders: [join(root, 'opt/records'), join(root, 'elsewhere')] } }, 2)).toThrow(
      /elsewhere is outside the folders the admin panel may use/,
    );
    // At the next start the saved list passes the same door: nothing is set aside.
    const again = new LiveConfig(
      { store: store.settings, log: { error() {} }, checks: panelChecks({ installDir: INSTALL_DIR }) },
      { file, env, config: loadConfig({ file, env }).config },
    );
    expect(again.applySaved()).toEqual([]);
    expect(again.current.library.folders).toEqual(folders);
  });

  it('never merges a key that reaches a prototype, however the settings were built', () => {
    // A value built in code (the parser refuses such text before it gets here): an own `__proto__` key.
    const crafted = Object.defineProperty({}, '__proto__', {
      value: { player: { mpvPath: '/tmp/script' } },
      enumerable: true,
    }) as Record<string, unknown>;
    expect(() => mergeDeep({ player: {} }, crafted)).toThrow(/__proto__: a key that reaches an object's prototype/);
    expect(() => mergeDeep({}, { mqtt: { nested: [{ constructor: { prototype: {} } }] } })).toThrow(
      /mqtt\.nested\[0\]\.constructor: a key that reaches/,
    );
    const { settings, store } = setup();
    expect(() => settings.save(crafted, 1)).toThrow(ConfigError);
    expect(settings.current.player.mpvPath).toBe('mpv');
    expect(store.settings.get(OVERRIDES_KEY)).toBeUndefined();
  });

  it('refuses a setting larger than a few KiB from the panel, and sets it aside at a start with its size alone', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29, 9));
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
    const settings = new LiveConfig(
      { store: store.settings, log: { error() {} }, audit: { log: store.audit, clock } },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    const huge = 'x'.repeat(MAX_SETTING_VALUE_BYTES);
    expect(() => settings.save({ player: { maxVolume: 40 }, mqtt: { clientId: huge } }, 1)).toThrow(
      /mqtt\.clientId: 16386 bytes, more than the 16384 a setting may take/,
    );
    expect(store.settings.get(OVERRIDES_KEY)).toBeUndefined();
    // Written by something else (a restored backup): the start sets it aside and keeps the rest.
    store.settings.set(OVERRIDES_KEY, { player: { maxVolume: 40 }, mqtt: { clientId: huge } }, 1);
    expect(settings.applySaved()).toEqual([
      'mqtt.clientId: 16386 bytes, more than the 16384 a setting may take; the saved value is set aside',
    ]);
    expect(settings.current.player.maxVolume).toBe(40);
    expect(settings.overrides()).toEqual({ player: { maxVolume: 40 } });
    expect(settings.setAside().map(({ path, value }) => [path, value])).toEqual([['mqtt.clientId', '(16386 bytes, not kept)']]);
  });

  it('runs on the file when the saved settings row cannot be read, and says so in the panel and the audit', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29, 9));
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
    store.settings.set(OVERRIDES_KEY, { player: { maxVolume: 40 } }, 1);
    const settings = new LiveConfig(
      { store: store.settings, log: { error() {} }, audit: { log: store.audit, clock } },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    const unreadable = [{ key: OVERRIDES_KEY, bytes: 51, why: 'JSON with a key that reaches a prototype' }];
    expect(settings.applySaved({ unreadable })).toEqual([
      '(saved settings): cannot be read (JSON with a key that reaches a prototype); the box runs on the configuration file; the saved value is set aside',
    ]);
    expect(settings.current.player.maxVolume).toBe(loadConfig({ env }).config.player.maxVolume);
    expect(settings.setAside().map(({ path }) => path)).toEqual(['(saved settings)']);
    expect(store.audit.list({ limit: 5 }).items.map((e) => [e.action, e.target])).toEqual([['settings.set-aside', '(saved settings)']]);
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
