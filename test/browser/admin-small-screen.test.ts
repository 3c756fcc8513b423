import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  WAIT,
  addUser,
  assertBuilt,
  boxOf,
  launchBrowser,
  shot,
  startDaemon,
  tempDir,
} from './harness.js';

// The admin panel on a small screen (800x480, a tablet or the kiosk's own size) in French and
// German, with a mood held by staff (issue 82, item 8): the staff bar above every page stays one
// line, and the first screen of Settings shows a setting, not only the panel's frame.

/** The most of the screen's 480 px the staff bar may take. */
const BAR_MAX_PX = 80;

describe('the admin panel at 800x480', { timeout: 180_000 }, () => {
  const data = tempDir('mb-admin-small-');
  let daemon: Daemon;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Inès', 'admin', PASSPHRASE);
    daemon = await startDaemon(data.path);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await daemon?.stop();
    data.remove();
  });

  /** A browser speaking `locale` at 800x480, signed in (the panel's sign-in is the first form), with a mood held. */
  async function signedIn(locale: string): Promise<Page> {
    const browser = await launchBrowser({ width: 800, height: 480 }, [], { locale });
    browsers.push(browser);
    const { page } = browser;
    await page.goto(`${daemon.url}/admin`);
    await page.locator('input[name="name"]').fill('Inès');
    await page.locator('input[name="passphrase"]').fill(PASSPHRASE);
    await page.locator('input[name="passphrase"]').press('Enter');
    await page.locator('mb-admin-dashboard').waitFor(WAIT);
    const session = (await (await page.request.get(`${daemon.url}/api/admin/session`)).json()) as { csrfToken: string };
    const held = await page.request.put(`${daemon.url}/api/admin/mood/hold`, {
      headers: { 'x-csrf-token': session.csrfToken },
      data: { label: 'sad', minutes: 60 },
    });
    expect(held.ok(), await held.text()).toBe(true);
    return page;
  }

  it.each([
    ['fr-FR', 'fr'],
    ['de-DE', 'de'],
  ])('in %s keeps the staff bar to one line and shows a setting on the first screen of Settings', async (locale, language) => {
    const page = await signedIn(locale);
    await page.goto(`${daemon.url}/admin#settings`);
    const bar = page.locator('mb-staff-controls.staff-bar .bar');
    await bar.locator('.held-mark').waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
    const setting = page.locator('mb-admin-settings [data-setting]').first();
    await setting.waitFor(WAIT);
    await shot(page, `admin-small-settings-${language}`);
    const height = (await boxOf(bar)).height;
    console.log(`${language}: the staff bar is ${Math.round(height)} of 480 px`);
    expect(height).toBeLessThanOrEqual(BAR_MAX_PX);
    // The first setting's control is on the first screen, below the sticky bar, without a scroll.
    const control = (await boxOf(setting.locator('input, select, textarea, button').first())).y;
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(control).toBeGreaterThanOrEqual((await boxOf(bar)).y + height);
    expect(control).toBeLessThan(480);

    // The controls are one tap away, and all of them show.
    await bar.locator('button.toggle').click();
    await bar.locator('#bar-controls input[type="range"]').waitFor(WAIT);
    await shot(page, `admin-small-bar-open-${language}`);
  });
});
