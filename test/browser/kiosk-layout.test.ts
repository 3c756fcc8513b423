// The kiosk's layout at every kiosk size against the real daemon: its camera reads a test camera
// (a happy face, nobody, or taken away), the demo library's songs with their covers beside songs
// with no cover and long titles (tones made here, tagged mellow), and the staff's moves
// made through the admin API (a mood held, songs blocked, quiet hours saved). Offline is the daemon
// stopped; nothing playing is the quiet hours, the one time a box with music plays nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackView } from '../../src/daemon/http/contract.js';
import {
  type Browser,
  ROOT,
  daemonState,
  fixtureFrame,
  launchBrowser,
  putSettings,
  shot,
  signInAtKiosk,
  stateWhen,
  WAIT,
} from './harness.js';
import { READING, asStaff, kioskDaemon } from './kiosk-daemon.js';

/** The kiosk screens the kiosk is made for: landscape and portrait. */
const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 480, height: 800 },
  { width: 1080, height: 1920 },
];

/** The songs with no cover: titles and artists of every length the kiosk must fit. */
const BARE = [
  ['A Very Long Title That Does Not Fit On One Line', 'Somebody With A Long Name'],
  ['Quiet Harbour', 'Lanterns'],
  ['Green Lights All the Way Home', 'Open Road'],
  ['Dusk', 'Somebody With A Long Name'],
  ['Rain on the Window (Live)', 'The Small Hours'],
  ['Paper Lanterns Over the Water', 'Lanterns'],
  ['Late', 'Somebody With A Long Name'],
  ['An Even Longer Title For A Song That Never Seems To End', 'The Small Hours'],
  ['Slow Tide Remembered', 'Open Road'],
  ['Low', 'Lanterns'],
] as const;
const BARE_ARTISTS = new Set<string>(BARE.map(([, artist]) => artist));

/**
 * Writes the library into `dir`: the demo library's songs (with their covers and its `moods.csv`),
 * and beside them the songs of `BARE`: tones of their own (each its pitch and length, so that no
 * two are taken for one recording, nor any for a demo song), with the title and artist of `BARE`,
 * no cover, tagged mellow. (A box plays the demo library only until an owner's folder is added:
 * the two are one folder here.)
 */
function makeLibrary(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const demo = join(ROOT, 'demo/library');
  for (const name of readdirSync(demo)) if (name.endsWith('.ogg')) cpSync(join(demo, name), join(dir, name));
  const rows = readFileSync(join(demo, 'moods.csv'), 'utf8').trim().split('\n');
  BARE.forEach(([title, artist], i) => {
    const file = `bare-${String(i + 1).padStart(2, '0')}.ogg`;
    const tone = `sine=frequency=${220 + 37 * i}:duration=${40 + 3 * i}`;
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      tone,
      '-c:a',
      'libvorbis',
      '-q:a',
      '0',
      '-metadata',
      `title=${title}`,
      '-metadata',
      `artist=${artist}`,
      '-metadata',
      'album=Bare',
      join(dir, file),
    ]);
    rows.push(`${file},mellow:1`);
  });
  writeFileSync(join(dir, 'moods.csv'), `${rows.join('\n')}\n`);
}

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
  const frames = { happy: fixtureFrame('happy-face.png'), nobody: fixtureFrame('no-face.png') };
  const box = kioskDaemon({
    prefix: 'mb-kiosk-layout-',
    members: { Ada: '2468' },
    before: (dataDir) => makeLibrary(join(dataDir, 'music')),
    // The room counts as empty a second after the last face: the attract screen comes sooner.
    config: (dataDir) => ({
      library: { folders: [join(dataDir, 'music')] },
      mood: { nobodyAfterMs: 1000 },
    }),
    first: frames.happy,
    // A happy room plays the demo's songs, with their covers.
    ready: (s) =>
      s.mood.current === 'happy' &&
      s.player.nowPlaying?.coverUrl != null &&
      s.suggestions.length >= 6 &&
      s.suggestions.every((t) => t.coverUrl !== null),
  });
  let browser: Browser;

  afterAll(async () => {
    await browser?.close();
  });

  /** The kiosk, opened once. */
  const kiosk = async (): Promise<Page> => {
    if (browser === undefined) {
      browser = await launchBrowser({ width: 800, height: 480 });
      await browser.page.goto(`${box.daemon.url}/`);
      await browser.page.locator('.tile').first().waitFor(WAIT);
    }
    return browser.page;
  };

  /** Screenshots the state at every size, and checks the layout where tiles are expected. */
  const everySize = async (name: string, tiles: number | null): Promise<Record<string, string[]>> => {
    const page = await kiosk();
    const found: Record<string, string[]> = {};
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await shot(page, name);
      if (tiles !== null) {
        const problems = await layoutProblems(page, tiles);
        if (problems.length > 0) found[`${size.width}x${size.height}`] = problems;
      }
    }
    return found;
  };

  /** Blocks every artist `artists` names through the admin API; returns the blocks, to lift. */
  const block = async (artists: Iterable<string>): Promise<number[]> => {
    const ids: number[] = [];
    for (const artist of new Set(artists))
      ids.push((await asStaff<{ id: number }>(box.daemon, 'POST', '/api/admin/blocks', { artist })).id);
    return ids;
  };
  const unblock = async (ids: readonly number[]): Promise<void> => {
    for (const id of ids) await asStaff(box.daemon, 'DELETE', `/api/admin/blocks/${id}`);
  };

  it('fills the screen with the hero cover, six tiles with why chips, and no clipped title', async () => {
    const page = await kiosk();
    await stateWhen(box.daemon, (s) => s.player.nowPlaying?.coverUrl != null, WAIT.timeout);
    await page.locator('.now mb-cover img').waitFor(WAIT);
    expect(await page.locator('.tile .why').count()).toBe(6);
    // Real demo covers: the hero and its blurred backdrop show the cover of what plays.
    expect(await page.locator('.now mb-cover img').count()).toBe(1);
    expect(await page.locator('.backdrop:not(.generated)').count()).toBe(1);
    expect(await everySize('kiosk-layout-playing', 6)).toEqual({});
  });

  it('has a favicon', async () => {
    const page = await kiosk();
    const size = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '';
      const image = new Image();
      image.src = href;
      await image.decode();
      return image.naturalWidth;
    });
    expect(size).toBeGreaterThan(0);
  });

  it('draws cover art for tracks without a cover, and wraps long titles without cutting them', async () => {
    const page = await kiosk();
    // Staff block every song but those with no cover, and hold the room to sad, whose mellow music they are:
    // the songs with no cover play, and are all that is suggested.
    const all = await asStaff<{ items: Array<{ artist: string }> }>(box.daemon, 'GET', '/api/admin/tracks?limit=1000');
    const others = all.items.map((t) => t.artist).filter((artist) => !BARE_ARTISTS.has(artist));
    const blocks = await block(others);
    try {
      await asStaff(box.daemon, 'PUT', '/api/admin/mood/hold', { label: 'sad', minutes: 30 });
      await asStaff(box.daemon, 'POST', '/api/admin/player/skip');
      const bare = (t: TrackView | null): boolean => t !== null && t.coverUrl === null && BARE_ARTISTS.has(t.artist);
      await stateWhen(
        box.daemon,
        (s) => bare(s.player.nowPlaying) && s.suggestions.length >= 6 && s.suggestions.slice(0, 6).every(bare),
        WAIT.timeout,
      );
      await page.setViewportSize(SIZES[0] ?? { width: 800, height: 480 });
      await page.locator('.now mb-cover svg').waitFor(WAIT);
      await expect.poll(() => page.locator('.tile mb-cover svg').count(), WAIT).toBe(6);
      // The long titles are among those shown.
      expect(await page.locator('.tile .t, .now .title').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringMatching(/.{28,}/)]),
      );
      // Deterministic: the same title and mood draw the same picture.
      const art = await page
        .locator('.tile mb-cover')
        .evaluateAll((els) => els.map((el) => el.shadowRoot?.innerHTML.replace(/<!--[^>]*-->/g, '') ?? ''));
      expect(new Set(art).size).toBeGreaterThan(1);
      expect(await everySize('kiosk-layout-no-covers', 6)).toEqual({});
    } finally {
      await asStaff(box.daemon, 'DELETE', '/api/admin/mood/hold');
      await unblock(blocks);
    }
    // The music picks for the happy room again: staff skip the songs with no cover picked before.
    for (let i = 0; i < 3 && (await daemonState(box.daemon)).player.nowPlaying?.coverUrl == null; i++) {
      const skipped = (await daemonState(box.daemon)).player.nowPlaying?.id;
      await asStaff(box.daemon, 'POST', '/api/admin/player/skip');
      await stateWhen(box.daemon, (s) => s.player.nowPlaying !== null && s.player.nowPlaying.id !== skipped, WAIT.timeout);
    }
    await stateWhen(box.daemon, (s) => s.player.nowPlaying?.coverUrl != null && s.mood.current === 'happy', WAIT.timeout);
  });

  it('shows the signed-in person their picks, and every other state, at every size', async () => {
    const page = await kiosk();
    await page.setViewportSize(SIZES[0] ?? { width: 800, height: 480 });
    await signInAtKiosk(page, 'Ada', '2468');
    await page.locator('.tiles h2').filter({ hasText: 'For you, Ada' }).waitFor(WAIT);
    expect(await everySize('kiosk-layout-signed-in', 6)).toEqual({});
    await page.setViewportSize(SIZES[0] ?? { width: 800, height: 480 });
    await page.locator('button[data-action="sign-out"]').click();
    await page.locator('button[data-action="sign-in"]').waitFor(WAIT);

    // The quiet hours: the music waits, and a touch wakes the dark screen, which says so beside the suggestions.
    await putSettings(box.daemon, { player: { quietHours: { from: '00:00', to: '23:59' } } });
    try {
      const quiet = await stateWhen(box.daemon, (s) => s.quietHours && s.player.status !== 'playing', WAIT.timeout);
      const sleep = page.locator('[data-sleep]');
      await sleep.waitFor(WAIT);
      await sleep.click({ position: { x: 400, y: 300 } });
      await sleep.waitFor({ state: 'detached', ...WAIT });
      await page.locator(`.now[data-state="${quiet.player.nowPlaying === null ? 'stopped' : quiet.player.status}"]`).waitFor(WAIT);
      expect(await everySize('kiosk-layout-quiet-hours', 6)).toEqual({});
    } finally {
      await putSettings(box.daemon, {});
    }
    await stateWhen(box.daemon, (s) => s.player.status === 'playing', WAIT.timeout);

    // The camera goes away.
    await box.camera.stop();
    try {
      await page.locator('.mood[data-state="camera-unavailable"]').waitFor({ timeout: READING });
      expect(await everySize('kiosk-layout-camera-unavailable', 6)).toEqual({});
    } finally {
      await box.camera.start();
    }
    await page.locator('.mood[data-mood="happy"]').waitFor({ timeout: READING });

    // No song may play (staff blocked every artist, and skip the one playing): nothing plays, nothing to suggest.
    const all = (await asStaff<{ items: Array<{ artist: string }> }>(box.daemon, 'GET', '/api/admin/tracks?limit=1000')).items.map(
      (t) => t.artist,
    );
    const blocks = await block(all);
    try {
      await asStaff(box.daemon, 'POST', '/api/admin/player/skip');
      await stateWhen(box.daemon, (s) => s.player.nowPlaying === null && s.suggestions.length === 0, WAIT.timeout);
      await page.locator('.now[data-state="stopped"]').waitFor(WAIT);
      await page.locator('.tiles[data-state="empty"]').waitFor(WAIT);
      await everySize('kiosk-layout-no-music', null);
    } finally {
      await unblock(blocks);
    }
    await stateWhen(box.daemon, (s) => s.player.nowPlaying !== null && s.suggestions.length >= 6, WAIT.timeout);
    await expect.poll(() => page.locator('.tile').count(), WAIT).toBe(6);
  });

  it('shows the attract screen while nobody is in the room, with what plays, in its mood colour', async () => {
    const page = await kiosk();
    // A fresh page: the touch that woke the quiet hours' dark screen keeps it awake for a minute.
    await page.reload();
    await page.locator('.tile').first().waitFor(WAIT);
    box.camera.show(frames.nobody);
    try {
      await stateWhen(box.daemon, (s) => s.mood.current === 'nobody', READING);
      const attract = page.locator('.attract');
      await attract.waitFor(WAIT);
      // Music keeps playing for an empty room: the attract screen says what Moodbox does and what plays.
      expect(await attract.textContent()).toContain('The music follows the mood of the room');
      const MOOD_COLOURS = (await import('../../src/ui/components/mood-colours.js')).MOOD_COLOURS;
      // What the daemon plays now, its title and its mood's colour (polled: a song may end meanwhile).
      const shown = async (): Promise<string[]> => {
        const now = (await daemonState(box.daemon)).player.nowPlaying as TrackView;
        const found: string[] = [];
        const playing = (await page.locator('.attract .playing').textContent()) ?? '';
        if (!playing.includes(now.title)) found.push(`"${playing}" without "${now.title}"`);
        const accent = await page.evaluate(() =>
          document.querySelector('mb-kiosk')?.shadowRoot?.querySelector<HTMLElement>('.attract')?.style.getPropertyValue('--accent'),
        );
        const want = MOOD_COLOURS[now.moods[0] as keyof typeof MOOD_COLOURS];
        if (accent !== want) found.push(`accent ${accent}, the mood's ${want}`);
        return found;
      };
      await expect.poll(shown, WAIT).toEqual([]);
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
    } finally {
      box.camera.show(frames.happy);
    }
    // Someone steps in: the full screen comes back.
    await page.locator('.attract').waitFor({ state: 'detached', timeout: READING });
    expect(await page.locator('.tile').count()).toBe(6);
  });

  it('does not claim the camera is on while the link to the daemon is down', async () => {
    const page = await kiosk();
    await page.setViewportSize({ width: 800, height: 480 });
    await page.locator('header .camera[data-status="on"]').waitFor(WAIT);
    expect(await page.locator('header .camera').textContent()).toContain('Camera on');
    await box.daemon.stop();
    await page.locator('.banner').filter({ hasText: 'Offline' }).waitFor(WAIT);
    expect(await page.locator('header .camera').textContent()).not.toContain('Camera on');
    expect(await page.locator('header .camera[data-status="offline"]').count()).toBe(1);
    await everySize('kiosk-layout-offline', null);
    await box.restart();
    await page.locator('.banner').waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('header .camera[data-status="on"]').waitFor(WAIT);
  });
});
