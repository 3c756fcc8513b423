import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, ROOT, TEST_CONFIG, WAIT, adminPage, shot, tempDir } from './harness.js';

// One song in three files (issue 58): the demo's "Bicycle Bell" copied twice into the owner's own
// folder is one song in the Library, and the owner picks which file plays.

describe('one song in three files', { timeout: 240_000 }, () => {
  const copies = tempDir('mb-admin-recordings-music-');
  const demo = join(ROOT, 'demo/library');
  let admin: AdminPage;

  beforeAll(async () => {
    mkdirSync(join(copies.path, 'Saturday Market'));
    copyFileSync(join(demo, 'bicycle-bell.ogg'), join(copies.path, 'Saturday Market', '04 Bicycle Bell.ogg'));
    copyFileSync(join(demo, 'bicycle-bell.ogg'), join(copies.path, 'bicycle bell (copy).ogg'));
    admin = await adminPage({
      prefix: 'mb-admin-recordings-',
      view: '#library',
      heading: 'Library',
      config: { ...TEST_CONFIG, library: { folders: [demo, copies.path] } },
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    copies.remove();
  });

  it('lists the song once with "3 files", and plays the copy the owner picks', async () => {
    const { page } = admin;
    await page.getByRole('searchbox', { name: 'Search' }).fill('Bicycle Bell');
    const rows = page.locator('tr[data-track-id]');
    await expect.poll(() => rows.allInnerTexts(), WAIT).toHaveLength(1);
    const row = rows.first();
    const before = await row.getAttribute('data-track-id');
    const files = row.getByRole('button', { name: '3 files' });
    await files.click();
    const list = row.getByRole('list', { name: 'Files of Bicycle Bell' });
    await expect.poll(() => list.getByRole('listitem').count(), WAIT).toBe(3);
    expect(await list.getByRole('listitem').first().innerText()).toContain(join(demo, 'bicycle-bell.ogg'));
    await list.scrollIntoViewIfNeeded();
    await shot(page, 'admin-library-recording-files');

    const copy = join(copies.path, 'Saturday Market', '04 Bicycle Bell.ogg');
    await list.getByRole('button', { name: `Play ${copy} for Bicycle Bell` }).click();
    // The library is read again: still one song, which is the picked file now.
    await expect.poll(() => rows.first().getAttribute('data-track-id'), WAIT).not.toBe(before);
    await rows.first().getByRole('button', { name: '3 files' }).click();
    const again = rows.first().getByRole('list', { name: 'Files of Bicycle Bell' });
    await expect.poll(() => again.getByRole('listitem').first().innerText(), WAIT).toContain(copy);
    expect(await again.getByRole('listitem').first().innerText()).toContain('Plays');
    expect(await rows.count()).toBe(1);
  });
});
