// Issue 58: axe-core, the accessibility engine Lighthouse and Playwright's own docs use, finds no
// serious or critical problem on the kiosk (at 800x480: the attract screen, the songs to tap, the
// sign-in pads, a signed-in person's screen), the guest page on a phone (with a request, a like and
// a search), and every page of the admin panel (signed out, then signed in with songs queued by
// staff; on a phone too, the dashboard and each tab of Settings); the kiosk and the guest page each have a main landmark and an h1. One daemon for the file.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  type TestCamera,
  PASSPHRASE,
  TEST_CONFIG,
  WAIT,
  addUser,
  assertBuilt,
  fixtureFrame,
  freePort,
  launchBrowser,
  signInToAdmin,
  startDaemon,
  stateWhen,
  tempDir,
  testCamera,
} from './harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Rules of impact "moderate" that count here all the same: every screen has a main landmark and an h1. */
const REQUIRED = new Set(['landmark-one-main', 'page-has-heading-one']);

/** Each admin page (its hash), its heading, and what shows once its content has loaded. */
const ADMIN_VIEWS = [
  ['dashboard', 'Dashboard', 'mb-now-playing-card [data-queue] li[data-reason="staff"]'],
  // The guest page's test, before the admin panel's, leaves a request here.
  ['guests', 'Guests', 'mb-guest-requests li'],
  ['library', 'Library', 'tr[data-track-id]'],
  ['stations', 'Stations', 'tr[data-station-id]'],
  ['blocked', 'Blocked music', 'mb-admin-blocks form'],
  ['users', 'Users and cards', 'tbody tr'],
  ['history', 'History', 'tbody tr'],
  ['settings', 'Settings', '[data-setting]'],
  ['backups', 'Backups', 'mb-admin-backups :is(table, [data-empty])'],
  ['spotify', 'Spotify', 'section[data-off]'],
  ['camera', 'Camera', '[data-why]'],
  ['model', 'Model', 'table'],
  ['audit', 'Audit log', 'tbody tr'],
] as const;

/**
 * What axe-core finds on the page as it is now (open shadow roots included, as axe does by
 * default) that must be fixed: every serious or critical violation and those in `REQUIRED` (on
 * the admin panel, `isAdmin`, every moderate one too), each as "id (impact): help: the elements",
 * a target inside shadow roots written `host >>> element`.
 */
async function axeProblems(page: Page, isAdmin = false): Promise<string[]> {
  const violations = await page.evaluate(async () => {
    type Result = { id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> };
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Result[] }> } };
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    const selector = (target: unknown): string => (Array.isArray(target) ? target.map(String).join(' >>> ') : String(target));
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(selector).join(' | ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || REQUIRED.has(v.id) || (isAdmin && v.impact === 'moderate'))
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.targets.join(', ')}`);
}

/**
 * A browser whose every page loads axe-core. The daemon's Content-Security-Policy (`script-src
 * 'self'`) refuses the inline script `page.addScriptTag` adds, so it goes in as an init script,
 * which Chromium runs outside the policy.
 */
async function browserWithAxe(...args: Parameters<typeof launchBrowser>): Promise<Browser> {
  const browser = await launchBrowser(...args);
  await browser.context.addInitScript({ path: AXE });
  return browser;
}

describe('axe-core on every screen', { timeout: 240_000 }, () => {
  const data = tempDir('mb-accessibility-');
  const frames = { happy: fixtureFrame('happy-face.png'), nobody: fixtureFrame('no-face.png') };
  /** The daemon's camera: a test camera showing a happy face, or nobody for the attract screen. */
  let camera: TestCamera;
  let daemon: Daemon;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    addUser(data.path, 'Ada', 'member', '2468');
    camera = await testCamera(frames.happy);
    const port = await freePort();
    daemon = await startDaemon(data.path, {
      port,
      config: {
        ...TEST_CONFIG,
        camera: { enabled: true, source: camera.url },
        // The room counts as empty a second after the last face (ten on a box).
        mood: { nobodyAfterMs: 1000 },
        server: { publicUrl: `http://127.0.0.1:${port}` },
        guests: { requests: 'on' },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await daemon?.stop();
    await camera?.stop();
    data.remove();
  });

  it('finds nothing serious on the kiosk at 800x480: attract screen, songs to tap, sign-in, signed in', async () => {
    const browser = await browserWithAxe({ width: 800, height: 480 });
    const { page, context } = browser;
    try {
      // The attract screen: the camera saw someone, and now sees nobody.
      await stateWhen(daemon, (s) => s.mood.current === 'happy' && s.player.nowPlaying !== null);
      camera.show(frames.nobody);
      await stateWhen(daemon, (s) => s.mood.current === 'nobody');
      const attract = await context.newPage();
      await attract.goto(`${daemon.url}/`);
      await attract.locator('.attract .playing').waitFor(WAIT);
      expect.soft(await axeProblems(attract), 'the attract screen').toEqual([]);
      await attract.close();
      camera.show(frames.happy);
      await stateWhen(daemon, (s) => s.mood.current === 'happy');

      await page.goto(`${daemon.url}/`);
      await page.locator('mb-suggestions .tile').first().waitFor(WAIT);
      expect.soft(await axeProblems(page), 'the songs to tap, signed out').toEqual([]);
      await page.locator('button[data-action="sign-in"]:not([disabled])').click();
      await page.locator('mb-name-pad button[data-key="A"]').waitFor(WAIT);
      expect.soft(await axeProblems(page), 'the name pad').toEqual([]);
      for (const key of 'ADA') await page.locator(`mb-name-pad button[data-key="${key}"]`).click();
      await page.locator('mb-name-pad button[data-key="next"]').click();
      await page.locator('mb-pin-pad button[data-key="ok"]').waitFor(WAIT);
      expect.soft(await axeProblems(page), 'the PIN pad').toEqual([]);
      for (const digit of '2468') await page.locator(`mb-pin-pad button[data-key="${digit}"]`).click();
      await page.locator('mb-pin-pad button[data-key="ok"]').click();
      await page.locator('header .who').filter({ hasText: 'Ada' }).waitFor(WAIT);
      // Ada likes the song playing: the button says "Liked".
      await page.locator('.now button[data-action="like"]').click();
      await page.locator('.now button[data-action="like"][aria-pressed="true"]').waitFor(WAIT);
      await page.locator('mb-suggestions .tile').first().waitFor(WAIT);
      expect.soft(await axeProblems(page), 'the songs for Ada, signed in').toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('finds nothing serious on the guest page, with a request, a like and a search', async () => {
    const browser = await browserWithAxe({ width: 390, height: 844 }, [], { hasTouch: true });
    const { page } = browser;
    try {
      await page.goto(`${daemon.url}/guest`);
      const ask = page.getByRole('region', { name: 'Ask for a song' });
      await ask.locator('.tile').first().waitFor(WAIT);
      expect.soft(await axeProblems(page), 'the guest page').toEqual([]);
      // A request (in "Your requests" and in the queue, with its votes), a like, then a search.
      await ask.locator('.tile').first().tap();
      await page.getByRole('region', { name: 'Your requests' }).locator('li').first().waitFor(WAIT);
      await page.locator('button[data-action="like"]').tap();
      await page.locator('button[data-action="like"][aria-pressed="true"]').waitFor(WAIT);
      await page.getByLabel('Search by title or artist').fill('paper');
      await page.getByLabel('Search by title or artist').press('Enter');
      await page.getByRole('list', { name: 'Search results' }).locator('li').first().waitFor(WAIT);
      expect.soft(await axeProblems(page), 'the guest page with a request, a like and a search').toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('finds nothing serious, nor moderate, on the admin panel: the sign-in, then every page, with songs queued by staff', async () => {
    const browser = await browserWithAxe({ width: 1280, height: 800 });
    const { page } = browser;
    try {
      await page.goto(`${daemon.url}/admin`);
      await page.getByLabel('Passphrase').waitFor(WAIT);
      expect.soft(await axeProblems(page, true), 'the sign-in').toEqual([]);
      await signInToAdmin(page, `${daemon.url}/admin`, 'Root', PASSPHRASE, 'Dashboard');
      // A station, for the Stations page's table (a music folder's stations.csv would take the demo songs out).
      const session = (await (await page.request.get(`${daemon.url}/api/admin/session`)).json()) as { csrfToken: string };
      const station = await page.request.post(`${daemon.url}/api/admin/stations`, {
        headers: { 'x-csrf-token': session.csrfToken },
        data: { name: 'Harbour Radio', url: 'https://stream.example.com/harbour.mp3', moods: [{ mood: 'calm', weight: 1 }] },
      });
      expect(station.ok(), await station.text()).toBe(true);
      // Two songs queued by staff: the queue shows "Play next", "Move down" and "Remove".
      const picker = page.locator('mb-admin-dashboard mb-staff-picker');
      await picker.getByLabel('Find a song').fill('paper');
      await picker.getByRole('button', { name: 'Search' }).click();
      const found = picker.locator('[data-results] li').filter({ hasText: 'Paper' });
      await found.nth(1).waitFor(WAIT);
      for (const choice of await found.all()) {
        await choice.locator('button[data-action="play-next"]').click();
        await picker.getByRole('status').filter({ hasText: 'plays next' }).waitFor(WAIT);
      }
      for (const [view, heading, ready] of ADMIN_VIEWS) {
        await page.goto(`${daemon.url}/admin#${view}`);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor(WAIT);
        await page.locator(`mb-admin ${ready}`).first().waitFor(WAIT);
        await expect
          .poll(
            () =>
              page
                .locator('mb-admin')
                .getByText(/^Loading/)
                .count(),
            WAIT,
          )
          .toBe(0);
        expect.soft(await axeProblems(page, true), `the ${view} page`).toEqual([]);
      }
      // On a phone: the brief dashboard with its closed parts opened, and each tab of Settings.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${daemon.url}/admin#dashboard`);
      const more = page.locator('mb-admin-dashboard section.more');
      await more.waitFor(WAIT);
      const closed = page.locator('mb-admin-dashboard details:not([open]) > summary');
      for (let opened = 0; (await closed.count()) > 0 && opened < 20; opened++) await closed.first().click();
      await more.locator('mb-staff-picker').waitFor(WAIT);
      expect.soft(await axeProblems(page, true), 'the dashboard on a phone').toEqual([]);
      await page.goto(`${daemon.url}/admin#settings`);
      // Every tab, once they are drawn (read before, the list was empty and no tab was checked), each
      // checked once its own panel shows (Advanced keeps all its settings in closed parts).
      const tabs = page.getByRole('tab');
      await tabs.first().waitFor(WAIT);
      await expect.poll(() => tabs.count(), WAIT).toBeGreaterThanOrEqual(6);
      for (const tab of await tabs.all()) {
        await tab.click();
        await page.locator(`mb-admin-settings [role="tabpanel"][aria-labelledby="${await tab.getAttribute('id')}"]`).waitFor(WAIT);
        expect.soft(await axeProblems(page, true), `the ${await tab.innerText()} settings on a phone`).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  });
});
