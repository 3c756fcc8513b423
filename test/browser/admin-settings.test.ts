import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisionSchema } from '../../src/daemon/config/schema.js';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, type Browser, type Daemon, WAIT, a11yProblems, adminPage, boxOf, shot } from './harness.js';

// The settings page as a designed form built from the schema (issue 16).

describe('the settings form', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;
  const setting = (id: string) => page.locator(`[data-setting="${id}"]`);
  /** Shows the settings' tab of this name. */
  const tab = async (name: string) => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tabpanel', { name }).waitFor(WAIT);
  };
  const player = async (): Promise<StateSnapshot['player']> =>
    ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data.player;

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-settings-', view: '#settings', heading: 'Settings' });
    ({ daemon, browser, page } = admin);
  }, 120_000);

  afterAll(() => admin?.close());

  it('points at the Backups page, where backups are made, downloaded and restored (admin-backups.test.ts)', async () => {
    const link = page.locator('[data-backups] a[data-action="backups"]');
    await link.waitFor(WAIT);
    expect(await link.textContent()).toBe('Back up, download or restore');
    expect(await link.getAttribute('href')).toBe('#backups');
  });

  it('groups the settings by task in tabs, with human labels, proper widgets and help without raw backticks; Advanced is its own tab', async () => {
    await setting('player.maxVolume').waitFor(WAIT);
    // One tab per task (issue 58), Music shown first; the tabs' panel is the only group drawn.
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Music', 'Guests', 'Camera', 'Screens', 'Network', 'Advanced']);
    expect(await page.getByRole('tab', { name: 'Music' }).getAttribute('aria-selected')).toBe('true');
    const groups = await page.locator('[data-group]').evaluateAll((els) => els.map((el) => el.getAttribute('data-group')));
    expect(groups).toEqual(['music']);
    expect(await setting('player.maxVolume').locator('label').first().textContent()).toContain('Maximum volume');
    expect(await setting('player.maxVolume').getAttribute('data-widget')).toBe('slider');
    // A wide range with a step of its own: the crossfade is a slider of whole seconds, in ms; volume moves by 5.
    expect(await setting('player.crossfadeMs').locator('label').first().textContent()).toContain('Crossfade between songs');
    expect(await setting('player.crossfadeMs').getByRole('slider').getAttribute('step')).toBe('1000');
    expect(await setting('player.maxVolume').getByRole('slider').getAttribute('step')).toBe('5');
    expect(await setting('player.idle.behaviour').locator('select option').allTextContents()).toContain('Stop the music');
    expect(await setting('player.quietHours').getAttribute('data-widget')).toBe('hours');
    expect(await setting('library.folders').getAttribute('data-widget')).toBe('folders');
    // The dashboard's library warnings send the owner to Settings → Music: “Listen to every local track” (issue 38: no such label was there).
    const listen = page.locator('[data-group="music"] [data-setting="library.analyze"]');
    expect(await listen.locator('label').first().textContent()).toContain('Listen to every local track');
    const help = await page.locator('.help').allTextContents();
    expect(help.length).toBeGreaterThan(20);
    for (const text of help) expect(text).not.toContain('`');
    expect(await setting('ws.pingIntervalMs').count()).toBe(0);
    await shot(page, 'admin-settings-form');
    expect(await a11yProblems(page)).toEqual([]);
    // The arrow keys move between the tabs, and show each.
    await page.getByRole('tab', { name: 'Music' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tabpanel', { name: 'Guests' }).waitFor(WAIT);
    expect(await page.getByRole('tab', { name: 'Guests' }).evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('End');
    await setting('ws.pingIntervalMs').waitFor({ state: 'attached', ...WAIT });
    // Advanced is a list of closed topics.
    expect(await setting('ws.pingIntervalMs').isVisible()).toBe(false);
    await page.keyboard.press('Home');
    await setting('player.maxVolume').waitFor(WAIT);
  });

  it('shows a field error beside the field, and clears it when fixed', async () => {
    await tab('Screens');
    const field = setting('sessions.kioskIdleTimeoutS');
    await field.locator('input').fill('5');
    await field.locator('.error').filter({ hasText: 'Enter at least 10.' }).waitFor(WAIT);
    expect(await page.locator('[data-result]').textContent()).toContain('Fix 1 field first.');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    // The tab says it holds a change to fix, from any other tab.
    await tab('Music');
    expect(await page.getByRole('tab', { name: /^Screens\W+to fix$/ }).count()).toBe(1);
    await tab('Screens');
    // Beside the field: the error sits in the field's own row, under its input.
    const [input, error] = await Promise.all([boxOf(field.locator('input')), boxOf(field.locator('.error'))]);
    expect(Math.abs(error.x - input.x)).toBeLessThan(4);
    expect(error.y - (input.y + input.height)).toBeLessThan(40);
    await shot(page, 'admin-settings-field-error');
    await field.locator('input').fill('90');
    await field.locator('.error').waitFor({ state: 'detached', ...WAIT });
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('refuses what the schema refuses in the browser, before the daemon is asked: -5 frames per second', async () => {
    await tab('Camera');
    const fps = setting('vision.analysisFps');
    await fps.locator('input').fill('-5');
    await fps.locator('.error').filter({ hasText: 'Enter a number above 0.' }).waitFor(WAIT);
    expect(await fps.locator('input').getAttribute('aria-invalid')).toBe('true');
    // The input's own limits are the schema's: above 0 (the form says so), at most its maximum.
    expect(await fps.locator('input').getAttribute('max')).toBe(
      String((VisionSchema.properties.analysisFps as { maximum?: number }).maximum),
    );
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    await fps.locator('input').fill('0');
    await fps.locator('.error').filter({ hasText: 'Enter a number above 0.' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await fps.locator('.error').waitFor({ state: 'detached', ...WAIT });
  });

  it("shows the daemon's refusal beside the field it names, and says at the save bar what to change", async () => {
    const camera = setting('camera.source');
    await camera.locator('input').fill('/home/kiosk/clip.mp4');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const error = camera.locator('.error');
    await error.filter({ hasText: 'files, pipelines and addresses go in the configuration file' }).waitFor(WAIT);
    expect(await camera.locator('input').getAttribute('aria-invalid')).toBe('true');
    // The save bar keeps the refusal in view (not the count of unsaved changes), naming the setting.
    const result = page.locator('[data-result]');
    expect(await result.textContent()).toContain('Not saved. Change this setting (marked): Camera device.');
    expect(await result.getAttribute('class')).toBe('error');
    const [input, box] = await Promise.all([boxOf(camera.locator('input')), boxOf(error)]);
    expect(Math.abs(box.x - input.x)).toBeLessThan(4);
    expect(box.y - (input.y + input.height)).toBeLessThan(40);
    await shot(page, 'admin-settings-refused');
    // Changing the field again takes the daemon's word back until the next save.
    await camera.locator('input').fill('demo');
    await error.waitFor({ state: 'detached', ...WAIT });
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('says what a switch was set to: the camera turned off reads "off"', async () => {
    await tab('Camera');
    const camera = setting('camera.enabled');
    expect(await camera.locator('label').first().textContent()).toContain('Use the camera');
    await camera.getByRole('switch').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-result]').filter({ hasText: 'Saved and in effect: Use the camera set to on.' }).waitFor(WAIT);
    await camera.getByRole('switch').uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-result]').filter({ hasText: 'Saved and in effect: Use the camera set to off.' }).waitFor(WAIT);
  });

  it('words the help for staff: choices by their labels, times without null, durations in seconds', async () => {
    await tab('Music');
    const idle = await setting('player.idle.behaviour').locator('.help').textContent();
    expect(idle).toContain('“Play calm music, quietly”');
    expect(idle).not.toMatch(/\b(quiet|lower|silence)\b,? /);
    const quiet = await setting('player.quietHours').locator('.help').textContent();
    expect(quiet).not.toContain('null');
    expect(quiet).toContain('untick the box for none');
    await tab('Camera');
    const dwell = setting('mood.dwellMs');
    expect(await dwell.locator('.help').textContent()).not.toContain('(ms)');
    // Typed in seconds, kept in ms: 3000 ms reads 3, its limit is said in seconds (issue 58).
    expect(await dwell.locator('.field').textContent()).toContain('seconds');
    expect(await dwell.locator('input').inputValue()).toBe('3');
    await dwell.locator('input').fill('700');
    await dwell.locator('.error').filter({ hasText: 'Enter at most 600 seconds.' }).waitFor(WAIT);
    await dwell.locator('input').fill('3');
    await dwell.locator('.error').waitFor({ state: 'detached', ...WAIT });
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('names other settings by their labels, never by their keys, in the groups an owner uses (issue 58)', async () => {
    const help: string[] = [];
    const labels: string[] = [];
    for (const name of ['Music', 'Guests', 'Camera', 'Screens', 'Network']) {
      await tab(name);
      help.push(...(await page.locator('[data-group] .help').allTextContents()));
      labels.push(...(await page.locator('[data-group] [data-setting] label').allTextContents()));
    }
    // A setting's key (guests.waitMin, server.host, a sibling's fadeMs) or the plane's axes are not an owner's words.
    const keys = [...help, ...labels].filter((text) =>
      /\b(?:player|guests|server|mood|camera|library|music|site|sessions|rfid|vision|log|ws|mqtt|spotify|memory|retention)\.[a-z][A-Za-z]+\b|\b[a-z]{2,}[A-Z][A-Za-z]*\b|valence|arousal|\(ms\)/.test(
        text,
      ),
    );
    expect(keys).toEqual([]);
    await tab('Guests');
    expect(await setting('guests.approval').locator('.help').textContent()).toContain('“A song that does not fit the room waits at most”');
    // Words with a dot that are no setting stay as written.
    await tab('Music');
    expect(await setting('player.quietHours').locator('.help').textContent()).toContain('e.g.');
  });

  it('saves a choice that takes effect at once, with the result beside the Save button', async () => {
    await expect.poll(async () => (await player()).volume, WAIT).toBe(70);
    const slider = setting('player.maxVolume').getByRole('slider');
    await slider.fill('30');
    expect(await page.locator('[data-result]').textContent()).toContain('1 unsaved change');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-result]').filter({ hasText: 'Saved and in effect: Maximum volume set to 30.' }).waitFor(WAIT);
    await expect.poll(async () => (await player()).volume, WAIT).toBe(30);
  });

  it('offers a restart after saving a setting that needs one, and sets quiet hours with time pickers', async () => {
    const hours = setting('player.quietHours');
    await hours.getByRole('checkbox').check();
    await hours.locator('input[type="time"]').first().fill('23:30');
    await tab('Camera');
    await setting('vision.preview').getByRole('switch').check();
    // Both tabs mark their unsaved changes; one Save saves both.
    expect(await page.getByRole('tab', { name: /^(Music|Camera)\W+changed$/ }).count()).toBe(2);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-result]').filter({ hasText: 'takes effect after a restart: Keep a blurred live view' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Restart Moodbox now' }).waitFor(WAIT);
    const saved = (await (
      await fetch(`${daemon.url}/api/admin/settings`, {
        headers: { cookie: (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
      })
    ).json()) as { overrides: { player?: { quietHours?: unknown } } };
    expect(saved.overrides.player?.quietHours).toEqual({ from: '23:30', to: '07:00' });
    await tab('Advanced');
    await page.locator('details[data-part="screenConnections"] summary').click();
    await setting('ws.pingIntervalMs').waitFor(WAIT);
    await shot(page, 'admin-settings-saved');
    await page.setViewportSize({ width: 1280, height: 3000 });
    await shot(page, 'admin-settings-full');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await a11yProblems(page)).toEqual([]);
  });
});
