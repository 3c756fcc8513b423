import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../src/daemon/testing/daemon-process.js';
import { type AdminPage, type Daemon, TEST_CONFIG, WAIT, a11yProblems, adminPage } from './harness.js';

// Guests' requests on the dashboard (issue 31): staff see what guests asked for, never who, and
// take a request out of the queue.

describe("guests' requests for staff", { timeout: 240_000 }, () => {
  let admin: AdminPage;
  let page: Page;
  /** The song a phone asked for before staff signed in. */
  let song: { id: number; title: string } | undefined;

  const guestState = async (
    daemon: Daemon,
  ): Promise<{ suggestions: Array<{ id: number; title: string }>; upNext: Array<{ isGuestRequest: boolean }> }> =>
    (await (await fetch(`${daemon.url}/api/guest/state`, { headers: { origin: daemon.url } })).json()) as {
      suggestions: Array<{ id: number; title: string }>;
      upNext: Array<{ isGuestRequest: boolean }>;
    };

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-admin-guests-',
      heading: 'Dashboard',
      viewport: { width: 1280, height: 900 },
      // A business that turned guests on.
      config: { ...TEST_CONFIG, guests: { requests: 'on' } },
      beforeSignIn: async (daemon) => {
        // The library is still being scanned when the daemon answers; wait for the first suggestions.
        const state = await until(async () => {
          const view = await guestState(daemon);
          return view.suggestions.length > 0 ? view : undefined;
        }, 60_000);
        // A phone asks for a suggestion (the room is calm without a camera; a suggestion fits it).
        song = state.suggestions[0];
        const asked = await fetch(`${daemon.url}/api/guest/requests`, {
          method: 'POST',
          headers: { origin: daemon.url, 'content-type': 'application/json' },
          body: JSON.stringify({ trackId: song?.id }),
        });
        expect(asked.status).toBe(201);
      },
    });
    page = admin.page;
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
  });

  it('lists a request a phone made and takes it out of the queue', async () => {
    expect(song).toBeDefined();
    const title = song?.title ?? '';
    const card = page.locator('mb-guest-requests');
    const item = card.locator('li[data-status="queued"]').filter({ hasText: title });
    await item.waitFor(WAIT);
    expect(await item.textContent()).toContain('In the queue');
    expect(await a11yProblems(page)).toEqual([]);
    await card.getByRole('button', { name: `Take out “${title}”` }).click();
    await card.locator('li[data-status="cleared"]').filter({ hasText: title }).waitFor(WAIT);
    const view = await guestState(admin.daemon);
    expect(view.upNext.filter((u) => u.isGuestRequest)).toEqual([]);
  });

  // Issue 41: a request or a vote reached the dashboard only when the song playing or the next one changed.
  it('shows a request and a vote the moment a phone makes them, with the page left open', async () => {
    const daemon = admin.daemon;
    const next = (await guestState(daemon)).suggestions.find((s) => s.id !== song?.id);
    expect(next).toBeDefined();
    const asked = await fetch(`${daemon.url}/api/guest/requests`, {
      method: 'POST',
      headers: { origin: daemon.url, 'content-type': 'application/json' },
      body: JSON.stringify({ trackId: next?.id }),
    });
    expect(asked.status).toBe(201);
    const { id } = (await asked.json()) as { id: number };
    const card = page.locator('mb-guest-requests');
    const item = card.locator('li[data-status="queued"], li[data-status="waiting"]').filter({ hasText: next?.title ?? '' });
    await item.waitFor(WAIT);
    expect(await item.textContent()).toContain('0 up');
    // Another phone votes for it: nothing else changes, and the dashboard shows the vote.
    const voted = await fetch(`${daemon.url}/api/guest/votes`, {
      method: 'POST',
      headers: { origin: daemon.url, 'content-type': 'application/json' },
      body: JSON.stringify({ on: id, vote: 'up' }),
    });
    expect(voted.status).toBe(200);
    await item.filter({ hasText: '1 up' }).waitFor(WAIT);
  });
});
