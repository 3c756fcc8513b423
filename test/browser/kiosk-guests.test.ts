import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskOptions, StateSnapshot } from '../../src/daemon/http/contract.js';
import { FakeKioskSocket, roomSnapshot } from './fake-kiosk-socket.js';
import { type Browser, type Daemon, assertBuilt, launchBrowser, shot, startDaemon, tempDir, WAIT } from './harness.js';
import type { Page } from 'playwright-core';
import { controlsUnder, readQrCode } from './qr-code.js';

/** Which of `others` overlap `selector`'s box (shadow roots included), or lie outside the screen. */
async function overlapping(page: Page, selector: string, others: readonly string[]): Promise<string[]> {
  return page.evaluate(
    ([sel, list]) => {
      const find = (root: Document | ShadowRoot, q: string): Element | null => {
        const hit = root.querySelector(q);
        if (hit !== null) return hit;
        for (const host of root.querySelectorAll('*')) {
          const inner = host.shadowRoot === null ? null : find(host.shadowRoot, q);
          if (inner !== null) return inner;
        }
        return null;
      };
      const target = find(document, sel)?.getBoundingClientRect();
      if (target === undefined) return [`${sel} is not there`];
      const found: string[] = [];
      for (const q of list) {
        const el = find(document, q);
        if (el === null) continue;
        const b = el.getBoundingClientRect();
        if (b.bottom > window.innerHeight || b.right > window.innerWidth) found.push(`${q} is off the screen`);
        const apart = b.right <= target.left || b.left >= target.right || b.bottom <= target.top || b.top >= target.bottom;
        if (!apart) found.push(`${q} overlaps ${sel}`);
      }
      return found;
    },
    [selector, others] as const,
  );
}

/** The guest page's address as a phone on the venue's Wi-Fi reaches it. */
const GUEST_URL = 'http://192.168.1.20:8080/guest';
const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1080, height: 1920 },
];

/** Nobody in view, nothing playing, nobody signed in: the attract screen. */
function emptyRoom(): StateSnapshot {
  const s = roomSnapshot();
  return {
    ...s,
    mood: { current: 'nobody', confidence: 0, since: 0, why: null, faces: 0 },
    player: { ...s.player, status: 'stopped', nowPlaying: null, positionMs: 0 },
  };
}

function options(guestUrl: string | null): KioskOptions {
  return { selfRegistration: false, idleTimeoutS: 120, suggestNames: false, guestUrl };
}

describe('the kiosk and the guests’ phones: the QR code for the guest page, a guest’s request on screen', { timeout: 240_000 }, () => {
  const data = tempDir('mb-kiosk-guests-');
  let daemon: Daemon;

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path);
  }, 120_000);

  afterAll(async () => {
    await daemon?.stop();
    data.remove();
  });

  /** A kiosk in Chromium at `size` whose daemon says `snapshot` and answers `session/options` with `guestUrl`. */
  async function kiosk(
    size: { width: number; height: number },
    snapshot: StateSnapshot,
    guestUrl: string | null,
    fake = new FakeKioskSocket(snapshot),
  ): Promise<Browser> {
    const browser = await launchBrowser(size);
    fake.answers['session/options'] = () => ({ data: options(guestUrl) });
    await fake.attach(browser.page);
    await browser.page.goto(`${daemon.url}/`);
    return browser;
  }

  for (const size of SIZES) {
    it(`at ${size.width}x${size.height}: large on the attract screen, a card of at least 230 px captioned “Ask for a song” while music plays; it reads as the guest URL`, async () => {
      const attract = await kiosk(size, emptyRoom(), GUEST_URL);
      try {
        const { page } = attract;
        const code = page.getByRole('img', { name: /QR code/ });
        await page.locator('.attract').waitFor(WAIT);
        await code.waitFor(WAIT);
        expect(await page.locator('main > mb-guest-qr[large]').count()).toBe(1);
        const large = (await code.boundingBox())!;
        expect(large.width).toBeGreaterThanOrEqual(Math.min(size.width, size.height) * 0.3);
        expect(await controlsUnder(page, 'main > mb-guest-qr')).toEqual([]);
        expect(await readQrCode(page, code)).toBe(GUEST_URL);
        await shot(page, 'kiosk-qr-attract');
      } finally {
        await attract.close();
      }

      const playing = await kiosk(size, roomSnapshot(), GUEST_URL);
      try {
        const { page } = playing;
        const code = page.getByRole('img', { name: /QR code/ });
        await page.locator('.now .title').waitFor(WAIT);
        await code.waitFor(WAIT);
        // Issue 40: people are in view and music plays: the code is a card guests can scan from a table's
        // edge (35 mm on a 7" 800x480 screen is about 230 px), under the room's mood, clear of the music.
        const card = page.locator('.now > mb-guest-qr[card]');
        expect(await card.count()).toBe(1);
        expect(await page.locator('header mb-guest-qr').count()).toBe(0);
        const box = (await code.locator('svg').boundingBox())!;
        expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(230);
        expect(await card.locator('figcaption').textContent()).toBe('Ask for a song');
        expect(await controlsUnder(page, '.now > mb-guest-qr')).toEqual([]);
        expect(
          await overlapping(page, '.now > mb-guest-qr', ['.now .title', '.now .artist', '.now .progress', '.now .mood', 'mb-suggestions']),
        ).toEqual([]);
        expect(await readQrCode(page, code)).toBe(GUEST_URL);
        await shot(page, 'kiosk-qr-playing');
      } finally {
        await playing.close();
      }
    });
  }

  it('keeps the small code clear of the signed-in person’s buttons, on a narrow screen too', async () => {
    const s = roomSnapshot();
    const signedIn: StateSnapshot = { ...s, session: { ...s.session, user: { id: 7, name: 'Ada' } } };
    for (const size of [
      { width: 800, height: 480 },
      { width: 480, height: 800 },
    ]) {
      const browser = await kiosk(size, signedIn, GUEST_URL);
      try {
        const { page } = browser;
        const code = page.getByRole('img', { name: /QR code/ });
        await code.waitFor(WAIT);
        expect(await controlsUnder(page, 'header > mb-guest-qr')).toEqual([]);
        for (const control of [code, page.locator('[data-action="sign-out"]'), page.locator('[data-action="me"]')]) {
          const box = (await control.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(size.width);
        }
        expect(await readQrCode(page, code)).toBe(GUEST_URL);
        await shot(page, 'kiosk-qr-signed-in');
      } finally {
        await browser.close();
      }
    }
  });

  it('shows no QR code while the daemon has no guest URL (guests off, or phones cannot reach the box)', async () => {
    const fake = new FakeKioskSocket(emptyRoom());
    const browser = await kiosk({ width: 800, height: 480 }, emptyRoom(), null, fake);
    try {
      const { page } = browser;
      await page.locator('.attract').waitFor(WAIT);
      await expect.poll(() => fake.requests.some((r) => r.type === 'session/options'), WAIT).toBe(true);
      // A change pushed after the answer arrives after it on the same socket: once it shows, the answer was applied.
      fake.send('mood', { current: 'happy', confidence: 0.8, since: 0, why: 'looking happy', faces: 1 });
      await page.locator('.mood[data-mood="happy"]').waitFor(WAIT);
      expect(await page.getByRole('img', { name: /QR code/ }).count()).toBe(0);
      expect(await page.locator('mb-guest-qr').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it('says “asked for by a guest” on the song playing and on the next one when a guest’s phone asked for them', async () => {
    const s = roomSnapshot();
    const playing: StateSnapshot = {
      ...s,
      player: {
        ...s.player,
        nowPlaying: { ...s.player.nowPlaying!, whyKind: 'guest', why: 'asked for by a guest' },
        next: { ...s.player.next!, whyKind: 'guest', why: 'asked for by a guest' },
      },
    };
    for (const size of [
      { width: 800, height: 480 },
      { width: 1080, height: 1920 },
    ]) {
      const browser = await kiosk(size, playing, GUEST_URL);
      try {
        const { page } = browser;
        const now = page.getByRole('region', { name: 'Now playing' });
        await now.locator('.title').waitFor(WAIT);
        expect(await now.locator('.asked').textContent()).toBe('Asked for by a guest');
        // The song playing and the next one say who asked, clear of the guests' code, on a short screen too (issue 58).
        expect(await now.locator('.next').textContent()).toBe('Next: Feather · Nimbus · asked for by a guest');
        expect(await overlapping(page, '.now > mb-guest-qr', ['.now .asked', '.now .progress', '.now .title', '.now .next'])).toEqual([]);
        await shot(page, 'kiosk-guest-request');
      } finally {
        await browser.close();
      }
    }
    // A song of the mood says nothing of guests.
    const browser = await kiosk({ width: 800, height: 480 }, roomSnapshot(), GUEST_URL);
    try {
      await browser.page.locator('.now .title').waitFor(WAIT);
      expect(await browser.page.locator('[data-guest]').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  // Issue 38: the kiosk never said why the song playing plays; issue 39: nor which mood stands in for one no song fits.
  it('says why the song playing plays, the mood standing in for one no song fits included, clear of the QR card', async () => {
    const s = roomSnapshot();
    const standIn: StateSnapshot = {
      ...s,
      player: {
        ...s.player,
        nowPlaying: {
          ...s.player.nowPlaying!,
          whyKind: 'fallback',
          why: 'no songs fit upbeat: power, the nearest mood',
          whySaid: { id: 'pick.noSongsFit', values: { mood: { said: 'music.upbeat' }, nearest: { said: 'music.power' } } },
        },
      },
    };
    for (const size of [
      { width: 1280, height: 800 },
      { width: 1080, height: 1920 },
    ]) {
      for (const guestUrl of [null, GUEST_URL]) {
        const browser = await kiosk(size, standIn, guestUrl);
        try {
          const { page } = browser;
          const why = page.getByRole('region', { name: 'Now playing' }).locator('[data-why]');
          await why.waitFor(WAIT);
          expect(await why.textContent()).toBe('No songs fit upbeat: power, the nearest mood.');
          expect(await page.locator('[data-guest]').count()).toBe(0);
          if (guestUrl !== null) expect(await overlapping(page, '.now > mb-guest-qr', ['.now .playing-why', '.now .title'])).toEqual([]);
          await shot(page, `kiosk-why-playing-${size.width}x${size.height}${guestUrl === null ? '' : '-qr'}`);
        } finally {
          await browser.close();
        }
      }
    }
    // Staff's choice says so, as the admin panel does.
    const staff: StateSnapshot = {
      ...s,
      player: { ...s.player, nowPlaying: { ...s.player.nowPlaying!, why: 'chosen by staff', whySaid: { id: 'play.staff' } } },
    };
    const browser = await kiosk({ width: 1080, height: 1920 }, staff, null);
    try {
      const why = browser.page.locator('.now [data-why]');
      await why.waitFor(WAIT);
      expect(await why.textContent()).toBe('Chosen by staff.');
    } finally {
      await browser.close();
    }
  });
});
