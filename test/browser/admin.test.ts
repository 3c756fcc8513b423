import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  saveSettings,
  shot,
  signInToAdmin,
  startDaemon,
  tempDir,
} from './harness.js';
import { makeScanLibrary, type TestLibrary } from './test-library.js';

/** Enough files that the scan takes a few seconds, so its progress can be seen. */
const SCAN_TRACKS = 1200;

/** The cookies of the browser's session, for calling the daemon from the test. */
async function cookieHeader(browser: Browser): Promise<string> {
  return (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

async function signIn(page: Page, url: string, name: string, passphrase: string): Promise<void> {
  await signInToAdmin(page, `${url}/admin`, name, passphrase);
}

describe('admin panel against the real daemon', { timeout: 120_000 }, () => {
  const data = tempDir('mb-admin-');
  const music = tempDir('mb-admin-music-');
  let library: TestLibrary;
  let daemon: Daemon;
  let browser: Browser;
  let trackId = 0;

  beforeAll(async () => {
    assertBuilt();
    library = makeScanLibrary(music.path, { tracks: SCAN_TRACKS, albums: 8 });
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    addUser(data.path, 'Bob', 'member', '1357');
    // The folder is scanned only when the test asks, from the panel.
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, library: { folders: [music.path], scanAtStart: false } } });
    const db = new Database(join(data.path, 'moodbox.db'));
    try {
      const now = Date.now();
      const row = db
        .prepare('INSERT INTO tracks (uri, title, artist, album, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run('/music/zeta.flac', 'Zeta Lullaby', 'Test Artist', 'Test Album', now, now);
      trackId = Number(row.lastInsertRowid);
    } finally {
      db.close();
    }
    browser = await launchBrowser({ width: 1280, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
    music.remove();
  });

  it('refuses a wrong passphrase, then signs in', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/admin`);
    await page.getByLabel('Name').fill('Root');
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.signin .error').waitFor(WAIT);
    // Where no one can sign in, the page says how to add an admin on the box.
    await page.getByText('No one can sign in?').click();
    expect(await page.locator('[data-recover]').innerText()).toMatch(/user add NAME --role admin[\s\S]*user pin NAME/);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Room mood over time' }).waitFor(WAIT);
    await shot(page, 'admin-dashboard');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('edits a mood tag in the library with the keyboard', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByLabel('Search').fill('Zeta');
    const row = page.locator(`tr[data-track-id="${trackId}"]`);
    await row.waitFor(WAIT);
    await row.getByLabel('Add mood').selectOption('calm');
    await row.getByRole('button', { name: 'Add', exact: true }).press('Enter');
    await row.locator('.chip[data-mood="calm"]').waitFor(WAIT);
    await shot(page, 'admin-library');
    expect(await a11yProblems(page)).toEqual([]);
    const response = await fetch(`${daemon.url}/api/admin/tracks?search=Zeta`, { headers: { cookie: await cookieHeader(browser) } });
    const body = (await response.json()) as { items: Array<{ id: number; moods: Array<{ mood: string; origin: string }> }> };
    expect(body.items.find((t) => t.id === trackId)?.moods).toEqual([expect.objectContaining({ mood: 'calm', origin: 'admin' })]);
    await row.getByRole('button', { name: 'Remove mood calm from Zeta Lullaby' }).click();
    await row.locator('.chip').waitFor({ state: 'detached', ...WAIT });
  });

  it('scans the music folders from the panel, with a progress bar, then shows the result and the covers', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByLabel('Search').fill('');
    const scan = page.locator('section.scan');
    await scan.getByRole('button', { name: 'Scan music folders' }).waitFor(WAIT);
    expect(await page.locator('[data-state="scan-unavailable"]').count()).toBe(0);
    // With the keyboard: focus the button and press Enter.
    await scan.getByRole('button', { name: 'Scan music folders' }).focus();
    await page.keyboard.press('Enter');
    const bar = scan.getByRole('progressbar', { name: 'Scanning music folders' });
    await bar.waitFor({ state: 'visible', ...WAIT });
    await scan
      .locator('.progress p')
      .filter({ hasText: /[\d,]+ of [\d,]+ files/ })
      .waitFor(WAIT);
    const progress = await bar.evaluate((el) => ({ value: (el as HTMLProgressElement).value, max: (el as HTMLProgressElement).max }));
    expect(progress.max).toBe(library.files);
    expect(progress.value).toBeGreaterThan(0);
    expect(progress.value).toBeLessThan(library.files);
    await shot(page, 'admin-library-scanning');
    expect(await a11yProblems(page)).toEqual([]);

    const result = scan.locator('.result');
    await result.waitFor({ state: 'visible', timeout: 120_000 });
    expect(await bar.count()).toBe(0);
    // Counts as the reader's language writes numbers: "1,200" in English.
    expect(await result.locator('[data-count="added"]').textContent()).toBe(`${library.readable.toLocaleString('en')} added`);
    expect(await result.locator('[data-count="updated"]').textContent()).toBe('0 updated');
    // Zeta Lullaby's file is in no music folder: it leaves the library at the scan.
    expect(await result.locator('[data-count="missing"]').textContent()).toBe('1 missing');
    expect(await result.textContent()).toContain(`${library.files.toLocaleString('en')} files`);
    const failed = await result.locator('ul.failed li').allTextContents();
    expect(failed).toHaveLength(2);
    for (const path of library.unreadable) expect(failed.some((line) => line.startsWith(path))).toBe(true);
    await scan.getByRole('button', { name: 'Scan music folders' }).waitFor(WAIT);

    // The list reloads after the scan: the new tracks with their cover thumbnails.
    await page.getByLabel('Search').fill('Test Track 00');
    // The list is the search's once it holds its nine tracks (Zeta Lullaby left with the scan).
    await expect.poll(() => page.locator('tbody tr').count(), WAIT).toBe(9);
    const first = page.locator('tbody tr').filter({ hasText: 'Test Track 001' });
    await first.waitFor(WAIT);
    const cover = first.locator('mb-cover img');
    await cover.waitFor(WAIT);
    const src = (await cover.getAttribute('src')) ?? '';
    expect(src).toMatch(/^\/api\/covers\/[0-9a-f]{64}\.png$/);
    expect(await cover.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBe(48);
    const response = await fetch(`${daemon.url}${src}`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(response.headers.get('cache-control')).toContain('immutable');
    await shot(page, 'admin-library-scanned');
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByLabel('Search').fill('');
  });

  it('shows the model report: int8 and float accuracy, FER+ majority, and the two plots', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Model' }).click();
    await page.getByRole('heading', { name: /In use: emotion-int8\.onnx/ }).waitFor(WAIT);
    expect(await page.locator('[data-state="not-available"]').count()).toBe(0);
    const figure = async (name: string): Promise<number> =>
      Number.parseFloat((await page.locator(`[data-figure="${name}"] strong`).textContent()) ?? '');
    for (const name of ['int8', 'float', 'ferplus']) {
      const value = await figure(name);
      expect(value, name).toBeGreaterThan(50);
      expect(value, name).toBeLessThan(100);
    }
    expect(await page.locator('tbody tr[data-precision="int8"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('tbody tr[data-precision="float"]').count()).toBeGreaterThanOrEqual(1);
    for (const file of ['curves.png', 'confusion.png']) {
      const img = page.locator(`figure[data-image="${file}"] img`);
      await img.scrollIntoViewIfNeeded();
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), WAIT).toBeGreaterThan(100);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'admin-model');
    await page.setViewportSize({ width: 1280, height: 2200 });
    await shot(page, 'admin-model-full');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('says why the live camera view is off', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Camera' }).click();
    const message = page.locator('[data-state="no-preview"]');
    // In the owner's words, pointing at the switches in Settings rather than at configuration keys.
    await message.filter({ hasText: 'The camera and its live view are off.' }).waitFor(WAIT);
    expect(await message.textContent()).not.toMatch(/vision\.preview|camera\.enabled|true/);
    expect(await page.locator('[data-camera]').textContent()).toBe('off');
    await shot(page, 'admin-camera-off');
    expect(await a11yProblems(page)).toEqual([]);
    await message.getByRole('link', { name: '“Keep a blurred live view for this panel”' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor(WAIT);
    const preview = page.locator('[data-setting="vision.preview"]').getByRole('switch');
    await expect.poll(() => preview.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), WAIT).toBe(true);
    expect(await preview.isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Camera' }).click();
  });

  it('links a card by typing its ID', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Users and cards' }).click();
    await page.getByRole('button', { name: 'Edit Bob' }).click();
    const bob = page.locator('dialog[data-user="Bob"]');
    await bob.waitFor(WAIT);
    await bob.getByLabel('Card ID').fill('04A1B2C3');
    await bob.getByLabel('Label').fill('Blue fob');
    await bob.getByRole('button', { name: 'Link card' }).click();
    await bob.locator('li[data-card="04A1B2C3"]').waitFor(WAIT);
    expect(await bob.getByRole('status').first().textContent()).toContain('Linked card 04A1B2C3 to Bob');
    await shot(page, 'admin-users');
    expect(await a11yProblems(page)).toEqual([]);
    await bob.getByRole('button', { name: 'Close' }).click();
    await bob.waitFor({ state: 'detached', ...WAIT });
  });

  it('builds the settings form from the schema with restart flags and validation', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Settings' }).click();
    // The network settings have a tab of their own (issue 58).
    await page.getByRole('tab', { name: 'Network' }).click();
    const port = page.locator('[data-setting="server.port"]');
    await port.waitFor(WAIT);
    expect(await port.locator('[data-restart]').count()).toBe(1);
    await port.locator('input').fill('70000');
    await port.locator('.error').filter({ hasText: 'at most 65535' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await shot(page, 'admin-settings');
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('shows history and the audit log of what was just done', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Audit log' }).click();
    // In words: who did what, with the details as named fields.
    await page.locator('tr[data-action="card.link"]').filter({ hasText: 'Linked a card to Bob' }).waitFor(WAIT);
    await page.locator('tr[data-action="track.moods"]').filter({ hasText: 'Changed the moods of' }).first().waitFor(WAIT);
    expect(await page.locator('mb-admin-audit tbody').textContent()).not.toMatch(/[{}"]/);
    await shot(page, 'admin-audit');
  });
});

describe('the demo admin must choose a new passphrase', { timeout: 120_000 }, () => {
  const data = tempDir('mb-admin-demo-');
  let daemon: Daemon;
  let browser: Browser;
  const NEW_PASSPHRASE = 'a passphrase only I know';

  beforeAll(async () => {
    assertBuilt();
    // Demo mode (no configuration file), with what the browser tests run instead of the camera and speakers.
    saveSettings(data.path, { ...TEST_CONFIG });
    daemon = await startDaemon(data.path, { config: null });
    browser = await launchBrowser({ width: 1280, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('signs in with the printed demo passphrase, is held at the change form, and goes on once it is changed', async () => {
    const { page } = browser;
    expect(daemon.stderr()).toContain('Admin sign-in: admin / moodbox-demo-admin');
    await signIn(page, daemon.url, 'admin', 'moodbox-demo-admin');
    const form = page.getByRole('form', { name: 'Choose a new passphrase' });
    await form.waitFor(WAIT);
    expect(await page.getByRole('navigation').count()).toBe(0);
    await shot(page, 'admin-passphrase-change');
    expect(await a11yProblems(page)).toEqual([]);

    // The daemon holds the line too, not only the screen.
    const refused = await fetch(`${daemon.url}/api/admin/users`, { headers: { cookie: await cookieHeader(browser) } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^Choose a new passphrase first/);

    // Too short: said beside the field in the panel's own words (no browser pop-up), before the daemon is asked.
    await form.getByLabel('Current passphrase').fill('moodbox-demo-admin');
    await form.getByLabel('New passphrase', { exact: true }).fill('short');
    await form.getByLabel('Repeat the new passphrase').fill('short');
    await form.getByRole('button', { name: 'Save the new passphrase' }).click();
    const short = form.locator('#next-error');
    await short.filter({ hasText: 'Use at least 10 characters (this one has 5).' }).waitFor(WAIT);
    expect(await form.getByLabel('New passphrase', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const [field, error] = await Promise.all([boxOf(form.getByLabel('New passphrase', { exact: true })), boxOf(short)]);
    expect(error.y - (field.y + field.height)).toBeLessThan(30);
    await shot(page, 'admin-passphrase-short');
    await form.getByLabel('Current passphrase').fill('');
    await form.getByLabel('New passphrase', { exact: true }).fill('');
    await form.getByLabel('Repeat the new passphrase').fill('');

    // With the keyboard only: the fields in order, then Enter.
    await form.getByLabel('Current passphrase').focus();
    await page.keyboard.type('moodbox-demo-admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PASSPHRASE);
    await page.keyboard.press('Tab');
    await page.keyboard.type('a different one entirely');
    await page.keyboard.press('Enter');
    await form.getByRole('alert').filter({ hasText: 'The two new passphrases differ' }).waitFor(WAIT);

    await form.getByLabel('Current passphrase').fill('not the passphrase');
    await form.getByLabel('Repeat the new passphrase').fill(NEW_PASSPHRASE);
    await form.getByRole('button', { name: 'Save the new passphrase' }).click();
    await form.getByRole('alert').filter({ hasText: 'The current passphrase is not right.' }).waitFor(WAIT);
    await shot(page, 'admin-passphrase-wrong');

    await form.getByLabel('Current passphrase').fill('moodbox-demo-admin');
    await form.getByRole('button', { name: 'Save the new passphrase' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
    const users = await fetch(`${daemon.url}/api/admin/users`, { headers: { cookie: await cookieHeader(browser) } });
    expect(users.status).toBe(200);
    expect(((await users.json()) as Array<{ name: string; mustChangePin: boolean }>).find((u) => u.name === 'admin')?.mustChangePin).toBe(
      false,
    );

    await page.getByRole('button', { name: 'Sign out' }).click();
    // Signed out once the sign-in form shows: a page loaded before the daemon ended the session would still be signed in.
    await page.getByLabel('Name').waitFor(WAIT);
    await signIn(page, daemon.url, 'admin', 'moodbox-demo-admin');
    await page.locator('.signin .error').waitFor(WAIT);
    await signIn(page, daemon.url, 'admin', NEW_PASSPHRASE);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
  });
});

describe('the live camera view', { timeout: 120_000 }, () => {
  const data = tempDir('mb-admin-camera-');
  let daemon: Daemon;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    // The bundled demo clip as the camera, with previews kept for the admin.
    daemon = await startDaemon(data.path, {
      config: { ...TEST_CONFIG, camera: { enabled: true, source: 'demo' }, vision: { preview: true } },
    });
    browser = await launchBrowser({ width: 1280, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('shows the blurred preview, refreshed about once a second while the page is open', async () => {
    const { page } = browser;
    /** Each preview the page asked for. */
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/admin/camera/preview.jpg')) asked.push(request.url());
    });
    await signIn(page, daemon.url, 'Root', PASSPHRASE);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
    // The demo clip is a recording, and the dashboard says so: never "camera on".
    await page.locator('mb-admin-dashboard p').filter({ hasText: 'demo camera (a recorded clip)' }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Camera' }).click();
    const img = page.locator('figure[data-state="preview"] img');
    await img.waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), WAIT).toBeGreaterThan(0);
    expect(await page.locator('[data-camera]').textContent()).toBe('on');
    expect(await img.getAttribute('alt')).toMatch(/^Live camera view, blurred, taken at /);
    // Four pictures in turn: each one shows once the page has fetched the one after.
    const sources = [(await img.getAttribute('src')) ?? ''];
    while (sources.length < 4) {
      const handle = await img.elementHandle();
      await page.waitForFunction(
        ([el, before]) => el instanceof HTMLImageElement && el.getAttribute('src') !== before,
        [handle, sources.at(-1)] as const,
        WAIT,
      );
      sources.push((await img.getAttribute('src')) ?? '');
    }
    expect(new Set(sources).size).toBe(4);
    // About once a second, by the page's own clock: never sooner than a second after the one before
    // (a busy machine may only make it later).
    const startedAt = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('/api/admin/camera/preview.jpg'))
        .map((entry) => entry.startTime),
    );
    const gaps = startedAt.slice(1).map((at, i) => at - (startedAt[i] ?? 0));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
    await shot(page, 'admin-camera-live');
    expect(await a11yProblems(page)).toEqual([]);

    // Leaving the page stops the refresh. The marker: a timer of the page set after leaving, for
    // longer than the refresh waits, and a request sent when it fires: a refresh scheduled before
    // leaving would have fired, and been asked for, first.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor(WAIT);
    const after = asked.length;
    const marker = page.waitForRequest((request) => request.url().endsWith('/api/health?after-the-camera'), WAIT);
    await page.evaluate(() => {
      setTimeout(() => void fetch('/api/health?after-the-camera'), 1500);
    });
    await marker;
    expect(asked.length).toBe(after);
  });

  it('draws a box over each face with its track and emotion, and bars of its emotion probabilities, with or without the picture', async () => {
    const { page } = browser;
    const EMOTION = '(Angry|Disgust|Fear|Happy|Sad|Surprise|Neutral)';
    const facesFetched: number[] = [];
    page.on('requestfinished', (request) => {
      if (request.url().endsWith('/api/admin/camera/faces')) facesFetched.push(Date.now());
    });
    await page.getByRole('link', { name: 'Camera' }).click();
    const figure = page.locator('figure[data-state="preview"]');
    // The demo clip has someone in view from 6 s to 295 s of every 330 s.
    await figure.locator('[data-tag]').first().waitFor({ state: 'visible', timeout: 60_000 });
    const started = Date.now();

    // Box, tag and bars of the same frame: the tags and bar tables name the same tracks.
    const view = await page.locator('mb-admin-camera').evaluate((host) => {
      const root = host.shadowRoot;
      const img = root?.querySelector('figure[data-state="preview"] img')?.getBoundingClientRect();
      const boxes = [...(root?.querySelectorAll('svg[data-boxes] rect.box') ?? [])].map(
        (r) => r.getBoundingClientRect().toJSON() as DOMRect,
      );
      const tags = [...(root?.querySelectorAll('[data-tag]') ?? [])].map((t) => t.textContent?.trim() ?? '');
      const tables = [...(root?.querySelectorAll('table[data-face]') ?? [])].map((t) => ({
        caption: t.querySelector('caption')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
        rows: [...t.querySelectorAll('tbody tr')].map((r) => ({
          label: r.querySelector('th')?.textContent?.trim() ?? '',
          value: r.querySelector('td.num')?.textContent?.trim() ?? '',
          bar: r.querySelector<HTMLElement>('.bar')?.style.width ?? '',
          isTop: r.hasAttribute('data-top'),
        })),
      }));
      return { img: img?.toJSON() as DOMRect | undefined, boxes, tags, tables };
    });
    expect(view.tags.length).toBeGreaterThan(0);
    expect(view.boxes).toHaveLength(view.tags.length);
    expect(view.tables).toHaveLength(view.tags.length);
    for (const tag of view.tags) expect(tag).toMatch(new RegExp(`^#\\d+ ${EMOTION} \\d+%$`));
    // The boxes are scaled from the frame onto the picture: inside it, and the size of a face, not of the frame.
    const img = view.img;
    if (img === undefined) throw new Error('Expected the picture to be drawn, got none');
    for (const box of view.boxes) {
      expect(box.left).toBeGreaterThanOrEqual(img.left - 1);
      expect(box.right).toBeLessThanOrEqual(img.right + 1);
      expect(box.top).toBeGreaterThanOrEqual(img.top - 1);
      expect(box.bottom).toBeLessThanOrEqual(img.bottom + 1);
      // The demo's faces are 28-64 px of its 640 px frame.
      expect(box.width).toBeGreaterThan(img.width * 0.03);
      expect(box.width).toBeLessThan(img.width * 0.5);
    }
    for (const [i, table] of view.tables.entries()) {
      const track = /^#(\d+) /.exec(view.tags[i] ?? '')?.[1];
      expect(table.caption).toMatch(new RegExp(`^Face #${track}: ${EMOTION} \\d+%$`));
      expect(table.rows.map((r) => r.label).sort()).toEqual(['Angry', 'Disgust', 'Fear', 'Happy', 'Neutral', 'Sad', 'Surprise']);
      for (const row of table.rows) {
        expect(row.value).toMatch(/^\d+%$/);
        expect(row.bar).toMatch(/^\d+(\.\d)?%$/);
      }
      const top = table.rows.filter((r) => r.isTop);
      expect(top).toHaveLength(1);
      expect(table.caption).toContain(`${top[0]?.label} ${top[0]?.value}`);
    }
    // How large the faces appear in this room, and, when most are small, what to change.
    const sizes = page.locator('mb-admin-camera [data-sizes]');
    await expect.poll(() => sizes.getAttribute('data-sizes'), WAIT).toMatch(/^(fine|small)$/);
    const sized = (await sizes.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
    expect(sized).toMatch(
      /^How large faces appear: \d+(–\d+)? px wide, most about \d+ px, over the last (minute|\d+ minutes) \(640x480 camera\)\./,
    );
    if ((await sizes.getAttribute('data-sizes')) === 'fine') expect(sized).toMatch(/Large enough to read expressions well\.$/);
    else expect(sized).toMatch(/place the camera nearer the tables or lower, at eye height, or use a 1280x720 camera/);
    // The light on the faces over the last hour: the demo's room is lit, so readable throughout, with no advice.
    const light = page.locator('mb-admin-camera [data-light]');
    await expect.poll(() => light.getAttribute('data-light'), WAIT).toBe('fine');
    expect((await light.textContent())?.replace(/\s+/g, ' ').trim()).toMatch(
      /^Light on the faces: readable now\. Faces were in view for \d+ minutes? of the last hour, and readable throughout\.$/,
    );
    expect(await light.locator('.hour span').count()).toBe(60);
    expect(await light.locator('.hour span.lit').count()).toBeGreaterThan(0);
    await shot(page, 'admin-camera-faces');
    expect(await a11yProblems(page)).toEqual([]);

    // Fetched with the preview, one round at a time, a second after the last answer: the panel keeps
    // fetching, and no faster than that (how much slower depends on how busy the machine is).
    await expect.poll(() => facesFetched.filter((at) => at >= started).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    const rounds = facesFetched.filter((at) => at >= started);
    const meanGapMs = ((rounds.at(-1) ?? 0) - (rounds[0] ?? 0)) / (rounds.length - 1);
    expect(meanGapMs).toBeGreaterThan(500);

    // With previews off the daemon keeps no picture: the boxes and bars go on over an empty panel the frame's size.
    await page.route('**/api/admin/camera/preview.jpg', (route) =>
      route.fulfill({
        status: 404,
        json: { error: { code: 'MB_ERR_NOT_FOUND', message: 'The live view is off: set vision.preview to true and restart Moodbox.' } },
      }),
    );
    const panel = page.locator('figure[data-state="faces-only"]');
    await panel.waitFor(WAIT);
    await panel.locator('[data-tag]').first().waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('figure img').count()).toBe(0);
    expect(await panel.locator('figcaption').textContent()).toMatch(/The live view is off.*always blurred/s);
    const size = await boxOf(panel.locator('.frame'));
    // The demo camera's frames are 640x480.
    expect(size.width / size.height).toBeCloseTo(4 / 3, 1);
    await expect
      .poll(async () => (await page.locator('table[data-face] caption').first().textContent())?.replace(/\s+/g, ' '), WAIT)
      .toMatch(new RegExp(`Face #\\d+: ${EMOTION} \\d+%`));
    await shot(page, 'admin-camera-faces-no-picture');
    expect(await a11yProblems(page)).toEqual([]);
    await page.unroute('**/api/admin/camera/preview.jpg');
  });

  it('says on the dashboard how many faces are in view and how each looks as it votes on the room mood (issue 37)', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const line = page.locator('mb-admin-dashboard [data-faces-by-emotion]');
    // "18 faces: 11 neutral, 6 happy, 1 sad": once the clip has people in view, their counts add up to the faces.
    let text = '';
    await expect
      .poll(
        async () => {
          text = (await line.textContent())?.trim() ?? '';
          return /^\d+ faces?: /.test(text);
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const [, total = '', parts = ''] = /^(\d+) faces?: (.+)$/.exec(text) ?? [];
    const counts = parts.split(', ').map((part) => /^(\d+) (angry|disgust|fear|happy|sad|surprise|neutral|unsure)$/.exec(part));
    expect(
      counts.every((c) => c !== null),
      text,
    ).toBe(true);
    expect(counts.reduce((sum, c) => sum + Number(c?.[1] ?? 0), 0)).toBe(Number(total));
    await shot(page, 'admin-dashboard-faces-by-emotion');
    expect(await a11yProblems(page)).toEqual([]);
  });
});
