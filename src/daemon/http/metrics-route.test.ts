import { afterEach, describe, expect, it } from 'vitest';
import { buildTestServer, type TestServer } from '../testing/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    await s.app.close();
    s.store.close();
  }
});

/** Metrics that say what they are, and count how often they were rendered. */
function metrics() {
  const source = {
    renders: 0,
    render: async () => {
      source.renders += 1;
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
    expect(source.renders).toBe(4);
    for (const remoteAddress of ['203.0.113.5', '8.8.8.8', '2001:db8::1']) {
      const res = await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      expect(res.statusCode, remoteAddress).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'MB_ERR_HTTP_FORBIDDEN', message: 'Metrics are served to the LAN only' } });
    }
    expect(source.renders).toBe(4);
  });

  it('does not exist while metrics are off', async () => {
    const server = await buildTestServer();
    servers.push(server);
    expect((await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(404);
  });
});
