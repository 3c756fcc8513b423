import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, TEST_CONFIG, WAIT, a11yProblems, adminPage } from './harness.js';

// Issue 82: a staff hold of "Sad" was shown to guests as the room's mood, with a sad face, while
// the camera read something else. The guest page shows the room's own reading as the room's mood
// (here the camera is off: there is none), and the hold as what the staff chose.

describe('the guest page while staff hold the music to a mood', { timeout: 180_000 }, () => {
  let admin: AdminPage;

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-guest-room-mood-',
      heading: 'Music controls',
      config: { ...TEST_CONFIG, guests: { requests: 'on' } },
    });
  }, 120_000);

  afterAll(() => admin?.close());

  it('does not show the hold as the room’s mood, and says the staff chose it', async () => {
    const { page, daemon, browser } = admin;
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('/api/admin/session')).json()) as { csrfToken: string };
      const answer = await fetch('/api/admin/mood/hold', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ label: 'sad', minutes: 30 }),
      });
      return answer.status;
    });
    expect(status).toBe(200);

    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${daemon.url}/guest`);
    const mood = phone.locator('.mood').filter({ hasText: /The staff chose .* for now/ });
    await mood.waitFor(WAIT);
    // The camera reads nothing here: no face and no mood name stands for the room.
    expect(await mood.getAttribute('data-mood')).not.toBe('sad');
    expect(await phone.locator('mb-mood-face').count()).toBe(0);
    expect(await mood.textContent()).not.toContain('Sad');
    expect(await mood.locator('[data-held]').textContent()).toMatch(/^The staff chose .* for now$/);
    expect(await a11yProblems(phone)).toEqual([]);
    await phone.close();
  });
});
