import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, addUser, assertBuilt, launchBrowser, shot, signInToAdmin, startDaemon, tempDir } from './harness.js';

// Messages on the users page sit next to what caused them (issue 16).

const WAIT = { timeout: 30_000 };
const PASSPHRASE = 'correct horse battery staple';

describe('users page messages', { timeout: 180_000 }, () => {
  const data = tempDir('mb-admin-users-');
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    addUser(data.path, 'Bob', 'member', '1357');
    daemon = await startDaemon(data.path);
    browser = await launchBrowser({ width: 1280, height: 800 });
    page = browser.page;
    await signInToAdmin(page, `${daemon.url}/admin#users`, 'Root', PASSPHRASE);
    await page.locator('tr[data-user="Bob"]').waitFor(WAIT);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

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
