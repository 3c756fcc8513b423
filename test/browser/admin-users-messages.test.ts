import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, WAIT, addUser, adminPage, shot } from './harness.js';

// Messages on the users page sit next to what caused them (issue 16).

describe('users page messages', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-users-', view: '#users', before: (dir) => addUser(dir, 'Bob', 'member', '1357') });
    page = admin.page;
    await page.locator('tr[data-user="Bob"]').waitFor(WAIT);
  }, 120_000);

  afterAll(() => admin?.close());

  it('reports a wrong PIN in the person’s own dialog, and warns beside the add form when a person has no PIN', async () => {
    await page.getByRole('button', { name: 'Edit Bob' }).click();
    const bob = page.locator('dialog[data-user="Bob"]');
    await bob.getByLabel('New PIN').fill('1');
    await bob.getByRole('button', { name: 'Set PIN' }).click();
    await bob.getByRole('alert').waitFor(WAIT);
    expect(await page.locator('h2 + [role="alert"]').count()).toBe(0);
    await shot(page, 'admin-users-pin-error');
    await bob.getByRole('button', { name: 'Close' }).click();
    await bob.waitFor({ state: 'detached', ...WAIT });

    const add = page.getByRole('form', { name: 'Add a person' });
    await add.getByLabel('Name').fill('Cleo');
    await add.getByRole('button', { name: 'Add person' }).click();
    await add
      .getByRole('status')
      .filter({ hasText: 'Added Cleo, but they cannot sign in yet: give them a PIN or link a card.' })
      .waitFor(WAIT);
    // The old message in Bob's dialog is gone with it.
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
