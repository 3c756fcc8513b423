import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminPage,
  type Browser,
  type Daemon,
  TEST_CONFIG,
  WAIT,
  adminPage,
  assertBuilt,
  createFirstAdmin,
  launchBrowser,
  saveSettings,
  startDaemon,
  stateWhen,
  tempDir,
} from './harness.js';

// Issue 82, walked again: the wizard refused a video file the Settings took, and when the file then
// named the video, the camera saved in the panel silently won ("Camera unavailable"). One rule, the
// daemon's: the panel chooses the demo or a camera device, the file may name anything, and a panel
// value over the file's says so, with the way back to the file's. A camera device not on the machine
// is said at once (and may still be saved, for a camera plugged in later), and the kiosk calls it a
// camera, never "a file", in its own language.

const ABSENT = '/dev/video57';
const VIDEO = '/srv/cafe/room.mp4';
const PASSPHRASE = 'blue kettle on the shelf';

describe('the camera, one rule in the wizard and in Settings', { timeout: 300_000 }, () => {
  let admin: AdminPage;

  beforeAll(async () => {
    expect(existsSync(ABSENT)).toBe(false);
    admin = await adminPage({
      prefix: 'mb-admin-camera-rule-',
      view: '#settings/camera.source',
      heading: 'Settings',
      config: { ...TEST_CONFIG, camera: { enabled: false, source: VIDEO } },
      before: (dataDir) => saveSettings(dataDir, { camera: { source: ABSENT } }),
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
  });

  it('says a panel camera overrides the file’s, that it is not plugged in, and goes back to the file’s', async () => {
    const { page } = admin;
    const row = page.locator('[data-setting="camera.source"]');
    await row.locator('[data-over-file]').waitFor(WAIT);
    expect(await row.locator('input').inputValue()).toBe(ABSENT);
    expect(await row.locator('[data-over-file]').innerText()).toContain(`Set in the panel; the configuration file says ${VIDEO}.`);
    expect(await row.locator('[data-note]').innerText()).toBe(
      `${ABSENT} does not exist (is the camera plugged in?) It can be saved all the same: Moodbox uses it once the camera is plugged in.`,
    );
    await row.getByRole('button', { name: "Use the file's value" }).click();
    await page
      .locator('[data-result]')
      .filter({ hasText: `Camera device set to ${VIDEO}` })
      .waitFor(WAIT);
    await row.locator('[data-over-file]').waitFor({ state: 'detached', ...WAIT });
    expect(await row.locator('input').inputValue()).toBe(VIDEO);
    expect(await row.locator('[data-note]').count()).toBe(0);
  });

  it('saves a camera device not plugged in with a word, and refuses a file as the wizard does', async () => {
    const { page } = admin;
    const row = page.locator('[data-setting="camera.source"]');
    await row.locator('input').fill('/dev/video58');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-result]').filter({ hasText: 'Camera device set to /dev/video58' }).waitFor(WAIT);
    await row.locator('[data-note]').filter({ hasText: '/dev/video58 does not exist (is the camera plugged in?)' }).waitFor(WAIT);
    expect(await row.locator('[data-over-file]').innerText()).toContain(`the configuration file says ${VIDEO}.`);
    await row.locator('input').fill('/srv/cafe/other.mp4');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await row
      .locator('.error')
      .filter({ hasText: 'The admin panel can choose the demo or a camera device (/dev/video0); files, pipelines and addresses go in' })
      .waitFor(WAIT);
  });
});

describe('the wizard’s camera not on this machine, and the kiosk’s words for it', { timeout: 300_000 }, () => {
  let data: { path: string; remove: () => void };
  let daemon: Daemon;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    data = tempDir('mb-admin-camera-absent-');
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, camera: { enabled: true, source: ABSENT } } });
    browser = await launchBrowser({ width: 1280, height: 800 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data?.remove();
  });

  it('says at the camera step, and in the summary, that the camera is not there, and saves it all the same', async () => {
    const { page } = browser;
    await createFirstAdmin(page, daemon.url, 'Mia', PASSPHRASE);
    await page.getByRole('heading', { name: 'Where is your music?' }).waitFor(WAIT);
    await page.getByRole('button', { name: /^Skip/ }).click();
    await page.getByRole('heading', { name: 'The camera' }).waitFor(WAIT);
    const said = `${ABSENT} does not exist (is the camera plugged in?) It can be saved all the same`;
    await page.locator('[data-note]').filter({ hasText: said }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Save and go on' }).click();
    await page.getByRole('heading', { name: 'Where does it play?' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await page.getByText(`The camera: ${ABSENT}.`).waitFor(WAIT);
    await page.locator('[data-note]').filter({ hasText: said }).waitFor(WAIT);
  });

  it('names a camera device that cannot be opened as a camera on the kiosk, in the kiosk’s language', async () => {
    const state = await stateWhen(daemon, (s) => s.camera.status === 'unavailable' && s.camera.detail !== null);
    expect(state.camera.detail).toContain('(a camera device)');
    expect(state.camera.detail).not.toContain('a file on the box');
    const kiosk = await launchBrowser({ width: 1280, height: 800 }, [], { locale: 'de-DE' });
    try {
      await kiosk.page.goto(`${daemon.url}/`);
      await kiosk.page.getByText('Die Kamera lässt sich nicht öffnen: Ist die Kamera eingesteckt?').waitFor(WAIT);
      expect(await kiosk.page.getByText(/a file on the box|camera source/).count()).toBe(0);
    } finally {
      await kiosk.close();
    }
  });
});
