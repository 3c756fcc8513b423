import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, ROOT, TEST_CONFIG, WAIT, a11yProblems, adminPage, tempDir } from './harness.js';

// Issue 82: with one piece in FLAC and in MP3, the Library said "13 tracks" while the list showed
// 12, the analysis 12 of 12 and Health 12; nothing said the two files became one song, or whose
// tags it shows. One count everywhere, and the song says it is one in two files, with the file
// whose tags it shows.

describe('a library with one song in FLAC and MP3', { timeout: 240_000 }, () => {
  const music = tempDir('mb-library-one-count-');
  const demo = join(ROOT, 'demo/library');
  let admin: AdminPage;

  beforeAll(async () => {
    const folder = join(music.path, 'music');
    mkdirSync(folder);
    for (const format of ['flac', 'mp3']) {
      const made = spawnSync('ffmpeg', [
        '-loglevel',
        'error',
        '-i',
        join(demo, 'bicycle-bell.ogg'),
        join(folder, `bicycle-bell.${format}`),
      ]);
      if (made.status !== 0) throw new Error(`ffmpeg: ${String(made.stderr)}`);
    }
    copyFileSync(join(demo, 'kite-season.ogg'), join(folder, 'kite-season.ogg'));
    admin = await adminPage({
      prefix: 'mb-library-one-count-admin-',
      view: '#library',
      heading: 'Library',
      config: { ...TEST_CONFIG, library: { folders: [folder], analyze: true } },
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    music.remove();
  });

  it('counts the song once on the Library page and in the screens’ state, and says which file it shows', async () => {
    const { page, daemon } = admin;
    const state = async (): Promise<StateSnapshot> =>
      ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;
    // Heard, and the copies grouped into one song: the list shows two songs.
    const rows = page.locator('tr[data-track-id]');
    await expect
      .poll(
        async () => {
          await page.reload();
          await page
            .locator('mb-admin-library')
            .getByText(/tracks? in the library/)
            .waitFor(WAIT);
          return rows.count();
        },
        { timeout: 120_000, interval: 2000 },
      )
      .toBe(2);
    await expect.poll(async () => (await state()).library.tracks, WAIT).toBe(2);
    await page.getByText('2 tracks in the library').waitFor(WAIT);

    const song = rows.filter({ hasText: /bicycle-bell/i });
    const merged = song.locator('[data-merged]');
    await merged.waitFor(WAIT);
    expect(await merged.textContent()).toMatch(
      /^One song in 2 files: it counts once, and its title, artist and album are those of bicycle-bell\.(flac|mp3), the file that plays\.$/,
    );
    expect(await rows.filter({ hasText: 'Kite Season' }).locator('[data-merged]').count()).toBe(0);
    expect(await a11yProblems(page)).toEqual([]);
  });
});
