import type { WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot, TrackView } from '../../src/daemon/http/contract.js';
import { type Browser, type Daemon, assertBuilt, launchBrowser, shot, startDaemon, stateWhen, tempDir, WAIT } from './harness.js';

// The "why" under each suggestion says something about the song; "few fit" is said once (issue 28, item 3).

/** Each tile's why chip: its text and its computed font size (px). */
async function chips(browser: Browser): Promise<Array<{ text: string; px: number }>> {
  return browser.page
    .locator('.tile .why')
    .evaluateAll((els) => els.map((el) => ({ text: el.textContent?.trim() ?? '', px: parseFloat(getComputedStyle(el).fontSize) })));
}

describe('kiosk suggestions: one reason per song', { timeout: 300_000 }, () => {
  const data = tempDir('mb-kiosk-why-');
  let daemon: Daemon;
  let browser: Browser;
  let snapshot: StateSnapshot;
  let route: WebSocketRoute | undefined;
  let seq = 0;

  /** The suggestions as the daemon sends them: the recommender's reasons, moods of the songs themselves. */
  const suggestions = (kind: 'mood' | 'fallback'): TrackView[] => {
    const moods = [['mellow'], ['calm', 'mellow'], ['upbeat'], [], ['energetic', 'upbeat'], ['calm']];
    return snapshot.suggestions.slice(0, 6).map((t, i) => {
      const own = moods[i] ?? [];
      const why = kind === 'mood' ? 'fits mellow' : own[0] === undefined ? 'something different' : `${own[0]}, near mellow`;
      return { ...t, moods: own, why, whyKind: kind, isPersonalPick: false };
    });
  };
  const send = (data: TrackView[]): void => {
    seq += 1;
    route?.send(JSON.stringify({ type: 'suggestions/changed', seq, data }));
  };

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path);
    const ready = await stateWhen(daemon, (s) => s.suggestions.length >= 6, 60_000);
    snapshot = { ...ready, mood: { current: 'sad', confidence: 0.8, since: 0, why: '1 face, looking sad', faces: 1 } };
    browser = await launchBrowser({ width: 800, height: 480 });
    await browser.page.routeWebSocket(/\/ws$/, (ws) => {
      route = ws;
      ws.send(JSON.stringify({ type: 'state/snapshot', seq: 0, data: { ...snapshot, suggestions: suggestions('fallback') } }));
    });
    await browser.page.goto(`${daemon.url}/`);
    await browser.page.locator('.tile').first().waitFor(WAIT);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('says once on the screen that few songs fit, and gives each tile a reason about its own song, at 14 px or more at 800x480', async () => {
    const { page } = browser;
    await page.locator('.few').waitFor(WAIT);
    expect(await page.locator('.few').allTextContents()).toEqual(['Few songs fit the mood “sad” now: these are the closest']);
    const found = await chips(browser);
    expect(found.map((c) => c.text)).toEqual(['Mellow', 'Calm', 'Upbeat', 'Something different', 'Energetic', 'Calm']);
    for (const chip of found) expect(chip.px, chip.text).toBeGreaterThanOrEqual(14);
    expect(await page.locator('.tiles').textContent()).not.toMatch(/few tracks fit/i);
    const few = await page.locator('.few').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(few).toBeGreaterThanOrEqual(14);
    await shot(page, 'kiosk-why-few-fit');
  });

  it('drops the note once the songs fit the mood, and still names each song’s own mood', async () => {
    const { page } = browser;
    send(suggestions('mood'));
    await page.locator('.few').waitFor({ state: 'detached', ...WAIT });
    expect((await chips(browser)).map((c) => c.text)).toEqual(['Mellow', 'Calm', 'Upbeat', 'Something different', 'Energetic', 'Calm']);
    await shot(page, 'kiosk-why-fit');
  });

  // Issue 38: during a staff hold the kiosk said "Few songs fit a happy room" beside "Staff pick: mellow".
  it('speaks of the mood staff hold, not of the camera’s reading, when few songs fit it', async () => {
    const { page } = browser;
    seq += 1;
    const held = { label: 'happy', until: Date.now() + 3_600_000, music: 'upbeat' };
    route?.send(JSON.stringify({ type: 'mood/changed', seq, data: { ...snapshot.mood, held } }));
    send(suggestions('fallback'));
    await page.locator('.mood[data-state="held"]').waitFor(WAIT);
    await expect.poll(() => page.locator('.few').textContent(), WAIT).toBe('Few songs fit the mood “upbeat” now: these are the closest');
    seq += 1;
    route?.send(JSON.stringify({ type: 'mood/changed', seq, data: { ...snapshot.mood, held: null } }));
    await expect.poll(() => page.locator('.few').textContent(), WAIT).toBe('Few songs fit the mood “sad” now: these are the closest');
  });

  // A small library: the songs of the mood aimed at are held back by the recent plays, and the
  // recommender offers them anyway. Six Calm tiles under "Few songs fit" said two things at once.
  it('says nothing of few songs fitting when every tile is a song of the mood aimed at', async () => {
    const { page } = browser;
    await page.locator('.few').waitFor(WAIT);
    const ownMood = { id: 'pick.ownMood', values: { own: { said: 'music.calm' } } };
    send(snapshot.suggestions.slice(0, 6).map((t) => ({ ...t, moods: ['calm'], why: 'calm', whySaid: ownMood, whyKind: 'fallback' })));
    await page.locator('.few').waitFor({ state: 'detached', ...WAIT });
    expect((await chips(browser)).map((c) => c.text)).toEqual(['Calm', 'Calm', 'Calm', 'Calm', 'Calm', 'Calm']);
  });
});
