import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, TEST_CONFIG, WAIT, a11yProblems, assertBuilt, launchBrowser, startDaemon, tempDir } from './harness.js';

// Issue 82: with a configured folder that is empty, nothing played, and the kiosk said "No songs to
// suggest yet" with no hint where to go. An empty or unreadable library says so on the kiosk, with
// where an admin fixes it: the admin panel's address and Settings › Music › Music folders.

describe('the kiosk of a box whose library has no songs', { timeout: 120_000 }, () => {
  let data: { path: string; remove: () => void } | undefined;
  let daemon: Daemon | undefined;
  let browser: Browser | undefined;

  afterEach(async () => {
    await browser?.close();
    await daemon?.stop();
    data?.remove();
  });

  /** The kiosk of a daemon whose configuration names `folders` (made under a fresh data folder by `make`). */
  async function kioskWith(make: (dir: string) => string[], site: Record<string, unknown> = {}): Promise<Browser> {
    assertBuilt();
    data = tempDir('mb-kiosk-empty-library-');
    const folders = make(data.path);
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, library: { folders }, site } });
    browser = await launchBrowser();
    await browser.page.goto(`${daemon.url}/`);
    return browser;
  }

  it('says that the folder holds no songs, and where an admin chooses the music', async () => {
    const { page } = await kioskWith((dir) => {
      mkdirSync(join(dir, 'music'));
      return [join(dir, 'music')];
    });
    const said = page.locator('.tiles[data-state="empty"]');
    await said
      .filter({
        hasText: `The music folders hold no songs yet, so nothing plays. An admin chooses the music in the admin panel at ${daemon?.url}/admin: Settings › Music › Music folders.`,
      })
      .waitFor(WAIT);
    expect(await page.getByText('No songs to suggest yet.').count()).toBe(0);
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('says that a folder cannot be read, in the kiosk’s language', async () => {
    const { page } = await kioskWith((dir) => [join(dir, 'not-there')], { language: 'de' });
    await page
      .locator('.tiles[data-state="empty"]')
      .filter({
        hasText: `Ein Musikordner lässt sich nicht lesen, darum läuft nichts. Im Adminbereich unter ${daemon?.url}/admin lässt sich die Musik wählen: Einstellungen › Musik › Musikordner.`,
      })
      .waitFor(WAIT);
  });
});
