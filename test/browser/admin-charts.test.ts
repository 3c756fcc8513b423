import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/daemon/store/sqlite-store.js';
import { systemClock } from '../../src/kernel/clock.js';
import { MOOD_COLOURS } from '../../src/ui/components/mood-colours.js';
import { type AdminPage, WAIT, a11yProblems, adminPage, shot } from './harness.js';

// The dashboard charts, the model plots and the admin favicon (issue 16, items 10 and 11), against
// the real daemon with plays and a mood log seeded into its SQLite file.

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('dashboard charts', { timeout: 180_000 }, () => {
  let admin: AdminPage;
  let page: Page;
  /**
   * The page's "now": 15:30 yesterday in the browser's time zone, so "Today" has 16 hour ticks
   * whenever the test runs, and the plays the running daemon records now fall outside every range.
   */
  let now: number;

  /** Seeds the room and the plays around `now`, as the camera and the player would have written them. */
  function seed(dataDir: string): void {
    // The room through the store, as the camera's mood recorder writes it (a second connection).
    const store = openSqliteStore({ clock: systemClock, log: { info: () => {}, warn: () => {} } }, { path: join(dataDir, 'moodbox.db') });
    try {
      const room = [
        [now - 3 * 24 * HOUR, 'angry', 2],
        [now - 3 * 24 * HOUR + HOUR, 'neutral', 1],
        [now - 5 * HOUR, 'calm', 1],
        [now - 3 * HOUR, 'happy', 3],
        [now - 100 * MIN, 'sad', 1],
        [now - 50 * MIN, 'calm', 2],
        [now - 30 * MIN, 'happy', 2],
        [now - 12 * MIN, 'nobody', 0],
      ] as const;
      store.stats.logMoods(room.map(([at, mood, faces]) => ({ at, mood, confidence: 0.8, faces })));
    } finally {
      store.close();
    }
    const db = new Database(join(dataDir, 'moodbox.db'));
    db.pragma('busy_timeout = 10000');
    try {
      const track = db.prepare('INSERT INTO tracks (uri, title, artist, added_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id');
      const id = (uri: string, title: string, artist: string): number => (track.get(uri, title, artist, now, now) as { id: number }).id;
      const walk = id('/seeded/walk.ogg', 'Morning Walk', 'The Regulars');
      const rain = id('/seeded/rain.ogg', 'Rainy Window', 'Slow Tide');
      const drive = id('/seeded/drive.ogg', 'Night Drive', 'Neon Calm');
      const play = db.prepare("INSERT INTO plays (track_id, reason, mood, started_at, ended_at, outcome) VALUES (?, 'mood', ?, ?, ?, ?)");
      const plays: Array<[number, string, number, 'completed' | 'skipped' | 'switched']> = [
        [walk, 'upbeat', 55, 'completed'],
        [walk, 'upbeat', 45, 'completed'],
        [walk, 'calm', 35, 'completed'],
        [walk, 'upbeat', 25, 'skipped'],
        [walk, 'upbeat', 15, 'completed'],
        [rain, 'mellow', 50, 'skipped'],
        [rain, 'mellow', 40, 'completed'],
        [rain, 'calm', 20, 'skipped'],
        [rain, 'mellow', 5, 'completed'],
        [drive, 'calm', 30, 'completed'],
        // Changed because the room's mood changed: no skip.
        [drive, 'calm', 10, 'switched'],
        [drive, 'calm', 2, 'completed'],
      ];
      for (const [trackId, m, minutesAgo, outcome] of plays) {
        play.run(trackId, m, now - minutesAgo * MIN, now - (minutesAgo - 2) * MIN, outcome);
      }
      const root = (db.prepare("SELECT id FROM users WHERE name = 'Root'").get() as { id: number }).id;
      db.prepare("INSERT INTO feedback (user_id, track_id, kind, at) VALUES (?, ?, 'like', ?)").run(root, walk, now - 20 * MIN);
    } finally {
      db.close();
    }
  }

  const timeline = () => page.locator('mb-mood-timeline');
  const segmentMoods = async (): Promise<string[]> =>
    timeline()
      .locator('rect.segment')
      .evaluateAll((rects) => rects.map((r) => r.getAttribute('data-mood') ?? ''));
  const range = (name: string) => page.getByRole('group', { name: 'Period' }).getByRole('button', { name });

  beforeAll(async () => {
    admin = await adminPage({
      prefix: 'mb-admin-charts-',
      heading: 'Room mood over time',
      viewport: { width: 1280, height: 1700 },
      beforeSignIn: async (daemon, p) => {
        now = await p.evaluate(() => {
          const d = new Date();
          d.setDate(d.getDate() - 1);
          return d.setHours(15, 30, 0, 0);
        });
        await p.clock.setFixedTime(now);
        seed(daemon.dataDir);
        // Two nights of the retention job's samples: the data directory grew 1 MiB a day.
        const night = systemClock.now() - 24 * HOUR;
        writeFileSync(
          join(daemon.dataDir, 'disk-use.json'),
          JSON.stringify([
            { at: night - 24 * HOUR, bytes: 1_000_000 },
            { at: night, bytes: 1_000_000 + 1024 * 1024 },
          ]),
        );
      },
    });
    page = admin.page;
  }, 120_000);

  afterAll(() => admin?.close());

  it('draws today’s room mood as a band of coloured stretches in the kiosk’s colours, with hour ticks', async () => {
    expect(await range('Today').getAttribute('aria-pressed')).toBe('true');
    await timeline().locator('rect.segment').first().waitFor(WAIT);
    // Midnight to 15:30: neutral (since three days ago), then the day's changes, merged per 5-minute bucket.
    expect(await segmentMoods()).toEqual(['neutral', 'calm', 'happy', 'sad', 'calm', 'happy', 'nobody']);
    const fills = await timeline()
      .locator('rect.segment')
      .evaluateAll((rects): Record<string, string | null> =>
        Object.fromEntries(rects.map((r) => [r.getAttribute('data-mood') ?? '', r.getAttribute('fill')])),
      );
    expect(fills).toMatchObject({ happy: MOOD_COLOURS.happy, calm: MOOD_COLOURS.calm, sad: MOOD_COLOURS.sad, nobody: MOOD_COLOURS.nobody });
    // The calm stretch from 10:30 to 12:30 is two hours of the day's 15.5 wide, not a dot.
    const widths = await timeline()
      .locator('rect.segment[data-mood="calm"]')
      .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
    const band = await timeline()
      .locator('rect.glass')
      .evaluate((r) => r.getBoundingClientRect().width);
    const [calm] = widths;
    if (calm === undefined) throw new Error('Expected the calm stretch to be drawn, got no segment');
    expect(calm / band).toBeCloseTo(2 / 15.5, 1);
    // One tick per hour from 00:00 to 15:00, every third one labelled.
    expect(await timeline().locator('line.tick').count()).toBe(16);
    expect(await timeline().locator('text.tick-label').count()).toBe(6);
    expect(await timeline().getByRole('listitem').filter({ hasText: 'Happy' }).textContent()).toContain('1 h 38 min');
    await shot(page, 'admin-dashboard-charts-today');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('shows what the box keeps on disk by part and table, and the days left at the rate it grows', async () => {
    const disk = page.locator('mb-disk-use');
    await disk.locator('[data-days-left]').waitFor(WAIT);
    expect(await disk.locator('[data-days-left]').textContent()).toMatch(/free of .*; growing 1\.0 MiB a day: about \d+ days left\./);
    expect(await disk.locator('tr[data-part="database"]').textContent()).toMatch(/Database\s*\d+(\.\d)? (KiB|MiB)/);
    expect(await disk.locator('p.muted').textContent()).toMatch(/Largest tables:\s+\p{L}[\p{L}’ ]* \d+(\.\d)? (B|KiB|MiB)/u);
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('switches to the last hour (10-minute ticks) and to the last 7 days', async () => {
    await range('Last hour').click();
    expect(await range('Last hour').getAttribute('aria-pressed')).toBe('true');
    expect(await range('Today').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(segmentMoods, WAIT).toEqual(['sad', 'calm', 'happy', 'nobody']);
    // 14:30 to 15:30 every 10 minutes; 15:00 is the hour.
    expect(await timeline().locator('line.tick').count()).toBe(7);
    expect(await timeline().locator('line.tick.major').count()).toBe(1);
    await shot(page, 'admin-dashboard-charts-hour');

    await range('Last 7 days').click();
    await expect.poll(segmentMoods, WAIT).toContain('angry');
    expect((await segmentMoods()).slice(0, 3)).toEqual(['none', 'angry', 'neutral']);
    await shot(page, 'admin-dashboard-charts-week');
    await range('Last hour').click();
    await expect.poll(segmentMoods, WAIT).toEqual(['sad', 'calm', 'happy', 'nobody']);
  });

  it('lists the top tracks by title with likes and skip rate, and counts plays per mood and hour', async () => {
    const rows = page.locator('mb-top-tracks tbody tr');
    await rows.first().waitFor(WAIT);
    expect(await rows.locator('.title').allTextContents()).toEqual(['Morning Walk', 'Rainy Window', 'Night Drive']);
    const rain = rows.filter({ hasText: 'Rainy Window' });
    expect((await rain.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['Rainy Window · Slow Tide', '4', '0', '2', '50%']);
    expect((await rows.filter({ hasText: 'Morning Walk' }).locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'Morning Walk · The Regulars',
      '5',
      '1',
      '1',
      '20%',
    ]);
    // A song changed for the room is not a skip, and the table says how it counts.
    expect((await rows.filter({ hasText: 'Night Drive' }).locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'Night Drive · Neon Calm',
      '3',
      '0',
      '0',
      '0%',
    ]);
    const caption = (await page.locator('mb-top-tracks .caption').textContent())?.replace(/\s+/g, ' ').trim();
    expect(caption).toBe(
      'Skip rate: skips by people (at the kiosk, by staff, from Home Assistant) out of plays that ended or were skipped. Songs changed for the room are not skips (1 here).',
    );
    const plays = page.locator('mb-plays-chart');
    expect(await plays.getByRole('img').getAttribute('aria-label')).toMatch(/^Plays per mood: Calm 5, Upbeat 4, Mellow 3; 12 in all$/);
    expect(await plays.locator('rect.bar[data-mood="calm"]').first().getAttribute('fill')).toBe(MOOD_COLOURS.calm);
    const busy = page.locator('mb-busy-hours');
    expect(await busy.getByRole('img').getAttribute('aria-label')).toMatch(/busiest hour is (15:00|3:00\sPM) with 7 plays$/);
    await shot(page, 'admin-dashboard-top-tracks');
  });

  it('shows the model plots at their natural size, each opening full size', async () => {
    await page.getByRole('link', { name: 'Model' }).click();
    const curves = page.locator('figure[data-image="curves.png"] img');
    await curves.scrollIntoViewIfNeeded();
    await expect.poll(() => curves.evaluate((img: HTMLImageElement) => img.naturalWidth), WAIT).toBeGreaterThan(100);
    const size = await curves.evaluate((img: HTMLImageElement) => ({ shown: img.clientWidth, natural: img.naturalWidth }));
    expect(size.shown).toBe(size.natural);
    expect(await page.locator('figure[data-image="curves.png"] a.plot').getAttribute('href')).toBe('/api/admin/model/report/curves.png');
    await shot(page, 'admin-model-plots');
    // Each plot's title in the reader's language, not in the daemon's English.
    const caption = page.locator('figure[data-image="confusion.png"] figcaption');
    expect(await caption.textContent()).toContain('Confusion matrix on PublicTest');
    await page.locator('header select.language').selectOption('de');
    await caption.filter({ hasText: 'Konfusionsmatrix auf PublicTest' }).waitFor(WAIT);
    await page.locator('header select.language').selectOption('en');
    await caption.filter({ hasText: 'Confusion matrix on PublicTest' }).waitFor(WAIT);
  });

  it('fits every chart inside its card on a phone-sized window', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await timeline().locator('rect.segment').first().waitFor(WAIT);
    await page.setViewportSize({ width: 400, height: 1700 });
    const overflows = async (): Promise<string[]> =>
      page.locator('mb-mood-timeline, mb-plays-chart, mb-busy-hours').evaluateAll((hosts) =>
        hosts.flatMap((host) => {
          const svg = host.shadowRoot?.querySelector('svg');
          if (!svg) return [`${host.localName} has no chart`];
          const [inner, outer] = [svg.getBoundingClientRect(), host.getBoundingClientRect()];
          return inner.right <= outer.right + 1 && inner.width > 200 ? [] : [`${host.localName} ${inner.width}px in ${outer.width}px`];
        }),
      );
    await expect.poll(overflows, WAIT).toEqual([]);
    const overlaps = await page.locator('mb-mood-timeline, mb-plays-chart, mb-busy-hours').evaluateAll((hosts) =>
      hosts.flatMap((host) => {
        const boxes = [...(host.shadowRoot?.querySelectorAll('text.tick-label') ?? [])].map((t) => t.getBoundingClientRect());
        return boxes.flatMap((box, i) => {
          const next = boxes[i + 1];
          return next !== undefined && box.right > next.left ? [`${host.localName} label ${i + 1}`] : [];
        });
      }),
    );
    expect(overlaps).toEqual([]);
    const controlsRight = await page
      .locator('mb-admin-dashboard mb-staff-controls select')
      .evaluateAll((selects) => Math.max(...selects.map((el) => el.getBoundingClientRect().right)));
    expect(controlsRight).toBeLessThanOrEqual(400);
    await shot(page, 'admin-dashboard-charts-narrow');
    await page.setViewportSize({ width: 1280, height: 1700 });
  });

  it('has a favicon', async () => {
    expect(await page.locator('head link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
  });
});
