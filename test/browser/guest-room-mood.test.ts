import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, TEST_CONFIG, WAIT, a11yProblems, adminPage } from './harness.js';

// Issue 82: a staff hold of "Sad" was shown to guests as the room's mood, with a sad face, while
// the camera read something else; then the header said the camera's "Neutral" above "the staff
// chose upbeat music", while the music followed the hold. The header says what the music
// follows: the mood of the music staff chose, and that it is their choice (kiosk-guests.test.ts
// checks it with the camera reading the room).

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

  it('says the mood of the music staff chose, as their choice, and not the hold as the room’s mood', async () => {
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
    const state = (await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot };
    const music = state.data.mood.held?.music ?? '';
    expect(music).not.toBe('');

    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${daemon.url}/guest`);
    const mood = phone.locator('.mood');
    await mood.locator('[data-held]').waitFor(WAIT);
    expect(await mood.getAttribute('data-mood')).toBe(music);
    expect((await mood.innerText()).trim()).toBe(`${music.charAt(0).toUpperCase()}${music.slice(1)} · chosen by staff`);
    expect(await mood.textContent()).not.toContain('The staff chose');
    expect(await a11yProblems(phone)).toEqual([]);
    await phone.close();
  });
});
