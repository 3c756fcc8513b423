import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceChoices } from '../../src/daemon/config/schema-music.js';
import { REGISTERED_SOURCES } from '../../src/player/sources/registered-sources.js';
import { SourceRegistry } from '../../src/player/sources/source-registry.js';
import { ARCHIVE_REGISTRATION } from '../../src/player/sources/testing/archive/archive-source.js';
import { type AdminPage, WAIT, adminPage } from './harness.js';

// The admin panel takes the music sources from what the daemon says of them: with the example
// archive registered beside Spotify (its folder and one line), Settings offers it, by its name, at
// a business as at a home, and Spotify at a home alone, with no line of the panel changed. The
// real daemon serves the panel; its configuration's schema is answered as a daemon with the
// archive registered would answer it (`sourceChoices` of that registry, as the schema is built).

/** The box's sources with the example archive added, as its one registration line adds it. */
const WITH_ARCHIVE = new SourceRegistry([...REGISTERED_SOURCES, ARCHIVE_REGISTRATION]);

interface SchemaWithSources {
  properties: { music: { properties: { source: { anyOf: unknown[] } } } };
}

describe('the music sources in the admin panel', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-admin-sources-',
      view: '#settings',
      heading: 'Settings',
      beforeSignIn: async (_daemon, page) => {
        await page.route('**/api/admin/config/schema', async (route) => {
          const response = await route.fetch();
          const schema = (await response.json()) as SchemaWithSources;
          schema.properties.music.properties.source.anyOf = sourceChoices(WITH_ARCHIVE);
          await route.fulfill({ response, json: schema });
        });
      },
    });
    page = admin.page;
  }, 120_000);

  afterAll(() => admin?.close());

  it('offers a newly registered source by its name, at a business too, and Spotify at a home alone', async () => {
    const source = page.locator('[data-setting="music.source"] select');
    await source.waitFor(WAIT);
    // A business (the default): the archive plays at businesses, and `mixed` with it; Spotify is for homes.
    expect(await source.locator('option').allTextContents()).toEqual(['The music folders', 'Both', 'The archive']);
    await page.locator('[data-setting="site.kind"] select').selectOption('home');
    await expect
      .poll(() => source.locator('option').allTextContents(), WAIT)
      .toEqual(['The music folders', 'Spotify', 'Both', 'The archive']);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => source.locator('option').count(), WAIT).toBe(3);
  });
});
