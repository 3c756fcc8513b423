import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGuestServer, guestTrack } from './fake-guest-server.js';
import { type Browser, a11yProblems, assertBuilt, launchBrowser, shot, WAIT } from './harness.js';
import { ownTexts } from './own-texts.js';
import { smallTargets, targetSize, targets } from './phone-checks.js';
import { textFitProblems } from './text-fit.js';

// The guest page in the guest's language (issue 57): the phone's language, a switch on the page,
// and a pseudo-locale (accented, 40% longer) that finds a word left out of the catalogue and a
// layout that breaks with longer words.

/** The daemon's own sentences (why a song plays, a request's reason: the fake's English, with no message beside it) are not the page's. */
const NOT_OURS = '.t, .a, .title, .artist, [data-why], .reason, [data-time], .count, [data-countdown], option, mb-cover, .brand';

describe('the guest page in the guest’s language', { timeout: 120_000 }, () => {
  const server = new FakeGuestServer();
  const browsers: Browser[] = [];

  beforeAll(async () => {
    assertBuilt();
    await server.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server.stop();
  });

  async function phone(locale: string, timezoneId?: string): Promise<Page> {
    const browser = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true, locale, ...(timezoneId ? { timezoneId } : {}) });
    browsers.push(browser);
    return browser.page;
  }

  it('speaks German on a German phone, with <html lang="de">, plurals and the mood in German', async () => {
    const page = await phone('de-DE');
    await page.goto(`${server.url}/guest`);
    const ask = page.getByRole('region', { name: 'Song wünschen' });
    await ask.waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await ask.locator('[data-left]').textContent()).toBe('Noch 3 von 3 Wünschen in dieser Stunde');
    expect(await page.locator('[aria-label="Stimmung im Raum"] .label').textContent()).toBe('Fröhlich');
    // Why the song plays, sent as a message beside the English ("fits happy").
    expect(await page.locator('[data-why]').textContent()).toBe('passt zur Stimmung „fröhlich“');
    expect(
      await page.getByRole('region', { name: 'Läuft gerade' }).getByRole('button', { name: 'Gefällt mir: Walking on Air' }).count(),
    ).toBe(1);
  });

  it('says a refusal in German when the daemon sends it as a message, with its plural and time', async () => {
    const page = await phone('de-DE');
    server.refusals.set(12, {
      status: 429,
      code: 'MB_ERR_GUEST_LIMIT',
      message: '3 requests an hour per phone; next at 21:40',
      said: { id: 'guest.phoneLimit', values: { perPhone: 3, time: '21:40' } },
    });
    try {
      await page.goto(`${server.url}/guest`);
      const ask = page.getByRole('region', { name: 'Song wünschen' });
      await ask.getByRole('button', { name: /^Golden Hour, Mara Lune/ }).tap();
      const alert = page.getByRole('alert');
      await alert.waitFor(WAIT);
      expect(await alert.textContent()).toContain('3 Wünsche pro Stunde und Handy; der nächste um 21:40');
    } finally {
      server.refusals.delete(12);
    }
  });

  it('says why a request was declined in German, in its line and in the notice, with the moods in German', async () => {
    const before = server.state;
    const request = {
      id: 900,
      track: guestTrack(13, 'Skipping Stones', 'Pebble & Co'),
      status: 'queued' as const,
      reason: 'It fits the room, so it is in the queue',
      reasonSaid: { id: 'guest.reason.queued' },
      at: Date.now(),
      place: 2,
      expectedAt: null,
    };
    server.change({ ...before, me: { ...before.me, requests: [request] } });
    try {
      const page = await phone('de-DE');
      await page.goto(`${server.url}/guest`);
      const mine = page.getByRole('region', { name: 'Deine Wünsche' });
      const line = mine.locator('li[data-request="900"]');
      await line.locator('.reason').filter({ hasText: 'Der Song passt zur Stimmung im Raum und steht jetzt in der Reihe' }).waitFor(WAIT);
      server.change({
        ...server.state,
        me: {
          ...server.state.me,
          requests: [
            {
              ...request,
              status: 'declined',
              place: null,
              reason:
                'It waited 15 min and the room did not come closer: it is uplifting and the room is calm now: it waits for the room to come closer to it',
              reasonSaid: {
                id: 'guest.reason.waitedNear',
                values: { minutes: 15, own: { said: 'music.uplifting' }, aim: { said: 'music.calm' } },
              },
            },
          ],
        },
      });
      const why = 'Er hat 15 Min. gewartet, aber der Raum kam ihm nicht näher – der Song ist aufbauend, der Raum gerade ruhig';
      await line.locator('.reason').filter({ hasText: why }).waitFor(WAIT);
      expect(await line.locator('.status').textContent()).toBe('Abgelehnt');
      expect(await page.locator('[data-notice]').textContent()).toBe(`Dein Song „Skipping Stones“ wurde abgelehnt: ${why}.`);
    } finally {
      server.change(before);
    }
  });

  it('gives the box’s time of day to a phone in another time zone, with the zone named', async () => {
    const expectedAt = Date.now() + 10 * 60_000;
    const before = server.state;
    server.change({ ...before, upNext: before.upNext.map((u) => ({ ...u, expectedAt })) });
    try {
      const boxTime = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(expectedAt);
      const away = await phone('en-US', 'America/New_York');
      await away.goto(`${server.url}/guest`);
      const when = away.locator('[data-when]').first();
      await when.waitFor(WAIT);
      expect(await when.textContent()).toBe(`Next · about ${boxTime} UTC (in 10 min)`);
      // A phone in the box's own zone reads the time alone.
      const here = await phone('en-GB', 'UTC');
      await here.goto(`${server.url}/guest`);
      await here.locator('[data-when]').first().waitFor(WAIT);
      expect(await here.locator('[data-when]').first().textContent()).not.toContain('UTC');
    } finally {
      server.change(before);
    }
  });

  it('switches language on the page, and keeps the choice on this phone', async () => {
    const page = await phone('en-GB');
    await page.goto(`${server.url}/guest`);
    await page.getByRole('region', { name: 'Ask for a song' }).waitFor(WAIT);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('region', { name: 'Demander un morceau' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.reload();
    await page.getByRole('region', { name: 'Demander un morceau' }).waitFor(WAIT);
    expect(await page.getByRole('combobox', { name: 'Langue' }).inputValue()).toBe('fr');
  });

  it('has every word of the page in the catalogue, and fits 40% longer words from 320 to 430 px: nothing scrolls sideways, no word is cut, every target at least 44 px (pseudo-locale)', async () => {
    const page = await phone('en-US');
    await page.goto(`${server.url}/guest?lang=qps`);
    await page.locator('section.ask h2').filter({ hasText: '[' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-XA');
    const texts = await ownTexts(page, NOT_OURS);
    expect(texts.length).toBeGreaterThan(5);
    expect(texts.filter((text) => !/^\[.*\]$/s.test(text))).toEqual([]);
    expect(await page.title()).toMatch(/^\[.*\]$/);
    const smallest: string[] = [];
    for (const width of [320, 360, 390, 430]) {
      await page.setViewportSize({ width, height: 800 });
      const what = `${width} px`;
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: what, ...WAIT })
        .toBeLessThanOrEqual(width);
      expect(await a11yProblems(page, 44), what).toEqual([]);
      expect(await smallTargets(page), what).toEqual([]);
      expect(await textFitProblems(page), what).toEqual([]);
      smallest.push(`${what} ${Math.min(...(await targets(page)).map(targetSize)).toFixed(0)}`);
      if (width === 320 || width === 390) await shot(page, 'guest-pseudo', { fullPage: true });
    }
    console.log(`smallest target in px (pseudo-locale), by width: ${smallest.join(', ')}`);
  });

  it.each([320, 390])('fits German at %i px: nothing scrolls sideways, no word is cut, every button at least 44 px', async (width) => {
    const page = await phone('de-DE');
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${server.url}/guest`);
    await page.getByRole('region', { name: 'Song wünschen' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await a11yProblems(page, 44)).toEqual([]);
    expect(await textFitProblems(page)).toEqual([]);
    await shot(page, 'guest-de', { fullPage: true });
  });

  it('mirrors for a right-to-left language without a redesign: the same page, read from the right, nothing cut', async () => {
    const page = await phone('en-GB');
    await page.goto(`${server.url}/guest?lang=qps`);
    // Where the room's mood (one short word) starts on its line.
    const mood = page.locator('.label').first();
    await mood.waitFor(WAIT);
    const textLeft = (): Promise<number> =>
      mood.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return range.getBoundingClientRect().left;
      });
    const ltr = await textLeft();
    await page.evaluate(() => (document.documentElement.dir = 'rtl'));
    // The styles are in logical properties (start and end, not left and right): the word moves to the right.
    await expect.poll(textLeft, WAIT).toBeGreaterThan(ltr + 100);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await textFitProblems(page)).toEqual([]);
    await shot(page, 'guest-rtl', { fullPage: true });
  });
});
