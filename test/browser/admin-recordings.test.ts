import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, ROOT, TEST_CONFIG, WAIT, adminPage, shot, tempDir } from './harness.js';

// One song in three files (issue 58): the demo's "Bicycle Bell" copied three times into the owner's
// two folders is one song in the Library, and the owner picks which file plays. The owner adds the
// folders in Settings, beside the demo's: the demo songs leave the library, and the panel says so.

describe('one song in three files', { timeout: 240_000 }, () => {
  const music = tempDir('mb-admin-recordings-music-');
  const [ours, copies] = [join(music.path, 'ours'), join(music.path, 'copies')];
  const demo = join(ROOT, 'demo/library');
  let admin: AdminPage;

  beforeAll(async () => {
    mkdirSync(ours);
    mkdirSync(join(copies, 'Saturday Market'), { recursive: true });
    copyFileSync(join(demo, 'bicycle-bell.ogg'), join(ours, 'bicycle-bell.ogg'));
    copyFileSync(join(demo, 'bicycle-bell.ogg'), join(copies, 'Saturday Market', '04 Bicycle Bell.ogg'));
    copyFileSync(join(demo, 'bicycle-bell.ogg'), join(copies, 'bicycle bell (copy).ogg'));
    admin = await adminPage({
      prefix: 'mb-admin-recordings-',
      view: '#settings',
      heading: 'Settings',
      config: { ...TEST_CONFIG, library: { folders: ['demo/library'], panelRoots: [music.path] } },
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    music.remove();
  });

  it('takes the demo songs out of the library when the owner adds their own folders in Settings, and says so', async () => {
    const { page } = admin;
    const folders = page.locator('[data-setting="library.folders"]');
    await folders.getByText('they leave the library once you add a folder of your own').waitFor(WAIT);
    for (const [i, folder] of [ours, copies].entries()) {
      await folders.getByRole('button', { name: 'Add a folder' }).click();
      await folders.getByRole('textbox', { name: `Folder ${i + 2}` }).fill(folder);
    }
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .locator('[data-result]')
      .filter({ hasText: 'Saved and in effect: Music folders set to demo/library' })
      .filter({ hasText: 'The demo songs leave the library once your folder is scanned.' })
      .waitFor(WAIT);
    await folders.getByText('out of the library while a folder of your own is listed').waitFor(WAIT);
    await shot(page, 'admin-settings-own-folder');

    await page.goto(`${admin.daemon.url}/admin#library`);
    // Every row of the library is the owner's one song: no demo song is left (the scan runs on its own).
    const rows = page.locator('tr[data-track-id]');
    await expect.poll(() => rows.allInnerTexts(), { timeout: 60_000 }).toEqual([expect.stringContaining('Bicycle Bell')]);
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
    expect(await list.getByRole('listitem').first().innerText()).toContain(join(ours, 'bicycle-bell.ogg'));
    await list.scrollIntoViewIfNeeded();
    await shot(page, 'admin-library-recording-files');

    const copy = join(copies, 'Saturday Market', '04 Bicycle Bell.ogg');
    await list.getByRole('button', { name: `Play this one: ${copy}, for Bicycle Bell` }).click();
    // The library is read again: still one song, which is the picked file now.
    await expect.poll(() => rows.first().getAttribute('data-track-id'), WAIT).not.toBe(before);
    await rows.first().getByRole('button', { name: '3 files' }).click();
    const again = rows.first().getByRole('list', { name: 'Files of Bicycle Bell' });
    await expect.poll(() => again.getByRole('listitem').first().innerText(), WAIT).toContain(copy);
    expect(await again.getByRole('listitem').first().innerText()).toContain('Plays');
    expect(await rows.count()).toBe(1);
  });
});
