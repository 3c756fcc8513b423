import { createRequire } from 'node:module';
import type { Options, QRCode } from 'jsqr';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';

// jsqr is CommonJS whose module.exports is the function; its types describe an ES default export.
const jsQR = createRequire(import.meta.url)('jsqr') as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: Options,
) => QRCode | null;

/** Each screen pixel becomes this many in the image the decoder reads, as a phone's camera sees a screen closer than its pixels. */
const CAMERA_SCALE = 4;

/**
 * Reads the QR code that `page` shows inside the box of `around` (its screenshot's pixels, as drawn
 * on the screen): what it says, or null when no code can be read there. The region is enlarged
 * pixel by pixel before decoding, as a phone's camera sees a kiosk screen in more detail than its
 * pixels; nothing is smoothed or redrawn.
 */
export async function readQrCode(page: Page, around: Locator): Promise<string | null> {
  const box = await around.boundingBox();
  if (box === null) return null;
  const margin = 16;
  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  const clip = {
    x: Math.max(0, Math.floor(box.x - margin)),
    y: Math.max(0, Math.floor(box.y - margin)),
    width: Math.ceil(box.width + margin * 2),
    height: Math.ceil(box.height + margin * 2),
  };
  clip.width = Math.min(clip.width, viewport.width - clip.x);
  clip.height = Math.min(clip.height, viewport.height - clip.y);
  const png = PNG.sync.read(await page.screenshot({ clip }));
  const width = png.width * CAMERA_SCALE;
  const height = png.height * CAMERA_SCALE;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / CAMERA_SCALE) * png.width + Math.floor(x / CAMERA_SCALE)) * 4;
      pixels.set(png.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/**
 * The visible controls (buttons, inputs, links; shadow roots included) whose box overlaps the box
 * of the element matched by `selector` inside `<mb-kiosk>`'s shadow root, named for the report.
 */
export async function controlsUnder(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const target = document.querySelector('mb-kiosk')?.shadowRoot?.querySelector(sel);
    if (!target) return [`nothing matches ${sel}`];
    const t = target.getBoundingClientRect();
    const found: string[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')) {
        const b = el.getBoundingClientRect();
        if (b.width === 0 || b.height === 0 || !el.checkVisibility()) continue;
        const overlaps = b.left < t.right - 0.5 && b.right > t.left + 0.5 && b.top < t.bottom - 0.5 && b.bottom > t.top + 0.5;
        if (overlaps)
          found.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`);
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot);
    };
    walk(document);
    return found;
  }, selector);
}
