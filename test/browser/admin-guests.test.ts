import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  TEST_CONFIG,
  WAIT,
  a11yProblems,
  addUser,
  assertBuilt,
  launchBrowser,
  signInToAdmin,
  startDaemon,
  tempDir,
} from './harness.js';

// Guests' requests on the dashboard (issue 31): staff see what guests asked for, never who, and
// take a request out of the queue.

describe("guests' requests for staff", { timeout: 240_000 }, () => {
  const data = tempDir('mb-admin-guests-');
  let daemon: Daemon;
  let browser: Browser;
  let admin: Page;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    // A business that turned guests on.
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, guests: { requests: 'on' } } });
    browser = await launchBrowser({ width: 1280, height: 900 });
    admin = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('lists a request a phone made and takes it out of the queue', async () => {
    // A phone asks for a suggestion (the room is calm without a camera; a suggestion fits it).
    const headers = { origin: daemon.url, 'content-type': 'application/json' };
    // The library is still being scanned when the daemon answers; wait for the first suggestions.
    const guestState = async (): Promise<{ suggestions: Array<{ id: number; title: string }> }> =>
      (await (await fetch(`${daemon.url}/api/guest/state`, { headers })).json()) as {
        suggestions: Array<{ id: number; title: string }>;
      };
    const deadline = Date.now() + 60_000;
    let state = await guestState();
    while (state.suggestions.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      state = await guestState();
    }
    const song = state.suggestions[0];
    expect(song).toBeDefined();
    const asked = await fetch(`${daemon.url}/api/guest/requests`, { method: 'POST', headers, body: JSON.stringify({ trackId: song?.id }) });
    expect(asked.status).toBe(201);

    await signInToAdmin(admin, `${daemon.url}/admin`, 'Root', PASSPHRASE, 'Dashboard');
    const card = admin.locator('mb-guest-requests');
    const item = card.locator('li[data-status="queued"]').filter({ hasText: song?.title ?? '' });
    await item.waitFor(WAIT);
    expect(await item.textContent()).toContain('In the queue');
    expect(await a11yProblems(admin)).toEqual([]);
    await card.getByRole('button', { name: `Take “${song?.title ?? ''}” out of the queue` }).click();
    await card
      .locator('li[data-status="cleared"]')
      .filter({ hasText: song?.title ?? '' })
      .waitFor(WAIT);
    const view = (await (await fetch(`${daemon.url}/api/guest/state`, { headers })).json()) as {
      upNext: Array<{ isGuestRequest: boolean }>;
    };
    expect(view.upNext.filter((u) => u.isGuestRequest)).toEqual([]);
  });
});
