// Issue 28, kiosk part: messages never cover what they talk over (items 7), PIN keys with a gap
// (item 10), a kiosk that never says "Nobody here" over a face in view (item 6), and the smaller
// ones: a progress bar that stands still offline, a portrait attract screen that uses the screen, a
// calibration that shows whether a face is in view and says "Camera on" once.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrationView, MyProfile } from '../../src/daemon/http/contract.js';
import { FakeKioskSocket, roomSnapshot } from './fake-kiosk-socket.js';
import { type Browser, type Daemon, assertBuilt, launchBrowser, shot, startDaemon, tempDir, WAIT } from './harness.js';

const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1080, height: 1920 },
];
const PROFILE: MyProfile = {
  user: { id: 7, name: 'Ada' },
  likedTrackIds: [],
  preferences: { languages: [], artists: [], avoidMoods: [] },
  choices: { languages: [], artists: [], avoidMoods: [] },
  idleTimeoutS: 600,
};
const NO_CALIBRATION: CalibrationView = { recording: null, stored: null };
const ADA = { id: 7, name: 'Ada' };

/** Whether the boxes of `a` and `b` on screen share any area. */
async function intersect(a: Locator, b: Locator): Promise<boolean> {
  const [p, q] = [await a.boundingBox(), await b.boundingBox()];
  if (p === null || q === null) throw new Error('Expected both to be on screen');
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('kiosk overlays and small things (issue 28)', { timeout: 240_000 }, () => {
  const data = tempDir('mb-kiosk-overlays-');
  let daemon: Daemon;
  let browser: Browser;
  let fake: FakeKioskSocket;

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path);
  }, 120_000);

  afterAll(async () => {
    await daemon?.stop();
    data.remove();
  });

  /** A fresh Chromium on the kiosk, fed `fake`'s state; `clock` installs Playwright's clock first. */
  const open = async (options: { clock?: boolean } = {}): Promise<Page> => {
    await browser?.close();
    browser = await launchBrowser(SIZES[0]);
    fake = new FakeKioskSocket();
    fake.answers = {
      'session/options': () => ({ data: { selfRegistration: false, idleTimeoutS: 600 } }),
      'session/stay': () => ({ data: { expiresInMs: 600_000 } }),
      'session/sign-out': () => ({ data: { user: null } }),
      'player/play': () => ({ data: { trackId: 11, message: 'Playing “Sunny Side” next.' } }),
      'me/profile': () => ({ data: PROFILE }),
      'me/history': () => ({ data: { items: [], total: 0 } }),
      'me/calibration': () => ({ data: NO_CALIBRATION }),
      'me/calibration/start': () => ({ data: { recording: { samples: {}, startedAt: 0 }, stored: null } }),
      'me/calibration/sample': () => ({ error: { code: 'MB_ERR_CAMERA_NO_FACE', message: 'No face in view.' } }),
      'me/calibration/cancel': () => ({ data: NO_CALIBRATION }),
    };
    await fake.attach(browser.page);
    if (options.clock === true) await browser.page.clock.install();
    await browser.page.goto(`${daemon.url}/`);
    await browser.page.locator('.tile').nth(5).waitFor(WAIT);
    return browser.page;
  };

  afterAll(async () => {
    await browser?.close();
  });

  it('shows messages above the footer, clear of the mood, the header and the offline banner, and never over a panel', async () => {
    const page = await open();
    const toast = page.locator('.toast');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.locator('.tile[data-track-id="11"]').click();
      await toast.filter({ hasText: 'Playing “Sunny Side” next.' }).waitFor(WAIT);
      await settle(page);
      await shot(page, 'kiosk-toast-playing');
      for (const other of ['footer', 'header', '.mood', '.now .title']) {
        expect(await intersect(toast, page.locator(other)), `the message and ${other} at ${size.width}x${size.height}`).toBe(false);
      }
      const [box, footer] = [await toast.boundingBox(), await page.locator('footer').boundingBox()];
      expect(box !== null && footer !== null && box.y + box.height <= footer.y && box.y + box.height > footer.y - 60).toBe(true);
    }

    // Opening the sign-in panel dismisses the message; none shows over it.
    await page.setViewportSize(SIZES[0] ?? { width: 800, height: 480 });
    await page.locator('button[data-action="sign-in"]').click();
    await page.locator('mb-name-pad').waitFor(WAIT);
    expect(await toast.count()).toBe(0);
    fake.send('session', { user: null, notice: 'This card is not linked to anyone yet.' });
    await settle(page);
    expect(await toast.count()).toBe(0);
    await page.locator('mb-name-pad button[data-key="cancel"]').click();
    await toast.filter({ hasText: 'not linked' }).waitFor(WAIT);
    fake.send('session', { user: null, notice: null });

    // Signed in, My music: the message goes when it opens, and a like inside it shows none over its tabs.
    fake.send('session', { user: ADA, notice: null });
    await page.locator('.tile[data-track-id="12"]').click();
    await toast.waitFor(WAIT);
    await page.locator('button[data-action="me"]').click();
    await page.locator('mb-me [role="tab"]').first().waitFor(WAIT);
    expect(await toast.count()).toBe(0);
    await page.locator('mb-me button[data-action="close-me"]').click();

    // The sign-out note, clear of the mood badge.
    fake.send('session', { user: null, notice: null });
    await toast.filter({ hasText: 'Ada is signed out' }).waitFor(WAIT);
    expect(await intersect(toast, page.locator('.mood'))).toBe(false);
    await shot(page, 'kiosk-toast-signed-out');

    // Offline: a tap's failure, clear of the offline banner.
    await fake.down();
    await page.locator('.banner').waitFor(WAIT);
    await page.locator('.tile[data-track-id="13"]').click();
    await toast.filter({ hasText: 'Try again' }).waitFor(WAIT);
    expect(await intersect(toast, page.locator('.banner'))).toBe(false);
    await shot(page, 'kiosk-toast-offline');
    fake.up();
  });

  it('draws PIN keys of at least 44 px with a visible gap between them at every size', async () => {
    const page = await open();
    await page.locator('button[data-action="sign-in"]').click();
    for (const letter of 'ADA') await page.locator(`mb-name-pad button[data-key="${letter}"]`).click();
    await page.locator('mb-name-pad button[data-key="next"]').click();
    await page.locator('mb-pin-pad').waitFor(WAIT);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await settle(page);
      await shot(page, 'kiosk-pin-pad');
      const keys = await page.locator('mb-pin-pad .keys button').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
        }),
      );
      expect(keys).toHaveLength(12);
      const where = `${size.width}x${size.height}`;
      for (const [i, key] of keys.entries()) {
        expect(Math.min(key.width, key.height), `key ${i} at ${where}`).toBeGreaterThanOrEqual(44);
        const right = keys[i + 1];
        if (i % 3 !== 2 && right !== undefined)
          expect(right.left - key.right, `gap right of key ${i} at ${where}`).toBeGreaterThanOrEqual(6);
        const below = keys[i + 3];
        if (below !== undefined) expect(below.top - key.bottom, `gap below key ${i} at ${where}`).toBeGreaterThanOrEqual(6);
      }
    }
  });

  it('never says "Nobody here" over a face in view', async () => {
    const page = await open();
    fake.send('session', { user: ADA, notice: null });
    fake.send('mood', { current: 'nobody', confidence: 0, since: 1, why: '1 face in view', faces: 1 });
    const badge = page.locator('.mood');
    await badge.filter({ hasText: '1 face in view' }).waitFor(WAIT);
    expect(await badge.locator('.label').textContent()).not.toContain('Nobody');
    expect(await badge.locator('.label').textContent()).toContain('Reading the room');
    fake.send('mood', { current: 'sad', confidence: 0.6, since: 2, why: '1 face, looking sad', faces: 1 });
    await page.locator('.mood[data-mood="sad"]').filter({ hasText: '1 face, looking sad' }).waitFor(WAIT);
  });

  it('stands the progress bar still while offline, and moves it again online', async () => {
    const page = await open({ clock: true });
    const bar = page.locator('.progress');
    const share = async (): Promise<number> => Number(await bar.getAttribute('aria-valuenow'));
    await page.clock.runFor(10_000);
    const online = await share();
    await page.clock.runFor(20_000);
    expect(await share(), 'online, 20 s of a 200 s song').toBeGreaterThan(online);
    await fake.down();
    await page.locator('.banner').waitFor(WAIT);
    const offline = await share();
    await page.clock.runFor(20_000);
    expect(await share(), 'offline, 20 s later').toBe(offline);
  });

  it('goes dark in the quiet hours, wakes for a minute on a touch that taps nothing under it, and lights up when they end', async () => {
    const page = await open({ clock: true });
    const sleep = page.locator('[data-sleep]');
    fake.send('quietHours', true);
    await sleep.waitFor(WAIT);
    // Nothing lit but the camera's status, dimly, in a corner.
    expect(await sleep.innerText()).toBe('Camera on');
    expect(
      await page.evaluate(
        () => getComputedStyle(document.querySelector('mb-kiosk')?.shadowRoot?.querySelector('.sleep') as Element).backgroundColor,
      ),
    ).toBe('rgb(0, 0, 0)');
    await shot(page, 'kiosk-quiet-hours');
    const requests = fake.requests.length;
    await sleep.click({ position: { x: 400, y: 300 } });
    await sleep.waitFor({ state: 'detached', ...WAIT });
    expect(fake.requests.slice(requests).map((r) => r.type)).not.toContain('player/play');
    await page.locator('.tile').first().waitFor(WAIT);
    // A minute after the touch, dark again; when the quiet hours end, the screen stays lit.
    await page.clock.runFor(61_000);
    await sleep.waitFor(WAIT);
    fake.send('quietHours', false);
    await sleep.waitFor({ state: 'detached', ...WAIT });
  });

  it("tells the daemon each time it goes dark and wakes, so the box's backlight follows, and again after the link comes back", async () => {
    fake.answers['screen/sleep'] = (data) => ({ data: { isScreenOn: !(data as { isAsleep: boolean }).isAsleep, isApplied: true } });
    const page = await open({ clock: true });
    const said = (): boolean[] =>
      fake.requests.filter((r) => r.type === 'screen/sleep').map((r) => (r.data as { isAsleep: boolean }).isAsleep);
    const last = (): boolean | undefined => said().at(-1);
    await expect.poll(said).toEqual([false]);
    fake.send('quietHours', true);
    await expect.poll(said).toEqual([false, true]);
    // A touch wakes it (and its backlight), a minute later it is dark again.
    await page.locator('[data-sleep]').click({ position: { x: 400, y: 300 } });
    await expect.poll(said).toEqual([false, true, false]);
    await page.clock.runFor(61_000);
    await expect.poll(last).toBe(true);
    // The daemon forgets a screen whose link ends (its backlight comes on): once back, the kiosk says again that it sleeps.
    await fake.down();
    await page.locator('.banner').waitFor(WAIT);
    const before = said().length;
    fake.up();
    await expect
      .poll(async () => {
        await page.clock.runFor(1000);
        return said().length > before;
      })
      .toBe(true);
    // Said on each new link (the page's clock, run fast here, may open several): asleep each time.
    expect(said().slice(before)).not.toContain(false);
    fake.send('quietHours', false);
    await expect.poll(last).toBe(false);
  });

  it('spreads the portrait attract screen over the screen', async () => {
    const page = await open();
    fake.send('mood', { current: 'nobody', confidence: 0, since: 3, why: 'Nobody in view for a while', faces: 0 });
    await page.locator('.attract').waitFor(WAIT);
    await page.setViewportSize({ width: 1080, height: 1920 });
    await settle(page);
    await shot(page, 'kiosk-attract-portrait');
    const share = await page.evaluate(() => {
      const root = document.querySelector('mb-kiosk')?.shadowRoot;
      const main = root?.querySelector('main')?.getBoundingClientRect();
      const boxes = [...(root?.querySelectorAll('.attract > *') ?? [])].map((el) => el.getBoundingClientRect());
      if (main === undefined || boxes.length === 0) return 0;
      return (Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top))) / main.height;
    });
    expect(share, 'the attract content spans this share of the screen between header and footer').toBeGreaterThan(0.6);
  });

  it('shows in the calibration whether a face is in view, and says "Camera on" once', async () => {
    const page = await open();
    fake.send('session', { user: ADA, notice: null });
    fake.send('mood', { ...roomSnapshot().mood, faces: 0, why: 'The room looked happy' });
    await page.locator('button[data-action="me"]').click();
    await page.locator('mb-me button[data-tab="expressions"]').click();
    await page.locator('mb-me button[data-action="calibrate"]').click();
    const indicator = page.locator('mb-calibration [role="status"][data-faces]');
    await indicator.filter({ hasText: 'No face in view' }).waitFor(WAIT);
    fake.send('mood', { ...roomSnapshot().mood, faces: 1 });
    await indicator.filter({ hasText: /^Face in view$/ }).waitFor(WAIT);
    await shot(page, 'kiosk-calibration-face');
    expect(await page.getByText('Camera on', { exact: true }).count()).toBe(1);
  });
});
