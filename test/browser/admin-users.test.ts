import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, WAIT, a11yProblems, addUser, adminPage, shot } from './harness.js';

// The users page as a table with each person's sign-in status, a dialog per person, and "tap a card now"
// that says at once when no reader is there and can be cancelled (issue 16, item 8).

describe('users table', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  beforeAll(async () => {
    // The test machine has no card reader: the daemon looks for one and finds none.
    admin = await adminPage({
      prefix: 'mb-admin-users-table-',
      view: '#users',
      before: (dir) => {
        addUser(dir, 'Bob', 'member', '1357');
        addUser(dir, 'Bea', 'member', '2468');
      },
    });
    page = admin.page;
    await page.locator('tr[data-user="Bob"]').waitFor(WAIT);
  }, 120_000);

  afterAll(() => admin?.close());

  it('lists people with PIN, cards, last seen and plays, and finds them by name', async () => {
    const bob = page.locator('tr[data-user="Bob"]');
    expect(await bob.locator('[data-cell="pin"]').textContent()).toBe('Yes');
    expect(await bob.locator('[data-cell="cards"]').textContent()).toBe('None');
    expect((await bob.locator('[data-cell="seen"]').textContent())?.trim()).toBe('never');
    expect(await bob.locator('[data-cell="plays"]').textContent()).toBe('0');
    // Root signed in just now: seen today.
    expect((await page.locator('tr[data-user="Root"] [data-cell="seen"]').textContent())?.trim()).not.toBe('never');
    await page.getByLabel('Find a person').fill('b');
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBe(2);
    await page.getByLabel('Find a person').fill('bo');
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBe(1);
    await page.getByLabel('Find a person').fill('');
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBe(3);
    await shot(page, 'admin-users-table');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('warns that a person added without a PIN or card cannot sign in, and sets them up in their dialog', async () => {
    const add = page.getByRole('form', { name: 'Add a person' });
    await add.getByLabel('Name').fill('Dana');
    await add.getByRole('button', { name: 'Add person' }).click();
    const warning = add.getByRole('status').filter({ hasText: 'Added Dana, but they cannot sign in yet: give them a PIN or link a card.' });
    await warning.waitFor(WAIT);
    expect(await page.locator('tr[data-user="Dana"] [data-cannot-sign-in]').count()).toBe(1);
    await warning.getByRole('button', { name: 'Set up Dana' }).click();
    const dana = page.locator('dialog[data-user="Dana"]');
    await dana.waitFor(WAIT);

    // No reader on this machine: the dialog says so, and tapping a card is refused at once, without a countdown.
    await dana.locator('[data-reader="absent"]').filter({ hasText: 'No card reader is plugged in.' }).waitFor(WAIT);
    await dana.getByRole('button', { name: 'Tap a card now' }).click();
    await dana
      .getByRole('alert')
      .filter({ hasText: 'No card reader is plugged in. Plug one into the box, or type the card’s ID instead.' })
      .waitFor(WAIT);
    expect(await dana.locator('[data-countdown]').count()).toBe(0);
    await shot(page, 'admin-users-no-reader');

    await dana.getByLabel('Card ID').fill('0004417733');
    await dana.getByRole('button', { name: 'Link card' }).click();
    await dana.locator('li[data-card="0004417733"]').waitFor(WAIT);
    await dana.getByRole('button', { name: 'Close' }).click();
    await dana.waitFor({ state: 'detached', ...WAIT });
    expect(await page.locator('tr[data-user="Dana"] [data-cell="cards"]').textContent()).toBe('1');
    expect(await page.locator('tr[data-user="Dana"] [data-cannot-sign-in]').count()).toBe(0);
  });

  it('counts down while waiting for a card on a reader, and the wait can be cancelled', async () => {
    // The one faked part: a card reader plugged into the box. Its state and its wait are answered
    // here; the cancel goes to the daemon.
    let held: Route | undefined;
    await page.route('**/api/admin/cards/reader', (route) =>
      route.fulfill({ json: { status: 'connected', detail: null, capturing: false } }),
    );
    await page.route('**/api/admin/cards/capture', async (route) => {
      if (route.request().method() === 'POST') held = route;
      else {
        await route.continue();
        await held?.fulfill({ status: 409, json: { error: { code: 'MB_ERR_CONFLICT', message: 'The wait for a card was cancelled.' } } });
      }
    });
    await page.getByRole('button', { name: 'Edit Bob' }).click();
    const bob = page.locator('dialog[data-user="Bob"]');
    await bob.getByRole('button', { name: 'Tap a card now' }).click();
    const countdown = bob.locator('[data-countdown]');
    await countdown.waitFor(WAIT);
    expect(await countdown.textContent()).toMatch(/^(20|19) s$/);
    await countdown.filter({ hasText: /^1[0-8] s$/ }).waitFor(WAIT);
    await shot(page, 'admin-users-tap-card');
    await bob.getByRole('button', { name: 'Cancel' }).click();
    await bob.getByRole('status').filter({ hasText: 'Stopped waiting for a card.' }).waitFor(WAIT);
    expect(await countdown.count()).toBe(0);
    expect(await bob.getByRole('alert').count()).toBe(0);
    await page.unrouteAll();
  });
});
