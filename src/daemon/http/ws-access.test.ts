// Issue 14, finding 4: the WebSocket acted for the signed-in person with no credential and no Origin check.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MoodboxError } from '../../kernel/errors.js';
import { buildTestServer, type TestServer } from '../testing/server.js';
import { LAN_PAGE, socket } from '../testing/ws-socket.js';
import type { ReplyMessage } from './contract.js';
import type { KioskMusic } from '../testing/fake-music-controls.js';
import { actors } from '../store/audit.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A real server on 127.0.0.1 with Ada signed in at the kiosk by PIN, and music that answers as the
 * director does: a like is stored for whoever is signed in at the kiosk, a tap answers whom it
 * would be played for.
 */
async function kiosk(): Promise<TestServer & { port: number; base: string; track: number; ada: number; token: string }> {
  const music: KioskMusic = {
    like: async (trackId) => {
      const person = server.presence.user;
      if (person === null) throw new MoodboxError('MB_ERR_AUTH_REQUIRED', 'Sign in to like a song');
      server.store.plays.recordFeedback({ userId: person.id, trackId, kind: 'like', at: 1 });
      return { trackId };
    },
    unlike: async (trackId) => ({ trackId }),
    tap: async (trackId) => ({ trackId, listener: server.presence.user?.id ?? null }),
    skip: async () => ({ trackId: null }),
  };
  const server: TestServer = await buildTestServer({ music });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.app.close());
  const { port } = server.app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const track = server.store.tracks.upsert({ uri: '/music/a.flac', title: 'A' }).id;
  const ada = (await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli)).id;
  const res = await fetch(`${base}/api/session/pin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ada', pin: '4711' }),
  });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  expect(server.presence.user?.name).toBe('Ada');
  return { ...server, port, base, track, ada, token };
}

/** Opens a socket with these headers; resolves once it is open, or with the HTTP status that refused it. */
function connect(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; replies: ReplyMessage[] } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const replies: ReplyMessage[] = [];
    ws.on('message', (raw) => {
      const message = JSON.parse((raw as Buffer).toString('utf8')) as ReplyMessage;
      if ('transaction' in message) replies.push(message);
    });
    ws.once('open', () => {
      cleanups.push(() => ws.terminate());
      resolve({ ws, replies });
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve({ refused: res.statusCode ?? 0 });
    });
    ws.once('error', (err) => reject(err));
  });
}

async function opened(url: string, headers: Record<string, string>) {
  const socket = await connect(url, headers);
  if ('refused' in socket) throw new Error(`Expected the socket to open, got HTTP ${socket.refused}`);
  let next = 1;
  return {
    /** Sends a request and waits for its reply. */
    async ask(type: string, data?: unknown, token?: string): Promise<ReplyMessage> {
      const transaction = String(next++);
      // The reply is the next message with this transaction: wait for it as it arrives.
      const replied = new Promise<ReplyMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${type}`)), 3000);
        const onMessage = (raw: Buffer): void => {
          const message = JSON.parse(raw.toString('utf8')) as ReplyMessage;
          if (!('transaction' in message) || message.transaction !== transaction) return;
          clearTimeout(timer);
          socket.ws.off('message', onMessage);
          resolve(message);
        };
        socket.ws.on('message', onMessage);
      });
      socket.ws.send(JSON.stringify({ type, transaction, data, ...(token === undefined ? {} : { token }) }));
      return replied;
    },
  };
}

describe('the WebSocket upgrade checks Origin', () => {
  it('refuses a page of another site before the upgrade: nothing is read, liked or signed out', async () => {
    const box = await kiosk();
    const url = `ws://127.0.0.1:${box.port}/ws`;
    for (const origin of [`http://127.0.0.1:${box.port + 1}`, 'http://localhost:9', 'https://evil.example', 'null']) {
      expect(await connect(url, { origin })).toEqual({ refused: 403 });
    }
    // Even with the person's token, a page of another site gets no socket to send it on.
    expect(await connect(url, { origin: 'https://evil.example', authorization: `Bearer ${box.token}` })).toEqual({ refused: 403 });
    expect(box.app.wsStats().clients).toBe(0);
    expect(box.presence.user?.name).toBe('Ada');
    expect(box.store.plays.feedbackFor(box.ada)).toEqual([]);
  });

  it('lets a client without an Origin (the CLI, scripts) read the state, and nothing else', async () => {
    const box = await kiosk();
    const reader = await opened(`ws://127.0.0.1:${box.port}/ws`, {});
    expect(await reader.ask('state/get')).toMatchObject({ status: 'ok' });
    for (const type of ['player/like', 'session/sign-out']) {
      expect(await reader.ask(type, { trackId: box.track }, box.token)).toMatchObject({
        status: 'error',
        error: { code: 'MB_ERR_HTTP_FORBIDDEN' },
      });
    }
    expect(box.presence.user?.name).toBe('Ada');
    expect(box.store.plays.feedbackFor(box.ada)).toEqual([]);
  });
});

describe("a person's actions need their kiosk token", () => {
  // A page of the daemon under its LAN name: the same site, but not the kiosk's own screen.
  const lanPage = (port: number) => ({ host: `moodbox.test:${port}`, origin: `http://moodbox.test:${port}` });

  it('refuses a same-site socket without the token: no like, no sign-out, no play in their name', async () => {
    const box = await kiosk();
    const page = await opened(`ws://127.0.0.1:${box.port}/ws`, lanPage(box.port));
    const refused = { status: 'error', error: { code: 'MB_ERR_AUTH_REQUIRED' } };
    expect(await page.ask('player/like', { trackId: box.track })).toMatchObject(refused);
    expect(await page.ask('player/like', { trackId: box.track }, 'not-the-token')).toMatchObject(refused);
    expect(await page.ask('player/play', { trackId: box.track })).toMatchObject(refused);
    expect(await page.ask('session/sign-out')).toMatchObject(refused);
    expect(box.presence.user?.name).toBe('Ada');
    expect(box.store.plays.feedbackFor(box.ada)).toEqual([]);
  });

  it('acts for the person with their token: like, play in their name, sign-out', async () => {
    const box = await kiosk();
    const page = await opened(`ws://127.0.0.1:${box.port}/ws`, lanPage(box.port));
    expect(await page.ask('player/like', { trackId: box.track }, box.token)).toMatchObject({ status: 'ok' });
    expect(box.store.plays.feedbackFor(box.ada)).toMatchObject([{ trackId: box.track, kind: 'like' }]);
    expect(await page.ask('player/play', { trackId: box.track }, box.token)).toMatchObject({
      status: 'ok',
      data: { listener: box.ada },
    });
    expect(await page.ask('session/sign-out', undefined, box.token)).toMatchObject({ status: 'ok', data: { user: null } });
    expect(box.presence.user).toBeNull();
    // The token ended with the sign-out.
    expect(box.auth.authenticate(box.token, 'kiosk')).toBeUndefined();
  });

  it('lets a same-site page tap a song for the room while nobody is signed in', async () => {
    const box = await kiosk();
    box.presence.signOut('button');
    const page = await opened(`ws://127.0.0.1:${box.port}/ws`, lanPage(box.port));
    expect(await page.ask('player/play', { trackId: box.track })).toMatchObject({ status: 'ok', data: { listener: null } });
    expect(await page.ask('player/like', { trackId: box.track })).toMatchObject({
      status: 'error',
      error: { code: 'MB_ERR_AUTH_REQUIRED' },
    });
    expect(await page.ask('session/sign-out')).toMatchObject({ status: 'ok', data: { user: null } });
  });

  it("lets the kiosk's own screen act for whoever is signed in at it, as after a card sign-in", async () => {
    const box = await kiosk();
    const screen = await opened(`ws://127.0.0.1:${box.port}/ws`, { origin: box.base });
    expect(await screen.ask('player/like', { trackId: box.track })).toMatchObject({ status: 'ok' });
    expect(box.store.plays.feedbackFor(box.ada)).toHaveLength(1);
    expect(await screen.ask('session/sign-out')).toMatchObject({ status: 'ok', data: { user: null } });
    expect(box.presence.user).toBeNull();
  });
});

describe('security headers (issue 14)', () => {
  it('sends the CSP and frame, sniffing and referrer headers on pages, assets, the API and errors', async () => {
    const ui = mkdtempSync(join(tmpdir(), 'mb-ui-'));
    cleanups.push(() => rmSync(ui, { recursive: true, force: true }));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><script type="module" src="./kiosk.js"></script>');
    writeFileSync(join(ui, 'admin.html'), '<!doctype html><script type="module" src="./admin.js"></script>');
    writeFileSync(join(ui, 'kiosk.js'), 'export {};');
    const { app } = await buildTestServer({ uiDir: ui });
    cleanups.push(() => app.close());
    for (const url of ['/', '/admin', '/kiosk.js', '/api/state', '/api/health', '/api/no-such-route', '/api/admin/users']) {
      const res = await app.inject({ url, headers: { host: 'moodbox.lan:8080' } });
      expect(res.statusCode, url).toBeLessThan(500);
      // Directives joined by ';' alone, as helmet writes them (CSP allows whitespace around it or none).
      expect(res.headers['content-security-policy'], url).toBe(
        "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;" +
          "connect-src 'self' ws://moodbox.lan:8080 wss://moodbox.lan:8080;object-src 'none';base-uri 'none';" +
          "form-action 'self';frame-ancestors 'none'",
      );
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      // None of helmet's other headers: no HSTS on a plain-http LAN box, no cross-origin isolation.
      for (const name of [
        'strict-transport-security',
        'cross-origin-opener-policy',
        'cross-origin-resource-policy',
        'origin-agent-cluster',
      ])
        expect(res.headers[name], `${url} ${name}`).toBeUndefined();
    }
    // A Host header that is not a host name adds nothing to the policy.
    const odd = await app.inject({ url: '/', headers: { host: "x; script-src 'unsafe-eval'" } });
    expect(odd.headers['content-security-policy']).toContain("connect-src 'self';object-src");
    expect(odd.headers['content-security-policy']).not.toContain('unsafe-eval');
  });
});

describe('the WebSocket upgrade checks the address', () => {
  const upgrade = {
    connection: 'upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  };

  /**
   * Opens `/ws` from a page of the box at `remoteAddress`: the upgrade must answer 101 (the
   * injected socket opens on nothing else) and the socket then sends the screens' state.
   */
  async function expectUpgraded(server: TestServer, remoteAddress: string): Promise<void> {
    const page = { headers: LAN_PAGE.headers, socket: { remoteAddress, localPort: 80 } as Socket };
    const opened = await socket(server.app, page).catch((err: unknown) => ({ refused: String(err) }));
    expect('ws' in opened ? 'upgraded' : opened, remoteAddress).toBe('upgraded');
    if ('ws' in opened) opened.ws.terminate();
  }

  it('refuses an address off the LAN before the upgrade while the admin panel is LAN-only, as the admin routes', async () => {
    const server = await buildTestServer();
    cleanups.push(() => server.app.close());
    for (const remoteAddress of ['203.0.113.5', '8.8.8.8', '2001:db8::1', '::ffff:198.51.100.7']) {
      const res = await server.app.inject({ method: 'GET', url: '/ws', headers: upgrade, remoteAddress });
      expect([res.statusCode, res.json<{ error: { code: string } }>().error.code], remoteAddress).toEqual([403, 'MB_ERR_HTTP_FORBIDDEN']);
    }
    for (const remoteAddress of ['127.0.0.1', '192.168.1.20', 'fd00::5']) await expectUpgraded(server, remoteAddress);
  });

  it('serves any address when the owner turned `server.adminLanOnly` off', async () => {
    const server = await buildTestServer({ config: { server: { adminLanOnly: false } } });
    cleanups.push(() => server.app.close());
    await expectUpgraded(server, '203.0.113.5');
  });
});
