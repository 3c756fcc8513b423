import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, WAIT, a11yProblems, adminPage, boxOf, shot } from './harness.js';

// Mood tags in the library: picked from the known moods, explained, touch-sized, editable in bulk (issue 16, item 9).

const KNOWN = ['calm', 'mellow', 'uplifting', 'upbeat', 'energetic', 'power'];

describe('library mood tags', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  beforeAll(async () => {
    // The demo library, scanned at start, with its moods file (calm 100% and mellow 30% on the calm tracks).
    admin = await adminPage({ prefix: 'mb-admin-moods-', view: '#library', viewport: { width: 1280, height: 900 } });
    page = admin.page;
    await page.locator('tbody tr').first().waitFor(WAIT);
  }, 120_000);

  afterAll(() => admin?.close());

  const row = (title: string) => page.locator('tbody tr').filter({ has: page.locator('.title', { hasText: new RegExp(`^${title}$`) }) });

  it('adds a mood from a picker of the known moods only, and explains the percentage', async () => {
    await page.getByLabel('Search').fill('Still Water');
    const track = row('Still Water');
    await track.waitFor(WAIT);
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBe(1);
    // No free text: the picker offers the known moods the track does not have yet.
    expect(await track.locator('input:not([type="checkbox"])').count()).toBe(0);
    const picker = track.getByLabel('Add mood');
    await expect
      .poll(async () => (await picker.locator('option').allTextContents()).slice(1), WAIT)
      .toEqual(KNOWN.filter((m) => m !== 'calm' && m !== 'mellow'));
    // The 30% of the moods file is shown and explained.
    const mellow = track.locator('.chip[data-mood="mellow"]');
    expect(await mellow.textContent()).toContain('30%');
    expect(await mellow.getAttribute('title')).toBe('mellow: 30%, from a moods file');
    const legend = await page.locator('#weight-legend').textContent();
    expect(legend).toContain('how strongly the track fits that mood');
    expect(legend).toContain('one tagged 40% fits only partly and is picked for it less often');

    await picker.selectOption('uplifting');
    await track.getByRole('button', { name: 'Add', exact: true }).click();
    await track.locator('.chip[data-mood="uplifting"]').waitFor(WAIT);
    expect(await track.locator('.chip[data-mood="uplifting"]').getAttribute('title')).toBe('uplifting: 100%, set here');
    expect(await picker.locator('option').allTextContents()).not.toContain('uplifting');
    await shot(page, 'admin-moods-picker');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('plays a track in the page to listen to before tagging it', async () => {
    const track = row('Still Water');
    await track.getByRole('button', { name: 'Listen to Still Water' }).click();
    const audio = track.locator('audio');
    await audio.waitFor(WAIT);
    // The browser read the file the daemon served: it knows how long the track is.
    await expect.poll(() => audio.evaluate((el) => (el as HTMLAudioElement).duration), WAIT).toBeGreaterThan(10);
    expect(await audio.evaluate((el) => (el as HTMLAudioElement).error)).toBeNull();
    await audio.evaluate((el) => (el as HTMLAudioElement).pause());
  });

  it('has remove buttons of at least 44x44 pixels', async () => {
    const buttons = page.locator('.chip button');
    expect(await buttons.count()).toBeGreaterThan(0);
    for (const box of await Promise.all((await buttons.all()).map((b) => boxOf(b)))) {
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
    await row('Still Water').getByRole('button', { name: 'Remove mood uplifting from Still Water' }).click();
    await row('Still Water')
      .locator('.chip[data-mood="uplifting"]')
      .waitFor({ state: 'detached', ...WAIT });
  });

  it('adds a mood to several selected tracks at once, and removes it again', async () => {
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBeGreaterThan(3);
    const titles = (await page.locator('tbody tr .title').allTextContents()).slice(0, 3);
    for (const title of titles) await page.getByRole('checkbox', { name: `Select ${title}` }).check();
    const bulk = page.getByRole('form', { name: 'Edit the moods of the selected tracks' });
    expect(await bulk.locator('[data-selected]').textContent()).toBe('3 tracks selected');
    await bulk.getByLabel('Mood').selectOption('power');
    await bulk.getByRole('button', { name: 'Add to selected' }).click();
    await page.getByRole('status').filter({ hasText: 'Tagged 3 tracks “power”.' }).waitFor(WAIT);
    for (const title of titles) expect(await row(title).locator('.chip[data-mood="power"]').count()).toBe(1);
    await shot(page, 'admin-moods-bulk');

    await bulk.getByRole('button', { name: 'Remove from selected' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed “power” from 3 tracks.' }).waitFor(WAIT);
    for (const title of titles) expect(await row(title).locator('.chip[data-mood="power"]').count()).toBe(0);
    await bulk.getByRole('button', { name: 'Clear selection' }).click();
    await bulk.waitFor({ state: 'detached', ...WAIT });
  });

  it('filters the library by a known mood, with how many tracks carry it', async () => {
    const filter = page.getByRole('search').getByLabel('Mood');
    const options = (await filter.locator('option').allTextContents()).slice(1);
    expect(options.map((o) => o.replace(/ \(\d+\)$/, ''))).toEqual(KNOWN);
    const calm = options.find((o) => o.startsWith('calm ')) ?? '';
    const count = Number(/\((\d+)\)/.exec(calm)?.[1]);
    expect(count).toBeGreaterThan(0);
    await filter.selectOption('calm');
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBe(count);
    for (const r of await page.locator('tbody tr').all()) expect(await r.locator('.chip[data-mood="calm"]').count()).toBe(1);
  });
});
