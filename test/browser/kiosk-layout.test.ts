import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot, TrackView } from '../../src/daemon/http/contract.js';
import { FakeKioskSocket } from './fake-kiosk-socket.js';
import { type Browser, type Daemon, assertBuilt, launchBrowser, shot, startDaemon, stateWhen, tempDir, WAIT } from './harness.js';

/** The kiosk screens the kiosk is made for: landscape and portrait. */
const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 480, height: 800 },
  { width: 1080, height: 1920 },
];

/**
 * What is wrong with the layout of the kiosk's main screen, measured in the page: text cut off
 * (its content wider or taller than its box, or its box outside its tile or the screen), tiles
 * missing or off screen, and any third of the screen (left, middle, right, top, middle, bottom of
 * the area between header and footer) where less than a sixth of the sampled points fall on content.
 */
async function layoutProblems(page: Page, tiles: number): Promise<string[]> {
  return page.evaluate((wantTiles) => {
    const root = document.querySelector('mb-kiosk')?.shadowRoot;
    if (!root) return ['no kiosk'];
    const problems: string[] = [];
    const main = root.querySelector('main')?.getBoundingClientRect();
    if (!main) return ['no main'];
    const inside = (inner: DOMRect, outer: DOMRect): boolean =>
      inner.left >= outer.left - 1 && inner.right <= outer.right + 1 && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
    // The suggestions are their own element, with their own shadow root.
    const tileRoot = root.querySelector('mb-suggestions')?.shadowRoot ?? root;
    const tileEls = [...tileRoot.querySelectorAll<HTMLElement>('.tile')];
    if (tileEls.length !== wantTiles) problems.push(`${tileEls.length} tiles, expected ${wantTiles}`);
    for (const tile of tileEls) {
      const box = tile.getBoundingClientRect();
      const name = tile.getAttribute('aria-label') ?? '?';
      if (!inside(box, main)) problems.push(`tile "${name}" is not inside the screen`);
      if (tile.scrollHeight > tile.clientHeight + 1)
        problems.push(`tile "${name}": content ${tile.scrollHeight} px in ${tile.clientHeight} px`);
      for (const text of tile.querySelectorAll<HTMLElement>('.t, .a, .why')) {
        if (text.scrollWidth > text.clientWidth + 1)
          problems.push(`"${text.textContent}" is cut: ${text.scrollWidth} px wide in ${text.clientWidth} px`);
        if (!inside(text.getBoundingClientRect(), box)) problems.push(`"${text.textContent}" sticks out of its tile`);
      }
    }
    for (const text of root.querySelectorAll<HTMLElement>('.now .title, .now .artist, .now .next, .mood .label')) {
      if (text.scrollWidth > text.clientWidth + 1)
        problems.push(`"${text.textContent}" is cut: ${text.scrollWidth} px wide in ${text.clientWidth} px`);
      if (!inside(text.getBoundingClientRect(), main)) problems.push(`"${text.textContent}" is not inside the screen`);
    }
    // The room mood is a rounded box: no corner of its text may fall outside its rounded corners.
    const pill = root.querySelector<HTMLElement>('.mood');
    if (pill) {
      const b = pill.getBoundingClientRect();
      const r = Math.min(parseFloat(getComputedStyle(pill).borderTopLeftRadius) || 0, b.height / 2, b.width / 2);
      const inRounded = (x: number, y: number): boolean => {
        const cx = Math.min(Math.max(x, b.left + r), b.right - r);
        const cy = Math.min(Math.max(y, b.top + r), b.bottom - r);
        return x >= b.left - 1 && x <= b.right + 1 && y >= b.top - 1 && y <= b.bottom + 1 && Math.hypot(x - cx, y - cy) <= r + 1;
      };
      for (const text of pill.querySelectorAll<HTMLElement>('.label, p')) {
        // Each line of the text itself (a block's box is wider than its words).
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const t of range.getClientRects()) {
          const corners: [number, number][] = [
            [t.left, t.top],
            [t.right, t.top],
            [t.left, t.bottom],
            [t.right, t.bottom],
          ];
          if (!corners.every(([x, y]) => inRounded(x, y))) {
            problems.push(`"${text.textContent?.trim()}" pokes out of the mood's rounded box`);
            break;
          }
        }
      }
    }
    const content = [...root.querySelectorAll<HTMLElement>('.now mb-cover, .now .text, .now .mood'), ...tileEls].map((el) =>
      el.getBoundingClientRect(),
    );
    const covered = (x: number, y: number): boolean => content.some((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom);
    const N = 24;
    const thirds = (axis: 'x' | 'y'): number[] =>
      [0, 1, 2].map((third) => {
        let hit = 0;
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < N; j++) {
            const along = (third + (i + 0.5) / N) / 3;
            const across = (j + 0.5) / N;
            const [fx, fy] = axis === 'x' ? [along, across] : [across, along];
            if (covered(main.left + fx * main.width, main.top + fy * main.height)) hit++;
          }
        }
        return hit / (N * N);
      });
    for (const [axis, names] of [
      ['x', ['left', 'middle', 'right']],
      ['y', ['top', 'middle', 'bottom']],
    ] as const) {
      thirds(axis).forEach((share, i) => {
        if (share < 1 / 6) problems.push(`the ${names[i]} third is ${Math.round((1 - share) * 100)}% empty`);
      });
    }
    return problems;
  }, tiles);
}

describe('kiosk layout at every kiosk size, with the demo library', { timeout: 600_000 }, () => {
  const data = tempDir('mb-kiosk-layout-');
  let daemon: Daemon;
  let browser: Browser;
  let real: StateSnapshot;
  // Its snapshot is the real daemon's, with a mood and covers of its own, once the daemon has one.
  const fake = new FakeKioskSocket();

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path);
    // The real daemon scans the demo library and picks suggestions; the page loads its covers.
    real = await stateWhen(daemon, (s) => s.suggestions.length >= 6 && s.player.nowPlaying !== null, 60_000);
    const base = (t: TrackView): TrackView => ({ ...t, coverUrl: t.coverUrl === null ? null : `${daemon.url}${t.coverUrl}` });
    fake.snapshot = {
      ...real,
      camera: { status: 'on', detail: null },
      mood: { current: 'happy', confidence: 0.8, since: 0, why: '2 faces, both smiling', faces: 2 },
      player: { ...real.player, nowPlaying: base(real.player.nowPlaying as TrackView), next: real.player.next && base(real.player.next) },
      suggestions: real.suggestions.slice(0, 6).map(base),
    };
    browser = await launchBrowser({ width: 800, height: 480 });
    await fake.attach(browser.page);
    await browser.page.goto(`${daemon.url}/`);
    await browser.page.locator('.tile').first().waitFor(WAIT);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  /** Screenshots the state at every size, and checks the layout where tiles are expected. */
  const everySize = async (name: string, tiles: number | null): Promise<Record<string, string[]>> => {
    const found: Record<string, string[]> = {};
    for (const size of SIZES) {
      await browser.page.setViewportSize(size);
      await browser.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await shot(browser.page, name);
      if (tiles !== null) {
        const problems = await layoutProblems(browser.page, tiles);
        if (problems.length > 0) found[`${size.width}x${size.height}`] = problems;
      }
    }
    return found;
  };

  it('fills the screen with the hero cover, six tiles with why chips, and no clipped title', async () => {
    const { page } = browser;
    expect(await page.locator('.tile .why').count()).toBe(6);
    // Real demo covers: the hero and its blurred backdrop show the cover of what plays.
    expect(await page.locator('.now mb-cover img').count()).toBe(1);
    expect(await page.locator('.backdrop:not(.generated)').count()).toBe(1);
    expect(await everySize('kiosk-layout-playing', 6)).toEqual({});
  });

  it('has a favicon', async () => {
    const size = await browser.page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '';
      const image = new Image();
      image.src = href;
      await image.decode();
      return image.naturalWidth;
    });
    expect(size).toBeGreaterThan(0);
  });

  it('draws cover art for tracks without a cover, and wraps long titles without cutting them', async () => {
    const { page } = browser;
    const snapshot = fake.snapshot;
    const bare = (t: TrackView, i: number): TrackView => ({
      ...t,
      coverUrl: null,
      title:
        i % 2 === 0
          ? (['A Very Long Title That Does Not Fit On One Line', 'Green Lights All the Way Home', 'Rain on the Window (Live)'][i / 2] ??
            t.title)
          : t.title,
      artist: i % 3 === 0 ? 'Somebody With A Long Name' : t.artist,
    });
    fake.send('suggestions', snapshot.suggestions.map(bare));
    fake.send('player', { ...snapshot.player, nowPlaying: bare(snapshot.player.nowPlaying as TrackView, 0) });
    await page.locator('.now mb-cover svg').waitFor(WAIT);
    await page.locator('.tile mb-cover svg').first().waitFor(WAIT);
    expect(await page.locator('.tile mb-cover svg').count()).toBe(6);
    // Deterministic: the same title and mood draw the same picture.
    const art = await page
      .locator('.tile mb-cover')
      .evaluateAll((els) => els.map((el) => el.shadowRoot?.innerHTML.replace(/<!--[^>]*-->/g, '') ?? ''));
    expect(new Set(art).size).toBeGreaterThan(1);
    expect(await everySize('kiosk-layout-no-covers', 6)).toEqual({});
    fake.send('suggestions', snapshot.suggestions);
    fake.send('player', snapshot.player);
  });

  it('shows the signed-in person their picks, and every other state, at every size', async () => {
    const { page } = browser;
    const snapshot = fake.snapshot;
    fake.send('session', { user: { id: 7, name: 'Ada' }, notice: null });
    await page.locator('.tiles h2').filter({ hasText: 'For you, Ada' }).waitFor(WAIT);
    expect(await everySize('kiosk-layout-signed-in', 6)).toEqual({});
    fake.send('session', { user: null, notice: null });

    fake.send('player', { ...snapshot.player, status: 'stopped', nowPlaying: null, positionMs: 0 });
    await page.locator('.now[data-state="stopped"]').waitFor(WAIT);
    expect(await everySize('kiosk-layout-stopped', 6)).toEqual({});
    fake.send('player', snapshot.player);

    fake.send('camera', { status: 'unavailable', detail: 'The camera stopped answering; retrying.' });
    await page.locator('.mood[data-state="camera-unavailable"]').waitFor(WAIT);
    expect(await everySize('kiosk-layout-camera-unavailable', 6)).toEqual({});
    fake.send('camera', { status: 'on', detail: null });

    fake.send('suggestions', []);
    await page.locator('.tiles[data-state="empty"]').waitFor(WAIT);
    await everySize('kiosk-layout-no-music', null);
    fake.send('suggestions', snapshot.suggestions);
  });

  it('shows the attract screen while nobody is in the room, with what plays, in its mood colour', async () => {
    const { page } = browser;
    const snapshot = fake.snapshot;
    const now = snapshot.player.nowPlaying as TrackView;
    fake.send('mood', { current: 'nobody', confidence: 0.9, since: 5, why: null, faces: 0 });
    const attract = page.locator('.attract');
    await attract.waitFor(WAIT);
    // Music keeps playing for an empty room: the attract screen says what Moodbox does and what plays.
    expect(await attract.textContent()).toContain('The music follows the mood of the room');
    expect(await page.locator('.attract .playing').textContent()).toContain(now.title);
    const colours = await page.evaluate(() => {
      const root = document.querySelector('mb-kiosk')?.shadowRoot;
      const button = root?.querySelector<HTMLElement>('.attract');
      const face = root?.querySelector<HTMLElement>('.attract mb-mood-face');
      return { accent: button?.style.getPropertyValue('--accent'), face: face ? getComputedStyle(face).color : '' };
    });
    const MOOD_COLOURS = (await import('../../src/ui/components/mood-colours.js')).MOOD_COLOURS;
    expect(colours.accent).toBe(MOOD_COLOURS[now.moods[0] as keyof typeof MOOD_COLOURS]);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await shot(page, 'kiosk-layout-attract');
      const cut = await page.evaluate(() => {
        const root = document.querySelector('mb-kiosk')?.shadowRoot;
        const main = root?.querySelector('main')?.getBoundingClientRect();
        return [...(root?.querySelectorAll<HTMLElement>('.attract > *') ?? [])]
          .filter((el) => {
            const box = el.getBoundingClientRect();
            return !main || box.top < main.top - 1 || box.bottom > main.bottom + 1 || el.scrollWidth > el.clientWidth + 1;
          })
          .map((el) => el.className);
      });
      expect(cut, `${size.width}x${size.height}`).toEqual([]);
    }
    // Someone steps in: the full screen comes back.
    fake.send('mood', snapshot.mood);
    await attract.waitFor({ state: 'detached', ...WAIT });
    expect(await page.locator('.tile').count()).toBe(6);
  });

  it('does not claim the camera is on while the link to the daemon is down', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 800, height: 480 });
    expect(await page.locator('header .camera').textContent()).toContain('Camera on');
    await fake.down();
    await page.locator('.banner').filter({ hasText: 'Offline' }).waitFor(WAIT);
    expect(await page.locator('header .camera').textContent()).not.toContain('Camera on');
    expect(await page.locator('header .camera[data-status="offline"]').count()).toBe(1);
    await everySize('kiosk-layout-offline', null);
    fake.up();
    await page.locator('.banner').waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('header .camera[data-status="on"]').waitFor(WAIT);
  });
});
