import { hostname } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpotifyStatus } from '../../src/daemon/http/contract.js';
import { FakeSpotifyServer } from '../../src/player/testing/fake-spotify-server.js';
import {
  type AdminPage,
  type Browser,
  type Daemon,
  TEST_CONFIG,
  WAIT,
  a11yProblems,
  adminPage,
  assertBuilt,
  freePort,
  shot,
} from './harness.js';

// The admin panel's Spotify page against the real daemon, talking to the local fake Spotify server (issue 15).

/** The daemon names its preferred Connect device after the machine it runs on. */
const BOX = hostname();

/** Text as a reader hears it: runs of spaces and line breaks as one space. */
const words = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

describe('the Spotify page of a home box', { timeout: 240_000 }, () => {
  const spotify = new FakeSpotifyServer();
  let admin: AdminPage;
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;
  const account = () => page.locator('section[data-account]');
  const stateLine = () => page.locator('.state[data-state]');
  const device = (name: string) => page.locator(`label[data-device="${name}"]`);
  const row = (name: string) => page.locator(`tr[data-playlist="${name}"]`);
  /** The account as the daemon reports it to the panel. */
  const status = async (): Promise<SpotifyStatus> => {
    const cookie = (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    return (await (await fetch(`${daemon.url}/api/admin/spotify`, { headers: { cookie } })).json()) as SpotifyStatus;
  };

  beforeAll(async () => {
    assertBuilt();
    await spotify.listen();
    spotify.addPlaylist(
      'calm1',
      'Sunday Calm',
      [
        { id: 't1', name: 'Slow River', artists: ['Ann'], album: 'Water', durationMs: 200_000 },
        { id: 't2', name: 'Quiet Hills', artists: ['Bob'], album: 'Land', durationMs: 180_000 },
      ],
      { hasCover: true },
    );
    spotify.addPlaylist('party', 'Party', [{ id: 't4', name: 'Jump', artists: ['Dee'], album: 'Up', durationMs: 150_000 }], {
      hasCover: true,
    });
    spotify.addDevice({ id: 'phone', name: 'Phone', type: 'Smartphone', isActive: true });
    spotify.addDevice({ id: 'box', name: BOX, type: 'Speaker', isActive: false });
    spotify.addDevice({ id: 'kitchen', name: 'Kitchen', type: 'Speaker', isActive: false });
    admin = await adminPage({
      prefix: 'mb-admin-spotify-',
      view: '#spotify',
      heading: 'Spotify',
      viewport: { width: 1280, height: 900 },
      // Spotify's redirect names the box's port, so it is chosen before the daemon starts.
      port: await freePort(),
      config: {
        ...TEST_CONFIG,
        site: { kind: 'home' },
        music: { source: 'spotify' },
        spotify: {
          clientId: spotify.clientId,
          // Another site than the box (localhost, not 127.0.0.1), as accounts.spotify.com is: the admin must stay signed in on the way back.
          accountsUrl: spotify.url.replace('127.0.0.1', 'localhost'),
          apiUrl: spotify.url,
          pollMs: 500,
        },
      },
    });
    ({ daemon, browser, page } = admin);
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await spotify.close().catch(() => undefined);
  });

  it('is in the menu of a home box, after Backups, from any page', async () => {
    await page.goto(`${daemon.url}/admin#settings`);
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor(WAIT);
    const links = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
    await expect.poll(async () => (await links.allTextContents()).map((name) => name.trim()), WAIT).toContain('Spotify');
    const names = (await links.allTextContents()).map((name) => name.trim());
    expect(names.slice(names.indexOf('Backups'), names.indexOf('Backups') + 3)).toEqual(['Backups', 'Spotify', 'Camera']);
    await links.filter({ hasText: 'Spotify' }).click();
    await account().filter({ hasText: 'No Spotify account is connected.' }).waitFor(WAIT);
  });

  it("cancelling on Spotify's page says so, and leads back to the panel", async () => {
    await account().filter({ hasText: 'No Spotify account is connected.' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Connect Spotify' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText("Moodbox: Spotify was not connected: the sign-in was cancelled on Spotify's page").waitFor(WAIT);
    await page.getByRole('link', { name: 'Back to the Spotify page of the admin panel' }).click();
    await account().filter({ hasText: 'No Spotify account is connected.' }).waitFor(WAIT);
    expect((await status()).isConnected).toBe(false);
  });

  it("connects through Spotify's sign-in page and comes back to the panel, still signed in, showing the account and Premium", async () => {
    await account().filter({ hasText: 'No Spotify account is connected.' }).waitFor(WAIT);
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Connect Spotify' }).click();
    // Spotify's page (the fake accounts service), asking for what Moodbox needs.
    await page.getByRole('heading', { name: 'Moodbox would like to' }).waitFor(WAIT);
    expect(new URL(page.url()).host).toBe(new URL(spotify.url).host.replace('127.0.0.1', 'localhost'));
    expect(await page.locator('li').allTextContents()).toContain('user-modify-playback-state');
    await page.getByRole('button', { name: 'Agree' }).click();
    // Back through the box's callback to the panel: no second sign-in.
    await page.waitForURL(`${daemon.url}/admin#spotify`, WAIT);
    await page.locator('[data-account-name]').filter({ hasText: 'Ann' }).waitFor(WAIT);
    expect(await page.locator('[data-premium]').textContent()).toContain('Spotify Premium');
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await status()).toMatchObject({ isConnected: true, account: 'Ann', isPremium: true, source: 'spotify' });
  });

  it('lists the Connect devices, prefers the one named after the box, and remembers a chosen one by name', async () => {
    await device('Kitchen').waitFor(WAIT);
    expect(await device(BOX).textContent()).toContain('named after this box');
    expect(await device(BOX).locator('[data-plays]').count()).toBe(1);
    expect(await page.locator('input[name="device"][value=""]').isChecked()).toBe(true);
    await device('Kitchen').getByRole('radio').check();
    await page.getByRole('status').filter({ hasText: 'Saved: Moodbox plays on Kitchen.' }).waitFor(WAIT);
    await device('Kitchen').locator('[data-plays]').waitFor(WAIT);
    expect(await device(BOX).locator('[data-plays]').count()).toBe(0);
    expect((await status()).device).toBe('Kitchen');
  });

  it('maps a playlist to a mood with its cover, plays it on the chosen device, and keeps the mapping across a reload', async () => {
    await row('Sunday Calm').waitFor(WAIT);
    expect(await page.locator('[data-mapping="none"]').textContent()).toContain('No playlist is mapped');
    // Each cover is the playlist's image, kept on the box, and it loads.
    const covers = await page
      .locator('td.cover img')
      .evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth })));
    expect(covers).toHaveLength(2);
    for (const cover of covers) {
      expect(cover.src).toMatch(/^\/api\/covers\/[0-9a-f]{64}\.png$/);
    }
    await expect
      .poll(() => page.locator('td.cover img').evaluateAll((imgs) => (imgs as HTMLImageElement[]).every((i) => i.naturalWidth > 0)), WAIT)
      .toBe(true);

    await page.getByLabel('Mood for Sunday Calm').selectOption('calm');
    expect(await page.locator('[data-unsaved]').textContent()).toBe('1 unsaved change');
    await page.getByRole('button', { name: 'Save the mapping' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: Sunday Calm.' }).waitFor(WAIT);
    expect(await page.locator('dd[data-mood="calm"]').textContent()).toBe('Sunday Calm');
    // With Spotify chosen as the source, the box now plays the mapped playlist on the chosen device.
    await expect
      .poll(() => spotify.playback, WAIT)
      .toMatchObject({ deviceId: 'kitchen', contextUri: 'spotify:playlist:calm1', isPlaying: true });
    await stateLine().filter({ hasText: 'Connected: Spotify plays the playlists mapped to the room' }).waitFor(WAIT);
    await shot(page, 'admin-spotify');
    expect(await a11yProblems(page)).toEqual([]);

    await page.reload();
    await row('Sunday Calm').waitFor(WAIT);
    expect(await page.getByLabel('Mood for Sunday Calm').inputValue()).toBe('calm');
    expect(await page.getByLabel('Mood for Party').inputValue()).toBe('');
    expect(await page.locator('dd[data-mood="calm"]').textContent()).toBe('Sunday Calm');
    expect(await device('Kitchen').getByRole('radio').isChecked()).toBe(true);
  });

  it('says when the local library plays instead of Spotify and why, then that Spotify recovered', async () => {
    await spotify.goAway();
    const fallback = stateLine().and(page.locator('[data-state="fallback"]'));
    await fallback.waitFor(WAIT);
    expect(words(await fallback.textContent())).toMatch(
      /^Falling back to the local library since .+: Spotify cannot be reached\. Moodbox tries/,
    );
    await shot(page, 'admin-spotify-fallback');
    await spotify.comeBack();
    const recovered = stateLine().and(page.locator('[data-state="recovered"]'));
    await recovered.waitFor(WAIT);
    expect(words(await recovered.textContent())).toMatch(
      /^Recovered: Spotify plays again since .+\. Before, the library played: Spotify cannot be reached\.$/,
    );
    expect((await status()).recovered?.problem).toBe('Spotify cannot be reached');
  });

  it('disconnects: the account is forgotten and Connect is offered again', async () => {
    await page.getByRole('button', { name: 'Disconnect Spotify' }).click();
    await page.getByRole('status').filter({ hasText: 'Spotify is disconnected' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Connect Spotify' }).waitFor(WAIT);
    expect(await status()).toMatchObject({ isConnected: false, account: null });
  });
});

describe('connecting Spotify from a computer that is not the box', { timeout: 180_000 }, () => {
  const spotify = new FakeSpotifyServer();
  let laptop: AdminPage;
  /** Where Spotify sends the browser back: the box's loopback address, which on a laptop is the laptop itself. */
  let callback: string;

  beforeAll(async () => {
    await spotify.listen();
    spotify.addPlaylist('calm1', 'Sunday Calm', [{ id: 't1', name: 'Slow River', artists: ['Ann'], album: 'Water', durationMs: 200_000 }]);
    spotify.addDevice({ id: 'phone', name: 'Phone', type: 'Smartphone', isActive: true });
    const port = await freePort();
    // The daemon listens on 127.0.0.1 only: nothing answers at [::1], as nothing answers at the box's address on a laptop.
    callback = `http://[::1]:${port}/api/spotify/callback`;
    laptop = await adminPage({
      prefix: 'mb-admin-spotify-laptop-',
      view: '#spotify',
      heading: 'Spotify',
      port,
      config: {
        ...TEST_CONFIG,
        site: { kind: 'home' },
        music: { source: 'mixed' },
        spotify: { clientId: spotify.clientId, redirectUri: callback, accountsUrl: spotify.url, apiUrl: spotify.url },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await laptop?.close();
    await spotify.close().catch(() => undefined);
  });

  it('opens Spotify in a new tab and finishes with the address that tab ended on, pasted into the panel', async () => {
    const { page, browser } = laptop;
    const popup = browser.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Connect Spotify' }).click();
    const signIn = await popup;
    const paste = page.getByRole('form', { name: 'Finish connecting Spotify' });
    await paste.waitFor(WAIT);
    expect(await paste.locator('code').textContent()).toBe(callback);
    expect(await a11yProblems(page)).toEqual([]);
    const refused = browser.context.waitForEvent('requestfailed', { predicate: (r) => r.url().startsWith(`${callback}?`), ...WAIT });
    await signIn.getByRole('button', { name: 'Agree' }).click();
    const address = (await refused).url();
    expect(address).toMatch(/[?&]code=[0-9a-f]+/);
    await signIn.close();
    await paste.getByLabel('The address the tab ended on').fill(address);
    await paste.getByRole('button', { name: 'Finish connecting' }).click();
    await page.getByRole('status').filter({ hasText: 'Connected as Ann.' }).waitFor(WAIT);
    await page.locator('tr[data-playlist="Sunday Calm"]').waitFor(WAIT);
    expect(await page.locator('[data-account-name]').textContent()).toBe('Ann');
  });
});

describe('the Spotify page of a business box', { timeout: 180_000 }, () => {
  let business: AdminPage;

  beforeAll(async () => {
    business = await adminPage({
      prefix: 'mb-admin-spotify-business-',
      view: '#spotify',
      heading: 'Spotify is off: this Moodbox plays in a business',
    });
  }, 120_000);

  afterAll(async () => {
    await business?.close();
  });

  it('says why a café plays its local music instead of offering to connect', async () => {
    const page = business.page;
    expect(await page.locator('[data-off="business"]').textContent()).toContain('personal, family use only');
    expect(await page.getByRole('button', { name: 'Connect Spotify' }).count()).toBe(0);
    await shot(page, 'admin-spotify-business');
    expect(await a11yProblems(page)).toEqual([]);
  });
});
