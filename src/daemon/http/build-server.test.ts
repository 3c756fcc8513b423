import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { systemClock } from '../../kernel/clock.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import type { MoodboxServer } from './build-server.js';
import type { ServerMessage, ServiceHealthView } from './contract.js';

const open: MoodboxServer[] = [];

async function server(
  options: { services?: ServiceHealthView[]; uiDir?: string; maxBufferedKiB?: number; pingIntervalMs?: number; clock?: FakeClock } = {},
) {
  const { app, hub } = await buildTestServer({
    clock: options.clock ?? systemClock,
    ...(options.services === undefined ? {} : { services: options.services }),
    ...(options.uiDir === undefined ? {} : { uiDir: options.uiDir }),
    config: { ws: { maxBufferedKiB: options.maxBufferedKiB ?? 1024, pingIntervalMs: options.pingIntervalMs ?? 15000 } },
  });
  open.push(app);
  return { app, hub };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

describe('GET /api/health', () => {
  it('answers 200 with each service when everything runs', async () => {
    const { app } = await server({
      services: [
        { name: 'database', status: 'ready' },
        { name: 'camera', status: 'degraded', detail: 'retrying' },
      ],
    });
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      version: '1.2.3',
      services: [
        { name: 'database', status: 'ready' },
        { name: 'camera', status: 'degraded', detail: 'retrying' },
      ],
    });
  });

  it('answers 503 while a service is starting or has failed', async () => {
    const { app } = await server({
      services: [
        { name: 'database', status: 'ready' },
        { name: 'http', status: 'starting' },
      ],
    });
    expect((await app.inject('/api/health')).statusCode).toBe(503);
    const failed = await server({ services: [{ name: 'database', status: 'failed', detail: 'disk full' }] });
    const res = await failed.app.inject('/api/health');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'failed' });
  });
});

describe('GET /api/state', () => {
  it('returns the snapshot with its sequence number', async () => {
    const { app, hub } = await server();
    hub.update('mood', { current: 'happy', confidence: 0.8, since: 5, why: 'two smiling faces', faces: 2 });
    const res = await app.inject('/api/state');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ seq: 1, data: { mood: { current: 'happy', faces: 2 } } });
  });
});

describe('errors', () => {
  it('answers an unknown route with a 404 and a clear message', async () => {
    const { app } = await server();
    const res = await app.inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'MB_ERR_HTTP_NOT_FOUND', message: 'No route GET /api/nope' } });
  });

  it('answers a malformed body with a 400 that says what is wrong', async () => {
    const { app } = await server();
    app.post(
      '/api/test/echo',
      { schema: { body: { type: 'object', required: ['volume'], properties: { volume: { type: 'integer', maximum: 100 } } } } },
      (req) => req.body,
    );
    const bad = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { volume: 140 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toEqual({ code: 'MB_ERR_HTTP_BAD_REQUEST', message: 'body.volume: must be <= 100' });
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"volume":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('MB_ERR_HTTP_BAD_REQUEST');
  });

  it('hides the internals of a 5xx', async () => {
    const { app } = await server();
    app.get('/api/test/boom', () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/moodbox/moodbox.db');
    });
    const res = await app.inject('/api/test/boom');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('SQLITE');
    expect(res.json().error.code).toBe('MB_ERR_INTERNAL');
  });
});

describe('GET /api/openapi.json', () => {
  it('describes the API from the route schemas', async () => {
    const { app } = await server();
    const res = await app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, { get: { operationId: string; responses: Record<string, unknown> } } | undefined>;
      tags: Array<{ name: string }>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/health']?.get.operationId).toBe('getHealth');
    expect(doc.paths['/api/state']?.get.responses['200']).toBeDefined();
    expect(doc.paths['/ws']).toBeUndefined();
    expect(doc.tags.map((t) => t.name)).toContain('admin');
  });
});

describe('UI', () => {
  it('serves the built kiosk page', async () => {
    const uiDir = mkdtempSync(join(tmpdir(), 'moodbox-ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Moodbox</title>');
    const { app } = await server({ uiDir });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<title>Moodbox</title>');
  });

  it('serves the guest page at /guest', async () => {
    const uiDir = mkdtempSync(join(tmpdir(), 'moodbox-ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Moodbox</title>');
    writeFileSync(join(uiDir, 'guest.html'), '<!doctype html><title>Moodbox: ask for a song</title>');
    const { app } = await server({ uiDir });
    const res = await app.inject('/guest');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('ask for a song');
  });

  it('serves the screens but not their source maps', async () => {
    const uiDir = mkdtempSync(join(tmpdir(), 'moodbox-ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Moodbox</title>');
    writeFileSync(join(uiDir, 'kiosk.js'), 'console.log(1);\n//# sourceMappingURL=kiosk.js.map\n');
    writeFileSync(join(uiDir, 'kiosk.js.map'), '{"version":3,"sources":["../src/ui/kiosk/secret.ts"]}');
    const { app } = await server({ uiDir });
    expect((await app.inject('/kiosk.js')).statusCode).toBe(200);
    const map = await app.inject('/kiosk.js.map');
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('secret.ts');
  });

  it('says how to build the screens when they are missing', async () => {
    const { app } = await server({ uiDir: join(tmpdir(), 'no-such-ui') });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});

describe('/ws', () => {
  it('sends the snapshot on connect, then one typed message per change', async () => {
    const { app, hub } = await server();
    await app.ready();
    const messages: ServerMessage[] = [];
    const ws = await app.injectWS(
      '/ws',
      // A script on the box: no Origin, from loopback.
      { headers: { host: 'localhost' }, socket: { remoteAddress: '127.0.0.1' } as Socket },
      { onInit: (socket) => socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8')) as ServerMessage)) },
    );
    await until(() => messages.length === 1);
    expect(messages[0]).toMatchObject({ type: 'state/snapshot', seq: 0, data: { version: '0.0.0-test' } });

    hub.update('camera', { status: 'on', detail: null });
    hub.update('camera', { status: 'on', detail: null });
    hub.update('mood', { current: 'neutral', confidence: 0.6, since: 1, why: null, faces: 1 });
    await until(() => messages.length === 3);
    expect(messages.slice(1).map((m) => [m.type, 'seq' in m ? m.seq : undefined])).toEqual([
      ['camera/changed', 1],
      ['mood/changed', 2],
    ]);
    ws.terminate();
  });

  it('drops a client that stopped reading, while others keep receiving and HTTP keeps answering', async () => {
    const { app, hub } = await server({ maxBufferedKiB: 256 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };

    const healthy = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    let healthyCount = 0;
    healthy.on('message', () => (healthyCount += 1));
    const stalled = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await Promise.all([once(healthy, 'open'), once(stalled, 'open')]);
    await until(() => app.wsStats().clients === 2);
    // The stalled UI stops reading its socket: the server's unsent data for it piles up.
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();

    // 2,000 changes of 16 KiB: far more than the kernel's socket buffers hold for the stalled UI.
    const why = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 2000; i++) {
      hub.update('mood', { current: 'neutral', confidence: 0.5, since: i, why, faces: 1 });
      if (i % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    await until(() => app.wsStats().dropped === 1, 10000);
    expect(app.wsStats().clients).toBe(1);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    await until(() => healthyCount === 2001, 10000);
    healthy.terminate();
    stalled.terminate();
  });

  it('drops a client that does not answer pings', async () => {
    const clock = new FakeClock();
    const { app } = await server({ clock, pingIntervalMs: 1000 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const mute = new WebSocket(`ws://127.0.0.1:${port}/ws`, { autoPong: false });
    const polite = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await Promise.all([once(mute, 'open'), once(polite, 'open')]);
    await until(() => app.wsStats().clients === 2);
    const pinged = once(polite, 'ping');
    clock.advance(1000);
    await pinged;
    // The polite client answered that ping; a ping of its own is answered only after the server
    // has read the frames before it, that answer among them.
    const ponged = once(polite, 'pong');
    polite.ping();
    await ponged;
    clock.advance(1000);
    await until(() => app.wsStats().dropped === 1);
    expect(app.wsStats().clients).toBe(1);
    mute.terminate();
    polite.terminate();
  });
});

function once(ws: WebSocket, event: 'open' | 'ping' | 'pong'): Promise<void> {
  return new Promise((resolve) => ws.once(event, () => resolve()));
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
