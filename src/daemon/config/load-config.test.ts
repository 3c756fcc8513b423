import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { checkConfig, loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'moodbox-config-'));
const HOME = { HOME: '/home/kiosk' };

function file(content: unknown): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on defaults (demo mode) when no file is given', () => {
    const { config, file: from } = loadConfig({ env: HOME });
    expect(from).toBeUndefined();
    expect(config.server.port).toBe(8080);
    expect(config.camera.source).toBe('demo');
    expect(config.dataDir).toBe('/home/kiosk/.local/share/moodbox');
  });

  it('fills defaults around what the file sets', () => {
    const { config } = loadConfig({ file: file({ server: { port: 9000 }, camera: { source: '/dev/video0' } }), env: HOME });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 9000, adminLanOnly: true, publicUrl: '' });
    expect(config.camera.source).toBe('/dev/video0');
    expect(config.camera.enabled).toBe(true);
  });

  // A café's file that says nothing of the camera ran the bundled demo clip: the kiosk read the
  // clip's faces as the room's. Demo mode keeps the clip; a box with a file uses its own camera.
  it('gives a box with a file and no camera source its own first camera, and tells which settings are defaults', () => {
    const dev = join(dir, 'dev');
    mkdirSync(dev);
    for (const name of ['video10', 'video2', 'vhci', 'video3']) writeFileSync(join(dev, name), '');
    const cafe = loadConfig({ file: file({ site: { kind: 'business' } }), env: HOME, devDir: dev });
    expect(cafe.config.camera.source).toBe(join(dev, 'video2'));
    expect(cafe.defaults).toEqual(['camera.source', 'library.folders']);
    // No camera plugged in: the usual first one, which the camera reports as unavailable.
    expect(loadConfig({ file: file({}), env: HOME, devDir: join(dir, 'no-dev') }).config.camera.source).toBe(join(dir, 'no-dev', 'video0'));
    // Named, in the file or by the environment, it is not a default.
    const named = loadConfig({ file: file({ camera: { source: 'demo' }, library: { folders: ['/srv/music'] } }), env: HOME, devDir: dev });
    expect([named.config.camera.source, named.defaults]).toEqual(['demo', []]);
    expect(loadConfig({ file: file({}), env: { ...HOME, MOODBOX_CAMERA: '/dev/video7' }, devDir: dev }).config.camera.source).toBe(
      '/dev/video7',
    );
    // Demo mode keeps the demo clip.
    const demo = loadConfig({ env: HOME, devDir: dev });
    expect([demo.config.camera.source, demo.defaults]).toEqual(['demo', ['camera.source', 'library.folders']]);
  });

  it('reports every problem at once, each with the field path', () => {
    const problems = problemsOf(() =>
      loadConfig({ file: file({ server: { port: 70000, prot: 1 }, log: { level: 'loud' }, camera: { enabled: 'yes' } }), env: HOME }),
    );
    expect(problems).toHaveLength(4);
    expect(problems).toContainEqual(expect.stringMatching(/^server\.port: .*65535/));
    expect(problems).toContainEqual(expect.stringMatching(/^server\.prot: unknown key \(did you mean `port`\?\)/));
    expect(problems).toContainEqual(expect.stringMatching(/^log\.level: expected one of .*"info".*got `"loud"` \(string\)/));
    expect(problems).toContainEqual(expect.stringMatching(/^camera\.enabled: expected boolean, got `"yes"` \(string\)/));
  });

  it('suggests the closest known key for a misspelt section', () => {
    const problems = problemsOf(() => loadConfig({ file: file({ camrea: {} }), env: HOME }));
    expect(problems).toEqual([expect.stringMatching(/^camrea: unknown key \(did you mean `camera`\?\)/)]);
  });

  it('names the file when it is missing or not JSON', () => {
    const missing = join(dir, 'nope.json');
    expect(problemsOf(() => loadConfig({ file: missing, env: HOME }))).toEqual([
      `${missing}: cannot read the configuration file (no such file)`,
    ]);
    const broken = file('{ "server": ');
    expect(problemsOf(() => loadConfig({ file: broken, env: HOME }))[0]).toMatch(/not valid JSON/);
  });

  it('rejects a file that is not an object', () => {
    expect(problemsOf(() => loadConfig({ file: file([1, 2]), env: HOME }))).toEqual(['(root): expected an object, got `[1,2]` (array)']);
  });

  it('applies the environment overrides over the file, validated by the same schema', () => {
    const env = {
      ...HOME,
      MOODBOX_CONFIG: file({ server: { port: 9000 } }),
      MOODBOX_PORT: '9100',
      MOODBOX_DATA_DIR: '/var/lib/mb',
      MOODBOX_LOG_LEVEL: 'debug',
    };
    const { config } = loadConfig({ env });
    expect(config.server.port).toBe(9100);
    expect(config.dataDir).toBe('/var/lib/mb');
    expect(config.log.level).toBe('debug');
  });

  it('names the environment variable when its value is wrong', () => {
    expect(problemsOf(() => loadConfig({ env: { ...HOME, MOODBOX_PORT: 'eighty' } }))).toEqual([
      'MOODBOX_PORT (server.port): expected an integer, got `eighty`',
    ]);
    expect(problemsOf(() => loadConfig({ env: { ...HOME, MOODBOX_LOG_LEVEL: 'chatty' } }))[0]).toMatch(/^log\.level: expected one of/);
  });

  it("uses systemd's state directory when dataDir is not set", () => {
    expect(loadConfig({ env: { ...HOME, STATE_DIRECTORY: '/var/lib/moodbox' } }).config.dataDir).toBe('/var/lib/moodbox');
  });

  it('returns a frozen configuration', () => {
    const { config } = loadConfig({ env: HOME });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('refuses a configuration written for a newer format version', () => {
    expect(problemsOf(() => loadConfig({ file: file({ version: 2 }), env: HOME }))).toEqual(['version: expected 1, got `2` (number)']);
  });
});

describe('checkConfig', () => {
  it('accepts an empty object and rejects bad values without reading anything', () => {
    expect(checkConfig({})).toEqual([]);
    expect(checkConfig({ ws: { pingIntervalMs: 10 } })).toEqual([expect.stringMatching(/^ws\.pingIntervalMs: .*1000.*`10` \(number\)/)]);
  });
});
