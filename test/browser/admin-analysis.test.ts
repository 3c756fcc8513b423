import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, ROOT, TEST_CONFIG, WAIT, a11yProblems, adminPage, shot, tempDir } from './harness.js';

// What Moodbox heard in each track, on the admin library: the analysis's progress, a small
// energy/valence mark per track and why it has its moods.

describe('the analysis on the admin library', { timeout: 240_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  // Two of the demo's tracks with their lines of its moods file: a calm one and a heavy one. The
  // analysis runs at a low priority, so on a busy machine each track waits its turn for the CPU.
  const music = tempDir('mb-admin-analysis-music-');

  beforeAll(async () => {
    const demo = join(ROOT, 'demo/library');
    const tracks = ['still-water.ogg', 'black-anvil.ogg'];
    for (const track of tracks) copyFileSync(join(demo, track), join(music.path, track));
    const [header = '', ...lines] = readFileSync(join(demo, 'moods.csv'), 'utf8').trim().split('\n');
    writeFileSync(
      join(music.path, 'moods.csv'),
      [header, ...lines.filter((l) => tracks.some((t) => l.startsWith(`${t},`)))].join('\n') + '\n',
    );
    // Scanned at start and then analysed in the background.
    admin = await adminPage({
      prefix: 'mb-admin-analysis-',
      view: '#library',
      viewport: { width: 1280, height: 900 },
      config: { ...TEST_CONFIG, library: { folders: [music.path], analyze: true } },
    });
    page = admin.page;
    await page.locator('tbody tr').first().waitFor(WAIT);
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    music.remove();
  });

  const row = (title: string) => page.locator('tbody tr').filter({ has: page.locator('.title', { hasText: new RegExp(`^${title}$`) }) });

  it('shows the analysis running and then done, live, and marks each track where it was heard, with why it has its moods', async () => {
    await page
      .locator('.analysis [role="status"]')
      .filter({ hasText: /^Music analysed: 2 of 2 tracks$/ })
      .waitFor({ timeout: 150_000 });
    const calm = row('Still Water');
    const power = row('Black Anvil');
    const mark = calm.locator('svg.mark');
    await mark.waitFor(WAIT);
    expect(await mark.getAttribute('aria-label')).toMatch(/^Heard: energy \d+%, pleasantness \d+%/);
    // The demo's moods come from its moods file: they win over what was heard, and say so.
    expect(await calm.locator('.heard').getAttribute('data-why')).toBe('sidecar');
    expect(await calm.locator('.heard').textContent()).toContain('Why: from a moods file');
    // A calm track was heard calmer than a heavy one.
    const arousal = async (r: ReturnType<typeof row>) => Number(await r.locator('svg.mark circle').getAttribute('data-arousal'));
    expect(await arousal(calm)).toBeLessThan(await arousal(power));
    await shot(page, 'admin-library-heard');
    expect(await a11yProblems(page)).toEqual([]);
  });
});
