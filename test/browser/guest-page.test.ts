// The guest page on a phone against the real daemon: its guest service and limits, the director,
// the demo library, and mpv into a real Snapcast server's pipe. What the page shows is checked
// against what the daemon says (its state, and the phone's own view of it); a lost link is the
// daemon stopped, and no sound is the Snapcast server stopped.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GuestState, StateSnapshot } from '../../src/daemon/http/contract.js';
import { until } from '../../src/daemon/testing/daemon-process.js';
import { Snapserver } from '../../src/player/testing/snapserver.js';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  TEST_CONFIG,
  a11yProblems,
  addUser,
  assertBuilt,
  launchBrowser,
  shot,
  startDaemon,
  tempDir,
  WAIT,
} from './harness.js';
import { GUEST_GONE } from '../../src/daemon/guests/guest-refusals.js';
import { formatClock } from '../../src/ui/i18n/times.js';
import { asStaff, whilePaused } from './kiosk-daemon.js';
import { textFitProblems } from './text-fit.js';

/** A phone: 390x844 CSS pixels, a touch screen. */
const PHONE = { width: 390, height: 844 };

/**
 * What the page's message (`.message`) covers that a guest reads or taps (a button, a list's item,
 * a heading, the search box), the page scrolled to its top and then with "Your requests" in view:
 * nothing, where it leaves them room. The message's own place (the item it is in) does not count.
 */
async function coveredByMessage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('mb-guest')?.shadowRoot;
    const message = root?.querySelector('.message');
    if (root == null || message == null) return ['no message'];
    const covered: string[] = [];
    const look = (where: string): void => {
      const m = message.getBoundingClientRect();
      for (const el of root.querySelectorAll('button, li, h2, input')) {
        if (el.contains(message) || message.contains(el)) continue;
        const b = el.getBoundingClientRect();
        const apart = b.right <= m.left || b.left >= m.right || b.bottom <= m.top || b.top >= m.bottom;
        if (!apart && b.height > 0) covered.push(`${where}: ${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 40)}”`);
      }
    };
    window.scrollTo(0, 0);
    look('at the top');
    root.querySelector('[aria-label="Your requests"]')?.scrollIntoView({ block: 'end' });
    look('with “Your requests” in view');
    return covered;
  });
}

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

describe('the guest page on a phone, against the real daemon', { timeout: 240_000 }, () => {
  const data = tempDir('mb-guest-page-');
  // The music goes to the speakers through Snapcast, whose server the test can stop: no sound then.
  const fifo = join(data.path, 'snapfifo');
  /** Guests may ask: three songs an hour per phone, three "not this" skip a song (the defaults). */
  const config = {
    ...TEST_CONFIG,
    player: { audioOutput: 'snapcast', snapcastPipe: fifo },
    guests: { requests: 'on' },
  };
  let snapserver: Snapserver;
  let daemon: Daemon;
  let browser: Browser;

  /** What the kiosk and the admin panel read: the room, what plays, what is next. */
  const room = async (): Promise<StateSnapshot> =>
    ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;
  /** Waits until the page shows as playing what the daemon plays (a song may end meanwhile); returns its title. */
  const showsPlaying = (page: Page, timeoutMs = 30_000): Promise<string> => {
    const now = page.getByRole('region', { name: 'Now playing' });
    return until(async () => {
      const title = (await room()).player.nowPlaying?.title;
      return title !== undefined && ((await now.textContent()) ?? '').includes(title) ? title : undefined;
    }, timeoutMs);
  };
  /** The phone's own view, as the daemon gives it to this phone (its cookie). */
  const phoneView = (page: Page): Promise<GuestState> =>
    page.evaluate(async () => (await (await fetch('/api/guest/state')).json()) as GuestState);

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    snapserver = await Snapserver.start(data.path, fifo, { mode: 'create' });
    daemon = await startDaemon(data.path, { config });
    // A fresh daemon scans the demo library before it plays and suggests.
    await until(async () => {
      const s = await room();
      return s.player.nowPlaying !== null && s.player.next !== null && s.suggestions.length >= 6 ? s : undefined;
    }, 60_000);
    browser = await launchBrowser(PHONE, [], { hasTouch: true });
  }, 120_000);

  /** What a test changed in the daemon, undone after it whatever its outcome. */
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await snapserver?.stop();
    data.remove();
  });

  /** The headers of an admin signed in to the panel (its session cookie and CSRF token). */
  const adminHeaders = async (): Promise<Record<string, string>> => {
    const res = await fetch(`${daemon.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Root', passphrase: PASSPHRASE }),
    });
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'x-csrf-token': csrfToken };
  };
  /** Saves the settings as the admin panel does. */
  const putSettings = async (headers: Record<string, string>, overrides: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${daemon.url}/api/admin/settings`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ overrides }),
    });
    expect(res.status).toBe(200);
  };

  it('shows what plays, what is next, the mood and six songs to ask for; asks (search and tap), likes and votes', async () => {
    const { page } = browser;
    // Early in a song (the demo's last about 65 s), so that its place reads 0:ss when the music pauses below.
    await until(async () => ((await room()).player.positionMs < 30_000 ? true : undefined), 90_000);
    await page.goto(`${daemon.url}/guest`);
    const now = page.getByRole('region', { name: 'Now playing' });
    const next = page.getByRole('region', { name: 'Up next' });
    const ask = page.getByRole('region', { name: 'Ask for a song' });
    await ask.locator('.tile').first().waitFor(WAIT);
    // Paused by staff while the phone asks, likes and votes: a song of the demo library lasts about a
    // minute, which a busy machine spends in a few of these steps, and what plays must stay what it is.
    await whilePaused(daemon, async () => {
      const view = await phoneView(page);
      const playing = view.nowPlaying?.track;
      if (playing === undefined || view.upNext[0] === undefined) throw new Error('Expected the daemon to play a song with one up next');
      await now.getByText(playing.title).waitFor(WAIT);
      expect(await now.textContent()).toContain(playing.artist);
      // Where it is (the test began early in the song) and how long it lasts, as m:ss.
      const length = [Math.floor, Math.ceil].map((f) => {
        const seconds = f((playing.durationMs ?? 0) / 1000);
        return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
      });
      expect((await now.locator('[data-time]').textContent())?.replace(/\s+/g, ' ').trim()).toMatch(
        new RegExp(`^0:[0-5]\\d (${length.join('|')})$`),
      );
      expect(await now.locator('[data-why]').textContent()).toBe(view.nowPlaying?.why);
      expect(await next.locator('li').first().textContent()).toContain(view.upNext[0].track.title);
      const mood = page.locator('[aria-label="Room mood"]');
      // No camera here: the room's mood is not read, and the page says why.
      expect(await mood.getAttribute('data-mood')).toBe(view.mood.label ?? 'unknown');
      expect(await mood.textContent()).toContain(view.mood.why);
      expect(await ask.locator('.tile .t').allTextContents()).toEqual(view.suggestions.map((t) => t.title));
      expect(await ask.locator('.tile').count()).toBe(6);
      expect(await ask.locator('[data-left]').textContent()).toBe('3 of 3 requests left this hour');
      expect(await a11yProblems(page, 44)).toEqual([]);

      // Search by artist, then one tap asks for it: a song of theirs that is neither playing nor next.
      await page.getByLabel('Search by title or artist').fill('harbour');
      await page.getByLabel('Search by title or artist').press('Enter');
      const results = page.getByRole('list', { name: 'Search results' });
      await results.locator('li').first().waitFor(WAIT);
      expect((await results.locator('.t').allTextContents()).sort()).toEqual(['Paper Boats', 'Slow Tide']);
      const taken = [playing.title, view.upNext[0].track.title];
      const asked = ['Slow Tide', 'Paper Boats'].find((title) => !taken.includes(title)) ?? 'Slow Tide';
      await results.getByRole('button', { name: `${asked}, Harbour Lights: ask for it` }).tap();
      await page
        .getByRole('status')
        .filter({ hasText: `You asked for “${asked}”` })
        .waitFor(WAIT);
      const mine = page.getByRole('region', { name: 'Your requests' });
      await mine.getByText(asked).waitFor(WAIT);
      expect(await mine.locator('li .status').first().textContent()).toMatch(/^(Next|Coming up)$/);
      await expect.poll(() => ask.locator('[data-left]').textContent(), WAIT).toBe('2 of 3 requests left this hour');
      await next.locator('li').filter({ hasText: asked }).waitFor(WAIT);

      // A suggestion: one tap.
      const tiles = await ask.locator('.tile .t').allTextContents();
      const suggestion = tiles.find((title) => title !== asked && !taken.includes(title));
      if (suggestion === undefined) throw new Error(`Expected a suggestion other than ${asked}, got ${tiles.join(', ')}`);
      await ask.locator('.tile').filter({ hasText: suggestion }).first().tap();
      await mine.getByText(suggestion).waitFor(WAIT);
      // What became of the tap is said where it was tapped: it covers neither "Your requests" nor a button (issue 82).
      await page
        .getByRole('status')
        .filter({ hasText: `You asked for “${suggestion}”` })
        .waitFor(WAIT);
      expect(await coveredByMessage(page)).toEqual([]);

      // Like what plays.
      const like = now.locator('[data-action="like"]');
      const notThis = now.locator('[data-action="not-this"]');
      await now.getByRole('button', { name: `Like: ${playing.title}` }).tap();
      await now.locator('[data-action="like"][aria-pressed="true"]').waitFor(WAIT);
      expect(await like.textContent()).toMatch(/Liked\s*1/);

      // "Not this" on what plays: one of the three votes a skip needs, and it takes the like back (issue 82).
      await now.getByRole('button', { name: new RegExp(`^Not this 0/3: votes to skip ${playing.title}$`) }).tap();
      await now.locator('[data-action="not-this"][aria-pressed="true"]').waitFor(WAIT);
      expect(await notThis.textContent()).toContain('1/3');
      await now.locator('[data-action="like"][aria-pressed="false"]').waitFor(WAIT);
      expect((await like.textContent())?.trim()).toBe('Like');
      expect((await phoneView(page)).nowPlaying).toMatchObject({ likes: 0, isLikedByMe: false, votes: { down: 1, mine: 'down' } });

      // A like takes the "not this" back: one or the other.
      await like.tap();
      await now.locator('[data-action="not-this"][aria-pressed="false"]').waitFor(WAIT);
      expect(await notThis.textContent()).toContain('0/3');
      expect(await like.getAttribute('aria-pressed')).toBe('true');

      // What the daemon keeps for this phone: its two requests, and its like of the song playing, not its vote.
      const after = await phoneView(page);
      expect(after.me.requests.map((r) => r.track.title).sort()).toEqual([asked, suggestion].sort());
      expect(after.me.requestsLeft).toBe(1);
      expect(after.nowPlaying?.track.title).toBe(playing.title);
      expect(after.nowPlaying).toMatchObject({ likes: 1, isLikedByMe: true, votes: { down: 0, mine: null, downNeeded: 3 } });
    });
    // A tap puts the message away.
    await page.locator('.message').tap();
    await page.locator('.message').waitFor({ state: 'detached', ...WAIT });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'guest-page');
    await shot(page, 'guest-page-full', { fullPage: true });
  });

  it('fits phones 320 to 430 px wide: nothing scrolls sideways, no word breaks or title is cut, no button wraps, every button is at least 44 px (issue 40)', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    await page.getByLabel('Search by title or artist').fill('harbour');
    await page.getByLabel('Search by title or artist').press('Enter');
    await page.getByRole('list', { name: 'Search results' }).getByText('Slow Tide').waitFor(WAIT);
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
    await page.goto(`${daemon.url}/guest`);
    const box = page.getByLabel('Search by title or artist');
    // The daemon's answer to "paper" is held back on its way to the page: an answer that comes late.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = (): void => undefined;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    await page.route('**/api/guest/search?q=paper', async (route) => {
      const response = await route.fetch();
      held();
      await gate;
      await route.fulfill({ response });
    });
    await box.fill('paper');
    await box.press('Enter');
    await isHeld;
    await box.fill('fizz');
    await box.press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByText('Lemon Fizz').waitFor(WAIT);
    const arrived = page.waitForResponse((r) => r.url().endsWith('/api/guest/search?q=paper'));
    release();
    await (await arrived).finished();
    // Two frames after the late answer reached the page: it would have been drawn by now.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await results.locator('.t').allTextContents()).toEqual(['Lemon Fizz']);
    await page.unroute('**/api/guest/search?q=paper');
  });

  it('says in the search what a song already is instead of “ask for it”, a refusal in the daemon’s own words, and a closed message while requests are off', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    const search = async (words: string): Promise<void> => {
      await page.getByLabel('Search by title or artist').fill(words);
      await page.getByLabel('Search by title or artist').press('Enter');
    };
    const result = (title: string) =>
      page.getByRole('list', { name: 'Search results' }).locator('li', { has: page.getByText(title, { exact: true }) });
    // Paused, so that what plays and what waits stay what they are.
    await whilePaused(daemon, async () => {
      // This phone asked for two songs in the first test: one of them still waits its turn.
      const view = await phoneView(page);
      const request = view.me.requests.find((r) => r.status === 'queued' || r.status === 'waiting');
      const playing = view.nowPlaying?.track;
      if (request === undefined || playing === undefined) throw new Error('Expected a song playing and one this phone asked for');
      const asked = request.track;
      await search(asked.title);
      await result(asked.title).locator('[data-standing]').filter({ hasText: 'Your request' }).waitFor(WAIT);
      expect(await result(asked.title).getByRole('button').count()).toBe(0);
      await search(playing.title);
      await result(playing.title).locator('[data-standing]').filter({ hasText: 'Playing now' }).waitFor(WAIT);
      expect(await result(playing.title).getByRole('button').count()).toBe(0);

      // The staff take it out of the queue: it is offered again, and asking for it within the hour
      // is refused, in the daemon's words.
      await asStaff(daemon, 'DELETE', `/api/admin/guests/requests/${request.id}`);
      await search(asked.title);
      const ask = result(asked.title).getByRole('button', { name: `${asked.title}, ${asked.artist}: ask for it` });
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/guest/requests') && r.request().method() === 'POST');
      await ask.tap();
      const answer = await refused;
      expect(answer.status()).toBe(409);
      const { error } = (await answer.json()) as { error: { message: string } };
      const alert = page.getByRole('alert');
      await alert.waitFor(WAIT);
      expect(await alert.textContent()).toContain(error.message);
      expect(error.message).toMatch(new RegExp(`^“${asked.title}” was asked for a moment ago`));
    });

    // The staff turn requests off in the admin panel: a phone that opens the page is told so.
    const admin = await adminHeaders();
    await putSettings(admin, { guests: { requests: 'off' } });
    cleanups.push(() => putSettings(admin, {}));
    await page.goto(`${daemon.url}/guest`);
    const closed = page.getByRole('region', { name: 'Requests closed' });
    await closed.waitFor(WAIT);
    expect(await closed.textContent()).toContain('Song requests are off here: the staff can turn them on');
    // Polled: the room's view a phone's socket gets first may be the one from before the change
    // until the daemon's state next moves (a settings change does not renew it).
    await expect.poll(() => page.getByRole('region', { name: 'Ask for a song' }).count(), WAIT).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: /^Like\b/ }).count(), WAIT).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: /^(Play sooner|Not this):/ }).count(), WAIT).toBe(0);
    await closed.waitFor(WAIT);
    // What plays still shows.
    await showsPlaying(page);
    await shot(page, 'guest-page-closed');
  });

  it('off the box’s network, says why and what to do instead of “Connecting…”, and shows the room once the phone may reach it (issue 82)', async () => {
    const { page } = browser;
    // The daemon's answer to a phone off its network (the daemon's own test, guest-view.test.ts,
    // asks it from such an address): here the phone's calls come from the box itself.
    const refusal = GUEST_GONE.lanOnly();
    const body = JSON.stringify({ error: { code: 'MB_ERR_HTTP_FORBIDDEN', message: refusal.text, said: refusal.said } });
    await page.route('**/api/guest/state', (route) => route.fulfill({ status: 403, contentType: 'application/json', body }));
    cleanups.push(() => page.unroute('**/api/guest/state'));
    await page.goto(`${daemon.url}/guest`);
    const refused = page.getByRole('region', { name: 'This page cannot open here' });
    await refused.waitFor(WAIT);
    expect(await refused.locator('[data-reason]').textContent()).toBe('The guest page is served on the local network only.');
    expect(await refused.locator('[data-todo]').textContent()).toBe('Join the Wi-Fi here with this phone: the page then opens by itself.');
    expect(await page.getByText('Connecting to Moodbox…').count()).toBe(0);
    expect(await a11yProblems(page, 44)).toEqual([]);
    await shot(page, 'guest-page-off-lan');
    // The phone joins the café's Wi-Fi: the daemon serves it, and the page shows the room by itself.
    await page.unroute('**/api/guest/state');
    await page.getByRole('region', { name: 'Now playing' }).waitFor(WAIT);
    expect(await refused.count()).toBe(0);
  });

  it('in the quiet hours offers no "Not this" and no place in the paused song, and says a song asked for waits for their end', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    const now = page.getByRole('region', { name: 'Now playing' });
    await now.getByRole('button', { name: /^Not this \d+\/\d+:/ }).waitFor(WAIT);
    await now.locator('[data-time]').waitFor(WAIT);
    // The quiet hours begin while a song plays (`HH:MM` of the box's clock, the tests' and the daemon's `TZ`).
    const at = (hours: number): string => {
      const d = new Date(Date.now() + hours * 3_600_000);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    };
    const to = at(2);
    const admin = await adminHeaders();
    await putSettings(admin, { player: { quietHours: { from: at(-1), to } } });
    cleanups.push(() => putSettings(admin, {}));
    await now.getByRole('heading', { name: 'Quiet hours' }).waitFor(WAIT);
    await expect.poll(() => now.getByRole('button', { name: /^Not this \d+\/\d+:/ }).count(), WAIT).toBe(0);
    // The song does not play on after them (the music starts afresh): no bar standing still in it.
    expect(await now.locator('[data-time]').count()).toBe(0);
    const ask = page.getByRole('region', { name: 'Ask for a song' });
    expect(await ask.locator('[data-quiet-ask]').textContent()).toBe(
      `Quiet hours until ${formatClock('en', to)}: a song you ask for now waits in the queue and plays after them.`,
    );
  });

  it('says when the link to Moodbox drops, and follows the room again once it is back', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    await page.getByRole('region', { name: 'Now playing' }).waitFor(WAIT);
    // The daemon goes away, and comes back on the same address and data.
    const port = daemon.port;
    await daemon.stop();
    const notice = page.getByRole('status').filter({ hasText: 'Reconnecting to Moodbox…' });
    await notice.waitFor(WAIT);
    daemon = await startDaemon(data.path, { port, config });
    await notice.waitFor({ state: 'detached', timeout: 60_000 });
    await showsPlaying(page, 60_000);
  });

  it('says so while no sound reaches the room, and that the song goes on where it stopped (issue 62)', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    const now = page.getByRole('region', { name: 'Now playing' });
    await now.getByRole('heading', { name: 'Now playing' }).waitFor(WAIT);
    // Snapcast stops: nobody reads the pipe the music goes into.
    await snapserver.stop();
    await now.getByRole('heading', { name: 'No sound right now' }).waitFor(WAIT);
    expect(await now.getByRole('status').textContent()).toBe(
      'The speakers cannot be reached. The song goes on where it stopped once they are back.',
    );
    expect((await room()).player.status).toBe('stalled');
    snapserver.start();
    await now.getByRole('heading', { name: 'Now playing' }).waitFor({ timeout: 60_000 });
    expect(await now.getByRole('status').count()).toBe(0);
  });

  it('never shows a face count or anyone’s name', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    const title = await showsPlaying(page);
    await page.getByRole('region', { name: 'Ask for a song' }).waitFor(WAIT);
    const words = await pageWords(page);
    expect(words).toContain(title);
    expect(words).not.toMatch(/\bfaces?\b/i);
    expect(words).not.toMatch(/\b\d+\s+(people|persons?|guests?)\b/i);
    expect(words).not.toMatch(/signed in|sign in/i);
  });
});
