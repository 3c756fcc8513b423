import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGuestServer, guestState } from './fake-guest-server.js';
import { type Browser, a11yProblems, assertBuilt, launchBrowser, shot, WAIT } from './harness.js';
import { textFitProblems } from './text-fit.js';

/** A phone: 390x844 CSS pixels, a touch screen. */
const PHONE = { width: 390, height: 844 };

/** Every text the page shows, shadow roots included, with the accessible names of its elements. */
async function pageWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const words: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node.parentElement?.closest('style') == null) words.push(node.textContent ?? '');
      }
      for (const el of root.querySelectorAll('*')) {
        const label = el.getAttribute('aria-label');
        if (label !== null) words.push(label);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return words.join(' ').replace(/\s+/g, ' ');
  });
}

describe('the guest page on a phone (against a server that follows the wire format)', { timeout: 120_000 }, () => {
  const server = new FakeGuestServer();
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    await server.start();
    browser = await launchBrowser(PHONE, [], { hasTouch: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server.stop();
  });

  it('shows what plays, what is next, the mood and six songs to ask for; asks (search and tap), likes and votes', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/guest`);
    const now = page.getByRole('region', { name: 'Now playing' });
    await now.getByText('Walking on Air').waitFor(WAIT);
    await expect.poll(() => now.locator('[data-time]').textContent(), WAIT).toMatch(/1:2\d\s*3:20/);
    expect(await now.locator('[data-why]').textContent()).toContain('fits happy');
    expect(await now.textContent()).toContain('Kites');
    expect(await page.getByRole('region', { name: 'Up next' }).textContent()).toContain('Feather');
    const mood = page.locator('[aria-label="Room mood"]');
    expect(await mood.getAttribute('data-mood')).toBe('happy');
    expect(await mood.textContent()).toContain('Happy');
    const ask = page.getByRole('region', { name: 'Ask for a song' });
    expect(await ask.locator('.tile').count()).toBe(6);
    expect(await ask.locator('[data-left]').textContent()).toBe('3 of 3 requests left this hour');
    expect(await a11yProblems(page, 44)).toEqual([]);

    // Search by artist, then one tap asks for it.
    await page.getByLabel('Search by title or artist').fill('harbour');
    await page.getByLabel('Search by title or artist').press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByText('Harbour Song').waitFor(WAIT);
    expect(await results.locator('li').count()).toBe(3);
    await results.getByRole('button', { name: 'Harbour Song, The Quays: ask for it' }).tap();
    await page.getByRole('status').filter({ hasText: 'You asked for “Harbour Song”' }).waitFor(WAIT);
    const mine = page.getByRole('region', { name: 'Your requests' });
    await mine.getByText('Harbour Song').waitFor(WAIT);
    expect(await mine.locator('[data-status="queued"] .status').textContent()).toBe('Coming up');
    expect(await mine.locator('.reason').first().textContent()).toBe('It plays after the next song.');
    expect(await ask.locator('[data-left]').textContent()).toBe('2 of 3 requests left this hour');
    const next = page.getByRole('region', { name: 'Up next' });
    expect(await next.locator('li').first().textContent()).toContain('Asked for by a guest');

    // A suggestion: one tap.
    await ask.getByRole('button', { name: 'Sunny Side, The Brights: ask for it' }).tap();
    await mine.getByText('Sunny Side').waitFor(WAIT);

    // Like what plays.
    await now.getByRole('button', { name: 'Like: Walking on Air' }).tap();
    await now.locator('[data-action="like"][aria-pressed="true"]').waitFor(WAIT);
    expect(await now.locator('[data-action="like"]').textContent()).toMatch(/Liked\s*1/);

    // Vote: play the requested song sooner (the mood's own pick has no votes), and "not this" on what plays.
    expect(await next.locator('li[data-key="1"] button').count()).toBe(0);
    await next.getByRole('button', { name: /^Play sooner: Harbour Song/ }).tap();
    await next.locator('li[data-key="100"] [data-vote="up"][aria-pressed="true"]').waitFor(WAIT);
    await now.getByRole('button', { name: /^Not this \d+\/\d+: votes to skip Walking on Air$/ }).tap();
    await now.locator('[data-action="not-this"][aria-pressed="true"]').waitFor(WAIT);
    expect(await now.locator('[data-action="not-this"]').textContent()).toContain('1/3');

    expect(server.calls.filter((c) => c.route.startsWith('POST')).map((c) => [c.route, c.body])).toEqual([
      ['POST /api/guest/requests', { trackId: 22 }],
      ['POST /api/guest/requests', { trackId: 11 }],
      ['POST /api/guest/like', { trackId: 1 }],
      ['POST /api/guest/votes', { on: 100, vote: 'up' }],
      ['POST /api/guest/votes', { on: 'now', vote: 'down' }],
    ]);
    // A tap puts the message away.
    await page.locator('.message').tap();
    await page.locator('.message').waitFor({ state: 'detached', ...WAIT });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'guest-page');
    await shot(page, 'guest-page-full', { fullPage: true });
  });

  it('fits phones 320 to 430 px wide: nothing scrolls sideways, no word breaks or title is cut, no button wraps, every button is at least 44 px (issue 40)', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/guest`);
    await page.getByLabel('Search by title or artist').fill('harbour');
    await page.getByLabel('Search by title or artist').press('Enter');
    await page.getByRole('list', { name: 'Search results' }).getByText('Harbour Song').waitFor(WAIT);
    for (const width of [320, 360, 390, 430]) {
      await page.setViewportSize({ width, height: 800 });
      await page.getByRole('region', { name: 'Ask for a song' }).waitFor(WAIT);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await a11yProblems(page, 44)).toEqual([]);
      expect(await textFitProblems(page)).toEqual([]);
      if (width === 320) await shot(page, 'guest-page-full', { fullPage: true });
    }
    await page.setViewportSize(PHONE);
  });

  it('shows the answer to the latest search, not a slower answer to an earlier one', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/guest`);
    const box = page.getByLabel('Search by title or artist');
    const late = server.holdSearch('sunny');
    await box.fill('sunny');
    await box.press('Enter');
    await expect.poll(() => server.calls.some((c) => c.route === 'GET /api/guest/search' && c.body === undefined), WAIT).toBe(true);
    await box.fill('lemonade');
    await box.press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByText('Lemonade').waitFor(WAIT);
    const arrived = page.waitForResponse((r) => r.url().endsWith('/api/guest/search?q=sunny'));
    await late.release();
    await (await arrived).finished();
    // Two frames after the late answer reached the page: it would have been drawn by now.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await results.locator('.t').allTextContents()).toEqual(['Lemonade']);
  });

  it('shows a refusal in the server’s own words, and a closed message while requests are off', async () => {
    const { page } = browser;
    server.refusals.set(12, {
      status: 429,
      code: 'MB_ERR_GUEST_LIMIT',
      message: 'You have asked for 3 songs this hour. Try again after 21:40.',
    });
    const ask = page.getByRole('region', { name: 'Ask for a song' });
    await ask.getByRole('button', { name: 'Golden Hour, Mara Lune: ask for it' }).tap();
    const alert = page.getByRole('alert');
    await alert.waitFor(WAIT);
    expect(await alert.textContent()).toContain('You have asked for 3 songs this hour. Try again after 21:40.');

    server.change({ ...server.state, isOpen: false, closedReason: 'Guest requests are off here for now.' });
    const closed = page.getByRole('region', { name: 'Requests closed' });
    await closed.waitFor(WAIT);
    expect(await closed.textContent()).toContain('Guest requests are off here for now.');
    expect(await page.getByRole('region', { name: 'Ask for a song' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Like\b/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Play sooner|Not this):/ }).count()).toBe(0);
    // What plays still shows.
    expect(await page.getByRole('region', { name: 'Now playing' }).textContent()).toContain('Walking on Air');
    await shot(page, 'guest-page-closed');
  });

  it('says when the link to Moodbox drops, and follows the room again once it is back', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/guest`);
    await page.getByRole('region', { name: 'Now playing' }).waitFor(WAIT);
    server.dropPhones();
    const notice = page.getByRole('status').filter({ hasText: 'Reconnecting to Moodbox…' });
    await notice.waitFor(WAIT);
    await notice.waitFor({ state: 'detached', ...WAIT });
    const s = server.state;
    server.change({ ...s, nowPlaying: { ...s.nowPlaying!, track: { ...s.nowPlaying!.track, title: 'Back Again' } } });
    await page.getByRole('region', { name: 'Now playing' }).getByText('Back Again').waitFor(WAIT);
  });

  it('says so while no sound reaches the room, and that the song goes on where it stopped (issue 62)', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/guest`);
    const now = page.getByRole('region', { name: 'Now playing' });
    await now.getByRole('heading', { name: 'Now playing' }).waitFor(WAIT);
    server.change({ ...server.state, status: 'stalled' });
    await now.getByRole('heading', { name: 'No sound right now' }).waitFor(WAIT);
    expect(await now.getByRole('status').textContent()).toBe(
      'The speakers cannot be reached. The song goes on where it stopped once they are back.',
    );
    server.change({ ...server.state, status: 'playing' });
    await now.getByRole('heading', { name: 'Now playing' }).waitFor(WAIT);
    expect(await now.getByRole('status').count()).toBe(0);
  });

  it('never shows a face count or anyone’s name', async () => {
    const { page } = browser;
    server.change(guestState());
    await page.getByRole('region', { name: 'Now playing' }).getByText('Walking on Air').waitFor(WAIT);
    await page.getByRole('region', { name: 'Ask for a song' }).waitFor(WAIT);
    const words = await pageWords(page);
    expect(words).toContain('Walking on Air');
    expect(words).not.toMatch(/\bfaces?\b/i);
    expect(words).not.toMatch(/\b\d+\s+(people|persons?|guests?)\b/i);
    expect(words).not.toMatch(/signed in|sign in/i);
  });
});
