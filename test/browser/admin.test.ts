import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, a11yProblems, addUser, assertBuilt, launchBrowser, shot, startDaemon, tempDir } from './harness.js';

const WAIT = { timeout: 30_000 };
const PASSPHRASE = 'correct horse battery staple';

describe('admin panel against the real daemon', { timeout: 120_000 }, () => {
  const data = tempDir('mb-admin-');
  let daemon: Daemon;
  let browser: Browser;
  let trackId = 0;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    addUser(data.path, 'Bob', 'member', '1357');
    daemon = await startDaemon(data.path);
    const db = new Database(join(data.path, 'moodbox.db'));
    try {
      const now = Date.now();
      const row = db
        .prepare('INSERT INTO tracks (uri, title, artist, album, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run('/music/zeta.flac', 'Zeta Lullaby', 'Test Artist', 'Test Album', now, now);
      trackId = Number(row.lastInsertRowid);
    } finally {
      db.close();
    }
    browser = await launchBrowser({ width: 1280, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('refuses a wrong passphrase, then signs in', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/admin`);
    await page.getByLabel('Name').fill('Root');
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.signin .error').waitFor(WAIT);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Room mood over time' }).waitFor(WAIT);
    await shot(page, 'admin-dashboard');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('edits a mood tag in the library with the keyboard', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByLabel('Search').fill('Zeta');
    const row = page.locator(`tr[data-track-id="${trackId}"]`);
    await row.waitFor(WAIT);
    await row.getByLabel('Add mood').fill('Calm');
    await row.getByLabel('Add mood').press('Enter');
    await row.locator('.chip[data-mood="calm"]').waitFor(WAIT);
    await shot(page, 'admin-library');
    expect(await a11yProblems(page)).toEqual([]);
    const cookies = await browser.context.cookies();
    const response = await fetch(`${daemon.url}/api/admin/tracks?search=Zeta`, {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    const body = (await response.json()) as { items: Array<{ id: number; moods: Array<{ mood: string; origin: string }> }> };
    expect(body.items.find((t) => t.id === trackId)?.moods).toEqual([expect.objectContaining({ mood: 'calm', origin: 'admin' })]);
    await row.getByRole('button', { name: 'Remove mood calm from Zeta Lullaby' }).click();
    await row.locator('.chip').waitFor({ state: 'detached', ...WAIT });
  });

  it('links a card by typing its ID', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Users and cards' }).click();
    const bob = page.locator('section[data-user="Bob"]');
    await bob.waitFor(WAIT);
    await bob.getByLabel('Card ID').fill('04A1B2C3');
    await bob.getByLabel('Label').fill('Blue fob');
    await bob.getByRole('button', { name: 'Link card' }).click();
    await bob.locator('li[data-card="04A1B2C3"]').waitFor(WAIT);
    expect(await page.locator('[role="status"]').first().textContent()).toContain('Linked card 04A1B2C3 to Bob');
    await shot(page, 'admin-users');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('builds the settings form from the schema with restart flags and validation', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Settings' }).click();
    const port = page.locator('[data-setting="server.port"]');
    await port.waitFor(WAIT);
    expect(await port.locator('[data-restart]').count()).toBe(1);
    await port.locator('input').fill('70000');
    await port.locator('.error').filter({ hasText: 'at most 65535' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await shot(page, 'admin-settings');
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('shows history and the audit log of what was just done', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('td').filter({ hasText: 'card.link' }).waitFor(WAIT);
    await page.locator('td').filter({ hasText: 'track.moods' }).first().waitFor(WAIT);
    await shot(page, 'admin-audit');
  });

  it('draws the mood-over-time and plays-per-mood charts from the stats', async () => {
    const { page } = browser;
    const now = Date.now();
    await page.route('**/api/admin/stats?**', (route) =>
      route.fulfill({
        json: {
          playsPerMoodPerDay: [
            { day: '2026-01-01', mood: 'happy', plays: 12 },
            { day: '2026-01-01', mood: 'calm', plays: 5 },
            { day: '2026-01-02', mood: 'happy', plays: 4 },
            { day: '2026-01-02', mood: 'sad', plays: 2 },
          ],
          moodOverTime: Array.from({ length: 40 }, (_, i) => ({
            at: now - (40 - i) * 3_600_000,
            mood: ['happy', 'calm', 'sad', 'neutral'][i % 4],
            confidence: 0.5 + (i % 5) / 10,
            faces: 1 + (i % 3),
          })),
        },
      }),
    );
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('svg[role="img"][aria-label^="Plays per mood: calm 5, happy 16, sad 2"]').waitFor(WAIT);
    expect(await page.locator('svg[role="img"][aria-label^="Room mood over time"] circle').count()).toBe(40);
    await shot(page, 'admin-dashboard-charts');
    await page.unroute('**/api/admin/stats?**');
  });
});
