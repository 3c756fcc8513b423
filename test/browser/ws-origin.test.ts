// Issue 14: a page of another site can neither act nor read over the WebSocket; the screens work
// under their Content-Security-Policy.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ReplyMessage, StateSnapshot } from '../../src/daemon/http/contract.js';
import { type Browser, type Daemon, addUser, assertBuilt, launchBrowser, startDaemon, tempDir, WAIT, PASSPHRASE } from './harness.js';

/** The kiosk under a LAN name, as a screen elsewhere on the network opens it: the same site, not the kiosk's own screen. */
const LAN_NAME = 'moodbox.test';

describe('the WebSocket and the screens against pages of other sites', { timeout: 120_000 }, () => {
  const data = tempDir('mb-origin-');
  let daemon: Daemon;
  let browser: Browser | undefined;
  let other: Server | undefined;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Ada', 'member', '2468');
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    daemon = await startDaemon(data.path);
  }, 120_000);

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await new Promise((resolve) => (other ? other.close(resolve) : resolve(undefined)));
    other = undefined;
    // Each test starts with nobody signed in at the kiosk.
    const token = await signInAda().catch(() => undefined);
    if (token !== undefined) await fetch(`${daemon.url}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  });

  afterAll(async () => {
    await daemon?.stop();
    data.remove();
  });

  const state = async (): Promise<StateSnapshot> =>
    ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;

  /** Ada signs in at the kiosk with her PIN, as the kiosk's pad does; returns her kiosk token. */
  const signInAda = async (): Promise<string> => {
    const res = await fetch(`${daemon.url}/api/session/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', pin: '2468' }),
    });
    if (res.status !== 200) throw new Error(`Expected Ada to sign in, got ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };

  const likesOfAda = (): number => {
    const db = new Database(join(data.path, 'moodbox.db'), { readonly: true });
    try {
      const row = db
        .prepare("SELECT count(*) AS n FROM feedback JOIN users ON users.id = feedback.user_id WHERE users.name = 'Ada' AND kind = 'like'")
        .get() as { n: number };
      return row.n;
    } finally {
      db.close();
    }
  };

  const playsOfAda = (): number => {
    const db = new Database(join(data.path, 'moodbox.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT count(*) AS n FROM plays JOIN users ON users.id = plays.user_id WHERE users.name = 'Ada'").get() as {
        n: number;
      };
      return row.n;
    } finally {
      db.close();
    }
  };

  /** A track of the library: what plays, or the first suggestion. */
  const someTrack = async (): Promise<number> => {
    let id: number | undefined;
    await expect
      .poll(async () => {
        const s = await state();
        id = s.player.nowPlaying?.id ?? s.suggestions[0]?.id;
        return id;
      }, WAIT)
      .toBeDefined();
    return id ?? 0;
  };

  /** One request on a `ws` socket opened with these headers; resolves with its reply. */
  const askOnce = (headers: Record<string, string>, message: Record<string, unknown>): Promise<ReplyMessage> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${daemon.port}/ws`, { headers });
      ws.once('open', () => ws.send(JSON.stringify({ transaction: 'x1', ...message })));
      ws.on('message', (raw) => {
        const reply = JSON.parse((raw as Buffer).toString('utf8')) as ReplyMessage;
        if (reply.transaction !== 'x1') return;
        ws.terminate();
        resolve(reply);
      });
      ws.once('error', reject);
    });

  it('refuses the socket to a page served from another port: no like stored, nobody signed out, no state read', async () => {
    const token = await signInAda();
    const trackId = await someTrack();
    // The page of another site knows the track, the daemon's address, even the token: it still gets nowhere.
    const page = `<!doctype html><html><head><title>elsewhere</title></head><body><script>
      window.attempt = new Promise((resolve) => {
        const seen = [];
        const ws = new WebSocket('ws://127.0.0.1:${daemon.port}/ws');
        ws.onopen = () => {
          seen.push('open');
          ws.send(JSON.stringify({ type: 'player/like', transaction: '1', data: { trackId: ${trackId} }, token: '${token}' }));
          ws.send(JSON.stringify({ type: 'player/play', transaction: '2', data: { trackId: ${trackId} } }));
          ws.send(JSON.stringify({ type: 'session/sign-out', transaction: '3' }));
        };
        ws.onmessage = (event) => seen.push(String(event.data).slice(0, 60));
        ws.onclose = (event) => resolve({ seen, code: event.code });
      });
      window.read = fetch('http://127.0.0.1:${daemon.port}/api/state').then((r) => r.text()).then(() => 'read', () => 'blocked');
    </script></body></html>`;
    other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as { port: number };

    browser = await launchBrowser();
    await browser.page.goto(`http://127.0.0.1:${port}/`);
    const attempt = await browser.page.evaluate(
      () => (window as unknown as { attempt: Promise<{ seen: string[]; code: number }> }).attempt,
    );
    expect(attempt.seen).toEqual([]);
    expect(attempt.code).toBe(1006);
    expect(await browser.page.evaluate(() => (window as unknown as { read: Promise<string> }).read)).toBe('blocked');
    // The daemon's log line may reach this process a moment after the browser saw the refusal.
    await expect.poll(() => daemon.lines.some((l) => l['msg'] === 'websocket from another site refused')).toBe(true);
    expect((await state()).session.user?.name).toBe('Ada');
    expect(likesOfAda()).toBe(0);

    // The same like, from a page of the daemon with Ada's token, is stored: the refusal above is the Origin check.
    const lanPage = { host: `${LAN_NAME}:${daemon.port}`, origin: `http://${LAN_NAME}:${daemon.port}` };
    // Without her token, a page of the daemon cannot act for her either.
    const playsBefore = playsOfAda();
    for (const message of [
      { type: 'player/like', data: { trackId } },
      { type: 'player/skip', data: {} },
      { type: 'player/play', data: { trackId } },
      { type: 'session/sign-out' },
    ]) {
      expect(await askOnce(lanPage, message)).toMatchObject({ status: 'error', error: { code: 'MB_ERR_AUTH_REQUIRED' } });
    }
    expect((await state()).session.user?.name).toBe('Ada');
    expect(likesOfAda()).toBe(0);
    expect(playsOfAda()).toBe(playsBefore);
    expect(await askOnce(lanPage, { type: 'player/like', data: { trackId }, token })).toMatchObject({ status: 'ok' });
    expect(likesOfAda()).toBe(1);
  });

  it('on a screen elsewhere on the LAN, likes with the token of a PIN sign-in made there', async () => {
    browser = await launchBrowser({ width: 1280, height: 800 }, [`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`]);
    const { page } = browser;
    const violations = await watchCsp(page);
    const response = await page.goto(`http://${LAN_NAME}:${daemon.port}/`);
    expect(response?.headers()['content-security-policy']).toContain(`connect-src 'self' ws://${LAN_NAME}:${daemon.port}`);
    await page.locator('button[data-action="sign-in"]:not([disabled])').click(WAIT);
    for (const letter of 'ADA') await page.locator(`mb-name-pad button[data-key="${letter}"]`).click();
    await page.locator('mb-name-pad button[data-key="next"]').click();
    for (const digit of '2468') await page.locator(`mb-pin-pad button[data-key="${digit}"]`).click();
    await page.locator('mb-pin-pad button[data-key="ok"]').click();
    await page.locator('header .who').filter({ hasText: 'Ada' }).waitFor(WAIT);
    const before = likesOfAda();
    await page.locator('button[data-action="like"]').click(WAIT);
    await page.locator('.toast').filter({ hasText: 'Liked' }).waitFor(WAIT);
    expect(likesOfAda()).toBe(before + 1);
    await page.locator('button[data-action="sign-out"]').click();
    await page.locator('button[data-action="sign-in"]').waitFor(WAIT);
    expect((await state()).session.user).toBeNull();
    expect(violations).toEqual([]);
  });

  it('runs the kiosk and every admin panel under the Content-Security-Policy without a violation', async () => {
    browser = await launchBrowser({ width: 1280, height: 900 });
    const { page } = browser;
    const violations = await watchCsp(page);
    const kiosk = await page.goto(`${daemon.url}/`);
    const headers = kiosk?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await page.locator('button[data-action="sign-in"]:not([disabled])').waitFor(WAIT);

    const admin = await page.goto(`${daemon.url}/admin`);
    expect(admin?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('Name').fill('Root');
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
    const inFlight = new Set<Request>();
    page.on('request', (request) => inFlight.add(request));
    page.on('requestfinished', (request) => inFlight.delete(request));
    page.on('requestfailed', (request) => inFlight.delete(request));
    for (const view of ['library', 'users', 'history', 'settings', 'camera', 'model', 'audit', 'dashboard']) {
      await page.evaluate((hash) => (window.location.hash = hash), view);
      await page.locator(`mb-admin-${view}`).waitFor(WAIT);
      // The panel's requests (covers, charts, the camera view) have come back, and what they drew is
      // checked: a violation of our own after that is reported after any of theirs.
      await expect.poll(() => inFlight.size, WAIT).toBe(0);
      const marker = `https://csp-marker.invalid/${view}`;
      const marked = page.waitForEvent('console', { predicate: (m) => m.text().includes(marker), ...WAIT });
      await page.evaluate((url) => void (new Image().src = url), marker);
      await marked;
    }
    expect(violations.filter((v) => !v.includes('csp-marker.invalid'))).toEqual([]);
    // Each marker was reported: the check sees what the page blocks.
    expect(violations.filter((v) => v.includes('csp-marker.invalid')).length).toBeGreaterThanOrEqual(8);
  });
});

/** Collects the Content-Security-Policy violations the page reports (the console's and the DOM events'). */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Content Security Policy: ${event.violatedDirective}: ${event.blockedURI}`),
    );
  });
  return violations;
}
