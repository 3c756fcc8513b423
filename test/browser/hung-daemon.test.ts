import type { Page, WebSocket as PageSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, TEST_CONFIG, WAIT, adminPage, launchBrowser, type Browser } from './harness.js';

// A daemon that hangs (its process stopped, its event loop stuck) keeps its sockets open: no screen
// saw a close, and the kiosk, the panel and the phones went on showing the last song and mood as
// live for as long as it hung. The daemon now says it is alive every `ws.pingIntervalMs` (2 s here),
// and a screen that hears nothing for three periods shows the link as lost, then comes back by
// itself once the daemon answers again.

/** The daemon's "alive" messages a page has received on its sockets. */
function aliveCount(page: Page): () => number {
  let count = 0;
  page.on('websocket', (socket: PageSocket) => {
    socket.on('framereceived', ({ payload }) => {
      if (String(payload).includes('"link/alive"')) count += 1;
    });
  });
  return () => count;
}

describe('screens of a daemon that hangs', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let phone: Browser;
  let kiosk: Page;
  let guest: Page;
  let kioskAlive: () => number;
  let guestAlive: () => number;
  /** Whether each screen ever showed the link as lost (seen by the page itself, not sampled). */
  const everLost = (page: Page, selector: string): Promise<void> =>
    page.evaluate((selector) => {
      const w = window as unknown as { lostSeen?: boolean };
      w.lostSeen = false;
      const find = (root: Document | ShadowRoot): boolean =>
        root.querySelector(selector) !== null ||
        [...root.querySelectorAll('*')].some((el) => el.shadowRoot !== null && find(el.shadowRoot));
      new MutationObserver(() => {
        if (find(document)) w.lostSeen = true;
      }).observe(document, { subtree: true, childList: true, attributes: true });
      const tick = (): void => {
        if (find(document)) w.lostSeen = true;
        requestAnimationFrame(tick);
      };
      tick();
    }, selector);
  const lostSeen = (page: Page): Promise<boolean> => page.evaluate(() => (window as unknown as { lostSeen?: boolean }).lostSeen === true);

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-hung-daemon-',
      heading: 'Music controls',
      config: { ...TEST_CONFIG, ws: { pingIntervalMs: 2000 }, guests: { requests: 'on' } },
    });
    kiosk = await admin.browser.context.newPage();
    kioskAlive = aliveCount(kiosk);
    await kiosk.setViewportSize({ width: 800, height: 480 });
    await kiosk.goto(admin.daemon.url);
    phone = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true });
    guest = phone.page;
    guestAlive = aliveCount(guest);
    await guest.goto(`${admin.daemon.url}/guest`);
    await guest.getByRole('region', { name: 'Now playing' }).waitFor(WAIT);
  }, 120_000);

  afterAll(async () => {
    if (admin !== undefined) process.kill(admin.daemon.child.pid ?? 0, 'SIGCONT');
    await phone?.close();
    await admin?.close();
  });

  it('a healthy link never shows as lost while the daemon keeps talking', async () => {
    // Watched from when each screen is on its socket: a page shows its first view from HTTP, and
    // says "reconnecting" until its socket brings the first word.
    await expect.poll(() => kioskAlive() > 0 && guestAlive() > 0, { timeout: 30_000 }).toBe(true);
    await kiosk.locator('.banner').waitFor({ state: 'detached', ...WAIT });
    await guest.locator('.offline').waitFor({ state: 'detached', ...WAIT });
    await everLost(kiosk, '.banner');
    await everLost(guest, '.offline');
    const kioskFrom = kioskAlive();
    const guestFrom = guestAlive();
    // Five periods of a quiet daemon (nothing changes but its "alive"): more than the three that count as lost.
    await expect.poll(() => kioskAlive() - kioskFrom, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    await expect.poll(() => guestAlive() - guestFrom, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    expect(await lostSeen(kiosk)).toBe(false);
    expect(await lostSeen(guest)).toBe(false);
  });

  it('shows the link as lost on the kiosk, the panel and a phone, then comes back when it answers again', async () => {
    const pid = admin.daemon.child.pid;
    expect(pid).toBeTypeOf('number');
    process.kill(pid as number, 'SIGSTOP');
    try {
      const banner = kiosk.locator('.banner');
      await banner.waitFor(WAIT);
      expect(await banner.textContent()).toBe('Offline: reconnecting to Moodbox…');
      // What was live is the last known, and says so: the kiosk's mood and song, and the phone's, dimmed.
      expect((await kiosk.locator('section.now h2').textContent())?.trim()).toBe('Last known');
      expect(await kiosk.locator('section.now .mood [data-last-known]').textContent()).toBe('Last known');
      await guest.locator('.offline').waitFor(WAIT);
      const phoneNow = guest.getByRole('region', { name: 'Now playing' });
      await phoneNow.getByRole('heading', { name: 'Last known' }).waitFor(WAIT);
      expect(await guest.locator('header .mood [data-last-known]').textContent()).toBe('Last known');
      expect(Number(await phoneNow.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);
      expect(await guest.getByRole('region', { name: 'Ask for a song' }).count()).toBe(0);
      await admin.page.locator('mb-admin-dashboard [data-link-down]').waitFor(WAIT);
    } finally {
      process.kill(pid as number, 'SIGCONT');
    }
    await kiosk.locator('.banner').waitFor({ state: 'detached', ...WAIT });
    await guest.locator('.offline').waitFor({ state: 'detached', ...WAIT });
    await admin.page.locator('mb-admin-dashboard [data-link-down]').waitFor({ state: 'detached', ...WAIT });
  });
});
