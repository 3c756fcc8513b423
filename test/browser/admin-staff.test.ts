import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPlayer, StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, type Browser, type Daemon, WAIT, a11yProblems, adminPage, shot } from './harness.js';

// Staff controls on the dashboard and the staff bar, against the real daemon and mpv (--ao=null) (issue 16).

async function cookieHeader(browser: Browser): Promise<string> {
  return (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('staff controls of the music', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;

  /** The player as the screens see it (the state every screen renders from). */
  const player = async (): Promise<StateSnapshot['player']> =>
    ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data.player;
  const staff = async (): Promise<StaffPlayer> =>
    (await (await fetch(`${daemon.url}/api/admin/player`, { headers: { cookie: await cookieHeader(browser) } })).json()) as StaffPlayer;
  const controls = () => page.locator('mb-admin-dashboard mb-staff-controls');

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-staff-', heading: 'Music controls' });
    ({ daemon, browser, page } = admin);
  }, 120_000);

  afterAll(() => admin?.close());

  it('pauses from the dashboard until staff press Play, and the player says so', async () => {
    await expect.poll(async () => (await player()).status, WAIT).toBe('playing');
    await controls().getByRole('button', { name: 'Pause' }).click();
    await expect.poll(async () => (await player()).status, WAIT).toBe('paused');
    await controls().getByRole('status').filter({ hasText: 'Paused until you press Play.' }).waitFor(WAIT);
    expect(await staff()).toMatchObject({ isPausedByStaff: true, silence: 'paused by staff' });
    expect(await controls().getByRole('button', { name: 'Skip' }).isDisabled()).toBe(true);
    await shot(page, 'admin-dashboard-paused');
    expect(await a11yProblems(page)).toEqual([]);

    await controls().getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => (await player()).status, WAIT).toBe('playing');
    expect((await staff()).isPausedByStaff).toBe(false);
  });

  it('skips to another song and sets the volume with the slider', async () => {
    const before = (await player()).nowPlaying?.id;
    expect(before).toBeDefined();
    await controls().getByRole('button', { name: 'Skip' }).click();
    await expect.poll(async () => (await player()).nowPlaying?.id, WAIT).not.toBe(before);
    await controls().getByRole('status').filter({ hasText: 'Skipped' }).waitFor(WAIT);

    const slider = controls().getByRole('slider', { name: 'Volume' });
    await slider.focus();
    await slider.fill('40');
    await expect.poll(async () => (await player()).volume, WAIT).toBe(40);
    expect((await staff()).wantedVolume).toBe(40);
    // The keyboard works too: one step down, of 5 (issue 58).
    await slider.press('ArrowLeft');
    await expect.poll(async () => (await player()).volume, WAIT).toBe(35);
  });

  it('holds a mood for a chosen time, shows it, and lets it go', async () => {
    await controls().locator('select[name="mood"]').selectOption('happy');
    await controls().locator('select[name="minutes"]').selectOption('30');
    await controls().getByRole('button', { name: 'Hold this mood' }).click();
    const held = controls().locator('[data-held="happy"]');
    await held.waitFor(WAIT);
    expect(await held.textContent()).toMatch(/Playing for\s+Happy\s+\(upbeat music\) until/);
    const hold = (await staff()).hold;
    expect(hold?.label).toBe('happy');
    await shot(page, 'admin-dashboard-held');
    expect(await a11yProblems(page)).toEqual([]);

    // The staff bar on every other page shows the hold and the same controls.
    await page.getByRole('link', { name: 'History' }).click();
    const bar = page.locator('mb-staff-controls[compact]');
    await bar.locator('[data-held="happy"]').waitFor(WAIT);
    await shot(page, 'admin-staff-bar');
    expect(await a11yProblems(page)).toEqual([]);
    // The buttons shown (on a wide screen the bar's "Controls" toggle is not: the controls are always open there).
    for (const box of await bar
      .locator('button:visible')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(40);
    }
    // The camera is off on this box: the button ends the hold, it does not promise to follow a camera.
    expect(await bar.getByRole('button', { name: 'Follow the camera again' }).count()).toBe(0);
    await bar.getByRole('button', { name: 'End the hold' }).click();
    await bar.locator('[data-held]').waitFor({ state: 'detached', ...WAIT });
    expect((await staff()).hold).toBeNull();
  });

  it('writes every staff action to the audit log', async () => {
    const actions = ['player.pause', 'player.resume', 'player.skip', 'player.volume', 'mood.hold', 'mood.release'];
    // The log is written as each answer goes out: wait for the last one before the page reads it.
    await expect
      .poll(async () => {
        const text = await (await fetch(`${daemon.url}/api/admin/audit`, { headers: { cookie: await cookieHeader(browser) } })).text();
        return actions.filter((action) => !text.includes(`"${action}"`));
      }, WAIT)
      .toEqual([]);
    await page.getByRole('link', { name: 'Audit log' }).click();
    for (const action of actions) {
      await page.locator(`tr[data-action="${action}"]`).first().waitFor(WAIT);
    }
  });
});
