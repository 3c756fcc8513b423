import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, signInNewAdmin } from '../testing/server.js';
import type { MoodboxServer } from './build-server.js';

let app: MoodboxServer;
let headers: Record<string, string>;

beforeEach(async () => {
  const server = await buildTestServer({ clock: new FakeClock() });
  app = server.app;
  ({ headers } = await signInNewAdmin(server));
});

const save = (overrides: unknown) => app.inject({ method: 'PUT', url: '/api/admin/settings', headers, payload: { overrides } });

describe('settings from the admin panel', () => {
  it('cannot name a program, a script, a model or a pipeline', async () => {
    for (const [overrides, field] of [
      [{ player: { mpvPath: '/tmp/evil' } }, 'player.mpvPath'],
      [{ player: { mpvArgs: ['--script=/tmp/evil.lua'] } }, 'player.mpvArgs'],
      [{ vision: { modelPath: '/tmp/evil.onnx' } }, 'vision.modelPath'],
      [{ camera: { source: 'videotestsrc ! appsink' } }, 'camera.source'],
      [{ library: { folders: ['/etc'] } }, 'library.folders'],
    ] as const) {
      const res = await save(overrides);
      expect(res.statusCode, field).toBe(400);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'MB_ERR_CONFIG_INVALID',
        message: expect.stringContaining(field),
      });
    }
    const current = (await app.inject({ url: '/api/admin/settings', headers })).json<{ overrides: object; safeMode: string | null }>();
    expect(current).toMatchObject({ overrides: {}, safeMode: null });
  });

  it('keeps a folder the configuration file names outside panelRoots and adds a new one inside them (issue 82)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'moodbox-settings-folders-'));
    for (const dir of ['opt/records', 'srv/music', 'elsewhere']) mkdirSync(join(root, dir), { recursive: true });
    const configFile = join(root, 'moodbox.json');
    writeFileSync(configFile, JSON.stringify({ library: { folders: [join(root, 'opt/records')], panelRoots: [join(root, 'srv')] } }));
    const server = await buildTestServer({ clock: new FakeClock(), configFile });
    const { headers: admin } = await signInNewAdmin(server);
    const put = (folders: string[]) =>
      server.app.inject({ method: 'PUT', url: '/api/admin/settings', headers: admin, payload: { overrides: { library: { folders } } } });
    const folders = [join(root, 'opt/records'), join(root, 'srv/music')];
    expect((await put(folders)).statusCode).toBe(200);
    expect(server.settings.current.library.folders).toEqual(folders);
    const outside = await put([join(root, 'opt/records'), join(root, 'elsewhere')]);
    expect(outside.statusCode).toBe(400);
    expect(outside.json<{ error: { message: string } }>().error.message).toMatch(
      /elsewhere is outside the folders the admin panel may use/,
    );
  });

  it('answers a deeply nested body with a 400, not a crash', async () => {
    // Past 32 levels no body is parsed; settings are refused past 6.
    for (const [depth, message] of [
      [5000, /^Expected JSON nested at most 32 levels deep, got deeper in the request body$/],
      [10, /nested more than 6 levels deep/],
    ] as const) {
      const body = `{"overrides":{"player":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: body,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(message);
    }
  });

  it('marks file-only settings in the schema the panel builds its form from', async () => {
    const schema = (await app.inject({ url: '/api/admin/config/schema', headers })).json<{
      properties: Record<string, { properties: Record<string, { fileOnly?: boolean; panel?: string }> }>;
    }>();
    expect(schema.properties['player']?.properties['mpvPath']?.fileOnly).toBe(true);
    expect(schema.properties['player']?.properties['volume']?.fileOnly).toBeUndefined();
    expect(schema.properties['camera']?.properties['source']?.panel).toBe('camera-device');
  });
});
