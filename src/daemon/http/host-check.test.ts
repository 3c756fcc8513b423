import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestServer, type TestServer } from '../testing/server.js';
import { isOwnHost, MAX_SOCKETS_PER_ADDRESS, type OwnNetwork } from './host-check.js';

const BOX: OwnNetwork = { hostname: 'kiosk-7', addresses: () => ['127.0.0.1', '::1', '192.168.1.5', 'fe80::1'], configuredHost: '0.0.0.0' };

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the Host header', () => {
  it("accepts the box's names and addresses, and names of the LAN", () => {
    for (const host of [
      'localhost:8080',
      '127.0.0.1:8080',
      '[::1]:8080',
      '192.168.1.5',
      '10.0.0.9:8080',
      '[fe80::1]',
      'kiosk-7',
      'KIOSK-7.local:8080',
      'moodbox.local',
      'moodbox',
      'jukebox.lan',
      'box.home.arpa.',
      'moodbox.test:80',
    ]) {
      expect(isOwnHost(host, BOX), host).toBe(true);
    }
  });

  it('refuses names in public DNS, as DNS rebinding sends them, and anything that is not a host', () => {
    for (const host of [
      undefined,
      '',
      'evil.example',
      'evil.example:8080',
      'localhost.evil.example',
      '203.0.113.5',
      '[2001:db8::1]',
      'a b',
      'x@y',
    ]) {
      expect(isOwnHost(host, BOX), String(host)).toBe(false);
    }
  });

  it('answers a request for another host 403 before any route, WebSocket included, and names what it expected', async () => {
    const server = await buildTestServer();
    cleanups.push(() => server.app.close());
    for (const url of ['/api/state', '/api/health', '/ws', '/api/admin/users']) {
      const res = await server.app.inject({ method: 'GET', url, headers: { host: 'rebind.evil.example:8080' } });
      expect(res.statusCode, url).toBe(403);
      expect(res.json<{ error: { code: string; message: string } }>().error.message).toMatch(
        /^Expected the Host header to name this Moodbox .*, got `rebind\.evil\.example:8080`$/,
      );
    }
    expect((await server.app.inject({ method: 'GET', url: '/api/state', headers: { host: 'moodbox.local:8080' } })).statusCode).toBe(200);
  });
});

describe('connections per address', () => {
  async function listening(): Promise<TestServer & { port: number }> {
    const server = await buildTestServer();
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.app.close());
    return { ...server, port: (server.app.server.address() as { port: number }).port };
  }

  /** Opens a connection and resolves once it is accepted. */
  const open = (port: number): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
      cleanups.push(() => void socket.destroy());
    });

  /** Sends a GET on `socket` and resolves with what comes back until the server closes it or answers in full. */
  const get = (socket: Socket, path: string): Promise<string> =>
    new Promise((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (/\r\n\r\n[\s\S]*\}$/.test(text)) resolve(text);
      });
      socket.once('close', () => resolve(text));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });

  it(`answers 429 with a reason on a connection past ${MAX_SOCKETS_PER_ADDRESS} from one address, and serves again once some close`, async () => {
    const { port } = await listening();
    const sockets: Socket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_ADDRESS; i++) sockets.push(await open(port));
    const extra = await open(port);
    const refused = await get(extra, '/api/health');
    expect(refused).toMatch(/^HTTP\/1\.1 429 /);
    expect(refused).toMatch(/connection: close/i);
    expect(refused).toContain(`Too many connections from 127.0.0.1: at most ${MAX_SOCKETS_PER_ADDRESS} at once.`);
    // The connections within the cap are served.
    expect(await get(sockets[0] as Socket, '/api/health')).toMatch(/^HTTP\/1\.1 200 /);
    for (const socket of sockets.splice(1, 10)) socket.destroy();
    // The server hears of the closes a moment later: ask again until it has.
    let answer = '';
    for (let i = 0; i < 100 && !answer.startsWith('HTTP/1.1 200 '); i++) answer = await get(await open(port), '/api/health');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
