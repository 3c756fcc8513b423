// Issue 28, kiosk part: messages never cover what they talk over (items 7), PIN keys with a gap
// (item 10), a kiosk that never says "Nobody here" over a face in view (item 6), and the smaller
// ones: a progress bar that stands still offline, a portrait attract screen that uses the screen, a
// calibration that shows whether a face is in view and says "Camera on" once. Against the real
// daemon: its camera reads a test camera's pictures, a card reader plays a recorded card, the quiet
// hours are saved as the admin panel saves them, and offline is the daemon stopped.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type Browser,
  cardReader,
  daemonState,
  fixtureFrame,
  launchBrowser,
  putSettings,
  shot,
  signInAtKiosk,
  stateWhen,
  WAIT,
} from './harness.js';
import { READING, kioskDaemon } from './kiosk-daemon.js';

const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1080, height: 1920 },
];
/** Whether the boxes of `a` and `b` on screen share any area. */
async function intersect(a: Locator, b: Locator): Promise<boolean> {
  const [p, q] = [await a.boundingBox(), await b.boundingBox()];
  if (p === null || q === null) throw new Error('Expected both to be on screen');
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('kiosk overlays and small things (issue 28)', { timeout: 300_000 }, () => {
  const frames = { happy: fixtureFrame('happy-face.png'), nobody: fixtureFrame('no-face.png') };
  /**
   * The daemon, started again on the same address by `box.restart()`: the test camera; a new mood
   * leads for 5 s before it counts. It is ready once it reads the happy face and plays (a room reads
   * as empty only once someone was seen); in the quiet hours nothing plays.
   */
  const box = kioskDaemon({
    prefix: 'mb-kiosk-overlays-',
    members: { Ada: '2468' },
    config: { mood: { nobodyAfterMs: 1000, dwellMs: 5000 } },
    env: () => reader.env,
    first: frames.happy,
    ready: (s) => s.mood.current === 'happy' && (s.quietHours || (s.player.nowPlaying !== null && s.suggestions.length >= 6)),
  });
  const reader = cardReader(box.dataDir);
  let browser: Browser;
  /** Every message the kiosk page sent the daemon, on every link it opened. */
  let sent: Array<{ type: string; data?: unknown }> = [];

  afterEach(async () => {
    // A test that failed in the quiet hours leaves them on: the next ones need the music.
    if ((await daemonState(box.daemon)).quietHours) await putSettings(box.daemon, {});
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh Chromium on the kiosk; `clock` installs Playwright's clock first. */
  const open = async (options: { clock?: boolean } = {}): Promise<Page> => {
    await browser?.close();
    browser = await launchBrowser(SIZES[0]);
    sent = [];
    browser.page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => sent.push(JSON.parse(String(frame.payload)) as { type: string; data?: unknown })),
    );
    if (options.clock === true) await browser.page.clock.install();
    await browser.page.goto(`${box.daemon.url}/`);
    await browser.page.locator('.tile').nth(5).waitFor(WAIT);
    return browser.page;
  };

  it('shows messages above the footer, clear of the mood, the header and the offline banner, and never over a panel', async () => {
    const page = await open();
    const toast = page.locator('.toast');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.locator('.tile').first().click();
      await toast.waitFor(WAIT);
      await settle(page);
      await shot(page, 'kiosk-toast-playing');
      for (const other of ['footer', 'header', '.mood', '.now .title']) {
        expect(await intersect(toast, page.locator(other)), `the message and ${other} at ${size.width}x${size.height}`).toBe(false);
      }
      const [box, footer] = [await toast.boundingBox(), await page.locator('footer').boundingBox()];
      expect(box !== null && footer !== null && box.y + box.height <= footer.y && box.y + box.height > footer.y - 60).toBe(true);
    }

    // Opening the sign-in panel dismisses the message; none shows over it, not even a card's.
    await page.setViewportSize(SIZES[0] ?? { width: 800, height: 480 });
    await page.locator('button[data-action="sign-in"]').click();
    await page.locator('mb-name-pad').waitFor(WAIT);
    expect(await toast.count()).toBe(0);
    // A card nobody linked, on the reader.
    reader.tap('em4100-card');
    await stateWhen(box.daemon, (s) => s.session.notice !== null, WAIT.timeout);
    await settle(page);
    expect(await toast.count()).toBe(0);
    await page.locator('mb-name-pad button[data-key="cancel"]').click();
    await toast.filter({ hasText: 'not linked' }).waitFor(WAIT);

    // Signed in, My music: the message goes when it opens.
    await signInAtKiosk(page, 'Ada', '2468');
    await page.locator('.tile').nth(1).click();
    await toast.waitFor(WAIT);
    await page.locator('button[data-action="me"]').click();
    await page.locator('mb-me [role="tab"]').first().waitFor(WAIT);
    expect(await toast.count()).toBe(0);
    await page.locator('mb-me button[data-action="close-me"]').click();

    // Signed out from elsewhere (another screen of the box): the note, clear of the mood badge.
    const other = await browser.context.newPage();
    await other.goto(`${box.daemon.url}/`);
    await other.locator('header .who').filter({ hasText: 'Ada' }).waitFor(WAIT);
    await other.locator('button[data-action="sign-out"]').click();
    await other.close();
    await toast.filter({ hasText: 'Ada is signed out' }).waitFor(WAIT);
    expect(await intersect(toast, page.locator('.mood'))).toBe(false);
    await shot(page, 'kiosk-toast-signed-out');

    // Offline: a tap's failure, clear of the offline banner.
    await box.daemon.stop();
    await page.locator('.banner').waitFor(WAIT);
    await page.locator('.tile').nth(2).click();
    await toast.filter({ hasText: 'Try again' }).waitFor(WAIT);
    expect(await intersect(toast, page.locator('.banner'))).toBe(false);
    await shot(page, 'kiosk-toast-offline');
    await box.restart();
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
    // The room empties, then someone comes into view: for the 5 s the new mood must lead, the
    // daemon still says nobody, with a face in view.
    box.camera.show(frames.nobody);
    await stateWhen(box.daemon, (s) => s.mood.current === 'nobody', READING);
    await page.locator('.attract').click();
    box.camera.show(frames.happy);
    const badge = page.locator('.mood');
    await badge.filter({ hasText: '1 face in view' }).waitFor({ timeout: READING });
    expect(await badge.locator('.label').textContent()).not.toContain('Nobody');
    expect(await badge.locator('.label').textContent()).toContain('Reading the room');
    await page.locator('.mood[data-mood="happy"]').waitFor({ timeout: READING });
  });

  it('stands the progress bar still while offline, and moves it again online', async () => {
    const page = await open({ clock: true });
    const bar = page.locator('.progress');
    const share = async (): Promise<number> => Number(await bar.getAttribute('aria-valuenow'));
    await page.clock.runFor(2_000);
    const online = await share();
    // Online, the bar moves: with the page's clock, and with each place the daemon sends (a place it
    // sends sets the bar back to the song's real place, which the page's fast clock ran ahead of).
    await expect
      .poll(async () => {
        await page.clock.runFor(1_000);
        return share();
      }, WAIT)
      .toBeGreaterThan(online);
    await box.daemon.stop();
    await page.locator('.banner').waitFor(WAIT);
    const offline = await share();
    await page.clock.runFor(20_000);
    expect(await share(), 'offline, 20 s later').toBe(offline);
    await box.restart();
  });

  it('goes dark in the quiet hours, wakes for a minute on a touch that taps nothing under it, and lights up when they end', async () => {
    const page = await open({ clock: true });
    const sleep = page.locator('[data-sleep]');
    await putSettings(box.daemon, { player: { quietHours: { from: '00:00', to: '23:59' } } });
    await sleep.waitFor(WAIT);
    // Nothing lit but the camera's status, dimly, in a corner.
    expect(await sleep.innerText()).toBe('Camera on');
    expect(
      await page.evaluate(
        () => getComputedStyle(document.querySelector('mb-kiosk')?.shadowRoot?.querySelector('.sleep') as Element).backgroundColor,
      ),
    ).toBe('rgb(0, 0, 0)');
    await shot(page, 'kiosk-quiet-hours');
    const before = sent.length;
    await sleep.click({ position: { x: 400, y: 300 } });
    await sleep.waitFor({ state: 'detached', ...WAIT });
    await page.locator('.tile').first().waitFor(WAIT);
    expect(sent.slice(before).map((m) => m.type)).not.toContain('player/play');
    // A minute after the touch, dark again; when the quiet hours end, the screen stays lit.
    await page.clock.runFor(61_000);
    await sleep.waitFor(WAIT);
    await putSettings(box.daemon, {});
    await sleep.waitFor({ state: 'detached', ...WAIT });
  });

  it("tells the daemon each time it goes dark and wakes, so the box's backlight follows, and again after the link comes back", async () => {
    const page = await open({ clock: true });
    const said = (): boolean[] => sent.filter((m) => m.type === 'screen/sleep').map((m) => (m.data as { isAsleep: boolean }).isAsleep);
    const last = (): boolean | undefined => said().at(-1);
    await expect.poll(said, WAIT).toEqual([false]);
    await putSettings(box.daemon, { player: { quietHours: { from: '00:00', to: '23:59' } } });
    await expect.poll(said, WAIT).toEqual([false, true]);
    // A touch wakes it (and its backlight), a minute later it is dark again.
    await page.locator('[data-sleep]').click({ position: { x: 400, y: 300 } });
    await expect.poll(said, WAIT).toEqual([false, true, false]);
    await page.clock.runFor(61_000);
    await expect.poll(last, WAIT).toBe(true);
    // The daemon forgets a screen whose link ends (its backlight comes on): once back, the kiosk says again that it sleeps.
    await box.daemon.stop();
    await page.locator('.banner').waitFor(WAIT);
    const before = said().length;
    await box.restart();
    await expect
      .poll(
        async () => {
          await page.clock.runFor(1000);
          return said().length > before;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    // Said on each new link (the page's clock, run fast here, may open several): asleep each time.
    expect(said().slice(before)).not.toContain(false);
    await putSettings(box.daemon, {});
    await expect.poll(last, WAIT).toBe(false);
  });

  it('spreads the portrait attract screen over the screen', async () => {
    const page = await open();
    box.camera.show(frames.nobody);
    await page.locator('.attract').waitFor({ timeout: READING });
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
    box.camera.show(frames.happy);
    await stateWhen(box.daemon, (s) => s.mood.current === 'happy', READING);
    const page = await open();
    await signInAtKiosk(page, 'Ada', '2468');
    await page.locator('button[data-action="me"]').click();
    await page.locator('mb-me button[data-tab="expressions"]').click();
    await page.locator('mb-me button[data-action="calibrate"]').click();
    box.camera.show(frames.nobody);
    const indicator = page.locator('mb-calibration [role="status"][data-faces]');
    await indicator.filter({ hasText: 'No face in view' }).waitFor({ timeout: READING });
    box.camera.show(frames.happy);
    await indicator.filter({ hasText: /^Face in view$/ }).waitFor({ timeout: READING });
    await shot(page, 'kiosk-calibration-face');
    expect(await page.getByText('Camera on', { exact: true }).count()).toBe(1);
    await page.locator('mb-calibration button[data-action="cancel-calibration"]').click();
  });
});
