import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClock } from '../../src/ui/i18n/times.js';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  TEST_CONFIG,
  WAIT,
  a11yProblems,
  addUser,
  assertBuilt,
  launchBrowser,
  startDaemon,
  tempDir,
} from './harness.js';

// Issue 82: in the quiet hours the guest page said "Paused … Up next · about 5:04 AM (in 1 min)"
// with no word of them, and a woken kiosk said "Paused" with no reason. Both say that it is the
// quiet hours, and until when; the guest page gives no start times that the quiet hours would break.

/** `HH:MM` of the box's clock (the tests' and the daemon's `TZ`), `hours` from now. */
function hhmm(hours: number): string {
  const at = new Date(Date.now() + hours * 3_600_000);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

describe('the screens in the quiet hours', { timeout: 180_000 }, () => {
  const data = tempDir('mb-quiet-hours-reason-');
  const to = hhmm(2);
  /** When they end, as the screens write a time in English. */
  const until = formatClock('en', to);
  let daemon: Daemon;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    daemon = await startDaemon(data.path, {
      config: {
        ...TEST_CONFIG,
        player: { ...TEST_CONFIG.player, quietHours: { from: hhmm(-1), to } },
        guests: { requests: 'on' },
      },
    });
    browser = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('the guest page says it is the quiet hours and until when, with no start times', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/guest`);
    const now = page.getByRole('region', { name: 'Now playing' });
    await now.getByRole('heading', { name: 'Quiet hours' }).waitFor(WAIT);
    expect(await now.locator('[data-quiet-hours]').textContent()).toBe(`No music until ${until}: these are the quiet hours.`);
    expect(await page.getByRole('heading', { name: 'Paused' }).count()).toBe(0);
    // A guest asks for a song: it waits for the quiet hours' end, with no time that they would break.
    const ask = page.getByRole('region', { name: 'Ask for a song' });
    await ask.locator('.tile').first().waitFor(WAIT);
    await ask.locator('.tile').first().tap();
    const next = page.getByRole('region', { name: 'Up next' });
    await next.locator('li').first().waitFor(WAIT);
    await page.getByRole('region', { name: 'Your requests' }).locator('li').first().waitFor(WAIT);
    expect(await page.getByRole('region', { name: 'Your requests' }).textContent()).not.toMatch(/about|\bin \d+ min/);
    expect(await next.locator('[data-quiet-hours]').textContent()).toBe(`These play once the quiet hours end at ${until}.`);
    expect(await next.locator('[data-when]').allTextContents()).not.toContainEqual(expect.stringMatching(/about|\bin \d+ min/));
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('a kiosk woken by a touch says it is the quiet hours and until when, not only "Paused"', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${daemon.url}/`);
    const sleep = page.locator('[data-sleep]');
    await sleep.waitFor(WAIT);
    await sleep.click();
    const now = page.locator('section.now');
    await now.locator('[data-quiet-hours]').waitFor(WAIT);
    expect(await now.locator('[data-quiet-hours]').textContent()).toContain(`No music until ${until}: these are the quiet hours.`);
    expect((await now.locator('h2').textContent())?.trim()).toBe('Quiet hours');
    // Where the songs are, what a tap does until then: never "Tap a song to start".
    const tap = page.locator('mb-suggestions [data-quiet-tap]');
    await tap.waitFor(WAIT);
    expect(await tap.textContent()).toBe(`Quiet hours until ${until}: a tap plays nothing until then.`);
    expect(await page.getByText(/Tap a song/).count()).toBe(0);
    await page.close();
  });

  it('the staff controls say why the music is silent in the reader’s language, not the daemon’s English', async () => {
    const german = await launchBrowser({ width: 1280, height: 800 }, [], { locale: 'de-DE' });
    try {
      const { page } = german;
      await page.goto(`${daemon.url}/admin`);
      await page.locator('input[name="name"]').fill('Root');
      await page.locator('input[name="passphrase"]').fill(PASSPHRASE);
      await page.locator('input[name="passphrase"]').press('Enter');
      const silence = page.locator('mb-admin-dashboard mb-staff-controls [data-silence]');
      await silence.waitFor(WAIT);
      expect(await silence.textContent()).toBe('Gerade stumm: Ruhezeiten.');
    } finally {
      await german.close();
    }
  });
});
