// The guest page in the guest's language (issue 57): the phone's language, a switch on the page,
// and a pseudo-locale (accented, 40% longer) that finds a word left out of the catalogue and a
// layout that breaks with longer words. Against the real daemon: guests may ask (three songs an
// hour per phone), its camera reads a happy face a test camera sends, and what the page says in
// German is checked against the daemon's own sentences (its `said`) in the German catalogue.
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuestRequest, GuestState, Said, TrackView } from '../../src/daemon/http/contract.js';
import { GUEST_REFUSALS } from '../../src/daemon/guests/guest-refusals.js';
import { germanSaid, inGerman } from './german-words.js';
import { type Browser, a11yProblems, launchBrowser, shot, stateWhen, WAIT } from './harness.js';
import { asStaff, kioskDaemon, whilePaused } from './kiosk-daemon.js';
import { ownTexts } from './own-texts.js';
import { smallTargets, targetSize, targets } from './phone-checks.js';
import { textFitProblems } from './text-fit.js';

/** The daemon's own sentences (why a song plays, a request's reason), the library's words and the clock are not the page's. */
const NOT_OURS = '.t, .a, .title, .artist, [data-why], .reason, [data-time], .count, [data-countdown], option, mb-cover, .brand';

describe('the guest page in the guest’s language', { timeout: 300_000 }, () => {
  const box = kioskDaemon({
    prefix: 'mb-guest-languages-',
    config: { guests: { requests: 'on' } },
    ready: (s) => s.mood.current === 'happy' && s.player.nowPlaying !== null && s.player.next !== null && s.suggestions.length >= 6,
  });
  const browsers: Browser[] = [];

  // Each test's phones leave with it: the daemon takes a few guest pages at once from one address.
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close()));
  });

  /** A new phone (its own cookie): 390x844, a touch screen, in `locale`. */
  async function phone(locale: string, timezoneId?: string): Promise<Page> {
    const browser = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true, locale, ...(timezoneId ? { timezoneId } : {}) });
    browsers.push(browser);
    return browser.page;
  }

  /** The phone's own view, as the daemon gives it to this phone (its cookie). */
  const phoneView = (page: Page): Promise<GuestState> =>
    page.evaluate(async () => (await (await fetch('/api/guest/state')).json()) as GuestState);

  /**
   * Asks for the first song suggested on `page`'s "ask" region, and returns its request as the daemon
   * keeps it; `asked` gives the notices that may say it was taken (asked for, or next at once).
   */
  async function askFirst(page: Page, askTitle: string, asked: (title: string) => string[]): Promise<GuestRequest> {
    const ask = page.getByRole('region', { name: askTitle });
    // A song the daemon suggests to this phone now (not playing, not next, not asked for yet), as its tile shows it.
    const title = (await phoneView(page)).suggestions[0]?.title;
    if (title === undefined) throw new Error('Expected the daemon to suggest a song');
    const tile = ask
      .locator('.tile:not([disabled])')
      .filter({ has: page.locator('.t', { hasText: title }) })
      .first();
    await tile.waitFor(WAIT);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/guest/requests') && r.request().method() === 'POST');
    await tile.tap();
    // A song the daemon suggests to a phone is one it takes: its refusal would be a fault, said with its words.
    const reply = await answer;
    if (!reply.ok()) throw new Error(`Expected the daemon to take the suggested “${title}”, got ${reply.status()}: ${await reply.text()}`);
    // The song the tap asked for: the tiles may have moved under the finger (the suggestions follow
    // the room), and the page names the song the daemon took.
    const taken = (await reply.json()) as GuestRequest;
    const takenTitle = taken.track.title;
    // The daemon's answer, as the page says it.
    const said = page.locator('[role="status"], [role="alert"]').filter({ hasText: takenTitle });
    await said.first().waitFor(WAIT);
    const text = (await said.first().textContent()) ?? '';
    if (!asked(takenTitle).some((words) => text.includes(words)))
      throw new Error(`Expected the daemon to take the request for “${takenTitle}”, got “${text}”`);
    const request = (await phoneView(page)).me.requests.find((r) => r.id === taken.id);
    if (request === undefined) throw new Error(`Expected the daemon to keep a request for “${takenTitle}”`);
    return request;
  }
  const askedDe = (title: string): string[] => [`Du hast dir „${title}“ gewünscht`, `Dein Song „${title}“ kommt als Nächstes.`];
  const askedEn = (title: string): string[] => [`You asked for “${title}”`, `Your song “${title}” is next.`];

  it('speaks German on a German phone, with <html lang="de">, plurals and the mood in German, and why the song plays in the daemon’s words', async () => {
    const page = await phone('de-DE');
    await page.goto(`${box.daemon.url}/guest`);
    const ask = page.getByRole('region', { name: 'Song wünschen' });
    await ask.waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await ask.locator('[data-left]').textContent()).toBe('Noch 3 von 3 Wünschen in dieser Stunde');
    expect(await page.locator('[aria-label="Stimmung im Raum"] .label').textContent()).toBe('Fröhlich');
    // Why the song playing plays, and its like button, as the daemon says now (polled: a song may end meanwhile).
    const now = page.getByRole('region', { name: 'Läuft gerade' });
    const differences = async (): Promise<string[]> => {
      const playing = (await phoneView(page)).nowPlaying;
      if (playing === null) return ['nothing plays'];
      const found: string[] = [];
      if (playing.whySaid != null && germanSaid(playing.whySaid.id) === undefined) found.push(`no German words for "${playing.why}"`);
      const why = inGerman(playing.whySaid, playing.why ?? '');
      const shown = await page.locator('[data-why]').textContent();
      if (shown !== why) found.push(`why: "${shown}", the daemon's "${why}"`);
      const likes = await now.getByRole('button', { name: `Gefällt mir: ${playing.track.title}` }).count();
      if (likes !== 1) found.push(`${likes} buttons "Gefällt mir: ${playing.track.title}"`);
      return found;
    };
    await expect.poll(differences, WAIT).toEqual([]);
  });

  it('says a refusal in German when the daemon sends it as a message, the moods in German; and the hour’s limit with its plural and time', async () => {
    const page = await phone('de-DE');
    await page.goto(`${box.daemon.url}/guest`);
    const ask = page.getByRole('region', { name: 'Song wünschen' });
    await ask.locator('.tile').first().waitFor(WAIT);
    // A calm song, far from the happy room's upbeat music: the daemon refuses it, and says why as a
    // message. (The first song a daemon plays is picked before it read the room, for a calm one:
    // staff skip it, so that the music's own picks, which a request may come as close as, are the room's.)
    await asStaff(box.daemon, 'POST', '/api/admin/player/skip');
    const lively = (t: TrackView | null): boolean => t !== null && !t.moods.includes('calm') && !t.moods.includes('mellow');
    await stateWhen(box.daemon, (s) => lively(s.player.nowPlaying) && lively(s.player.next), WAIT.timeout);
    // Paused from here: the lively songs stay, and the requests keep their place.
    await whilePaused(box.daemon, async () => {
      await ask.getByRole('searchbox').fill('Still Water');
      const result = ask.getByRole('button', { name: /^Still Water/ });
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/guest/requests') && r.request().method() === 'POST');
      await result.tap();
      const refusal = (await (await answer).json()) as { error: { code: string; message: string; said?: Said } };
      expect(refusal.error.code).toBe('MB_ERR_GUEST_MOOD');
      expect(refusal.error.said?.id).toBe('fit.far');
      const alert = page.getByRole('alert');
      await alert.waitFor(WAIT);
      expect(await alert.textContent()).toContain(inGerman(refusal.error.said, refusal.error.message));
      expect(await alert.textContent()).toContain('Es ist ruhig, weit weg von der Stimmung im Raum (beschwingt)');
      // Three songs asked for: the hour's limit, in German, with the daemon's time for the next.
      for (let i = 0; i < 3; i++) await askFirst(page, 'Song wünschen', askedDe);
      const limit = ask.locator('[data-limit]');
      await limit.waitFor(WAIT);
      const { me } = await phoneView(page);
      expect(me.limitReasonSaid?.id).toBe('guest.phoneLimit');
      const given = me.limitReasonSaid?.values?.['time'];
      const time = typeof given === 'string' ? given : '';
      expect(time).toMatch(/^\d{1,2}:\d\d$/);
      expect(await limit.textContent()).toBe(`3 Wünsche pro Stunde und Handy; der nächste um ${time}`);
      expect(await ask.locator('[data-left]').textContent()).toBe('Keine Wünsche mehr in dieser Stunde');
    });
  });

  it('says in German why the page does not open and what to do, when the daemon refuses the phone (issue 82)', async () => {
    const page = await phone('de-DE');
    // The daemon's refusal while guests are turned off, as it answers any of the page's calls then.
    const refusal = GUEST_REFUSALS.closed();
    const body = JSON.stringify({ error: { code: 'MB_ERR_GUEST_CLOSED', message: refusal.text, said: refusal.said } });
    await page.route('**/api/guest/state', (route) => route.fulfill({ status: 403, contentType: 'application/json', body }));
    await page.goto(`${box.daemon.url}/guest`);
    const refused = page.getByRole('region', { name: 'Die Seite lässt sich hier nicht öffnen' });
    await refused.waitFor(WAIT);
    expect(await refused.locator('[data-reason]').textContent()).toBe(inGerman(refusal.said, refusal.text));
    expect(await refused.locator('[data-todo]').textContent()).toBe(
      'Frag das Team oder versuch es später: Die Seite öffnet sich von selbst, sobald Wünsche wieder möglich sind.',
    );
    expect(await page.locator('.loading').count()).toBe(0);
  });

  it('says why a request stands and why it was declined in German, in its line and in the notice', async () => {
    const page = await phone('de-DE');
    await page.goto(`${box.daemon.url}/guest`);
    // Paused: the request keeps its place in the queue until staff block its song.
    await whilePaused(box.daemon, async () => {
      const request = await askFirst(page, 'Song wünschen', askedDe);
      const mine = page.getByRole('region', { name: 'Deine Wünsche' });
      const line = mine.locator(`li[data-request="${request.id}"]`);
      await line.locator('.reason').filter({ hasText: 'Der Song passt zur Stimmung im Raum und steht jetzt in der Reihe' }).waitFor(WAIT);
      // Staff take the song off the list (they block it): the daemon declines the request, and says why.
      const block = await asStaff<{ id: number }>(box.daemon, 'POST', '/api/admin/blocks', { trackId: request.track.id });
      try {
        const why = 'Das Team hat diesen Song von der Liste genommen';
        await line.locator('.reason').filter({ hasText: why }).waitFor(WAIT);
        const declined = (await phoneView(page)).me.requests.find((r) => r.id === request.id);
        expect(declined?.status).toBe('declined');
        expect(declined?.reasonSaid?.id).toBe('guest.reason.blocked');
        expect(await line.locator('.status').textContent()).toBe('Abgelehnt');
        expect(await page.locator('[data-notice]').textContent()).toBe(`Dein Song „${request.track.title}“ wurde abgelehnt: ${why}.`);
      } finally {
        await asStaff(box.daemon, 'DELETE', `/api/admin/blocks/${block.id}`);
      }
    });
  });

  it('gives the box’s time of day to a phone in another time zone, with the zone named', async () => {
    // A phone in New York asks for a song: it plays after the room's next one, in a few minutes.
    const away = await phone('en-US', 'America/New_York');
    await away.goto(`${box.daemon.url}/guest`);
    // Paused: the request keeps its place and its time while both phones read it.
    await whilePaused(box.daemon, async () => {
      const request = await askFirst(away, 'Ask for a song', askedEn);
      const expectedAt = (await phoneView(away)).me.requests.find((r) => r.id === request.id)?.expectedAt ?? null;
      if (expectedAt === null) throw new Error('Expected the daemon to say when the request plays');
      const boxTime = (locale: string): string =>
        new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(expectedAt);
      const when = away.getByRole('region', { name: 'Your requests' }).locator(`li[data-request="${request.id}"] [data-when]`);
      await when.waitFor(WAIT);
      const text = (await when.textContent()) ?? '';
      expect(text).toMatch(new RegExp(`· about ${boxTime('en-US')} UTC \\(in (\\d+) min\\)$`));
      const minutes = Number(/\(in (\d+) min\)/.exec(text)?.[1]);
      expect(Math.abs(minutes - (expectedAt - Date.now()) / 60_000)).toBeLessThanOrEqual(1.5);
      // A phone in the box's own zone reads the same time alone.
      const here = await phone('en-US', 'UTC');
      await here.goto(`${box.daemon.url}/guest`);
      const there = here
        .getByRole('region', { name: 'Up next' })
        .locator('li')
        .filter({ hasText: request.track.title })
        .locator('[data-when]');
      await there.waitFor(WAIT);
      expect(await there.textContent()).toContain(`about ${boxTime('en-US')} (in `);
      expect(await there.textContent()).not.toContain('UTC');
    });
  });

  it('switches language on the page, and keeps the choice on this phone', async () => {
    const page = await phone('en-GB');
    await page.goto(`${box.daemon.url}/guest`);
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
    await page.goto(`${box.daemon.url}/guest?lang=qps`);
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
    await page.goto(`${box.daemon.url}/guest`);
    await page.getByRole('region', { name: 'Song wünschen' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await a11yProblems(page, 44)).toEqual([]);
    expect(await textFitProblems(page)).toEqual([]);
    await shot(page, 'guest-de', { fullPage: true });
  });

  it('mirrors for a right-to-left language without a redesign: the same page, read from the right, nothing cut', async () => {
    const page = await phone('en-GB');
    await page.goto(`${box.daemon.url}/guest?lang=qps`);
    // How far the room's mood starts from the page's start edge (the left in a left-to-right page,
    // the right in a right-to-left one), read both ways in one turn of the page, so the room's mood
    // cannot change between the two (a face beside the word comes and goes with the camera).
    const mood = page.locator('.mood .label');
    await mood.waitFor(WAIT);
    // Read again while the word is not laid out in either read (the page re-rendering its mood, on
    // a busy machine), the page turned back between tries.
    let read: { ltr: number; rtl: number } | null = null;
    await expect
      .poll(async () => {
        read = await mood.evaluate((el) => {
          const root = document.documentElement;
          const fromStart = (): number | null => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const box = range.getBoundingClientRect();
            if (!el.isConnected || box.width === 0) return null;
            return root.dir === 'rtl' ? root.clientWidth - box.right : box.left;
          };
          const before = root.dir;
          const ltr = fromStart();
          root.dir = 'rtl';
          const rtl = fromStart();
          if (ltr !== null && rtl !== null) return { ltr, rtl };
          root.dir = before;
          return null;
        });
        return read !== null;
      }, WAIT)
      .toBe(true);
    const { ltr, rtl } = read ?? { ltr: Number.NaN, rtl: Number.NaN };
    // The styles are in logical properties (start and end, not left and right): the word starts as
    // far from the right as it did from the left (a page left as it was would start it 200 px on).
    expect(
      Math.abs(rtl - ltr),
      `from the start edge: ${ltr.toFixed(1)} px left to right, ${rtl.toFixed(1)} px right to left`,
    ).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await textFitProblems(page)).toEqual([]);
    await shot(page, 'guest-rtl', { fullPage: true });
  });
});
