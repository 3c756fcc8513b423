import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, ROOT, TEST_CONFIG, WAIT, assertBuilt, launchBrowser, shot, startDaemon, tempDir } from './harness.js';
import { smallTargets, smallText } from './phone-checks.js';

// Issue 58, the first run: a box started with a configuration and no admin opens its admin page on
// a first-run screen. From a phone at 390 px (here on the box itself, where no code is needed; the
// code from another device is covered by src/daemon/http/first-run.test.ts) the owner creates the
// first admin on one screen, then sets the music folder, the camera and the kind of place, one
// screen each, and lands on the dashboard with all of it in force.

const PHONE = { width: 390, height: 844 } as const;
const PASSPHRASE = 'blue kettle on the shelf';

describe('the first run of a box with no admin', { timeout: 300_000 }, () => {
  let data: { path: string; remove: () => void };
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;
  let music: string;

  beforeAll(async () => {
    assertBuilt();
    data = tempDir('mb-admin-first-run-');
    music = join(data.path, 'music');
    mkdirSync(music);
    copyFileSync(join(ROOT, 'demo/library/bicycle-bell.ogg'), join(music, 'bicycle-bell.ogg'));
    daemon = await startDaemon(data.path, {
      config: { ...TEST_CONFIG, library: { ...TEST_CONFIG.library, panelRoots: [data.path] } },
    });
    browser = await launchBrowser(PHONE, [], { hasTouch: true });
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data?.remove();
  });

  /** What an owner would fail to read or to hit on this screen, with the page no longer than `screens` phone screens. */
  async function fitsAPhone(screens: number): Promise<void> {
    expect(await smallText(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThanOrEqual(screens * PHONE.height);
  }

  it('opens on the first-run screen, not the sign-in, and asks no code on the box itself', async () => {
    await page.goto(`${daemon.url}/admin`);
    await page.getByRole('heading', { name: 'Welcome: create the first admin' }).waitFor(WAIT);
    expect(await page.getByLabel('First-run code').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(0);
    await shot(page, 'admin-first-run-admin');
    await fitsAPhone(1);
  });

  it('says what is wrong with a short or mistyped passphrase, beside the field, and creates no one', async () => {
    await page.getByLabel('Your name').fill('Mia');
    await page.getByLabel(/^Passphrase/).fill('short');
    await page.getByLabel('Repeat the passphrase').fill('short');
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    await page.getByText('Use at least 10 characters (this one has 5).').waitFor(WAIT);
    await page.getByLabel(/^Passphrase/).fill(PASSPHRASE);
    await page.getByLabel('Repeat the passphrase').fill(`${PASSPHRASE}!`);
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    await page.getByText('The two passphrases differ. Type the same one twice.').waitFor(WAIT);
    const status = await page.evaluate(() => fetch('/api/first-run').then((r) => r.json() as Promise<{ isNeeded: boolean }>));
    expect(status.isNeeded).toBe(true);
  });

  it('creates the admin, signed in, then reads the music folder at once', async () => {
    await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    await page.getByRole('heading', { name: 'Where is your music?' }).waitFor(WAIT);
    await shot(page, 'admin-first-run-music');
    await fitsAPhone(1);
    // A folder outside the allowed ones is refused beside the field, in the daemon's words.
    await page.getByLabel('Music folder').fill('/etc');
    await page.getByRole('button', { name: 'Save and go on' }).click();
    await page.getByText(/is outside the folders the admin panel may use/).waitFor(WAIT);
    await page.getByLabel('Music folder').fill(music);
    await page.getByRole('button', { name: 'Save and go on' }).click();
    await page.getByRole('heading', { name: 'The camera' }).waitFor(WAIT);
  });

  it('turns the camera off and sets the kind of place and the kiosk language', async () => {
    await shot(page, 'admin-first-run-camera');
    await fitsAPhone(1);
    await page.getByLabel('No camera').check();
    await page.getByRole('button', { name: 'Save and go on' }).click();
    await page.getByRole('heading', { name: 'Where does it play?' }).waitFor(WAIT);
    await fitsAPhone(1);
    await page.getByLabel('A home: Spotify and YouTube may play too').check();
    await page.getByLabel("The kiosk's language").selectOption('de');
    await shot(page, 'admin-first-run-venue');
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.getByRole('heading', { name: 'Moodbox is set up' }).waitFor(WAIT);
    const summary = await page.getByRole('listitem').allTextContents();
    expect(summary).toEqual([
      `Music from ${music}: Moodbox is reading it now.`,
      'No camera: the music follows the day plan and what people choose.',
      'A home; the kiosk speaks Deutsch.',
    ]);
    await shot(page, 'admin-first-run-done');
  });

  it('lands on the dashboard with the settings in force and only the owner’s song in the library', async () => {
    await page.getByRole('button', { name: 'Go to the dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor(WAIT);
    const settings = await page.evaluate(() =>
      fetch('/api/admin/settings').then(
        (r) => r.json() as Promise<{ config: { site: { kind: string; language: string }; library: { folders: string[] } } }>,
      ),
    );
    expect(settings.config.site).toEqual({ kind: 'home', language: 'de' });
    expect(settings.config.library.folders).toEqual([music]);
    // The folder was scanned without a restart, and the demo songs left.
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            fetch('/api/admin/tracks?limit=50').then((r) => r.json() as Promise<{ total: number; items: Array<{ uri: string }> }>),
          ),
        WAIT,
      )
      .toMatchObject({ total: 1, items: [{ uri: expect.stringContaining(join(music, 'bicycle-bell.ogg')) as string }] });
    // Once an admin exists, the page opens on the sign-in again.
    const other = await launchBrowser(PHONE);
    try {
      await other.page.goto(`${daemon.url}/admin`);
      await other.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor(WAIT);
      expect(await other.page.getByRole('heading', { name: 'Welcome: create the first admin' }).count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
