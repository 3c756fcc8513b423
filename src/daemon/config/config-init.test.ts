import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMoodbox } from '../testing/daemon-process.js';
import { ConfigError } from './config-error.js';
import { initialConfig, writeConfigFile, type ConfigAnswers } from './config-init.js';
import { loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'moodbox-config-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAFE: ConfigAnswers = { camera: '/dev/video0', music: ['/srv/music'], venue: 'business', host: '0.0.0.0', language: 'pt' };

function problemsOf(answers: ConfigAnswers): readonly string[] {
  try {
    initialConfig(answers);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('a first configuration from the installer’s answers', () => {
  it('gives a café box its camera, music, LAN address and language, and leaves every other setting to the defaults', () => {
    const file = join(dir, 'cafe', 'config.json');
    writeConfigFile(file, initialConfig(CAFE));
    const { config } = loadConfig({ file, env: {} });
    expect(config.camera).toMatchObject({ enabled: true, source: '/dev/video0' });
    expect(config.library.folders).toEqual(['/srv/music']);
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.site).toEqual({ kind: 'business', language: 'pt' });
    // Only the answers are in the file, so a later version's defaults still reach the box.
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).sort()).toEqual(['camera', 'library', 'server', 'site']);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('turns the camera off for a box without one, and plays at home what a home may play', () => {
    const file = join(dir, 'home.json');
    writeConfigFile(file, initialConfig({ ...CAFE, camera: 'none', venue: 'home', host: '127.0.0.1', language: 'auto' }));
    const { config } = loadConfig({ file, env: {} });
    expect(config.camera.enabled).toBe(false);
    expect(config.site).toEqual({ kind: 'home', language: 'auto' });
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('names each wrong answer as the daemon names the field', () => {
    expect(problemsOf({ ...CAFE, language: 'german' }).join('\n')).toMatch(/site\.language/);
    expect(problemsOf({ ...CAFE, venue: 'pub' as 'home' }).join('\n')).toMatch(/site\.kind/);
    expect(problemsOf({ ...CAFE, music: ['music'] })).toEqual(['music: expected an absolute path, got `music`']);
    expect(problemsOf({ ...CAFE, music: [] })).toEqual(['music: give at least one music folder']);
  });

  it('keeps the configuration that is there when the installer runs again, and replaces it only when told to', () => {
    const file = join(dir, 'kept.json');
    writeFileSync(file, '{ "server": { "port": 9090 } }\n');
    expect(() => writeConfigFile(file, initialConfig(CAFE))).toThrow(/already exists; it is kept/);
    expect(readFileSync(file, 'utf8')).toContain('9090');
    writeConfigFile(file, initialConfig(CAFE), { force: true });
    expect(loadConfig({ file, env: {} }).config.server.port).toBe(8080);
  });

  it('runs as `moodbox config init`, and exits 78 without touching a file that is there', async () => {
    const file = join(dir, 'cli', 'config.json');
    const args = ['config', 'init', '--out', file, '--camera', 'none', '--music', '/srv/music', '--music', '/media/usb', '--venue', 'home'];
    expect(await runMoodbox(args)).toEqual({ stdout: `wrote ${file}\n`, code: 0 });
    const written = readFileSync(file, 'utf8');
    expect(loadConfig({ file, env: {} }).config.library.folders).toEqual(['/srv/music', '/media/usb']);
    expect((await runMoodbox([...args, '--language', 'fr'])).code).toBe(78);
    expect(readFileSync(file, 'utf8')).toBe(written);
    expect((await runMoodbox(['config', 'init', '--out', join(dir, 'bad.json'), '--language', 'klingon'])).code).toBe(78);
  });
});
