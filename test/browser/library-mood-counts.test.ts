import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, ROOT, TEST_CONFIG, WAIT, adminPage, tempDir } from './harness.js';

// Issue 82: the Library's mood filter kept its counts of songs per mood until the page was
// reloaded. A scan that changes them changes the filter's counts with the list.

describe('the Library’s mood filter after a scan', { timeout: 180_000 }, () => {
  const music = tempDir('mb-library-mood-counts-');
  const folder = join(music.path, 'music');
  const demo = join(ROOT, 'demo/library');
  let admin: AdminPage;

  beforeAll(async () => {
    mkdirSync(folder);
    for (const song of ['still-water.ogg', 'fast-lane.ogg']) copyFileSync(join(demo, song), join(folder, song));
    writeFileSync(join(folder, 'moods.csv'), 'path,moods\nstill-water.ogg,calm:1\n');
    admin = await adminPage({
      prefix: 'mb-library-mood-counts-admin-',
      view: '#library',
      heading: 'Library',
      config: { ...TEST_CONFIG, library: { folders: [folder] } },
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    music.remove();
  });

  it('counts the songs of each mood again once a scan changed them', async () => {
    const { page } = admin;
    const filter = page.locator('mb-admin-library').getByRole('search').getByRole('combobox', { name: 'Mood' });
    const calm = filter.locator('option[value="calm"]');
    await expect.poll(async () => (await calm.count()) > 0 && (await calm.textContent())?.trim(), WAIT).toBe('calm (1)');

    // The owner tags the other song calm in the folder's sidecar, and scans.
    writeFileSync(join(folder, 'moods.csv'), 'path,moods\nstill-water.ogg,calm:1\nfast-lane.ogg,calm:1\n');
    await page.getByRole('button', { name: 'Scan music folders' }).click();
    await filter.selectOption('calm');
    await expect.poll(() => page.locator('tr[data-track-id]').count(), WAIT).toBe(2);
    await expect.poll(async () => (await calm.textContent())?.trim(), WAIT).toBe('calm (2)');
  });
});
