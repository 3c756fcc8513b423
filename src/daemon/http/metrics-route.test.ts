import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import type { MoodboxBus } from '../events.js';
import { MoodboxMetrics } from '../metrics/moodbox-metrics.js';
import { actors } from '../store/audit.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, type TestServer } from '../testing/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    await s.app.close();
    s.store.close();
  }
});

/** Metrics that say what they are, and keep the view each render was asked for. */
function metrics() {
  const source = {
    renders: [] as string[],
    render: async (view: string) => {
      source.renders.push(view);
      return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'moodbox_faces 2\n' };
    },
    observeWebSocketClients: () => {},
  };
  return source;
}

describe('GET /metrics', () => {
  it('serves the metrics to the box itself and the LAN, and refuses any other address without rendering them', async () => {
    const source = metrics();
    const server = await buildTestServer({ metrics: source });
    servers.push(server);
    for (const remoteAddress of ['127.0.0.1', '192.168.1.20', '10.0.0.7', 'fd00::5']) {
      const res = await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      expect(res.statusCode, remoteAddress).toBe(200);
      expect(res.body).toBe('moodbox_faces 2\n');
    }
    // The box itself reads all of them; the LAN what a guest may.
    expect(source.renders).toEqual(['all', 'guest', 'guest', 'guest']);
    for (const remoteAddress of ['203.0.113.5', '8.8.8.8', '2001:db8::1']) {
      const res = await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      expect(res.statusCode, remoteAddress).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'MB_ERR_HTTP_FORBIDDEN', message: 'Metrics are served to the LAN only' } });
    }
    expect(source.renders).toHaveLength(4);
  });

  // Issue 80: `/metrics` gave LAN devices `moodbox_faces`, which the screens' guest view never shows.
  it('counts the faces in view for the box itself and an admin only: a LAN device reads the rest, an address off the LAN nothing', async () => {
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const source = new MoodboxMetrics({ bus, player: new FakePlayer({ clock: new FakeClock() }), sourceOf: () => 'local' });
    await source.start();
    bus.emit('facesInViewChanged', { faces: 3 });
    const server = await buildTestServer({ metrics: source });
    servers.push(server);
    await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
    const scrape = (remoteAddress: string, cookie?: string) =>
      server.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers: cookie === undefined ? {} : { cookie } });

    for (const remoteAddress of ['127.0.0.1', '::1']) {
      const res = await scrape(remoteAddress);
      expect(res.statusCode, remoteAddress).toBe(200);
      expect(res.body, remoteAddress).toMatch(/^moodbox_faces 3$/m);
    }
    for (const remoteAddress of ['192.168.1.20', 'fd00::5']) {
      const res = await scrape(remoteAddress);
      expect(res.statusCode, remoteAddress).toBe(200);
      expect(res.body, remoteAddress).not.toContain('moodbox_faces');
      // The rest is served as before.
      expect(res.body, remoteAddress).toMatch(/^moodbox_camera_state\{state="off"\} 1$/m);
      expect(res.body, remoteAddress).toContain('process_resident_memory_bytes');
    }
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      remoteAddress: '192.168.1.20',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    expect((await scrape('192.168.1.20', cookie)).body).toMatch(/^moodbox_faces 3$/m);
    expect((await scrape('192.168.1.20', 'mb_admin=forged')).body).not.toContain('moodbox_faces');
    const off = await scrape('203.0.113.5');
    expect(off.statusCode).toBe(403);
    expect(off.body).not.toContain('moodbox_faces');
    await source.stop();
  });

  it('does not exist while metrics are off', async () => {
    const server = await buildTestServer();
    servers.push(server);
    expect((await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(404);
  });
});
