// Issue 28, item 4: the kiosk is read at arm's length. Every visible text in every state of the
// kiosk, at the three screen sizes it is made for, is at least 14 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrationView, MyProfile } from '../../src/daemon/http/contract.js';
import { FakeKioskSocket, SUGGESTIONS, roomSnapshot, smallTexts, visibleTextCount } from './fake-kiosk-socket.js';
import { type Browser, type Daemon, assertBuilt, launchBrowser, shot, startDaemon, tempDir, WAIT } from './harness.js';

const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1080, height: 1920 },
];
const MIN_PX = 14;

const PROFILE: MyProfile = {
  user: { id: 7, name: 'Ada' },
  likedTrackIds: [12],
  preferences: { languages: [], artists: [], avoidMoods: [] },
  choices: { languages: ['en'], artists: ['Kites'], avoidMoods: ['calm', 'mellow'] },
  idleTimeoutS: 600,
};
const NO_CALIBRATION: CalibrationView = { recording: null, stored: null };

describe('kiosk type scale (issue 28)', { timeout: 240_000 }, () => {
  const data = tempDir('mb-kiosk-type-');
  let daemon: Daemon;
  let browser: Browser;
  const fake = new FakeKioskSocket();
  fake.answers = {
    'session/options': () => ({ data: { selfRegistration: true, idleTimeoutS: 600 } }),
    'session/stay': () => ({ data: { expiresInMs: 600_000 } }),
    'me/profile': () => ({ data: PROFILE }),
    'me/history': () => ({ data: { items: [], total: 0 } }),
    'me/calibration': () => ({ data: NO_CALIBRATION }),
    'me/calibration/start': () => ({ data: { recording: { samples: {}, startedAt: 0 }, stored: null } }),
    'me/calibration/sample': () => ({ error: { code: 'MB_ERR_CAMERA_NO_FACE', message: 'No face in view.' } }),
    'me/calibration/cancel': () => ({ data: NO_CALIBRATION }),
  };
  const problems: string[] = [];

  /** Measures the page at each size, keeping what is too small under `state`, and takes a screenshot of each. */
  const measure = async (state: string): Promise<void> => {
    const { page } = browser;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await visibleTextCount(page), `${state} at ${size.width}x${size.height} shows text`).toBeGreaterThan(3);
      for (const small of await smallTexts(page, MIN_PX)) problems.push(`${state} ${size.width}x${size.height}: ${small}`);
      await shot(page, `kiosk-type-${state}`);
    }
    await page.setViewportSize(SIZES[0] ?? { width: 800, height: 480 });
  };

  beforeAll(async () => {
    assertBuilt();
    daemon = await startDaemon(data.path);
    browser = await launchBrowser(SIZES[0]);
    await fake.attach(browser.page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('shows no visible text under 14 px in any kiosk state at 800x480, 1024x600 and 1080x1920', async () => {
    const { page } = browser;
    // Attract: nobody in view, something playing. A demo box: the header says "· demo" in every state (issue 40: it was 12.5 px).
    fake.snapshot = {
      ...roomSnapshot(),
      demo: true,
      mood: { current: 'nobody', confidence: 0, since: 0, why: 'Nobody in view for a while', faces: 0 },
    };
    await page.goto(`${daemon.url}/`);
    await page.locator('.attract').waitFor(WAIT);
    await measure('attract');

    // Playing, for the room.
    fake.send('mood', roomSnapshot().mood);
    await page.locator('.mood[data-mood="happy"]').waitFor(WAIT);
    await page.locator('.tile').nth(5).waitFor(WAIT);
    await measure('playing');

    // The sign-in panel: the name keyboard, then the PIN pad.
    await page.locator('button[data-action="sign-in"]').click();
    await page.locator('mb-name-pad').waitFor(WAIT);
    await measure('sign-in-name');
    for (const letter of 'ADA') await page.locator(`mb-name-pad button[data-key="${letter}"]`).click();
    await page.locator('mb-name-pad button[data-key="next"]').click();
    await page.locator('mb-pin-pad').waitFor(WAIT);
    await measure('sign-in-pin');

    // Signed in: the panel closes, the suggestions are theirs.
    fake.send('session', { user: { id: 7, name: 'Ada' }, notice: null });
    fake.send(
      'suggestions',
      SUGGESTIONS.map((t, i) => (i < 2 ? { ...t, isPersonalPick: true, whyKind: 'liked', why: 'you liked it', whySaid: null } : t)),
    );
    await page.locator('mb-sign-in').waitFor({ state: 'detached', ...WAIT });
    await page.locator('.tile[data-for-you]').first().waitFor(WAIT);
    await measure('signed-in');

    // My music, then the calibration over it.
    await page.locator('button[data-action="me"]').click();
    await page.locator('mb-me').waitFor(WAIT);
    await measure('my-music');
    await page.locator('mb-me button[data-tab="expressions"]').click();
    await page.locator('mb-me button[data-action="calibrate"]').click();
    await page.locator('mb-calibration .stage').waitFor(WAIT);
    await measure('calibration');
    await page.locator('mb-calibration button[data-action="cancel-calibration"]').click();
    await page.locator('mb-me button[data-action="close-me"]').click();

    // Offline.
    await fake.down();
    await page.locator('.banner').waitFor(WAIT);
    await measure('offline');
    fake.up();

    expect(problems).toEqual([]);
  });
});
