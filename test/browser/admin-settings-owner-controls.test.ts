import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/ui/i18n/languages.js';
import { type AdminPage, type Daemon, WAIT, a11yProblems, adminPage, freePort, startDaemon } from './harness.js';

// Controls an owner looks for in Settings: a plain "Restart" (asked twice), not only
// after saving a setting that needs one; the Card reader switch shows what was saved (off) while
// that waits for the restart; the kiosk's language is the same list as the guest page's and the
// panel's, not a box for a two-letter code. Started by hand (nothing would start it again), the
// panel offers no restart that cannot come back: it says how to restart by hand, where it offered one.

/** A start by hand: neither systemd nor a supervisor in its environment. */
const BY_HAND = { MOODBOX_SUPERVISED: '0', INVOCATION_ID: '', NOTIFY_SOCKET: '' };
const BY_HAND_WORDS = 'stop it (Ctrl+C where it runs) and start it again with the same command';

describe('the settings an owner looks for', { timeout: 240_000 }, () => {
  let admin: AdminPage;
  let port: number;
  /** The daemon started again after the restart, by hand this time: nothing would restart it. */
  let again: Daemon | undefined;

  beforeAll(async () => {
    port = await freePort();
    admin = await adminPage({ prefix: 'mb-admin-settings-owner-controls-', port, view: '#settings/screens', heading: 'Settings' });
  }, 120_000);

  afterAll(async () => {
    await again?.stop();
    await admin?.close();
  });

  it('shows the Card reader off once saved off, while that waits for a restart', async () => {
    const { page } = admin;
    const reader = page.locator('[data-setting="rfid.enabled"] input[role="switch"]');
    await reader.waitFor(WAIT);
    expect(await reader.isChecked()).toBe(true);
    await reader.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-result]').filter({ hasText: 'takes effect after a restart' }).waitFor(WAIT);
    expect(await reader.isChecked()).toBe(false);
    // Drawn again from the daemon's answer (another tab and back), it stays off.
    await page.getByRole('tab', { name: 'Music' }).click();
    await page.getByRole('tab', { name: 'Screens' }).click();
    expect(await page.locator('[data-setting="rfid.enabled"] input[role="switch"]').isChecked()).toBe(false);
  });

  it('offers the kiosk’s language as a list of languages by their own names', async () => {
    const { page } = admin;
    const select = page.locator('[data-setting="site.language"] select');
    await select.waitFor(WAIT);
    expect(await page.locator('[data-setting="site.language"] input[type="text"]').count()).toBe(0);
    const names = (await select.locator('option').allTextContents()).map((name) => name.trim());
    expect(names).toEqual(['The kiosk browser’s language', ...Object.values(LANGUAGES)]);
    await select.selectOption('de');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-result]').filter({ hasText: 'Saved' }).waitFor(WAIT);
    expect(await select.inputValue()).toBe('de');
  });

  it('says the camera is a default where neither the file nor the panel sets it, and not for the folders the file names', async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Camera' }).click();
    const camera = page.locator('[data-setting="camera.source"]');
    await camera.waitFor(WAIT);
    expect(await camera.locator('[data-default]').textContent()).toContain(
      'The default: neither the configuration file nor this panel sets it.',
    );
    await page.getByRole('tab', { name: 'Music' }).click();
    await page.locator('[data-setting="library.folders"]').waitFor(WAIT);
    expect(await page.locator('[data-setting="library.folders"] [data-default]').count()).toBe(0);
    await page.getByRole('tab', { name: 'Screens' }).click();
  });

  it('restarts Moodbox from a plain button, after a yes', async () => {
    const { page, daemon } = admin;
    const card = page.locator('[data-restart-card]');
    await card.getByRole('button', { name: 'Restart Moodbox…' }).click();
    const confirm = card.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Restart Moodbox now? The music stops for a few seconds.');
    expect(await a11yProblems(page)).toEqual([]);
    // "Cancel" changes nothing.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached', ...WAIT });
    expect(daemon.child.exitCode).toBeNull();

    await card.getByRole('button', { name: 'Restart Moodbox…' }).click();
    await card.getByRole('alertdialog').getByRole('button', { name: 'Restart Moodbox now' }).click();
    // The daemon stops with the code its service manager restarts on; the test starts it again, by
    // hand this time: nothing in its environment says that systemd or a supervisor would.
    expect((await daemon.exited).code).toBe(75);
    again = await startDaemon(daemon.dataDir, { port, env: BY_HAND });
    await page
      .locator('[data-result]')
      .filter({ hasText: 'Moodbox restarted; every saved setting is in effect.' })
      .waitFor({ timeout: 60_000 });
    // What waited for the restart is in effect: the Card reader is off.
    expect(await page.locator('[data-setting="rfid.enabled"] input[role="switch"]').isChecked()).toBe(false);
  });

  it('started by hand, offers no restart that could not come back, and says how to restart by hand', async () => {
    const { page } = admin;
    const card = page.locator('[data-restart-card]');
    await card.locator('[data-restart-by-hand]').filter({ hasText: BY_HAND_WORDS }).waitFor(WAIT);
    expect(await card.getByRole('button').count()).toBe(0);
    // A setting that needs a restart says how, in place of "Restart Moodbox now".
    await page.locator('[data-setting="rfid.enabled"] input[role="switch"]').check();
    await page.getByRole('button', { name: 'Save' }).click();
    const result = page.locator('[data-result]').filter({ hasText: 'takes effect after a restart' });
    await result.waitFor(WAIT);
    expect(await result.textContent()).toContain(BY_HAND_WORDS);
    expect(await page.getByRole('button', { name: 'Restart Moodbox now' }).count()).toBe(0);
    // A restore says, before it is done, that Moodbox stops and is to be started again by hand.
    await page.evaluate(() => {
      window.location.hash = '#backups';
    });
    await page.locator('[data-action="back-up-now"]').click();
    await page
      .getByRole('button', { name: /^Restore the backup of/ })
      .first()
      .click();
    const confirm = page.getByRole('alertdialog');
    await confirm.locator('[data-by-hand]').waitFor(WAIT);
    expect(await confirm.textContent()).toContain('does not start again by itself. Start it again with the same command');
    expect(await a11yProblems(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });
});
