import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  TEST_CONFIG,
  WAIT,
  assertBuilt,
  createFirstAdmin,
  launchBrowser,
  startDaemon,
  tempDir,
} from './harness.js';

// Issue 82, walked again: the wizard's music step said "It must be inside /srv, /media, /mnt, /home",
// then saved the folder the configuration file names (under /tmp) without a word. That is the rule
// (the file's folders are kept as they are); the step says so, so that its hint does not read as broken.
// Walked a third time: a new folder typed there replaced the file's, and the library lost its songs;
// now it is added beside the file's folders, as the step says.

const PASSPHRASE = 'blue kettle on the shelf';

describe('the wizard’s music step with a folder the configuration file names', { timeout: 240_000 }, () => {
  let data: { path: string; remove: () => void };
  let daemon: Daemon;
  let browser: Browser;
  let music: string;
  let more: string;

  beforeAll(async () => {
    assertBuilt();
    data = tempDir('mb-admin-first-run-file-folder-');
    music = join(data.path, 'music');
    mkdirSync(music);
    const usb = join(data.path, 'usb');
    more = join(usb, 'more');
    mkdirSync(more, { recursive: true });
    daemon = await startDaemon(data.path, {
      config: { ...TEST_CONFIG, library: { folders: [music], panelRoots: ['/srv', '/media', usb] } },
    });
    browser = await launchBrowser({ width: 1280, height: 800 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data?.remove();
  });

  it('says the file’s folder is kept as it is beside the rule for new ones, and adds a new folder beside it', async () => {
    const { page } = browser;
    await createFirstAdmin(page, daemon.url, 'Mia', PASSPHRASE);
    await page.getByRole('heading', { name: 'Where is your music?' }).waitFor(WAIT);
    expect(await page.getByLabel('Music folder').inputValue()).toBe(music);
    await page
      .getByText(
        `A new folder must be inside /srv, /media, ${join(data.path, 'usb')}: a USB stick is usually under /media. It is added beside the folders the configuration file names (${music}), which are kept as they are, wherever they lie.`,
      )
      .waitFor(WAIT);
    await page.getByLabel('Music folder').fill(more);
    await page.getByRole('button', { name: 'Save and go on' }).click();
    await page.getByRole('heading', { name: 'The camera' }).waitFor(WAIT);
    const settings = await page.evaluate(() =>
      fetch('/api/admin/settings').then((r) => r.json() as Promise<{ config: { library: { folders: string[] } } }>),
    );
    expect(settings.config.library.folders).toEqual([music, more]);
  });
});
