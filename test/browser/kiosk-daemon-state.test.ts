// Issue 28, kiosk part, against the real daemon: during a staff hold the kiosk says what plays and
// until when, never the camera's reading beside it (item 6); the sign-in panel asks for a card only
// while a reader is plugged in (item 8).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import {
  type Browser,
  type Daemon,
  ROOT,
  TEST_CONFIG,
  addUser,
  adminPage,
  assertBuilt,
  launchBrowser,
  shot,
  startDaemon,
  tempDir,
  WAIT,
} from './harness.js';

describe('the kiosk and the daemon’s state (issue 28)', { timeout: 240_000 }, () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('shows a staff hold as "Staff pick: upbeat until HH:MM", with a line that agrees', async () => {
    const admin = await adminPage({ prefix: 'mb-kiosk-hold-', heading: 'Music controls' });
    cleanups.push(() => admin.close());
    const kiosk = await admin.browser.context.newPage();
    await kiosk.setViewportSize({ width: 800, height: 480 });
    await kiosk.goto(`${admin.daemon.url}/`);
    // The camera is off in the test configuration: the badge says so before the hold.
    await kiosk.locator('.mood[data-state="camera-off"]').waitFor(WAIT);
    // With no reading of the room the song does not play "for the room": it says what it follows.
    const why = kiosk.locator('section.now [data-why]');
    await why.waitFor(WAIT);
    expect(await why.textContent()).toBe('Follows the default mood, calm, with no reading of the room.');

    await admin.page.locator('form.hold select[name="mood"]').selectOption('happy');
    await admin.page.locator('button[data-action="hold"]').click();
    const badge = kiosk.locator('.mood[data-state="held"]');
    await badge.waitFor(WAIT);
    const state = (await (await fetch(`${admin.daemon.url}/api/state`)).json()) as { data: StateSnapshot };
    const until = state.data.mood.held?.until ?? 0;
    const time = await kiosk.evaluate((at) => new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date(at)), until);
    expect(await badge.locator('.label').textContent()).toBe(`Staff pick: upbeat until ${time}`);
    // The camera is off: the hold does not promise that the music follows the room afterwards.
    expect((await badge.locator('p').textContent())?.trim()).toBe(`The camera is off: after ${time} the music plays on without it.`);
    expect(await badge.getAttribute('data-mood')).toBe('upbeat');
    await shot(kiosk, 'kiosk-staff-hold');
    // The song the hold switched to plays for the held mood, and the dashboard says so, not "for the room".
    const staffWhy = admin.page.locator('mb-now-playing-card [data-why]');
    await expect.poll(async () => staffWhy.textContent(), WAIT).toMatch(/^For the mood staff hold: /);

    await admin.page.locator('button[data-action="release"]').first().click();
    await kiosk.locator('.mood[data-state="camera-off"]').waitFor(WAIT);
  });

  it('asks for a card only while a card reader is plugged in', async () => {
    assertBuilt();
    const signInPanel = async (daemon: Daemon): Promise<Browser> => {
      const browser = await launchBrowser({ width: 800, height: 480 });
      cleanups.push(() => browser.close());
      await browser.page.goto(`${daemon.url}/`);
      await browser.page.locator('button[data-action="sign-in"]:not([disabled])').click();
      await browser.page.locator('mb-name-pad').waitFor(WAIT);
      return browser;
    };

    const plain = tempDir('mb-kiosk-no-reader-');
    cleanups.push(() => plain.remove());
    const without = await startDaemon(plain.path);
    cleanups.push(async () => void (await without.stop()));
    const bare = await signInPanel(without);
    await shot(bare.page, 'kiosk-sign-in-no-reader');
    expect(await bare.page.getByText('Have a card?').count()).toBe(0);

    // The same daemon with a (recorded) reader plugged in.
    const withReader = tempDir('mb-kiosk-reader-');
    cleanups.push(() => withReader.remove());
    const taps = join(withReader.path, 'hid-taps');
    mkdirSync(taps);
    const preload = pathToFileURL(join(ROOT, 'test/browser/fake-rfid-reader.mjs')).href;
    const daemon = await startDaemon(withReader.path, {
      config: TEST_CONFIG,
      env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${preload}`.trim(), MOODBOX_FAKE_HID_DIR: taps },
    });
    cleanups.push(async () => void (await daemon.stop()));
    const browser = await signInPanel(daemon);
    await browser.page.getByText('Have a card? Tap it on the reader.').waitFor(WAIT);
    await shot(browser.page, 'kiosk-sign-in-reader');
  });

  it('suggests the names of people who signed in here after two letters, only when the admin turns it on', async () => {
    assertBuilt();
    const NAME = 'Jonathan-Alexander';
    /** Signs `NAME` in at the kiosk by name and PIN (every letter typed), and out again. */
    const signInAndOut = async (page: Page): Promise<void> => {
      await page.locator('button[data-action="sign-in"]:not([disabled])').click();
      for (const key of NAME.toUpperCase()) await page.locator(`mb-name-pad button[data-key="${key}"]`).click();
      await page.locator('mb-name-pad button[data-key="next"]').click();
      for (const digit of '4711') await page.locator(`mb-pin-pad button[data-key="${digit}"]`).click();
      await page.locator('mb-pin-pad button[data-key="ok"]').click();
      await page.locator('button[data-action="sign-out"]').click();
      await page.locator('button[data-action="sign-in"]:not([disabled])').waitFor(WAIT);
    };
    const typeJo = async (page: Page): Promise<void> => {
      await page.locator('button[data-action="sign-in"]').click();
      for (const key of 'JO') await page.locator(`mb-name-pad button[data-key="${key}"]`).click();
    };

    for (const isOn of [false, true]) {
      const data = tempDir(`mb-kiosk-names-${isOn ? 'on' : 'off'}-`);
      cleanups.push(() => data.remove());
      addUser(data.path, NAME, 'member', '4711');
      addUser(data.path, 'Joanna', 'member', '1234');
      const daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, sessions: { suggestNames: isOn } } });
      cleanups.push(async () => void (await daemon.stop()));
      const browser = await launchBrowser({ width: 800, height: 480 });
      cleanups.push(() => browser.close());
      const { page } = browser;
      await page.goto(`${daemon.url}/`);
      await signInAndOut(page);
      await typeJo(page);
      // What the daemon answers the kiosk's question, asked the way the kiosk asks it.
      const names = await page.evaluate(async () => {
        const kiosk = document.querySelector('mb-kiosk') as unknown as { api: { names(p: string): Promise<{ names: string[] }> } };
        return (await kiosk.api.names('Jo')).names;
      });
      await shot(page, `kiosk-sign-in-names-${isOn ? 'on' : 'off'}`);
      if (!isOn) {
        expect(names).toEqual([]);
        expect(await page.locator('mb-name-pad [data-name]').count()).toBe(0);
        continue;
      }
      // Joanna never signed in here: only the name that did is offered.
      expect(names).toEqual([NAME]);
      await page.locator(`mb-name-pad button[data-name="${NAME}"]`).click();
      await page.locator('mb-pin-pad').waitFor(WAIT);
      expect(await page.locator('mb-sign-in .who strong').textContent()).toBe(NAME);
    }
  });

  it('keeps the set volume on the staff slider after Pause, not the level the fade ended at', async () => {
    const admin = await adminPage({ prefix: 'mb-kiosk-pause-', heading: 'Music controls' });
    cleanups.push(() => admin.close());
    const state = async (): Promise<StateSnapshot> =>
      ((await (await fetch(`${admin.daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;
    const playing = admin.page.locator('button[data-action="pause"]').first();
    await playing.waitFor(WAIT);
    await expect.poll(async () => (await state()).player.status, WAIT).toBe('playing');
    const volume = (await state()).player.volume;
    expect(volume).toBeGreaterThan(20);
    await playing.click();
    await admin.page.locator('button[data-action="resume"]').first().waitFor(WAIT);
    await expect.poll(async () => (await state()).player.status, WAIT).toBe('paused');
    expect((await state()).player.volume).toBe(volume);
    expect(await admin.page.locator('label.volume output').first().textContent()).toBe(String(volume));
    expect(await admin.page.locator('label.volume input[type="range"]').first().inputValue()).toBe(String(volume));
  });
});
