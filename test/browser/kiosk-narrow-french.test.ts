import { execFileSync } from 'node:child_process';
import { type ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { type Browser, type Daemon, ROOT, TEST_CONFIG, WAIT, assertBuilt, launchBrowser, shot, startDaemon, tempDir } from './harness.js';
import { textFitProblems } from './text-fit.js';

// The kiosk's attract screen on a narrow screen (390 px, a phone-sized kiosk) in French (issue 82,
// item 8): on a real daemon whose camera sees an empty room, nothing of the screen is cut, neither
// "Se connecter", nor the headline, nor the line at its foot.

const frame = (name: string): Buffer =>
  execFileSync('ffmpeg', ['-loglevel', 'error', '-i', join(ROOT, 'src/vision/testing/fixtures', name), '-f', 'mjpeg', '-'], {
    maxBuffer: 10 * 1024 * 1024,
  });

/** A camera on 127.0.0.1 streaming the picture `show` sets as MJPEG, ten times a second. */
async function testCamera(first: Buffer): Promise<{ url: string; show: (jpeg: Buffer) => void; stop: () => Promise<void> }> {
  let picture = first;
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (req.url !== '/stream.mjpg') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame', 'cache-control': 'no-cache', connection: 'close' });
    streams.add(res);
    res.on('close', () => streams.delete(res));
  });
  const timer = setInterval(() => {
    for (const res of streams) {
      res.write(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${picture.length}\r\n\r\n`);
      res.write(picture);
      res.write('\r\n');
    }
  }, 100);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/stream.mjpg`,
    show: (jpeg) => {
      picture = jpeg;
    },
    stop: async () => {
      clearInterval(timer);
      for (const res of streams) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Texts of the kiosk drawn past the screen's edges, or clipped by a box that hides what overflows it. */
async function cutTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const { innerWidth: width, innerHeight: height } = window;
    const visit = (root: Document | ShadowRoot): void => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = (node.textContent ?? '').trim();
        const parent = node.parentElement;
        if (text === '' || parent === null || parent.closest('style') !== null || !parent.checkVisibility()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.left < -1 || box.right > width + 1 || box.top < -1 || box.bottom > height + 1) {
          found.push(
            `${text.slice(0, 40)} at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)}`,
          );
          continue;
        }
        // Inside the screen, but inside a box that hides what overflows it and smaller than the text.
        for (let el: Element | null = parent; el !== null; el = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null)) {
          const style = getComputedStyle(el);
          if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
          const clip = el.getBoundingClientRect();
          if (box.left < clip.left - 1 || box.right > clip.right + 1 || box.top < clip.top - 1 || box.bottom > clip.bottom + 1) {
            found.push(`${text.slice(0, 40)} clipped by ${el.tagName.toLowerCase()}.${el.className}`);
            break;
          }
        }
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(document);
    return found;
  });
}

describe('the kiosk’s attract screen at 390 px in French', { timeout: 180_000 }, () => {
  const data = tempDir('mb-kiosk-narrow-fr-');
  let camera: Awaited<ReturnType<typeof testCamera>>;
  let daemon: Daemon;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    camera = await testCamera(frame('happy-face.png'));
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, camera: { enabled: true, source: camera.url } } });
    const mood = async (): Promise<StateSnapshot['mood']['current']> =>
      ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data.mood.current;
    // A face read, then an empty room: the room reads "nobody" and the kiosk shows its attract screen.
    const until = async (wanted: (current: StateSnapshot['mood']['current']) => boolean, what: string): Promise<void> => {
      for (const end = Date.now() + 90_000; !wanted(await mood());) {
        if (Date.now() > end) throw new Error(`Expected the camera to read ${what} within 90 s, got ${String(await mood())}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    await until((current) => current !== null && current !== 'nobody', 'a face');
    camera.show(frame('no-face.png'));
    await until((current) => current === 'nobody', 'an empty room');
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await camera?.stop();
    data.remove();
  });

  it.each([
    [390, 844],
    [390, 700],
  ])('shows every word whole at %ix%i: “Se connecter”, the headline and the line at its foot', async (width, height) => {
    browser = await launchBrowser({ width, height }, [], { locale: 'fr-FR', hasTouch: true });
    const { page } = browser;
    await page.goto(`${daemon.url}/`);
    await page.locator('.attract').waitFor(WAIT);
    // The attract screen may show a moment before the French catalogue has loaded.
    await expect.poll(() => page.evaluate(() => document.documentElement.lang), WAIT).toBe('fr');
    await page.getByText('Se connecter').first().waitFor(WAIT);
    await shot(page, 'kiosk-attract-fr');
    expect(await cutTexts(page)).toEqual([]);
    // The attract screen is one large button: its words may take several lines, each whole.
    expect(await textFitProblems(page, '.attract span, header button, header span, footer *', { mayWrap: '.attract' })).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await browser.close();
  });
});
