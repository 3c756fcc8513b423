// A guest's place in the queue, taking a request back, the countdown to the next request and the
// limits of phones behind one address, end to end against the real daemon (its guest service,
// director, mpv into the null output) on phones 390 and 320 px wide (issue 40). Every browser
// here calls from 127.0.0.1: three phones behind one address, as in a café behind one router.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  TEST_CONFIG,
  a11yProblems,
  assertBuilt,
  launchBrowser,
  shot,
  startDaemon,
  tempDir,
  WAIT,
} from './harness.js';
import { textFitProblems } from './text-fit.js';

/** Each phone one request an hour, the address two at most; one "not this" skips the song playing. */
const GUESTS = { requests: 'on', requestsPerHour: 1, requestsPerAddressMax: 2, downVotesToSkip: 1 } as const;

describe('a guest’s queue and limits on phones behind one address, against the real daemon', { timeout: 300_000 }, () => {
  const data = tempDir('mb-guest-queue-');
  let daemon: Daemon;
  let phoneA: Browser;
  let phoneB: Browser;
  let phoneC: Browser;

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, guests: GUESTS } });
    phoneA = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true });
    phoneB = await launchBrowser({ width: 320, height: 640 }, [], { hasTouch: true });
    phoneC = await launchBrowser({ width: 320, height: 640 }, [], { hasTouch: true });
  }, 120_000);

  afterAll(async () => {
    for (const phone of [phoneA, phoneB, phoneC]) await phone?.close();
    await daemon?.stop();
    data.remove();
  });

  it('shows each phone its place and time, lets it take a request back, counts down to its next, and says why a phone behind a full address may not ask', async () => {
    // Phone A asks for one of the songs that fit the room: it comes next.
    const a = phoneA.page;
    await a.goto(`${daemon.url}/guest`);
    const askA = a.getByRole('region', { name: 'Ask for a song' });
    await askA.locator('.tile').first().waitFor(WAIT);
    const first = (await askA.locator('.tile .t').first().textContent())?.trim() ?? '';
    await askA.locator('.tile').first().tap();
    await a
      .getByRole('status')
      .filter({ hasText: `You asked for “${first}”` })
      .waitFor(WAIT);
    const mineA = a.getByRole('region', { name: 'Your requests' });
    const requestA = mineA.locator('li[data-status="queued"]').filter({ hasText: first });
    await requestA.locator('.status').filter({ hasText: 'Next' }).waitFor(WAIT);
    expect(await requestA.locator('[data-when]').textContent()).toMatch(/^Next · about (\d{1,2}:\d\d( [AP]M)? \(in \d+ min\)|now)$/);
    await a
      .locator('[data-notice]')
      .filter({ hasText: `Your song “${first}” is next.` })
      .waitFor(WAIT);
    // Up next marks it as this phone's own.
    const nextA = a.getByRole('region', { name: 'Up next' });
    expect(await nextA.locator('li[data-mine]').textContent()).toContain('Your request');
    // Its one request this hour is used: the reason, the time, and a countdown that runs.
    expect(await askA.locator('[data-left]').textContent()).toBe('No requests left this hour');
    expect(await askA.locator('[data-limit]').textContent()).toMatch(/^1 request an hour per phone; next at \d{1,2}:\d\d\s[AP]M$/);
    const countdown = askA.getByRole('timer');
    const firstReading = (await countdown.textContent()) ?? '';
    expect(firstReading).toMatch(/^(1:00:00|59:\d\d)$/);
    await expect.poll(async () => countdown.textContent(), WAIT).not.toBe(firstReading);
    expect(await askA.locator('.tile:not([disabled])').count()).toBe(0);
    await fits(a, 390);
    await shot(a, 'guest-queue-next');
    await dismissMessage(a);
    await askA.scrollIntoViewIfNeeded();
    await shot(a, 'guest-queue-countdown');

    // Phone B, 320 px wide, behind the same address: a phone of its own, so it may ask; it stands after A's request and a song of the room's.
    const b = phoneB.page;
    await b.goto(`${daemon.url}/guest`);
    const askB = b.getByRole('region', { name: 'Ask for a song' });
    await askB.locator('.tile').first().waitFor(WAIT);
    expect(await askB.locator('[data-left]').textContent()).toBe('1 of 1 request left this hour');
    const nextB = b.getByRole('region', { name: 'Up next' });
    const requestOfA = nextB.locator('li').filter({ hasText: first });
    expect(await requestOfA.textContent()).toContain('Asked for by a guest');
    expect(await requestOfA.getAttribute('data-mine')).toBeNull();
    const second = (await askB.locator('.tile .t').first().textContent())?.trim() ?? '';
    expect(second).not.toBe(first);
    await askB.locator('.tile').first().tap();
    const mineB = b.getByRole('region', { name: 'Your requests' });
    const requestB = mineB.locator('li').filter({ hasText: second });
    await requestB
      .locator('[data-when]')
      .filter({ hasText: /^3rd in line · about / })
      .waitFor(WAIT);
    await fits(b, 320);
    await dismissMessage(b);
    await requestB.scrollIntoViewIfNeeded();
    await shot(b, 'guest-queue-place');

    // B takes it back: it leaves the queue, and still counts in B's hour.
    await requestB.getByRole('button', { name: `Take back ${second}` }).tap();
    await b
      .getByRole('status')
      .filter({ hasText: `You took back “${second}”. It still counts in this hour.` })
      .waitFor(WAIT);
    await mineB.locator('li[data-status="cancelled"]').filter({ hasText: second }).waitFor(WAIT);
    expect(await mineB.locator('li[data-status="cancelled"] .status').textContent()).toBe('Taken back');
    await nextB
      .locator('li')
      .filter({ hasText: second })
      .waitFor({ state: 'detached', ...WAIT });
    expect(await askB.locator('[data-limit]').textContent()).toMatch(/^1 request an hour per phone; next at \d{1,2}:\d\d\s[AP]M$/);
    await dismissMessage(b);
    await mineB.scrollIntoViewIfNeeded();
    await shot(b, 'guest-queue-taken-back');

    // Phone C behind the same address: the address has had its two requests this hour. The page says so with the time, and so does a request.
    const c = phoneC.page;
    await c.goto(`${daemon.url}/guest`);
    const askC = c.getByRole('region', { name: 'Ask for a song' });
    const networkFull = /^Phones on this network asked for 2 songs this hour, as many as one network may; next at \d{1,2}:\d\d\s[AP]M$/;
    await askC.locator('[data-limit]').filter({ hasText: networkFull }).waitFor(WAIT);
    expect(await askC.locator('[data-left]').textContent()).toBe('No requests left this hour');
    expect(await askC.getByRole('timer').textContent()).toMatch(/^(1:00:00|59:\d\d)$/);
    const trackId = Number(await askC.locator('.tile').first().getAttribute('data-track'));
    const refusal = await c.evaluate(async (id) => {
      const res = await fetch('/api/guest/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ trackId: id }),
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    }, trackId);
    expect(refusal.status).toBe(429);
    expect(refusal.body.error.code).toBe('MB_ERR_GUEST_LIMIT');
    // The daemon's own English keeps the box's 24-hour clock; the page writes the time as its reader's language does.
    expect(refusal.body.error.message).toMatch(
      /^Phones on this network asked for 2 songs this hour, as many as one network may; next at \d\d:\d\d$/,
    );
    await fits(c, 320);
    await askC.scrollIntoViewIfNeeded();
    await shot(c, 'guest-queue-network-limit');
  });

  it('tells a guest when their song plays, and when guests voted it off', async () => {
    const a = phoneA.page;
    const b = phoneB.page;
    const asked = (await a.locator('li[data-status="queued"] .t').first().textContent())?.trim() ?? '';
    expect(asked).not.toBe('');
    // "Not this" on the mood's song playing (one vote is enough here): A's request, next, plays.
    const nowB = b.getByRole('region', { name: 'Now playing' });
    const playing = (await nowB.locator('.title').textContent())?.trim() ?? '';
    await nowB.getByRole('button', { name: new RegExp(`^Not this \\d+/\\d+: votes to skip ${escape(playing)}$`) }).tap();
    await a
      .locator('[data-notice]')
      .filter({ hasText: `Your song “${asked}” is playing now.` })
      .waitFor(WAIT);
    await a.getByRole('region', { name: 'Your requests' }).locator('li[data-status="playing"]').filter({ hasText: asked }).waitFor(WAIT);
    await a.evaluate(() => window.scrollTo(0, 0));
    await shot(a, 'guest-queue-playing');

    // Guests vote it off: A is told so, and why.
    await nowB.locator('.title').filter({ hasText: asked }).waitFor(WAIT);
    await nowB.getByRole('button', { name: new RegExp(`^Not this \\d+/\\d+: votes to skip ${escape(asked)}$`) }).tap();
    await a
      .locator('[data-notice]')
      .filter({ hasText: `Your song “${asked}” was skipped: guests voted it off.` })
      .waitFor(WAIT);
    const skipped = a.getByRole('region', { name: 'Your requests' }).locator('li[data-status="skipped"]').filter({ hasText: asked });
    expect(await skipped.locator('.reason').textContent()).toBe('Guests voted it off');
    await fits(a, 390);
    await a.evaluate(() => window.scrollTo(0, 0));
    await shot(a, 'guest-queue-skipped');
  });
});

/** Puts the page's passing message away (a tap), so that it hides nothing in a screenshot. */
async function dismissMessage(page: Page): Promise<void> {
  // Looked up and tapped in one step: the message also leaves by itself after a few seconds.
  await page.evaluate(() => document.querySelector('mb-guest')?.shadowRoot?.querySelector<HTMLElement>('.message')?.click());
  await page.locator('.message').waitFor({ state: 'detached', ...WAIT });
}

/** Nothing scrolls sideways, no word breaks or title is cut, no button wraps, and every button is at least 44 px. */
async function fits(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  expect(await textFitProblems(page)).toEqual([]);
  expect(await a11yProblems(page, 44)).toEqual([]);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
