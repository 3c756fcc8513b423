import { until } from '../../src/daemon/testing/daemon-process.js';
import { type Locator, type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, TEST_CONFIG, WAIT, adminPage, boxOf, shot } from './harness.js';
import { MIN_TARGET_PX } from './phone-checks.js';

// The owner's panel on a phone, measured (issue 58, item 6): the dashboard and Settings in phone
// screens at 390x844, where request approval sits, the size of the switches and sliders, and the
// words the settings use (no keys, no "valence and arousal", no times in ms).

const PHONE = { width: 390, height: 844 } as const;
const LAPTOP = { width: 1280, height: 800 } as const;

/** The page's length in phone screens (scroll height over the screen's height). */
async function screens(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollHeight / window.innerHeight);
}

/** Each visible switch (with its label, when it is the target) and slider of `scope`, as its id and size. */
async function targetSizes(scope: Locator): Promise<Array<{ id: string; width: number; height: number }>> {
  return scope.evaluate((root) => {
    const sizes: Array<{ id: string; width: number; height: number }> = [];
    const inputs = (root.shadowRoot ?? root).querySelectorAll<HTMLInputElement>('input[type="checkbox"], input[type="range"]');
    for (const input of inputs) {
      const own = input.getBoundingClientRect();
      if (own.width === 0 || own.height === 0) continue;
      // A tap on a label wrapping the box ticks it: the label is the target.
      const box = (input.type === 'checkbox' ? (input.closest('label') ?? input) : input).getBoundingClientRect();
      sizes.push({ id: input.id || (input.closest('[data-setting]')?.getAttribute('data-setting') ?? '?'), ...box.toJSON() });
    }
    return sizes.map(({ id, width, height }) => ({ id, width: Math.round(width), height: Math.round(height) }));
  });
}

describe("the owner's panel on a phone, measured", { timeout: 240_000 }, () => {
  let admin: AdminPage;
  let page: Page;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    // A busy day: guests ask for songs and the staff say yes to each, and a day plan caps the volume.
    admin = await adminPage({
      prefix: 'mb-admin-lengths-',
      heading: 'Dashboard',
      viewport: PHONE,
      hasTouch: true,
      config: {
        ...TEST_CONFIG,
        guests: { requests: 'on', approval: 'staff' },
        player: { ...TEST_CONFIG.player, dayPlans: [{ name: 'All day', from: '00:00', to: '00:00', mood: 'upbeat', volumeCap: 90 }] },
      },
    });
    page = admin.page;
    // Two requests from a guest's phone wait for the staff.
    const phone = await request.newContext({ baseURL: admin.daemon.url, extraHTTPHeaders: { origin: admin.daemon.url } });
    try {
      expect((await phone.get('/api/guest/state')).status()).toBe(200);
      // The daemon answers before its first scan of the library ends: the songs are there once it has.
      type Found = { tracks: Array<{ id: number }> };
      const found = await until(async () => {
        const answer = (await (await phone.get('/api/guest/search?q=e')).json()) as Found;
        return answer.tracks.length > 1 ? answer : undefined;
      }, 60_000);
      // The song playing, or one far from the room's mood, is refused (409): ask down the list until two wait.
      let waiting = 0;
      const refused: string[] = [];
      for (const track of found.tracks) {
        if (waiting === 2) break;
        const answer = await phone.post('/api/guest/requests', { data: { trackId: track.id } });
        if (answer.status() < 300) waiting += 1;
        else refused.push(`${track.id}: ${answer.status()} ${await answer.text()}`);
      }
      expect(waiting, `of ${found.tracks.length} songs found, refused:\n${refused.join('\n')}`).toBe(2);
    } finally {
      await phone.dispose();
    }
  }, 120_000);

  /** Settings as an owner opens it from the menu: on its first tab, at the top. */
  async function openSettings(): Promise<void> {
    await page.goto(`${admin.daemon.url}/admin#dashboard`);
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor(WAIT);
    await page.goto(`${admin.daemon.url}/admin#settings`);
    await page.locator('[data-setting="player.maxVolume"]').waitFor(WAIT);
  }

  afterAll(async () => {
    console.info(`phone figures at ${PHONE.width}x${PHONE.height}: ${JSON.stringify(figures)}`);
    await admin?.close();
  });

  it('fits the dashboard in two phone screens, with what plays, the mood, waiting requests and health on it', async () => {
    await page.goto(`${admin.daemon.url}/admin#dashboard`);
    const dashboard = page.locator('mb-admin-dashboard');
    // What an owner checks every day is on it: the health's verdict, the room mood, what plays and next, the requests.
    await dashboard.locator('mb-admin-health [data-summary]').filter({ hasText: 'Everything works.' }).waitFor(WAIT);
    await dashboard.locator('[data-room-mood]').waitFor(WAIT);
    await dashboard.locator('mb-now-playing-card [data-now-playing]').waitFor(WAIT);
    await dashboard.locator('mb-now-playing-card [data-queue]').waitFor(WAIT);
    await expect
      .poll(
        () =>
          dashboard
            .locator('mb-guest-requests')
            .getByRole('button', { name: /^Approve/ })
            .count(),
        WAIT,
      )
      .toBe(2);
    await dashboard.locator('[data-day-plan]').waitFor(WAIT);
    await dashboard.getByRole('button', { name: 'Pause' }).waitFor(WAIT);
    // The rest of the page has loaded too: nothing says "Loading" any more.
    await expect.poll(() => dashboard.getByText(/Loading|Reading/).count(), WAIT).toBe(0);
    figures['dashboard'] = Number((await screens(page)).toFixed(2));
    await shot(page, 'admin-dashboard-phone');
    await shot(page, 'admin-dashboard-phone-full', { fullPage: true });
    expect(figures['dashboard']).toBeLessThanOrEqual(2);
  });

  it('fits Settings in six phone screens, with request approval on the first screen of Guests', async () => {
    await openSettings();
    // The page as it opens, and with each of its tabs.
    const lengths: Record<string, number> = { opened: Number((await screens(page)).toFixed(2)) };
    await shot(page, 'admin-settings-phone');
    const tabs = page.getByRole('tab');
    for (let i = 0; i < (await tabs.count()); i++) {
      const name = ((await tabs.nth(i).textContent()) ?? '').replace(/,.*$/, '').trim();
      await tabs.nth(i).tap();
      await page.locator(`[role="tabpanel"][aria-labelledby="${await tabs.nth(i).getAttribute('id')}"]`).waitFor(WAIT);
      lengths[name] = Number((await screens(page)).toFixed(2));
      await shot(page, `admin-settings-phone-${name.toLowerCase()}-full`, { fullPage: true });
    }
    figures['settings'] = lengths;
    expect(Math.max(...Object.values(lengths))).toBeLessThanOrEqual(6);

    // One tap on the Guests tab shows request approval, without scrolling.
    await page.getByRole('tab', { name: 'Guests' }).tap();
    const approval = page.locator('[data-setting="guests.approval"]');
    await approval.waitFor({ state: 'visible', ...WAIT });
    const group = page.locator('[data-group="guests"]');
    const [top, row] = await Promise.all([boxOf(group), boxOf(approval)]);
    const scrollY = await page.evaluate(() => window.scrollY);
    // Screens from the top of the page to the row's end, and from the group's start to the row's end.
    figures['approvalFromPageTop'] = Number(((row.y + scrollY + row.height) / PHONE.height).toFixed(2));
    figures['approvalInGuests'] = Number(((row.y + row.height - top.y) / PHONE.height).toFixed(2));
    await approval.scrollIntoViewIfNeeded();
    await shot(page, 'admin-settings-guests-phone');
    expect(figures['approvalFromPageTop']).toBeLessThanOrEqual(1);
  });

  it('gives every switch and slider of Settings a target of 44 px at least, on a phone and a laptop, and sliders sensible steps', async () => {
    await openSettings();
    const settings = page.locator('mb-admin-settings');
    const tabs = page.getByRole('tab');
    for (const [screen, viewport] of [
      ['phone', PHONE],
      ['laptop', LAPTOP],
    ] as const) {
      await page.setViewportSize(viewport);
      const sizes = [];
      // Each tab in turn, its closed parts opened.
      for (let i = 0; i < (await tabs.count()); i++) {
        await tabs.nth(i).click();
        await settings.evaluate((el) => {
          for (const details of (el.shadowRoot ?? el).querySelectorAll('details')) details.open = true;
        });
        sizes.push(...(await targetSizes(settings)));
      }
      const small = sizes.filter((s) => s.width < MIN_TARGET_PX - 0.5 || s.height < MIN_TARGET_PX - 0.5);
      figures[`targets ${screen}`] = { count: sizes.length, smallest: Math.min(...sizes.map((s) => Math.min(s.width, s.height))) };
      expect(small, screen).toEqual([]);
    }
    await page.setViewportSize(PHONE);

    // An arrow key moves the volume by 5, the crossfade by a whole second.
    await tabs.filter({ hasText: 'Music' }).tap();
    const volume = page.locator('[data-setting="player.maxVolume"] input[type="range"]');
    const before = Number(await volume.inputValue());
    await volume.focus();
    await page.keyboard.press('ArrowLeft');
    figures['volumeStep'] = before - Number(await volume.inputValue());
    expect(figures['volumeStep']).toBe(5);
    const crossfade = page.locator('[data-setting="player.crossfadeMs"]');
    await crossfade.getByRole('slider').focus();
    await page.keyboard.press('ArrowRight');
    await crossfade
      .locator('output')
      .filter({ hasText: /^1 second$/ })
      .waitFor(WAIT);
    await page.keyboard.press('ArrowRight');
    await crossfade
      .locator('output')
      .filter({ hasText: /^2 seconds$/ })
      .waitFor(WAIT);
    figures['crossfadeStep'] = '1 second';
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('names every setting in words: no keys, no "valence and arousal", no times in ms', async () => {
    await openSettings();
    const settings = page.locator('mb-admin-settings');
    const texts: string[] = [];
    const tabs = page.getByRole('tab');
    for (let i = 0; i < (await tabs.count()); i++) {
      await tabs.nth(i).tap();
      texts.push(
        ...(await settings.evaluate((el) => {
          const root = el.shadowRoot ?? el;
          for (const details of root.querySelectorAll('details')) details.open = true;
          // What an owner reads: labels, help, the values beside sliders and the units beside numbers.
          return [
            ...root.querySelectorAll<HTMLElement>(
              '[data-setting] label, [data-setting] .name, .help, .field output:not([data-file-only]), .field .muted',
            ),
          ]
            .filter((node) => node.getBoundingClientRect().height > 0)
            .map((node) => `${node.closest('[data-setting]')?.getAttribute('data-setting') ?? ''}: ${(node.textContent ?? '').trim()}`);
        })),
      );
    }
    // The words after the setting's id, addresses and file names (accounts.spotify.com, manifest.json) left out.
    const words = (text: string) =>
      text.slice(text.indexOf(': ') + 2).replace(/\b(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|local|json|onnx)\b\S*/g, '');
    const keys = texts.filter((text) =>
      /\b(?:player|guests|server|mood|camera|library|music|site|sessions|rfid|vision|log|ws|mqtt|spotify|memory|retention)\.[a-z][A-Za-z]+\b|\b[a-z]{2,}[A-Z][A-Za-z]*\b/.test(
        words(text),
      ),
    );
    const axes = texts.filter((text) => /valence|arousal/i.test(text));
    const ms = texts.filter((text) => /\b\d[\d,.]*\s?ms\b|\(ms\)|millisecond/i.test(words(text)));
    figures['words'] = { read: texts.length, keys: keys.length, axes: axes.length, ms: ms.length };
    expect({ keys, axes, ms }).toEqual({ keys: [], axes: [], ms: [] });
  });
});
