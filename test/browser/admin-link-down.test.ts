import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, WAIT, a11yProblems, adminPage, boxOf } from './harness.js';

// Issue 82: with the daemon stopped, the dashboard's top still said "Playing", with the old mood
// and "camera on"; the only sign was far down ("Live link to the daemon is down"), followed by
// "Everything works.". Now the top says the link is down, what plays and the room are not shown as
// current, and Health says nothing works or not.

describe('the dashboard once the daemon has stopped', { timeout: 180_000 }, () => {
  let admin: AdminPage;

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-link-down-', heading: 'Music controls' });
  }, 120_000);

  afterAll(() => admin?.close());

  it('says so at the top, and shows no stale song, mood, camera or "Everything works"', async () => {
    const { page, daemon } = admin;
    const dashboard = page.locator('mb-admin-dashboard');
    // Live: the health of the parts is known, and a song plays.
    await dashboard
      .locator('mb-admin-health [data-summary]')
      .filter({ hasText: /Everything works|needs? attention/ })
      .waitFor(WAIT);
    await expect
      .poll(async () => ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data.player.status, WAIT)
      .toBe('playing');
    await dashboard.locator('mb-now-playing-card').waitFor(WAIT);

    await daemon.stop();

    const down = dashboard.locator('[data-link-down]');
    await down.waitFor(WAIT);
    expect(await down.textContent()).toContain('Live link to the daemon is down');
    // At the top: above the fold of a 800 px screen, right under the title.
    expect((await boxOf(down)).y).toBeLessThan(300);
    expect(await dashboard.locator('mb-now-playing-card').isVisible()).toBe(false);
    expect(await dashboard.locator('mb-staff-controls').isVisible()).toBe(false);
    const room = dashboard.locator('[data-room-mood]');
    expect(await room.getAttribute('data-room-mood')).toBe('unknown');
    expect(await room.textContent()).toBe('Not known while the live link is down.');
    expect(await dashboard.getByText('camera off', { exact: false }).count()).toBe(0);
    expect(await dashboard.locator('mb-admin-health').textContent()).not.toContain('Everything works');
    expect(await dashboard.locator('mb-admin-health [data-summary]').textContent()).toBe(
      'Not known while the live link to Moodbox is down.',
    );
    expect(await a11yProblems(page)).toEqual([]);
  });
});
