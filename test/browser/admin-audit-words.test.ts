import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  ROOT,
  TEST_CONFIG,
  WAIT,
  addUser,
  assertBuilt,
  launchBrowser,
  shot,
  startDaemon,
  tempDir,
} from './harness.js';

// The audit log and the Disk card in German and French on a real daemon (issue 82, item 7): a
// guest's request said yes to, a mood held and let go, each in the reader's language, never as
// the daemon logs it ("guests.approve", "request", "sad") nor by a table's name ("audit_log").

/** The daemon's own words, which a German or French page must not show. */
const DAEMON_ENGLISH = /\b(guests?\.[\w-]+|mood\.\w+|request|requests|sad|calm|happy|label|audit_log|mood_log|plays|tracks|settings)\b/;

/** The part of a catalogue this test reads. */
type Catalogue = { admin: { disk: { largestTables: string } } };

describe('the audit log and the Disk card in the reader’s language', { timeout: 180_000 }, () => {
  const data = tempDir('mb-admin-audit-words-');
  let daemon: Daemon;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Inès', 'admin', PASSPHRASE);
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, guests: { requests: 'on', approval: 'staff' } } });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await daemon?.stop();
    data.remove();
  });

  async function signedIn(locale: string): Promise<Page> {
    const browser = await launchBrowser({ width: 1280, height: 800 }, [], { locale });
    browsers.push(browser);
    const { page } = browser;
    await page.goto(`${daemon.url}/admin`);
    await page.locator('input[name="name"]').fill('Inès');
    await page.locator('input[name="passphrase"]').fill(PASSPHRASE);
    await page.locator('input[name="passphrase"]').press('Enter');
    await page.locator('mb-admin-dashboard').waitFor(WAIT);
    return page;
  }

  it('says a guest’s request said yes to and a mood held and let go in German and French', async () => {
    const page = await signedIn('de-DE');
    const session = (await (await page.request.get(`${daemon.url}/api/admin/session`)).json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': session.csrfToken };
    // A phone asks for a song once the library is read; staff say yes to it, then hold "sad" and let it go.
    type Guest = { suggestions: Array<{ id: number }> };
    const guest = async (): Promise<Guest> =>
      (await (await fetch(`${daemon.url}/api/guest/state`, { headers: { origin: daemon.url } })).json()) as Guest;
    await expect.poll(async () => (await guest()).suggestions.length, { timeout: 60_000 }).toBeGreaterThan(0);
    const asked = await fetch(`${daemon.url}/api/guest/requests`, {
      method: 'POST',
      headers: { origin: daemon.url, 'content-type': 'application/json' },
      body: JSON.stringify({ trackId: (await guest()).suggestions[0]?.id }),
    });
    expect(asked.status).toBe(201);
    const request = (await asked.json()) as { id?: number; data?: { id: number } };
    const approved = await page.request.post(`${daemon.url}/api/admin/guests/requests/${request.data?.id ?? request.id}/approve`, {
      headers,
    });
    expect(approved.ok(), await approved.text()).toBe(true);
    expect((await page.request.put(`${daemon.url}/api/admin/mood/hold`, { headers, data: { label: 'sad', minutes: 30 } })).ok()).toBe(true);
    expect((await page.request.delete(`${daemon.url}/api/admin/mood/hold`, { headers })).ok()).toBe(true);

    for (const [locale, language] of [
      ['de-DE', 'de'],
      ['fr-FR', 'fr'],
    ] as const) {
      const reader = language === 'de' ? page : await signedIn(locale);
      await reader.goto(`${daemon.url}/admin#audit`);
      const rows = reader.locator('mb-admin-audit tbody tr');
      await reader.locator('mb-admin-audit tr[data-action="guests.approve"]').waitFor(WAIT);
      await reader.locator('mb-admin-audit tr[data-action="mood.release"]').waitFor(WAIT);
      expect(await reader.evaluate(() => document.documentElement.lang)).toBe(language);
      await shot(reader, `admin-audit-${language}`);
      const audit = (await rows.allInnerTexts()).filter((text) => DAEMON_ENGLISH.test(text));
      expect(audit, language).toEqual([]);

      // The Disk card on the dashboard: the largest tables by what they hold.
      await reader.goto(`${daemon.url}/admin#dashboard`);
      const disk = reader.locator('mb-disk-use [data-days-left]');
      await disk.waitFor(WAIT);
      // Its largest tables are listed, each by what it holds.
      const largest = (JSON.parse(readFileSync(join(ROOT, `src/ui/i18n/catalogues/${language}.json`), 'utf8')) as Catalogue).admin.disk
        .largestTables;
      const card = await reader.locator('mb-disk-use :is(p, td)').allInnerTexts();
      expect(
        card.some((line) => line.includes(largest)),
        card.join(' | '),
      ).toBe(true);
      expect(
        card.filter((line) => DAEMON_ENGLISH.test(line)),
        language,
      ).toEqual([]);
    }
  });
});
