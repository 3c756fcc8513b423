// Files with no tags at all: the kiosk names the next song by its file, with no separator left
// hanging where an artist would be.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, TEST_CONFIG, assertBuilt, launchBrowser, startDaemon, stateWhen, tempDir, WAIT } from './harness.js';
import { makeUntaggedLibrary } from './test-library.js';

describe('the kiosk with a library of untagged files', { timeout: 120_000 }, () => {
  let data: ReturnType<typeof tempDir>;
  let daemon: Daemon;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    data = tempDir('mb-kiosk-untagged-');
    const music = join(data.path, 'music');
    makeUntaggedLibrary(music, 4);
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, library: { folders: [music] } } });
    browser = await launchBrowser({ width: 800, height: 480 });
  });

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data?.remove();
  });

  it('says "Next: track01" (or whichever file is next) for the next song, named by its file, with no stray "·"', async () => {
    const state = await stateWhen(daemon, (s) => s.player.nowPlaying !== null && s.player.next !== null);
    const next = state.player.next;
    expect(next?.artist).toBe('');
    expect(next?.title).toMatch(/^track0\d$/);
    const page = browser.page;
    await page.goto(`${daemon.url}/`);
    const line = page.locator('.now .next');
    await line.waitFor(WAIT);
    await expect.poll(async () => (await line.textContent())?.trim(), WAIT).toMatch(/^Next: track0\d$/);
  });
});
