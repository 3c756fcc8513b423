import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, WAIT, adminPage, boxOf, shot } from './harness.js';
import { smallTargets, smallText } from './phone-checks.js';

// The owner's admin panel on a phone (issue 40): every page readable and touchable at 390 px
// (no visible text under 14 px, no target under 44 px), the music controls one line during a hold,
// a Guests section in the menu, Spotify left out on a business box, and a station added in one go.

const PHONE = { width: 390, height: 844 } as const;
/** Each section, its heading, and what shows once its content has loaded. */
const VIEWS = [
  ['dashboard', 'Dashboard', 'section.health [data-summary]'],
  ['guests', 'Guests', 'mb-guest-requests section'],
  ['library', 'Library', 'tr[data-track-id]'],
  ['stations', 'Stations', 'form.add'],
  ['blocked', 'Blocked music', 'form.add'],
  ['users', 'Users and cards', 'tbody tr'],
  ['history', 'History', 'table'],
  ['settings', 'Settings', '[data-setting]'],
  ['backups', 'Backups', '[data-empty], tr[data-backup]'],
  ['spotify', 'Spotify', 'section[data-off]'],
  ['camera', 'Camera', '[data-why]'],
  ['model', 'Model', 'table'],
  ['audit', 'Audit log', 'tbody tr'],
] as const;

describe("the owner's admin panel on a phone", { timeout: 300_000 }, () => {
  let admin: AdminPage;
  let page: Page;

  beforeAll(async () => {
    admin = await adminPage({ prefix: 'mb-admin-phone-owner-', heading: 'Dashboard', viewport: PHONE, hasTouch: true });
    page = admin.page;
  }, 120_000);

  afterAll(() => admin?.close());

  it('has a Guests section in the menu, and no Spotify on a business box', async () => {
    await page.getByRole('button', { name: 'Menu' }).click();
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await sections.getByRole('link', { name: 'Guests' }).waitFor(WAIT);
    await expect.poll(() => sections.getByRole('link', { name: 'Backups' }).isVisible(), WAIT).toBe(true);
    expect(await sections.getByRole('link', { name: 'Spotify' }).count()).toBe(0);
    await shot(page, 'admin-phone-menu');
    await sections.getByRole('link', { name: 'Guests' }).click();
    await page.getByRole('heading', { name: 'Guests', exact: true }).waitFor(WAIT);
    await page.locator('mb-guest-requests section').waitFor(WAIT);
    await shot(page, 'admin-phone-guests');
  });

  it('offers Spotify as a source of music at a home only', async () => {
    await page.goto(`${admin.daemon.url}/admin#settings`);
    const source = page.locator('[data-setting="music.source"] select');
    await source.waitFor(WAIT);
    expect(await source.locator('option').allTextContents()).toEqual(['The music folders']);
    await page.locator('[data-setting="site.kind"] select').selectOption('home');
    await expect.poll(() => source.locator('option').allTextContents(), WAIT).toEqual(['The music folders', 'Spotify', 'Both']);
    // Not saved: the page is left as it was.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => source.locator('option').count(), WAIT).toBe(1);
  });

  for (const [view, heading, ready] of VIEWS) {
    it(`shows the ${view} page with no text under 14 px and no target under 44 px`, async () => {
      await page.goto(`${admin.daemon.url}/admin#${view}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor(WAIT);
      await page.locator(`mb-admin ${ready}`).first().waitFor(WAIT);
      // Every section of the page, closed ones opened: what an owner may scroll to.
      await page.evaluate(() => {
        const open = (root: Document | ShadowRoot): void => {
          for (const details of root.querySelectorAll('details')) details.open = true;
          for (const host of root.querySelectorAll('*')) if (host.shadowRoot) open(host.shadowRoot);
        };
        open(document);
      });
      expect(await smallText(page), view).toEqual([]);
      expect(await smallTargets(page), view).toEqual([]);
    });
  }

  it('keeps the music controls to one line during a hold, opened by a button', async () => {
    const held = await page.request.put(`${admin.daemon.url}/api/admin/mood/hold`, {
      data: { label: 'happy', minutes: 30 },
      headers: { 'x-csrf-token': await csrf(page) },
    });
    expect(held.status()).toBe(200);
    await page.goto(`${admin.daemon.url}/admin#library`);
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor(WAIT);
    const bar = page.getByRole('region', { name: 'Music controls' });
    await bar.locator('.held-mark').filter({ hasText: 'Held: Happy' }).waitFor(WAIT);
    const toggle = bar.getByRole('button', { name: 'Controls' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    // One line: under a tenth of the screen, not a third.
    expect((await boxOf(bar)).height).toBeLessThan(PHONE.height / 10);
    expect(await bar.getByRole('button', { name: /Pause|Play/ }).isVisible()).toBe(false);
    await shot(page, 'admin-phone-controls-closed');
    await toggle.tap();
    await bar.getByRole('button', { name: /Pause|Play/ }).waitFor(WAIT);
    expect(await bar.getByRole('button', { name: 'Close' }).getAttribute('aria-expanded')).toBe('true');
    await shot(page, 'admin-phone-controls-open');
    await bar.getByRole('button', { name: /Follow the camera again|End the hold/ }).tap();
    await bar.locator('.held-mark').waitFor({ state: 'detached', ...WAIT });
  });

  it('reorders, plays next and removes the songs staff queued, from the queue card on a phone', async () => {
    const base = admin.daemon.url;
    const headers = { 'x-csrf-token': await csrf(page) };
    // Paused: no song ends meanwhile and takes the head of the queue with it.
    expect((await page.request.post(`${base}/api/admin/player/pause`, { headers })).status()).toBe(200);
    const tracks = (await (await page.request.get(`${base}/api/admin/tracks?limit=10`)).json()) as {
      items: Array<{ id: number; title: string }>;
    };
    const playing = ((await (await page.request.get(`${base}/api/admin/player`)).json()) as { current: { trackId: number } | null })
      .current;
    const [a, b, c] = tracks.items.filter((t) => t.id !== playing?.trackId).slice(0, 3);
    for (const t of [a, b, c]) await page.request.post(`${base}/api/admin/player/queue`, { data: { trackId: t?.id }, headers });
    await page.goto(`${base}/admin#dashboard`);
    const card = page.locator('mb-now-playing-card');
    const staffOrder = () => card.locator('[data-queue] li[data-reason="staff"] strong').allTextContents();
    // The newest choice plays first.
    await expect.poll(staffOrder, WAIT).toEqual([c?.title, b?.title, a?.title]);
    const row = (title: string | undefined) => card.locator('[data-queue] li[data-reason="staff"]').filter({ hasText: title ?? '' });
    await row(a?.title).scrollIntoViewIfNeeded();
    await shot(page, 'admin-phone-queue');
    expect(await smallTargets(page)).toEqual([]);

    await row(a?.title)
      .getByRole('button', { name: `Play next: “${a?.title}”` })
      .tap();
    await expect.poll(staffOrder, WAIT).toEqual([a?.title, c?.title, b?.title]);
    await card
      .getByRole('status')
      .filter({ hasText: `“${a?.title}” plays next.` })
      .waitFor(WAIT);
    await row(a?.title)
      .getByRole('button', { name: `Move down: “${a?.title}”` })
      .tap();
    await expect.poll(staffOrder, WAIT).toEqual([c?.title, a?.title, b?.title]);
    await row(b?.title)
      .getByRole('button', { name: `Remove “${b?.title}” from the queue` })
      .tap();
    await expect.poll(staffOrder, WAIT).toEqual([c?.title, a?.title]);
    // The speakers play what the card shows next.
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`${base}/api/state`)).json()) as { data: { player: { next: { id: number } | null } } }).data
            .player.next?.id,
        WAIT,
      )
      .toBe(c?.id);
    await page.request.post(`${base}/api/admin/player/resume`, { headers });
  });

  it('adds a station with the mood chosen, without a second “Add”, and says where to allow one on this network', async () => {
    await page.goto(`${admin.daemon.url}/admin#stations`);
    const form = page.locator('form.add');
    await form.waitFor(WAIT);
    await form.getByLabel('Name').fill('Harbour Radio');
    await form.getByLabel(/^Address/).fill('https://stream.example.com/harbour.mp3');
    await form.getByLabel('Add mood').selectOption('calm');
    await form.getByRole('button', { name: 'Add station' }).tap();
    await page.locator('tr[data-station-id]').filter({ hasText: 'Harbour Radio' }).waitFor(WAIT);
    expect(await page.locator('tr[data-station-id]').filter({ hasText: 'Harbour Radio' }).locator('[data-mood="calm"]').count()).toBe(1);

    await form.getByLabel('Name').fill('The back office');
    await form.getByLabel(/^Address/).fill('http://192.168.1.20:8000/live');
    await form.getByLabel('Add mood').selectOption('calm');
    await form.getByRole('button', { name: 'Add station' }).tap();
    const problem = page.locator('mb-admin-stations #url-error');
    await problem.filter({ hasText: 'This address is on this box or its local network' }).waitFor(WAIT);
    expect(await problem.textContent()).not.toContain('configuration file');
    await problem.scrollIntoViewIfNeeded();
    await shot(page, 'admin-phone-station-local');
    await problem.getByRole('link', { name: 'allow them in Settings' }).tap();
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor(WAIT);
    await page.locator('[data-setting="music.allowPrivateStations"]').waitFor(WAIT);
    expect(await page.locator('[data-setting="music.allowPrivateStations"]').textContent()).toContain('Stations on this network');
  });
});

/** The signed-in panel's CSRF token, as the panel itself reads it. */
async function csrf(page: Page): Promise<string> {
  const res = await page.request.get(new URL('/api/admin/session', page.url()).href);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}
