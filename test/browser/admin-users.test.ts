import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, WAIT, a11yProblems, addUser, adminPage, launchBrowser, shot, signInToAdmin } from './harness.js';

// The users page as a table with each person's sign-in status, a dialog per person, and "tap a card now"
// that says at once when no reader is there and can be cancelled (issue 16, item 8); the owner makes
// someone staff, who get the music and a shift's pages in the panel, and no more.

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

  it('makes a person staff as they are added and another in their dialog; staff see a shift’s pages, and the owner’s page says it is not theirs', async () => {
    // Bob's dialog, left open by the test before, closes first.
    await page.locator('dialog[data-user="Bob"]').getByRole('button', { name: 'Close' }).click();
    const add = page.getByRole('form', { name: 'Add a person' });
    await add.getByLabel('Name').fill('Sam');
    await add.getByLabel('Role').selectOption('staff');
    await add.getByLabel('PIN or passphrase').fill('2580');
    await add.getByRole('button', { name: 'Add person' }).click();
    await add.getByRole('status').filter({ hasText: 'Added Sam.' }).waitFor(WAIT);
    expect(await page.locator('tr[data-user="Sam"] [data-cell="role"]').textContent()).toBe('Staff');

    await page.getByRole('button', { name: 'Edit Bea' }).click();
    const bea = page.locator('dialog[data-user="Bea"]');
    const role = bea.getByRole('form', { name: 'Role of Bea' }).getByLabel('Role');
    expect(await role.inputValue()).toBe('member');
    await role.selectOption('staff');
    await bea.getByRole('button', { name: 'Change role' }).click();
    await bea.getByRole('status').filter({ hasText: 'Bea is staff now.' }).waitFor(WAIT);
    await bea.getByRole('button', { name: 'Close' }).click();
    await bea.waitFor({ state: 'detached', ...WAIT });
    expect(await page.locator('tr[data-user="Bea"] [data-cell="role"]').textContent()).toBe('Staff');

    // Sam signs in to the panel with the PIN they use at the kiosk, on a laptop.
    const laptop = await launchBrowser({ width: 1280, height: 800 });
    try {
      const staff = laptop.page;
      await staff.goto(`${admin.daemon.url}/admin`);
      await staff.getByText('Staff: type your PIN here.').waitFor(WAIT);
      await signInToAdmin(staff, `${admin.daemon.url}/admin`, 'Sam', '2580', 'Dashboard');
      const sections = staff.getByRole('navigation', { name: 'Sections' }).getByRole('link');
      expect(await sections.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
        '#dashboard',
        '#guests',
        '#blocked',
        '#history',
      ]);
      await staff.locator('mb-admin-dashboard mb-staff-controls').getByRole('button', { name: 'Skip' }).waitFor(WAIT);
      expect(await staff.locator('mb-disk-use').count()).toBe(0);
      await shot(staff, 'admin-staff-dashboard');

      await staff.getByRole('link', { name: 'Blocked music' }).click();
      await staff.getByRole('textbox', { name: 'Artist' }).fill('The Night Owls');
      await staff.getByRole('button', { name: 'Block artist' }).click();
      await staff.getByRole('list', { name: 'Blocked songs and artists' }).getByText('The Night Owls').waitFor(WAIT);
      expect(await staff.getByRole('link', { name: 'Change this in Settings' }).count()).toBe(0);

      // Settings opened by its address: the page says plainly it is the owner's, and the daemon refuses its calls.
      await staff.goto(`${admin.daemon.url}/admin#settings`);
      const refused = staff.locator('[data-staff-refused]');
      await refused.getByRole('heading', { name: 'This page is for an admin' }).waitFor(WAIT);
      expect(await refused.textContent()).toContain('Settings, people, backups and updates are the owner’s; ask an admin.');
      expect(await staff.locator('mb-admin-settings').count()).toBe(0);
      const cookie = (await laptop.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const settings = await fetch(`${admin.daemon.url}/api/admin/settings`, { headers: { cookie } });
      expect(settings.status).toBe(403);
      expect(((await settings.json()) as { error: { message: string } }).error.message).toBe(
        'Only an admin may do this: staff have the music and the guests. Ask the owner.',
      );
      await shot(staff, 'admin-staff-refused');
      expect(await a11yProblems(staff)).toEqual([]);
    } finally {
      await laptop.close();
    }

    // The owner's audit log names Sam for the block.
    await page.getByRole('link', { name: 'Audit log' }).click();
    const block = page.locator('mb-admin-audit tr[data-action="music.block"]');
    await block.waitFor(WAIT);
    expect(await block.locator('[data-cell="who"]').textContent()).toBe('Sam');
  });
});
