import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icyStream, refusedUrl, type TestStream } from '../../src/player/testing/stream-servers.js';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  TEST_CONFIG,
  WAIT,
  a11yProblems,
  addUser,
  assertBuilt,
  boxOf,
  launchBrowser,
  shot,
  signInToAdmin,
  startDaemon,
  tempDir,
} from './harness.js';

// Web radio end to end (issue 15): a station listed in a music folder's stations.csv plays in the
// built daemon's mpv, the kiosk shows its ICY title, and the admin panel adds stations and shows a
// dead one as failing.

/** Text as a reader hears it: runs of spaces and line breaks as one space. */
const words = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

describe('stations', { timeout: 240_000 }, () => {
  const data = tempDir('mb-stations-');
  const music = tempDir('mb-stations-music-');
  let stream: TestStream;
  let dead: string;
  let daemon: Daemon;
  let browser: Browser;
  let kiosk: Page;
  let admin: Page;
  const station = (name: string) => admin.locator('tr[data-station-id]').filter({ hasText: name });

  beforeAll(async () => {
    assertBuilt();
    stream = await icyStream({ name: 'Test FM', title: 'Nina Simone - Feeling Good', seconds: 120 });
    dead = await refusedUrl();
    // The room reads neutral (no camera): neutral plays calm music.
    writeFileSync(`${music.path}/stations.csv`, `name,url,moods\nNight Jazz,${stream.url},calm\nBroken Line,ftp://nowhere/x,calm\n`);
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    // The station is a server on 127.0.0.1: the owner allows local stations on this box.
    daemon = await startDaemon(data.path, {
      config: { ...TEST_CONFIG, library: { folders: [music.path] }, music: { allowPrivateStations: true } },
    });
    browser = await launchBrowser({ width: 1280, height: 900 });
    kiosk = browser.page;
    admin = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await stream?.close();
    data.remove();
    music.remove();
  });

  it("plays the folder's station and shows what it says it plays on the kiosk, over the station's name", async () => {
    await kiosk.goto(daemon.url);
    const now = kiosk.locator('section.now[data-state="playing"]');
    await now.locator('.title').filter({ hasText: 'Nina Simone - Feeling Good' }).waitFor(WAIT);
    expect(await now.locator('.artist').textContent()).toBe('Night Jazz');
    expect(stream.connections).toBeGreaterThan(0);
    await shot(kiosk, 'kiosk-station');
  });

  it("lists the folder's stations and names the file's bad line in the library's scan", async () => {
    await signInToAdmin(admin, `${daemon.url}/admin#stations`, 'Root', PASSPHRASE, 'Stations');
    await station('Night Jazz').waitFor(WAIT);
    expect(await station('Night Jazz').textContent()).toContain('stations.csv');
    expect(await station('Night Jazz').locator('[data-state="ok"]').textContent()).toMatch(/^Played /);
    expect(await a11yProblems(admin)).toEqual([]);
    await admin.goto(`${daemon.url}/admin#library`);
    await admin
      .locator('.failed li')
      .filter({ hasText: 'stations.csv line 3' })
      .filter({ hasText: '`url`: expected an http or https URL' })
      .waitFor(WAIT);
  });

  it("shows staff the station's name with what it says it plays, in the staff bar and on the dashboard", async () => {
    await admin.goto(`${daemon.url}/admin#stations`);
    const bar = admin.locator('mb-staff-controls[compact] .now');
    await expect.poll(async () => words(await bar.textContent()), WAIT).toBe('Playing: Night Jazz — Nina Simone - Feeling Good');
    await admin.goto(`${daemon.url}/admin`);
    const now = admin.locator('mb-admin-dashboard [data-now-playing]');
    await expect.poll(async () => words(await now.textContent()), WAIT).toBe('Night Jazz — Nina Simone - Feeling Good');
  });

  it('adds a station from the panel, says which field is wrong, and shows a dead one as failing after it was skipped', async () => {
    await admin.goto(`${daemon.url}/admin#stations`);
    await admin.getByRole('heading', { name: 'Add a station' }).waitFor(WAIT);
    const form = admin.locator('form.add');
    // Nothing filled in: each field says what it needs, beside it.
    await admin.getByRole('button', { name: 'Add station' }).click();
    await form.locator('#name-error').filter({ hasText: 'Give the station a name.' }).waitFor(WAIT);
    await form.locator('#url-error').filter({ hasText: 'Give the station’s address' }).waitFor(WAIT);
    await form.locator('mb-mood-picker .field-error').filter({ hasText: 'Choose a mood the station plays for.' }).waitFor(WAIT);
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

    // The moods are the library's, picked as on the library page: no free text, so no mood that no song uses.
    // They come with the page's list of stations, after the form shows.
    await form
      .getByLabel('Add mood')
      .locator('option', { hasText: 'calm' })
      .waitFor({ state: 'attached', ...WAIT });
    const moods = await form.getByLabel('Add mood').locator('option').allTextContents();
    expect(moods).toContain('calm');
    expect(moods).not.toContain('chill');
    await form.getByLabel('Add mood').selectOption('calm');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await form.locator('mb-mood-picker .chip[data-mood="calm"]').waitFor(WAIT);
    expect(await form.locator('mb-mood-picker .field-error').count()).toBe(0);

    // The daemon's refusal, beside the field it names, in plain words (not "body.url: expected …").
    await form.getByLabel('Name').fill('Gone FM');
    await form.getByLabel(/^Address/).fill('https://dj:secret@radio.example/live');
    await admin.getByRole('button', { name: 'Add station' }).click();
    const url = form.locator('#url-error');
    await url.filter({ hasText: 'Use an address without a user name or password' }).waitFor(WAIT);
    expect(await form.textContent()).not.toContain('body.');
    const [input, error] = await Promise.all([boxOf(form.getByLabel(/^Address/)), boxOf(url)]);
    expect(error.y - (input.y + input.height)).toBeLessThan(30);
    await shot(admin, 'admin-stations-refused');

    await admin.getByLabel(/^Address/).fill(dead);
    await admin.getByRole('button', { name: 'Add station' }).click();
    await admin.getByRole('status').filter({ hasText: 'Added “Gone FM”.' }).waitFor(WAIT);
    await station('Gone FM').locator('[data-state="ok"]').filter({ hasText: 'Not played yet' }).waitFor(WAIT);

    // Staff skip the playing station: the next pick is the new one, which is dead: it is skipped, and the music plays on.
    await admin.locator('mb-staff-controls button[data-action="skip"]').click();
    await expect.poll(async () => (await admin.reload(), await station('Gone FM').getAttribute('data-failing')), WAIT).toBe('true');
    expect(words(await station('Gone FM').locator('[data-state="failing"]').textContent())).toMatch(
      /^Failing since .+: .+\. Tried again after /,
    );
    await kiosk.locator('section.now[data-state="playing"] .title').filter({ hasText: 'Nina Simone - Feeling Good' }).waitFor(WAIT);
    await shot(admin, 'admin-stations');

    await station('Gone FM').getByRole('button', { name: 'Remove Gone FM' }).click();
    await admin.getByRole('status').filter({ hasText: 'Removed “Gone FM”.' }).waitFor(WAIT);
    expect(await station('Gone FM').count()).toBe(0);
  });
});
