import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Daemon, PASSPHRASE, WAIT, addUser, assertBuilt, launchBrowser, shot, startDaemon, tempDir } from './harness.js';

// The admin panel in its reader's language (issue 57): the language kept with their account, else
// their browser's; the panel's frame (sign-in, new passphrase, menu, header) in the seven
// languages and the pseudo-locale.

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
    await page.locator('.signin .error', { hasText: 'Name und Passphrase passen nicht zusammen.' }).waitFor(WAIT);
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

  it('has every word of its frame in the catalogue (pseudo-locale), with nothing cut or scrolled on a phone', async () => {
    const { page } = await open('en-US', { width: 320, height: 640 }, '?lang=qps');
    await page.getByRole('button', { name: /Šîgñ îñ/ }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-XA');
    await page.getByLabel(/Ñàmé/).fill('Inès');
    await page.getByLabel(/Pàššphràšé/).fill(PASSPHRASE);
    await page.getByRole('button', { name: /Šîgñ îñ/ }).click();
    await page.locator('button.menu').click(WAIT);
    const links = page.locator('nav a');
    await links.first().waitFor(WAIT);
    // Every section's name is the catalogue's (accented), and the account's name stays as it is.
    for (const text of await links.allInnerTexts()) expect(text.trim()).toMatch(/^\[.*\]/);
    expect(await page.locator('nav li.who').innerText()).toContain('Inès');
    await shot(page, 'admin-frame-qps');
    const wide = await page.evaluate(() => {
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
    expect(wide).toEqual([]);
  });
});
