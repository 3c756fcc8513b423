import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryFit, StateSnapshot } from '../../src/daemon/http/contract.js';
import { type AdminPage, type Browser, type Daemon, WAIT, a11yProblems, adminPage, shot } from './harness.js';
import { asStaff } from './kiosk-daemon.js';

// Staff now playing and queue on the dashboard, and the library's warnings (issue 28), against the
// real daemon, mpv (--ao=null) and Chromium.

async function cookieHeader(browser: Browser): Promise<string> {
  return (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('now playing and the queue for staff', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;

  /** The player as every screen sees it. */
  const player = async (): Promise<StateSnapshot['player']> =>
    ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data.player;
  const card = () => page.locator('mb-admin-dashboard mb-now-playing-card');
  const picker = () => page.locator('mb-admin-dashboard mb-staff-picker');

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-now-', heading: 'Now playing', viewport: { width: 1366, height: 768 } });
    ({ daemon, browser, page } = admin);
  }, 120_000);

  afterAll(() => admin?.close());

  it('shows the song with its cover, elapsed and total time, ticking', async () => {
    await expect.poll(async () => (await player()).status, WAIT).toBe('playing');
    const now = (await player()).nowPlaying;
    await card()
      .locator(`[data-now="${now?.id ?? 0}"]`)
      .waitFor(WAIT);
    expect(await card().locator('[data-now-playing]').textContent()).toContain(now?.title ?? '?');
    await card().locator('mb-cover').first().waitFor(WAIT);
    const total = card().locator('[data-total]');
    expect(Number(await total.getAttribute('data-total'))).toBe(Math.floor((now?.durationMs ?? 0) / 1000));
    expect(await total.textContent()).toMatch(/^\d+:\d\d$/);
    const elapsed = card().locator('[data-elapsed]');
    const first = Number(await elapsed.getAttribute('data-elapsed'));
    await expect.poll(async () => Number(await elapsed.getAttribute('data-elapsed')), WAIT).toBeGreaterThanOrEqual(first + 2);
    expect(await elapsed.textContent()).toMatch(/^\d+:\d\d$/);
    // The camera is off in the tests' configuration: the song is not "for the room", it
    // follows the default mood, and says so (the same words the kiosk and the guest page get).
    expect(await card().locator('[data-why]').textContent()).toBe('Follows the default mood, calm, with no reading of the room.');
    expect((await player()).nowPlaying?.whySaid?.id).toBe('ground.default');
    // What comes next: the queue, then what Moodbox would pick from now, at least three with covers.
    await card().locator('[data-queue] li mb-cover').first().waitFor(WAIT);
    await expect.poll(async () => card().locator('li mb-cover').count(), WAIT).toBeGreaterThanOrEqual(3);
    // Nothing on the card says "for the room" while nothing reads it.
    await card().getByRole('heading', { name: 'Likely later', exact: true }).waitFor(WAIT);
    // A song next that the music picked for the same reason says it once, above.
    const next = card().locator('[data-queue] li[data-reason="mood"]').first();
    await next.waitFor(WAIT);
    expect(await next.textContent()).not.toContain('Follows the default mood');
    expect(await card().getByText('After that, Moodbox picks as it goes, with no reading of the room.').count()).toBe(1);
    expect(await card().textContent()).not.toMatch(/for the room/i);
  });

  it('finds a song, plays it next: the queue shows it with its cover, and it plays after a skip', async () => {
    const playing = (await player()).nowPlaying;
    // A song that is not the one playing.
    const [query, title] = playing?.title === 'Lemon Fizz' ? ['neon', 'Neon Runner'] : ['lemon', 'Lemon Fizz'];
    await picker().getByLabel('Find a song').fill(query);
    await picker().getByRole('button', { name: 'Search' }).click();
    const result = picker().locator('[data-results] li').filter({ hasText: title });
    await result.waitFor(WAIT);
    const id = Number(await result.getAttribute('data-choice'));
    expect(id).not.toBe(playing?.id);
    // "Listen" stays, apart from the speakers' buttons.
    expect(await result.getByRole('button', { name: `Listen here to “${title}”` }).count()).toBe(1);
    await result.getByRole('button', { name: `Play next: “${title}”` }).click();
    await picker()
      .getByRole('status')
      .filter({ hasText: `“${title}” plays next on the speakers.` })
      .waitFor(WAIT);

    const queued = card().locator(`[data-queue] li[data-queued="${id}"][data-reason="staff"]`);
    await queued.waitFor(WAIT);
    expect(await queued.textContent()).toMatch(new RegExp(`${title}[\\s\\S]*Chosen by staff`));
    await expect.poll(async () => (await player()).next?.id, WAIT).toBe(id);
    await shot(page, 'admin-dashboard-queue');
    expect(await a11yProblems(page)).toEqual([]);

    await page.locator('mb-admin-dashboard mb-staff-controls').getByRole('button', { name: 'Skip' }).click();
    await expect.poll(async () => (await player()).nowPlaying?.id, WAIT).toBe(id);
    await card().locator(`[data-now="${id}"]`).waitFor(WAIT);
    expect(await card().locator('[data-why]').textContent()).toContain('Chosen by staff');
  });

  it('shows the library’s warnings with what to do about them', async () => {
    const fit = (await (
      await fetch(`${daemon.url}/api/admin/library/fit`, { headers: { cookie: await cookieHeader(browser) } })
    ).json()) as LibraryFit;
    const warnings = page.locator('mb-admin-dashboard mb-library-warnings');
    // The browser tests' daemon does not analyse the demo music: every song is said to be not analysed.
    const notAnalysed = warnings.locator('[data-warning="not-analysed"]');
    await notAnalysed.waitFor(WAIT);
    expect(fit.notAnalysed).toBeGreaterThan(0);
    expect(await notAnalysed.textContent()).toMatch(
      new RegExp(`${fit.notAnalysed} songs are not analysed yet[\\s\\S]*Listen to every local track`),
    );
    for (const { mood, fitting } of fit.moods.filter((m) => m.fitting < fit.fewBelow)) {
      const warning = warnings.locator(`[data-warning="${fitting === 0 ? 'no' : 'few'}-fit:${mood}"]`);
      const text = (await warning.textContent()) ?? '';
      expect(text).toMatch(fitting === 0 ? /No songs fit a/ : new RegExp(`Few songs fit an? [a-z ,-]+ room \\(${fitting}\\)`));
      expect(text).toContain(`“${mood}” in Library`);
    }
  });

  // A song staff put next and then blocked still showed as playing next, with "Play now".
  it('blocking the song staff put next takes it out at once: the music picks another, and nothing offers to play it', async () => {
    // Paused: no song ends meanwhile and takes the song put next out of the queue to play it.
    await asStaff(daemon, 'POST', '/api/admin/player/pause');
    try {
      await blockTheSongPutNext();
    } finally {
      await asStaff(daemon, 'POST', '/api/admin/player/resume');
    }
  });

  async function blockTheSongPutNext(): Promise<void> {
    // The pause has taken hold (the daemon says so) before a song is put next: a pause asked for as
    // one song gives way to the next would leave the music going on to the song put next.
    await expect.poll(async () => (await player()).status, WAIT).toBe('paused');
    const { nowPlaying } = await player();
    // A song that is not the one playing, found by its title: the last search's list stays until
    // this one answers, and a row taken by its place could be another song by the time it is tapped.
    const [query, title] = nowPlaying?.title === 'Bicycle Bell' ? ['neon', 'Neon Runner'] : ['bicycle', 'Bicycle Bell'];
    await picker().getByLabel('Find a song').fill(query);
    await picker().getByRole('button', { name: 'Search' }).click();
    const row = picker().locator('[data-results] li').filter({ hasText: title });
    await row.waitFor(WAIT);
    const id = Number(await row.getAttribute('data-choice'));
    await row.getByRole('button', { name: `Play next: “${title}”` }).click();
    await picker()
      .getByRole('status')
      .filter({ hasText: `“${title}” plays next on the speakers.` })
      .waitFor(WAIT);
    const queued = card().locator(`[data-queue] li[data-queued="${id}"]`);
    await queued.waitFor(WAIT);

    await queued.getByRole('button', { name: `Block “${title}”` }).click();
    // The picker no longer says it plays next, nor offers to play it.
    await picker()
      .getByRole('status')
      .filter({ hasText: `“${title}” is blocked: it no longer plays here (Blocked music lifts it).` })
      .waitFor(WAIT);
    const blocked = picker().locator(`[data-results] li[data-choice="${id}"]`);
    expect(await blocked.locator('a[data-blocked]').textContent()).toBe('Blocked');
    expect(await blocked.getByRole('button', { name: /^Play (now|next)/ }).count()).toBe(0);
    // The music picks another song next at once, not nothing; no screen shows the blocked one.
    await expect.poll(async () => (await player()).next?.id ?? null, WAIT).not.toBeNull();
    const after = await player();
    expect(after.next?.id).not.toBe(id);
    await expect
      .poll(
        async () =>
          card()
            .locator(`[data-queue] li[data-queued="${after.next?.id ?? 0}"]`)
            .count(),
        WAIT,
      )
      .toBe(1);
    expect(await card().locator(`[data-queue] li[data-queued="${id}"]`).count()).toBe(0);
    const state = ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;
    expect(state.suggestions.map((t) => t.id)).not.toContain(id);
  }

  it('fits a phone: no view wider than 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await card().locator('[data-now-playing]').waitFor(WAIT);
    await shot(page, 'admin-dashboard-now-playing');
    // On a phone the search and the library's notes are closed under "More" (issue 58).
    const more = page.locator('mb-admin-dashboard section.more');
    await more.locator('summary').filter({ hasText: 'Play a song' }).click();
    await more.locator('summary').filter({ hasText: 'Library notes' }).click();
    for (const [part, name] of [
      [card(), 'admin-dashboard-now-playing-card'],
      [picker(), 'admin-dashboard-picker'],
      [page.locator('mb-admin-dashboard mb-library-warnings'), 'admin-dashboard-library-warnings'],
    ] as const) {
      await part.scrollIntoViewIfNeeded();
      await shot(page, name);
    }
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await shot(page, 'admin-dashboard-now-playing-bottom');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'admin-dashboard-now-playing');
  });
});
