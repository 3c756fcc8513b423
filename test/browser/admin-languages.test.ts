import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_PIECES, STYLES } from '../../scripts/demo-music-pieces.js';
import { pseudo } from '../../src/ui/i18n/catalogue-tools.js';
import german from '../../src/ui/i18n/catalogues/de.json' with { type: 'json' };
import english from '../../src/ui/i18n/catalogues/en.json' with { type: 'json' };
import { type Browser, type Daemon, PASSPHRASE, WAIT, addUser, assertBuilt, launchBrowser, shot, startDaemon, tempDir } from './harness.js';
import { smallTargets, targetSize, targets } from './phone-checks.js';
import { textFitProblems } from './text-fit.js';

/** The panel's pages whose words are its own (the model page shows the model's report, data of its own). */
const PAGES = ['', '#guests', '#library', '#stations', '#blocked', '#users', '#history', '#settings', '#backups', '#camera', '#audit'];
/** What a page shows that is data, not words of the panel: the demo library's titles, artists and albums, and the admin's name. */
const DATA = new Set(['Inès', ...DEMO_PIECES.flatMap((p) => [p.title, p.artist]), ...Object.values(STYLES).map((s) => s.album)]);
/** The panel's texts whose words must not be cut (`textFitProblems`); its buttons are looked at in any case. */
const PANEL_TEXTS = 'h1, h2, h3, h4, p, li, dt, dd, th, td, label, legend, summary, figcaption, nav a';
/**
 * The settings' tabs, a third of a phone's width each, may hyphenate a word on two lines ("Bild-schirme");
 * a button of a card's row of actions, which wrap onto lines of their own, may take two lines where it
 * is alone on its line and longer than it ("Clear the queue and votes", 40% longer, on a phone).
 */
const MAY_WRAP = { mayWrap: '[role="tab"], .actions button' };

/**
 * The visible texts of `page` (shadow roots included) that hold words, and those of them that are
 * not the pseudo-locale's (no accented letter, no bracket): words that did not come from the
 * catalogue. Data (`DATA`), code, and texts without a word of two letters, are left out of both.
 */
async function plainTexts(page: Page): Promise<{ texts: number; plain: string[] }> {
  const found = await page.evaluate(() => {
    const texts: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node instanceof Element) {
          if (node.shadowRoot) visit(node.shadowRoot);
          continue;
        }
        const text = (node.textContent ?? '').trim();
        const parent = node.parentElement;
        // Code (a command, a file's name, a CSV column) is the same in every language.
        if (parent === null || ['STYLE', 'SCRIPT', 'CODE', 'KBD', 'SAMP'].includes(parent.tagName) || !parent.checkVisibility()) continue;
        if (/\p{L}{2,}/u.test(text)) texts.push(text);
      }
    };
    visit(document);
    return texts;
  });
  // A time as Intl writes it in the pseudo-locale's English ("06:00 PM") is a number, not a word of the panel.
  const words = found.filter((text) => !DATA.has(text) && /\p{L}{2,}/u.test(text.replace(/\b[AP]M\b/g, '')));
  return { texts: words.length, plain: words.filter((text) => !/[[\]·àáâãäåçèéêëìíîïñòóôõöùúûüýÿšžłđ]/iu.test(text)) };
}

// The admin panel in its reader's language (issue 57): the language kept with their account, else
// their browser's; the panel's frame (sign-in, new passphrase, menu, header) in the seven
// languages and the pseudo-locale.

/** Elements that reach past the right edge of the screen (a page that scrolls sideways), shadow roots included. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const box = el.getBoundingClientRect();
        if (box.right > window.innerWidth + 1 && el.checkVisibility())
          found.push(
            `${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)} ${(el.textContent ?? '').trim().slice(0, 40)} in ${(el.getRootNode() as ShadowRoot).host?.tagName ?? 'doc'}`,
          );
      }
    };
    visit(document);
    return found;
  });
}

/**
 * Checks that `page` fits its screen once its cards have loaded (no "Loading…" in `loading`'s
 * words left): nothing past the screen's edge, the page not wider than the screen, no word of
 * the panel cut, and on a phone every target at least 44 px. Returns the page's smallest target
 * (its smaller side) in px, for the log.
 */
async function fits(page: Page, loading: string, what: string, isPhone: boolean): Promise<number> {
  // A resize draws the charts again, and on a phone the dashboard's brief cards load their own.
  await page
    .getByText(loading)
    .first()
    .waitFor({ state: 'detached', ...WAIT });
  await expect.poll(() => overflowing(page), { message: what, ...WAIT }).toEqual([]);
  // A word wider than its box spills out of it without moving the box, and the page scrolls.
  expect(await page.evaluate(() => document.documentElement.scrollWidth), what).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
  await expect.poll(() => textFitProblems(page, PANEL_TEXTS, MAY_WRAP), { message: what, ...WAIT }).toEqual([]);
  if (isPhone) await expect.poll(() => smallTargets(page), { message: what, ...WAIT }).toEqual([]);
  return Math.min(...(await targets(page)).map(targetSize));
}

/**
 * Checks with `fits` that the page open at 1280x800 (its cards loaded) fits there, at 390 and at
 * 320 px, and on the dashboard the menu too on each phone; a screenshot of each, named from
 * `prefix` and `name`. Leaves the page at 320 px. Returns each smallest target, for the log.
 */
async function fitsAtEveryWidth(page: Page, loading: string, prefix: string, name: string): Promise<string[]> {
  const smallest: string[] = [];
  const check = async (what: string, isPhone: boolean): Promise<void> => {
    smallest.push(`${what} ${(await fits(page, loading, what, isPhone)).toFixed(0)}`);
  };
  for (const width of [1280, 390, 320]) {
    if (width < 1280) await page.setViewportSize({ width, height: 844 });
    await check(`${name} at ${width} px`, width < 1280);
    await shot(page, `${prefix}-${name}`, { fullPage: true });
    if (name !== 'dashboard' || width === 1280) continue;
    // The sections behind the menu: each link a whole word and a finger's size.
    const menu = page.locator('button.menu');
    await menu.click();
    await page.locator('nav a').first().waitFor(WAIT);
    await check(`the menu at ${width} px`, true);
    await shot(page, `${prefix}-menu`);
    await menu.click();
    await page
      .locator('nav a')
      .first()
      .waitFor({ state: 'hidden', ...WAIT });
  }
  return smallest;
}

describe('the admin panel in its reader’s language', { timeout: 120_000 }, () => {
  const data = tempDir('mb-admin-languages-');
  let daemon: Daemon;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Inès', 'admin', PASSPHRASE);
    daemon = await startDaemon(data.path);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await daemon?.stop();
    data.remove();
  });

  async function open(locale: string, viewport = { width: 1280, height: 800 }, query = ''): Promise<Browser> {
    const browser = await launchBrowser(viewport, [], { locale });
    browsers.push(browser);
    await browser.page.goto(`${daemon.url}/admin${query}`);
    return browser;
  }

  it('speaks the browser’s language until the admin chooses one, then theirs on every device, and the browser’s again', async () => {
    const { page } = await open('de-DE');
    await page.getByRole('heading', { name: 'Moodbox-Verwaltung' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.getByText('Niemand kann sich anmelden?').click();
    expect(await page.locator('[data-recover]').innerText()).toMatch(/Terminal[\s\S]*user add NAME --role admin[\s\S]*user pin NAME/);
    await page.getByLabel('Name').fill('Inès');
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page
      .locator('.signin .error', { hasText: 'Name und Passphrase oder PIN passen zu niemandem, der die Verwaltung nutzen darf.' })
      .waitFor(WAIT);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const nav = page.getByRole('navigation', { name: 'Bereiche' });
    await nav.getByRole('link', { name: 'Einstellungen' }).waitFor(WAIT);
    expect(await page.locator('header .who').innerText()).toBe('Angemeldet als Inès');

    // Chosen for the account: French at once, and on another device whose browser speaks Dutch.
    await page.locator('header select.language').selectOption('fr');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Réglages' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    const other = await open('nl-NL');
    await other.page.getByRole('button', { name: 'Aanmelden' }).waitFor(WAIT);
    await other.page.getByLabel('Naam').fill('Inès');
    await other.page.getByLabel('Wachtzin').fill(PASSPHRASE);
    await other.page.getByRole('button', { name: 'Aanmelden' }).click();
    await other.page.getByRole('link', { name: 'Tableau de bord' }).waitFor(WAIT);
    await shot(other.page, 'admin-frame-fr');

    // Back to the browser's language: German here.
    await page.locator('header select.language').selectOption('auto');
    await nav.getByRole('link', { name: 'Einstellungen' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
  });

  it('draws every sentence of every page from the catalogue, a held mood’s and its audit’s too, the library’s titles and artists aside, and fits 40% longer words at 1280x800, 390 and 320 px: nothing past the screen’s edge, no word cut, every target at least 44 px on a phone (pseudo-locale)', async () => {
    const { page } = await open('en-US', { width: 1280, height: 800 }, '?lang=qps');
    await page.getByLabel(/Ñàmé/).fill('Inès');
    await page.getByLabel(/Pàššphràšé/).fill(PASSPHRASE);
    await page.getByRole('button', { name: /Šîgñ îñ/ }).click();
    await page.locator('nav a').first().waitFor(WAIT);
    // A mood held by staff: the staff bar says so on every page, and the audit log shows the hold, its mood and its end.
    const session = (await (await page.request.get(`${daemon.url}/api/admin/session`)).json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': session.csrfToken };
    const held = await page.request.put(`${daemon.url}/api/admin/mood/hold`, { headers, data: { label: 'sad', minutes: 60 } });
    expect(held.ok(), await held.text()).toBe(true);
    onTestFinished(async () => void (await page.request.delete(`${daemon.url}/api/admin/mood/hold`, { headers })));
    const loading = pseudo(english.admin.page.loading);
    const figures: string[] = [];
    const smallest: string[] = [];
    for (const view of PAGES) {
      const name = view.slice(1) || 'dashboard';
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${daemon.url}/admin?lang=qps${view}`);
      await page.locator('main h2').first().waitFor(WAIT);
      // Each card of the page loaded: no "Loading…" left.
      await expect.poll(async () => (await plainTexts(page)).texts, WAIT).toBeGreaterThan(10);
      await page
        .getByText(loading)
        .first()
        .waitFor({ state: 'detached', ...WAIT });
      const { texts, plain } = await plainTexts(page);
      figures.push(`#${name} ${plain.length}/${texts}`);
      expect(plain, `#${name}`).toEqual([]);
      smallest.push(...(await fitsAtEveryWidth(page, loading, 'admin-qps', name)));
    }
    console.log(`texts not from the catalogue, by page: ${figures.join(', ')}`);
    console.log(`smallest target in px (pseudo-locale), by page and width: ${smallest.join(', ')}`);
  });

  it('fits German on every page at 1280x800, 390 and 320 px: nothing past the screen’s edge, no word cut, every target at least 44 px on a phone', async () => {
    const { page } = await open('de-DE');
    await page.getByLabel('Name').fill('Inès');
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('nav a').first().waitFor(WAIT);
    /** Each page's smallest target (its smaller side), by width, for the log. */
    const smallest: string[] = [];
    for (const view of PAGES) {
      const name = view.slice(1) || 'dashboard';
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${daemon.url}/admin${view}`);
      await page.locator('main h2').first().waitFor(WAIT);
      await expect.poll(async () => (await plainTexts(page)).texts, WAIT).toBeGreaterThan(10);
      if (view === '') {
        // Why the song plays is the music's own message, said in German as well: with no camera
        // reading the room, the default mood it follows.
        const reason = page.locator('[data-why]');
        await expect.poll(() => reason.innerText(), WAIT).toMatch(/^Folgt der Standardstimmung „ruhig“/);
        expect(await reason.innerText()).not.toMatch(/\b(fits|calm|happy|sad)\b/);
      }
      smallest.push(...(await fitsAtEveryWidth(page, german.admin.page.loading, 'admin-de', name)));
    }
    console.log(`smallest target in px, by page and width: ${smallest.join(', ')}`);
  });

  it('has every word of its frame in the catalogue (pseudo-locale), with nothing cut or scrolled and every target at least 44 px on a phone', async () => {
    const { page } = await open('en-US', { width: 320, height: 640 }, '?lang=qps');
    await page.getByRole('button', { name: /Šîgñ îñ/ }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-XA');
    const loading = pseudo(english.admin.page.loading);
    await fits(page, loading, 'the sign-in at 320 px', true);
    await shot(page, 'admin-signin-qps', { fullPage: true });
    await page.getByLabel(/Ñàmé/).fill('Inès');
    await page.getByLabel(/Pàššphràšé/).fill(PASSPHRASE);
    await page.getByRole('button', { name: /Šîgñ îñ/ }).click();
    await page.locator('button.menu').click(WAIT);
    const links = page.locator('nav a');
    await links.first().waitFor(WAIT);
    // Every section's name is the catalogue's (accented), and the account's name stays as it is.
    for (const text of await links.allInnerTexts()) expect(text.trim()).toMatch(/^\[.*\]/);
    expect(await page.locator('nav li.who').innerText()).toContain('Inès');
    await fits(page, loading, 'the menu at 320 px', true);
    await shot(page, 'admin-frame-qps');
  });
});
