import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, ROOT, TEST_CONFIG, adminPage, tempDir } from './harness.js';

// Issue 82, walked again: the dashboard's Library warnings advised switching on "Listen to every
// local track" while it was on and the Library said every track was analysed. With every song
// heard, the advice is what is left to do: tag songs, or add music of that mood.

describe('the Library warnings on a box that has heard all its music', { timeout: 240_000 }, () => {
  let admin: AdminPage;
  const music = tempDir('mb-admin-library-advice-music-');

  beforeAll(async () => {
    // One calm song of the demo's, with its line of the moods file: no song fits a happy room.
    const demo = join(ROOT, 'demo/library');
    const track = 'still-water.ogg';
    copyFileSync(join(demo, track), join(music.path, track));
    const [header = '', ...lines] = readFileSync(join(demo, 'moods.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(music.path, 'moods.csv'), [header, ...lines.filter((l) => l.startsWith(`${track},`))].join('\n') + '\n');
    admin = await adminPage({
      prefix: 'mb-admin-library-advice-',
      heading: 'Dashboard',
      config: { ...TEST_CONFIG, library: { folders: [music.path], analyze: true } },
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    music.remove();
  });

  it('advises tags or more music, never the switch that is on', async () => {
    const { page } = admin;
    const warnings = page.locator('mb-library-warnings');
    // The song is heard in the background: the warnings follow the analysis as it ends.
    await warnings.locator('[data-warning="not-analysed"]').waitFor({ state: 'detached', timeout: 150_000 });
    const happy = warnings.locator('[data-warning="no-fit:upbeat"]');
    await happy
      .filter({ hasText: 'Tag songs “upbeat” in Library, or add music of that mood to your music folders.' })
      .waitFor({ timeout: 30_000 });
    expect(await warnings.innerText()).not.toContain('Listen to every local track');
  });
});
