import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  TEST_CONFIG,
  WAIT,
  a11yProblems,
  assertBuilt,
  launchBrowser,
  saveSettings,
  startDaemon,
  tempDir,
} from './harness.js';

// Issue 82: the demo's sign-in page did not show the demo's credentials (the README does), and its
// "No one can sign in?" gave the installed service's /etc/moodbox commands. In demo mode the page
// names the demo's admin and its first passphrase, and the demo's own commands.

describe('the admin sign-in of the demo', { timeout: 120_000 }, () => {
  const data = tempDir('mb-admin-demo-sign-in-');
  let daemon: Daemon;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    // Demo mode (no configuration file), with what the browser tests run instead of the camera and speakers.
    saveSettings(data.path, { ...TEST_CONFIG });
    daemon = await startDaemon(data.path, { config: null });
    browser = await launchBrowser({ width: 390, height: 844 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('names the demo’s admin and passphrase, and the demo’s own commands where no one can sign in', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/admin`);
    await page
      .locator('[data-demo-admin]')
      .filter({
        hasText: 'This is the demo: its admin is admin, with the passphrase moodbox-demo-admin until the first sign-in chooses a new one.',
      })
      .waitFor(WAIT);
    await page.getByText('No one can sign in?').click();
    const help = await page.locator('[data-recover]').innerText();
    expect(help).toMatch(
      /In demo mode[\s\S]*node dist\/daemon\/cli\.js user add NAME --role admin[\s\S]*node dist\/daemon\/cli\.js user pin NAME/,
    );
    expect(help).not.toMatch(/\/etc\/moodbox|sudo/);
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('tells a member who tries the panel that members sign in at the kiosk, without saying whether the name is known', async () => {
    const { page } = browser;
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Passphrase').fill('1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({
        hasText: 'That name and passphrase or PIN do not match anyone who may use the panel. Members sign in at the kiosk, with their PIN.',
      })
      .waitFor(WAIT);
  });

  it('signs in with what it names', async () => {
    const { page } = browser;
    await page.getByLabel('Name').fill('admin');
    await page.getByLabel('Passphrase').fill('moodbox-demo-admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new passphrase' }).waitFor(WAIT);
  });
});
