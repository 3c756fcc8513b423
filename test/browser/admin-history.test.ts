import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, WAIT, a11yProblems, addUser, adminPage, shot } from './harness.js';

// The history names tracks and people, filters by a person's name, refuses dates the wrong way round (issue 16, item 7).

const GUEST_PLAYS = 55;

describe('admin history', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  /** Bob, and plays of tracks missing from the folders: many by guests, two by Bob. */
  function seed(dataDir: string): void {
    addUser(dataDir, 'Bob', 'member', '1357');
    const db = new Database(join(dataDir, 'moodbox.db'));
    try {
      const now = Date.now();
      const bob = (db.prepare("SELECT id FROM users WHERE name = 'Bob'").get() as { id: number }).id;
      const track = (uri: string, title: string, artist: string) =>
        Number(
          db
            // Missing from the folders, so the daemon does not play them itself while the test runs.
            .prepare('INSERT INTO tracks (uri, title, artist, album, missing, added_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
            .run(uri, title, artist, 'Test Album', now, now).lastInsertRowid,
        );
      const walk = track('/music/walk.flac', 'Morning Walk', 'The Strollers');
      const hum = track('/music/hum.flac', 'Low Hum', 'Night Shift');
      const play = db.prepare(
        'INSERT INTO plays (track_id, user_id, reason, mood, started_at, ended_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (let i = 0; i < GUEST_PLAYS; i++)
        play.run(hum, null, 'mood', 'neutral', now - 3_600_000 - i * 60_000, now - 3_590_000 - i * 60_000, 'completed');
      // A guest's skip, and a song changed because the room's mood changed.
      play.run(hum, null, 'mood', 'neutral', now - 180_000, now - 170_000, 'skipped');
      play.run(hum, null, 'mood', 'neutral', now - 120_000, now - 110_000, 'switched');
      play.run(walk, bob, 'tap', 'happy', now - 60_000, now - 30_000, 'completed');
      play.run(walk, bob, 'like', 'happy', now - 20_000, null, null);
      // Staff held the mood for half an hour, and let it go after a minute: the switched song played while it was held.
      db.prepare("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, 'admin:1', 'mood.hold', '', ?)").run(
        now - 150_000,
        JSON.stringify({ label: 'happy', minutes: 30, until: now - 150_000 + 1_800_000 }),
      );
      db.prepare("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, 'admin:1', 'mood.release', '', '{}')").run(
        now - 90_000,
      );
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-admin-history-',
      view: '#history',
      viewport: { width: 1280, height: 900 },
      config: { camera: { enabled: false }, library: { folders: [], scanAtStart: false }, player: { audioOutput: 'null' } },
      before: seed,
    });
    page = admin.page;
    await page.locator('tbody tr').first().waitFor(WAIT);
  }, 120_000);

  afterAll(() => admin?.close());

  it('shows each play’s title, artist and person, and pages through a long history', async () => {
    const newest = page.locator('tbody tr').first();
    expect(await newest.locator('[data-cell="track"]').innerText()).toBe('Morning Walk\nThe Strollers');
    expect(await newest.locator('[data-cell="person"]').textContent()).toContain('Bob');
    // Nobody signed in: not "guest", which is a reason a song plays ("asked for by a guest").
    expect((await page.locator('tbody tr').nth(2).locator('[data-cell="person"]').textContent())?.trim()).toBe('nobody');
    // No bare track numbers anywhere in the track column.
    for (const cell of await page.locator('[data-cell="track"]').allTextContents()) expect(cell.trim()).not.toMatch(/^\d+$/);
    const total = GUEST_PLAYS + 4;
    await page
      .locator('.pager')
      .filter({ hasText: `1–50 of ${total}` })
      .waitFor(WAIT);
    await page.getByRole('button', { name: 'Older' }).click();
    await page
      .locator('.pager')
      .filter({ hasText: `51–${total} of ${total}` })
      .waitFor(WAIT);
    expect(await page.locator('tbody tr').count()).toBe(total - 50);
    await page.getByRole('button', { name: 'Newer' }).click();
    await page
      .locator('.pager')
      .filter({ hasText: `1–50 of ${total}` })
      .waitFor(WAIT);
    await shot(page, 'admin-history');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('says a song changed for the room was changed for the room, and a person’s skip was a skip', async () => {
    expect((await page.locator('[data-outcome="switched"]').allTextContents()).map((t) => t.trim())).toEqual(['changed for the room']);
    expect((await page.locator('[data-outcome="skipped"]').allTextContents()).map((t) => t.trim())).toEqual(['skipped by a person']);
    expect(await page.locator('tbody').textContent()).not.toMatch(/\bswitched\b/);
    expect((await page.locator('[data-outcome="completed"]').first().textContent())?.trim()).toBe('played to the end');
  });

  it('says a song picked while staff held the mood played for the mood staff held, not the room’s (issue 40)', async () => {
    const why = (row: number) => page.locator('tbody tr').nth(row).locator('[data-cell="why"]');
    // Newest first: Bob's like and tap, the song changed while the mood was held, the skipped one before the hold.
    await expect.poll(async () => (await why(2).textContent())?.trim(), WAIT).toBe('the mood staff held');
    expect((await why(3).textContent())?.trim()).toBe('the room mood');
  });

  it('filters by a person chosen by name', async () => {
    const person = page.getByLabel('Signed in');
    expect(await person.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await person.locator('option').allTextContents()).toEqual(['Anyone or nobody', 'Bob', 'Root']);
    await person.selectOption({ label: 'Bob' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.pager').filter({ hasText: '1–2 of 2' }).waitFor(WAIT);
    expect((await page.locator('[data-cell="person"]').allTextContents()).map((name) => name.trim())).toEqual(['Bob', 'Bob']);
  });

  it('filters by a mood chosen from the moods plays are recorded with, named as the panel names them', async () => {
    const mood = page.getByLabel(/^Mood/);
    expect(await mood.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await mood.locator('option').allTextContents()).toEqual([
      'Any mood',
      'Neutral',
      'Happy',
      'Sad',
      'Surprised',
      'Tense',
      'Uneasy',
      'Put off',
      'Unimpressed',
      'Nobody here',
    ]);
    await page.getByLabel('Signed in').selectOption({ label: 'Anyone or nobody' });
    await mood.selectOption({ label: 'Neutral' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page
      .locator('.pager')
      .filter({ hasText: `1–50 of ${GUEST_PLAYS + 2}` })
      .waitFor(WAIT);
    expect(new Set((await page.locator('[data-cell="mood"]').allTextContents()).map((m) => m.trim()))).toEqual(new Set(['Neutral']));
    await mood.selectOption({ label: 'Happy' });
    await page.getByLabel('Signed in').selectOption({ label: 'Bob' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.pager').filter({ hasText: '1–2 of 2' }).waitFor(WAIT);
    expect((await page.locator('[data-cell="mood"]').allTextContents()).map((m) => m.trim())).toEqual(['Happy', 'Happy']);
    await mood.selectOption({ label: 'Any mood' });
  });

  it('refuses a From date after the To date at the field, and takes it once fixed', async () => {
    await page.getByLabel('From', { exact: true }).fill('2026-05-10');
    await page.getByLabel('To', { exact: true }).fill('2026-05-01');
    const problem = page.locator('#date-problem');
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toBe(
      '“To” (2026-05-01) is before “From” (2026-05-10): choose a To date on or after the From date.',
    );
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await shot(page, 'admin-history-dates');
    await page.getByLabel('To', { exact: true }).fill('2026-05-10');
    await problem.waitFor({ state: 'detached', ...WAIT });
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No plays match these filters.').waitFor(WAIT);
  });

  it('exports the matching plays as CSV with titles and names', async () => {
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.pager').filter({ hasText: '1–2 of 2' }).waitFor(WAIT);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,trackId,userId,reason,mood,startedAt,endedAt,outcome,title,artist,person');
    expect(csv.filter((line) => line !== '')).toHaveLength(3);
    expect(csv[1]).toMatch(/,Morning Walk,The Strollers,Bob$/);
  });
});
