import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, TEST_CONFIG, WAIT, adminPage, saveSettings } from './harness.js';

// Issue 82, walked again: changing quiet hours' times said "Player: from set to 12:00, Player: to
// set to 13:30" where ticking the box said "Quiet hours (no music) set to 22:00–07:00": a changed
// part of a setting is named as the setting. And the kiosk's language, a list now, is explained as
// one, not as "a two-letter code".

describe('Settings name what changed as the form names it', { timeout: 240_000 }, () => {
  let admin: AdminPage;

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-admin-settings-names-',
      view: '#settings/player.quietHours',
      heading: 'Settings',
      config: TEST_CONFIG,
      before: (dataDir) => saveSettings(dataDir, { player: { quietHours: { from: '22:00', to: '07:00' } } }),
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
  });

  it('names quiet hours whose times changed as quiet hours, with both times', async () => {
    const { page } = admin;
    const hours = page.locator('[data-setting="player.quietHours"]');
    await hours.locator('input[type="time"]').first().fill('12:00');
    await hours.locator('input[type="time"]').last().fill('13:30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const result = page.locator('[data-result]');
    await result.filter({ hasText: 'Saved and in effect: Quiet hours (no music) set to 12:00–13:30.' }).waitFor(WAIT);
    expect(await result.innerText()).not.toMatch(/Player: (from|to)/);
  });

  it('explains the kiosk’s language as the list it is', async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: /^Screens/ }).click();
    const help = page.locator('[data-setting="site.language"] .help');
    await help.waitFor(WAIT);
    expect(await help.innerText()).toContain('The language the kiosk speaks, chosen from the list: each language by its own name');
    expect(await help.innerText()).not.toContain('a two-letter code (en');
  });
});
