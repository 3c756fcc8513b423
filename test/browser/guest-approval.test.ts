// Requests the staff approve (issue 40): a guest on a 320 px phone asks for a song and is told it
// waits for the staff; the owner, on a 390 px phone, approves it on the Guests page; the guest's
// page says it is next. End to end against the built daemon (its guest service, director, mpv into
// the null output).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  TEST_CONFIG,
  WAIT,
  addUser,
  assertBuilt,
  launchBrowser,
  shot,
  signInToAdmin,
  startDaemon,
  tempDir,
} from './harness.js';
import type { GuestState } from '../../src/daemon/http/contract.js';
import { asStaff } from './kiosk-daemon.js';
import { smallTargets, smallText } from './phone-checks.js';

describe('guests’ requests that the staff approve', { timeout: 300_000 }, () => {
  const data = tempDir('mb-guest-approval-');
  let daemon: Daemon;
  let guest: Browser;
  let owner: Browser;

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    daemon = await startDaemon(data.path, { config: { ...TEST_CONFIG, guests: { requests: 'on', approval: 'staff' } } });
    guest = await launchBrowser({ width: 320, height: 640 }, [], { hasTouch: true });
    owner = await launchBrowser({ width: 390, height: 844 }, [], { hasTouch: true });
  }, 120_000);

  afterAll(async () => {
    for (const browser of [guest, owner]) await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('holds a request until the owner says yes from a phone, then tells the guest it is next', async () => {
    const phone = guest.page;
    await phone.goto(`${daemon.url}/guest`);
    const ask = phone.getByRole('region', { name: 'Ask for a song' });
    await ask.locator('.tile').first().waitFor(WAIT);
    const title = (await ask.locator('.tile .t').first().textContent())?.trim() ?? '';
    await ask.locator('.tile').first().tap();
    const mine = phone.getByRole('region', { name: 'Your requests' });
    const request = mine.locator('li').filter({ hasText: title });
    await request.filter({ hasText: 'Waiting for the staff to say yes' }).waitFor(WAIT);
    expect(await request.getAttribute('data-status')).toBe('waiting');
    await shot(phone, 'guest-approval-waiting');

    const admin = owner.page;
    await signInToAdmin(admin, `${daemon.url}/admin#guests`, 'Root', PASSPHRASE);
    await admin.getByRole('heading', { name: 'Guests', exact: true }).waitFor(WAIT);
    const card = admin.locator('mb-guest-requests');
    await card.locator('[data-approval]').waitFor(WAIT);
    const approve = card.getByRole('button', { name: `Approve “${title}”` });
    await approve.waitFor(WAIT);
    expect(await card.locator('li[data-status="waiting"]').filter({ hasText: title }).textContent()).toContain('Waiting for your yes');
    // On every admin page, a badge counts the requests waiting for staff: on a phone, on the Menu button (issue 58).
    await admin.getByRole('button', { name: /^Menu\W+1 request waits for your yes$/ }).waitFor(WAIT);
    expect(await admin.locator('nav a[href="#guests"] [data-waiting]').textContent()).toBe('1');
    expect(await smallText(admin)).toEqual([]);
    expect(await smallTargets(admin)).toEqual([]);
    await shot(admin, 'admin-phone-guest-approval');
    await approve.tap();
    await card.locator('li[data-status="queued"]').filter({ hasText: title }).waitFor(WAIT);
    await admin.getByRole('button', { name: 'Menu', exact: true }).waitFor(WAIT);

    await phone
      .locator('[data-notice]')
      .filter({ hasText: `Your song “${title}” is next.` })
      .waitFor(WAIT);
    await mine.locator('li[data-status="queued"]').filter({ hasText: title }).waitFor(WAIT);

    // Taken back, the song is no longer next: the page stops saying it is (issue 58).
    await mine.getByRole('button', { name: `Take back ${title}` }).tap();
    await mine.locator('li[data-status="cancelled"]').filter({ hasText: title }).waitFor(WAIT);
    await phone
      .locator('[data-notice]')
      .filter({ hasText: 'is next' })
      .waitFor({ state: 'detached', ...WAIT });
  });

  it('shows a request waiting for the staff in nobody’s up next; declined, it says so and the guest has it back (issue 58)', async () => {
    const phone = guest.page;
    const left = phone.locator('[data-left]');
    const before = ((await left.textContent()) ?? '').trim();
    const ask = phone.getByRole('region', { name: 'Ask for a song' });
    await ask.locator('.tile').first().waitFor(WAIT);
    const title = (await ask.locator('.tile .t').first().textContent())?.trim() ?? '';
    await ask.locator('.tile').first().tap();
    const mine = phone.getByRole('region', { name: 'Your requests' });
    await mine
      .locator('li[data-status="waiting"]')
      .filter({ hasText: 'Waiting for the staff to say yes' })
      .filter({ hasText: title })
      .waitFor(WAIT);
    await left.filter({ hasNotText: before }).waitFor(WAIT);
    expect(await phone.getByRole('region', { name: 'Up next' }).textContent()).not.toContain(title);

    const card = owner.page.locator('mb-guest-requests');
    await owner.page
      .locator('nav a[href="#guests"] [data-waiting]')
      .filter({ hasText: '1' })
      .waitFor({ state: 'attached', ...WAIT });
    await card.getByRole('button', { name: `Decline “${title}”` }).tap();
    await owner.page
      .locator('[data-waiting]')
      .first()
      .waitFor({ state: 'detached', ...WAIT });
    await phone
      .locator('[data-notice]')
      .filter({ hasText: `Your song “${title}” was declined: the staff said no to it.` })
      .waitFor(WAIT);
    const declined = mine.locator('li[data-status="declined"]').filter({ hasText: title });
    expect(await declined.textContent()).toContain('The staff said no to it');
    expect(await declined.textContent()).not.toContain('Cleared by staff');
    await left.filter({ hasText: before }).waitFor(WAIT);
  });

  /** The guest phone's own view, as the daemon gives it to this phone (its cookie). */
  const phoneView = (): Promise<GuestState> =>
    guest.page.evaluate(async () => (await (await fetch('/api/guest/state')).json()) as GuestState);

  it('says an approved request waits for the mood, not for the staff, when its song is only near the mood', async () => {
    const phone = guest.page;
    await phone.goto(`${daemon.url}/guest`);
    // With no camera the music follows the default mood, calm: an uplifting song is near it, and waits for it.
    const ask = phone.getByRole('region', { name: 'Ask for a song' });
    await ask.getByRole('searchbox').fill('Kite Season');
    await ask.getByRole('searchbox').press('Enter');
    await ask.getByRole('button', { name: /^Kite Season/ }).tap();
    const mine = phone.getByRole('region', { name: 'Your requests' });
    const line = mine.locator('li[data-status="waiting"]').filter({ hasText: 'Kite Season' });
    await line.filter({ hasText: 'Waiting for the staff to say yes' }).waitFor(WAIT);
    expect(await line.locator('.status').textContent()).toBe('Waiting for the staff');
    const view = await phoneView();
    const request = view.me.requests.find((r) => r.track.title === 'Kite Season' && r.status === 'waiting');
    if (request === undefined) throw new Error('Expected the phone to have its request waiting for the staff');
    expect(request.awaitingApproval).toBe(true);
    try {
      // The staff say yes: from now on it waits for the room's mood alone, and says so.
      await asStaff(daemon, 'POST', `/api/admin/guests/requests/${request.id}/approve`);
      await line.locator('.status').filter({ hasText: 'Waiting for the mood' }).waitFor(WAIT);
      expect(await line.textContent()).not.toContain('staff');
      const now = await phoneView();
      expect(now.me.requests.find((r) => r.id === request.id)).toMatchObject({ status: 'waiting', awaitingApproval: false });
    } finally {
      // The guest takes it back, as the page does.
      await phone.evaluate(async (id) => void (await fetch(`/api/guest/requests/${id}`, { method: 'DELETE' })), request.id);
    }
  });
});
