// The guests' QR code on the kiosk against the real daemon: guest requests on, its public address
// the one phones reach, its camera reading a test camera's happy face, the QR mode saved as the
// admin panel saves it, and a real sign-in at the kiosk.
import type { Page, WebSocket } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { KioskQrMode } from '../../src/daemon/http/contract.js';
import { smallTexts } from './text-sizes.js';
import { type Browser, daemonState, launchBrowser, putSettings, shot, signInAtKiosk, WAIT } from './harness.js';
import { kioskDaemon } from './kiosk-daemon.js';
import { readQrCode } from './qr-code.js';
import { textFitProblems } from './text-fit.js';

/** The guest page's address as a phone on the venue's Wi-Fi reaches it. */
const GUEST_URL = 'http://192.168.1.20:8080/guest';
/** What must stay readable beside the code: the mood and its reason, the song, why it plays, what plays next. */
const BESIDE = ['.now .mood .label', '.now .mood p', '.now .title', '.now .artist', '.now .playing-why', '.now .next'];

/**
 * Where each of `selectors` is in `<mb-kiosk>`'s shadow root (the first match), and what is wrong:
 * one not shown, off the screen, or overlapping another of them.
 */
async function placement(page: Page, selectors: readonly string[]): Promise<{ boxes: Record<string, DOMRect>; problems: string[] }> {
  return page.evaluate((list) => {
    const root = document.querySelector('mb-kiosk')?.shadowRoot;
    const boxes: Record<string, DOMRect> = {};
    const problems: string[] = [];
    for (const q of list) {
      const el = root?.querySelector(q);
      if (el === null || el === undefined || !el.checkVisibility()) {
        problems.push(`${q} is not shown`);
        continue;
      }
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0) problems.push(`${q} is empty`);
      if (b.left < 0 || b.top < 0 || b.right > window.innerWidth || b.bottom > window.innerHeight) problems.push(`${q} is off the screen`);
      for (const [other, o] of Object.entries(boxes)) {
        const apart = b.right <= o.left || b.left >= o.right || b.bottom <= o.top || b.top >= o.bottom;
        if (!apart) problems.push(`${q} overlaps ${other}`);
      }
      boxes[q] = b.toJSON() as DOMRect;
    }
    return { boxes, problems };
  }, selectors);
}

/** The suggestions' tiles a finger can see. */
async function visibleTiles(page: Page): Promise<number> {
  return page.locator('mb-suggestions .tile').evaluateAll((tiles) => tiles.filter((t) => t.checkVisibility()).length);
}

describe(
  'the guests’ QR code beside the music: the reason and the next song stay, and a large code for the tables',
  { timeout: 300_000 },
  () => {
    const box = kioskDaemon({
      prefix: 'mb-kiosk-qr-beside-',
      members: { Ada: '2468' },
      config: { guests: { requests: 'on' }, server: { publicUrl: 'http://192.168.1.20:8080' } },
      ready: (s) => s.mood.current === 'happy' && s.player.next !== null && s.suggestions.length >= 6,
    });

    /** Each kiosk page's socket to the daemon. */
    const sockets = new WeakMap<Page, Promise<WebSocket>>();
    const socketOf = (page: Page): Promise<WebSocket> => sockets.get(page) ?? Promise.reject(new Error('Expected a kiosk page'));

    /** The kiosk at `size`, in the venue's QR mode (saved as the admin panel saves it). */
    async function kiosk(size: { width: number; height: number }, kioskQr: KioskQrMode = 'card'): Promise<Browser> {
      await putSettings(box.daemon, { guests: { kioskQr } });
      const browser = await launchBrowser(size);
      sockets.set(browser.page, browser.page.waitForEvent('websocket', { predicate: (ws) => ws.url().endsWith('/ws'), ...WAIT }));
      await browser.page.goto(`${box.daemon.url}/`);
      await browser.page.locator('.now .title').waitFor(WAIT);
      await browser.page.locator('.now > mb-guest-qr').waitFor(WAIT);
      return browser;
    }

    // Issue 58: at 800x480 the card took the cover's place and the reason, why the song plays and "Next" were hidden.
    it('at 800x480 the card of at least 230 px sits beside the mood, its reason, the song, why it plays and the next song, and four tiles still play', async () => {
      const browser = await kiosk({ width: 800, height: 480 });
      try {
        const { page } = browser;
        const code = page.getByRole('img', { name: /QR code/ });
        const { boxes, problems } = await placement(page, ['.now > mb-guest-qr', ...BESIDE, 'mb-suggestions']);
        expect(problems).toEqual([]);
        const svg = (await code.locator('svg').boundingBox())!;
        expect(Math.min(svg.width, svg.height)).toBeGreaterThanOrEqual(230);
        // The code in a column of its own: everything else is to its right.
        const qr = boxes['.now > mb-guest-qr']!;
        for (const q of BESIDE) expect(boxes[q]!.left, q).toBeGreaterThanOrEqual(qr.right);
        // What the daemon says, word for word (polled: a song may end meanwhile).
        await expect
          .poll(async () => {
            const { mood, player } = await daemonState(box.daemon);
            const [why, next] = await Promise.all([page.locator('.now .mood p').textContent(), page.locator('.now .next').textContent()]);
            return why === mood.why && next === `Next: ${player.next?.title} · ${player.next?.artist}`;
          }, WAIT)
          .toBe(true);
        expect(await textFitProblems(page)).toEqual([]);
        expect(await smallTexts(page, 14)).toEqual([]);
        expect(await visibleTiles(page)).toBe(4);
        expect(await readQrCode(page, code)).toBe(GUEST_URL);
        await shot(page, 'kiosk-qr-beside');
        // A tile beside the code still plays: the daemon takes the song, and its answer shows.
        const tile = page.locator('mb-suggestions .tile').first();
        const trackId = Number(await tile.getAttribute('data-track-id'));
        const reply = socketOf(page).then((socket) =>
          socket.waitForEvent('framereceived', {
            predicate: (f) => {
              const m = JSON.parse(String(f.payload)) as { type?: string; status?: string };
              return m.type === 'player/play' && m.status !== undefined;
            },
            ...WAIT,
          }),
        );
        await tile.click();
        const answer = JSON.parse(String((await reply).payload)) as { status: string; data: { trackId: number; message: string } };
        expect(answer).toMatchObject({ status: 'ok', data: { trackId } });
        await page.locator('.toast').filter({ hasText: answer.data.message }).waitFor(WAIT);
      } finally {
        await browser.close();
      }
    });

    it('keeps the card as it was where there is room (1280x800, portrait), the cover with it', async () => {
      for (const size of [
        { width: 1280, height: 800 },
        { width: 1080, height: 1920 },
      ]) {
        const browser = await kiosk(size, 'card');
        try {
          const { page } = browser;
          const { problems } = await placement(page, ['.now > mb-guest-qr', ...BESIDE]);
          expect(problems).toEqual([]);
          const svg = (await page
            .getByRole('img', { name: /QR code/ })
            .locator('svg')
            .boundingBox())!;
          expect(Math.min(svg.width, svg.height)).toBeGreaterThanOrEqual(230);
          expect(await visibleTiles(page)).toBe(6);
          expect(await textFitProblems(page)).toEqual([]);
          await shot(page, 'kiosk-qr-card');
        } finally {
          await browser.close();
        }
      }
    });

    it('in the tables’ mode the code takes at least half the screen’s height, the song, why it plays and the reason readable beside it', async () => {
      for (const size of [
        { width: 800, height: 480 },
        { width: 1024, height: 600 },
        { width: 1280, height: 800 },
        { width: 480, height: 800 },
        { width: 1080, height: 1920 },
      ]) {
        const browser = await kiosk(size, 'large');
        try {
          const { page } = browser;
          const code = page.getByRole('img', { name: /QR code/ });
          const { problems } = await placement(page, ['.now > mb-guest-qr', ...BESIDE]);
          expect(problems, `${size.width}x${size.height}`).toEqual([]);
          const svg = (await code.locator('svg').boundingBox())!;
          expect(Math.min(svg.width, svg.height), `${size.width}x${size.height}`).toBeGreaterThanOrEqual(size.height * 0.5);
          expect(await textFitProblems(page)).toEqual([]);
          expect(await smallTexts(page, 14)).toEqual([]);
          expect(await readQrCode(page, code)).toBe(GUEST_URL);
          // The tiles that fit stay, and play; a small portrait screen has room for none.
          const tiles = await visibleTiles(page);
          if (size.height === 800 && size.width === 480) expect(tiles).toBe(0);
          else {
            expect(tiles).toBeGreaterThanOrEqual(2);
            expect(await placement(page, ['.now > mb-guest-qr', ...BESIDE, 'mb-suggestions'])).toMatchObject({ problems: [] });
          }
          await shot(page, 'kiosk-qr-large');
        } finally {
          await browser.close();
        }
      }
    });

    it('follows the mode when it is saved, and the code moves to the header’s corner while someone is signed in, as before', async () => {
      const browser = await kiosk({ width: 800, height: 480 });
      try {
        const { page } = browser;
        const svg = page.locator('.now > mb-guest-qr svg');
        expect((await svg.boundingBox())!.height).toBeLessThan(240);
        await putSettings(box.daemon, { guests: { kioskQr: 'large' } });
        await page.locator('.now[data-qr="large"]').waitFor(WAIT);
        expect((await svg.boundingBox())!.height).toBeGreaterThanOrEqual(240);
        await signInAtKiosk(page, 'Ada', '2468');
        await page.locator('header > mb-guest-qr').waitFor(WAIT);
        expect(await page.locator('.now > mb-guest-qr').count()).toBe(0);
        expect(await page.locator('.now[data-qr]').count()).toBe(0);
        const small = (await page.locator('header > mb-guest-qr svg').boundingBox())!;
        expect(small.height).toBeLessThan(100);
        expect(await visibleTiles(page)).toBe(6);
        await shot(page, 'kiosk-qr-large-signed-in');
        await page.locator('button[data-action="sign-out"]').click();
        await page.locator('.now[data-qr="large"] > mb-guest-qr').waitFor(WAIT);
        expect(await page.locator('header > mb-guest-qr').count()).toBe(0);
      } finally {
        await browser.close();
      }
    });
  },
);
