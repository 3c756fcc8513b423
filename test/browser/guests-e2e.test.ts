// Guests from their phones, end to end against the real daemon (its guest service, director, mpv
// into the null output): the kiosk shows the QR code; a phone-sized Chromium opens what it reads,
// votes "not this", likes the song playing, asks for a song and votes it up; the kiosk shows the
// request queued, then, when the phone votes the song playing off, playing, "asked for by a guest".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  TEST_CONFIG,
  assertBuilt,
  freePort,
  launchBrowser,
  shot,
  startDaemon,
  tempDir,
  WAIT,
} from './harness.js';
import { readQrCode } from './qr-code.js';

describe('guests from their phones, against the real daemon', { timeout: 360_000 }, () => {
  const data = tempDir('mb-guests-e2e-');
  let daemon: Daemon;
  let kiosk: Browser;
  let phone: Browser;

  beforeAll(async () => {
    assertBuilt();
    // Phones reach the box at its public URL; one "not this" from a phone is enough to skip here.
    const port = await freePort();
    daemon = await startDaemon(data.path, {
      port,
      config: {
        ...TEST_CONFIG,
        server: { publicUrl: `http://127.0.0.1:${port}` },
        guests: { requests: 'on', downVotesToSkip: 1 },
      },
    });
    // A 10" kiosk: at 800x480 the guests' QR card takes the place of the next song's line, which this test reads.
    kiosk = await launchBrowser({ width: 1280, height: 800 });
    phone = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true });
  }, 120_000);

  afterAll(async () => {
    await phone?.close();
    await kiosk?.close();
    await daemon?.stop();
    data.remove();
  });

  it('a phone opens /guest from the kiosk’s QR code, votes, likes and asks for a song; the kiosk shows it queued, then playing', async () => {
    const screen = kiosk.page;
    await screen.goto(`${daemon.url}/`);
    await screen.locator('.now[data-state="playing"] .title').waitFor(WAIT);
    const code = screen.getByRole('img', { name: /QR code/ });
    await code.waitFor(WAIT);
    const guestUrl = await readQrCode(screen, code);
    expect(guestUrl).toBe(`${daemon.url}/guest`);

    const { page } = phone;
    await page.goto(guestUrl!);
    const now = page.getByRole('region', { name: 'Now playing' });
    const nowTitle = async (): Promise<string> => (await now.locator('.title').textContent())?.trim() ?? '';
    await now.locator('.title').waitFor(WAIT);

    // "Not this" on the song playing: one phone's vote is enough here, and the music moves on.
    const skipped = await nowTitle();
    await now.getByRole('button', { name: new RegExp(`^Not this \\d+/\\d+: votes to skip ${escape(skipped)}$`) }).tap();
    await screen.locator('.now .title').filter({ hasNotText: skipped }).waitFor(WAIT);
    await now.locator('.title').filter({ hasNotText: skipped }).waitFor(WAIT);

    // Like the song playing now.
    const liked = await nowTitle();
    await now.getByRole('button', { name: new RegExp(`^Like( \\d+)?: ${escape(liked)}$`) }).tap();
    await now.locator('[data-action="like"][aria-pressed="true"]').waitFor(WAIT);
    expect(await now.locator('[data-action="like"]').textContent()).toMatch(/Liked\s*1/);

    // Ask for one of the six songs that fit the room: found by the search (the suggestions move with the room), one tap.
    const ask = page.getByRole('region', { name: 'Ask for a song' });
    await ask.locator('.tile').first().waitFor(WAIT);
    const suggested = await ask.locator('.tile .t').allTextContents();
    // Six of the room's suggestions, less what plays, comes next or just played (the song voted off).
    expect(suggested.length).toBeGreaterThanOrEqual(4);
    expect(suggested.length).toBeLessThanOrEqual(6);
    expect(suggested.map((t) => t.trim())).not.toContain(skipped);
    const asked = suggested.map((t) => t.trim()).find((t) => t !== liked) ?? '';
    await page.getByLabel('Search by title or artist').fill(asked);
    await page.getByLabel('Search by title or artist').press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    await results
      .getByRole('button', { name: new RegExp(`^${escape(asked)}, .+: ask for it$`) })
      .first()
      .tap();
    await page
      .getByRole('status')
      .filter({ hasText: `You asked for “${asked}”` })
      .waitFor(WAIT);
    const mine = page.getByRole('region', { name: 'Your requests' });
    await mine.locator('[data-status="queued"]').filter({ hasText: asked }).waitFor(WAIT);
    expect(await ask.locator('[data-left]').textContent()).toBe('2 of 3 requests left this hour');

    // The kiosk: queued next, asked for by a guest.
    await screen
      .locator('.now .next')
      .filter({ hasText: `Next: ${asked}` })
      .filter({ hasText: 'asked for by a guest' })
      .waitFor(WAIT);
    await shot(screen, 'guests-e2e-kiosk-queued');

    // Vote it up.
    const next = page.getByRole('region', { name: 'Up next' });
    await next.getByRole('button', { name: new RegExp(`^Play sooner: ${escape(asked)}`) }).tap();
    await next.locator('[data-vote="up"][aria-pressed="true"]').waitFor(WAIT);
    await shot(page, 'guests-e2e-phone');

    // The phone votes the song playing off too (the vote takes its like back): the request, up next,
    // plays at once, before any song the room would get; the kiosk and the phone say whose it is.
    await now.getByRole('button', { name: new RegExp(`^Not this \\d+/\\d+: votes to skip ${escape(liked)}$`) }).tap();
    await screen.locator('.now .title').filter({ hasText: asked }).waitFor(WAIT);
    expect(await screen.locator('.now .asked').textContent()).toBe('Asked for by a guest');
    await now
      .locator('[data-why]')
      .filter({ hasText: /asked for by a guest/i })
      .waitFor(WAIT);
    await shot(screen, 'guests-e2e-kiosk-playing');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
