import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type Daemon,
  PASSPHRASE,
  WAIT,
  addUser,
  assertBuilt,
  freePort,
  launchBrowser,
  shot,
  signInToAdmin,
  startDaemon,
  tempDir,
} from './harness.js';
import { smallTargets, smallText } from './phone-checks.js';

// Backups in the admin panel on a phone (issue 40): back up now, the list with sizes, a download,
// an upload checked before it is kept, and a restore (confirm, stop, swap, start) that keeps the
// database it replaces. The test plays the service manager: the daemon exits to restart, and the
// test starts it again on the same data directory and port, as systemd does.

const PHONE = { width: 390, height: 844 } as const;
/** The account names in a database file, read as a second program would. */
function userNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM users ORDER BY id').all() as Array<{ name: string }>).map((row) => row.name);
  } finally {
    db.close();
  }
}

/** The song titles in a database file, read as a second program would. */
function trackTitles(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT title FROM tracks ORDER BY id').all() as Array<{ title: string }>).map((row) => row.title);
  } finally {
    db.close();
  }
}

/** Adds a song to the library in `file`, as a scan would have (the daemon runs on it: WAL, a second writer). */
function addTrack(file: string, title: string): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare("INSERT INTO tracks (source, uri, title, added_at, updated_at) VALUES ('local', ?, ?, 0, 0)").run(
      `/late/${title}.ogg`,
      title,
    );
  } finally {
    db.close();
  }
}

describe('backups in the admin panel on a phone', { timeout: 300_000 }, () => {
  const data = tempDir('mb-admin-backups-');
  let port: number;
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;
  const row = (kind: string) => page.locator(`mb-admin-backups tr[data-kind="${kind}"]`);

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    port = await freePort();
    daemon = await startDaemon(data.path, { port });
    browser = await launchBrowser(PHONE, [], { hasTouch: true });
    page = browser.page;
    await signInToAdmin(page, `${daemon.url}/admin#backups`, 'Root', PASSPHRASE, 'Backups');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  });

  it('says there is no backup yet instead of a download that fails, and backs up now with its size', async () => {
    await page.locator('mb-admin-backups [data-empty]').filter({ hasText: 'No backups yet' }).waitFor(WAIT);
    expect(await page.locator('mb-admin-backups [data-action="download-latest"]').count()).toBe(0);
    await shot(page, 'admin-backups-empty');

    await page.getByRole('button', { name: 'Back up now' }).tap();
    await page.locator('mb-admin-backups [data-result]').filter({ hasText: 'Backed up:' }).waitFor(WAIT);
    await row('manual').waitFor(WAIT);
    expect(await row('manual').locator('[data-size]').textContent()).toMatch(/^\d+(\.\d)? (KB|MB)$/);
    expect(await row('manual').textContent()).toContain('Backed up by hand');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row('manual')
        .getByRole('link', { name: /Download/ })
        .tap(),
    ]);
    const bytes = readFileSync((await download.path()) ?? '');
    expect(bytes.subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(download.suggestedFilename()).toMatch(/^moodbox-\d{8}T\d{6}Z\.db$/);
    expect(await page.locator('mb-admin-backups [data-action="download-latest"]').isVisible()).toBe(true);
    await shot(page, 'admin-backups-list');
    expect(await smallText(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
  });

  it('refuses an uploaded file that would not restore, saying why at the field, and keeps one that would', async () => {
    const input = page.getByLabel('Add a backup from this device');
    await input.setInputFiles({ name: 'notes.db', mimeType: 'application/octet-stream', buffer: Buffer.from('shopping: milk, coffee') });
    const problem = page.locator('mb-admin-backups #upload-error');
    await problem.filter({ hasText: 'notes.db cannot be restored, so it was not kept' }).waitFor(WAIT);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('mb-admin-backups tr[data-backup]').count()).toBe(1);
    await shot(page, 'admin-backups-upload-refused');

    const copy = readFileSync(join(data.path, 'backups', readdirSync(join(data.path, 'backups')).find((f) => f.endsWith('.db')) ?? ''));
    await input.setInputFiles({ name: 'from-the-office.db', mimeType: 'application/vnd.sqlite3', buffer: copy });
    await page.locator('mb-admin-backups [data-result]').filter({ hasText: 'Added from-the-office.db' }).waitFor(WAIT);
    await row('uploaded').waitFor(WAIT);
    expect(await problem.count()).toBe(0);
  });

  it('restores a backup after a yes: Moodbox stops, swaps it in and starts again, and the data it replaced is kept', async () => {
    // Added after the backup: a song, which the restore takes back, and a person, who stays (today's
    // people are kept unless the admin asks for the backup's); the kept database has both.
    addUser(data.path, 'Late Arrival', 'member', '2468');
    addTrack(join(data.path, 'moodbox.db'), 'Late Song');
    const manual = await row('manual').getAttribute('data-backup');

    await row('manual')
      .getByRole('button', { name: /^Restore/ })
      .tap();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor(WAIT);
    expect(await confirm.textContent()).toContain('What Moodbox holds now is not lost');
    // Issue 82: restoring people removes anyone added since the backup (here Late Arrival); the box says so first.
    expect(await confirm.textContent()).toContain('as they were in the backup, and anyone added since the backup is removed.');
    await shot(page, 'admin-backups-confirm');
    // "Cancel" changes nothing.
    await confirm.getByRole('button', { name: 'Cancel' }).tap();
    await confirm.waitFor({ state: 'detached', ...WAIT });
    expect(userNames(join(data.path, 'moodbox.db'))).toContain('Late Arrival');

    await row('manual')
      .getByRole('button', { name: /^Restore/ })
      .tap();
    await page.getByRole('button', { name: 'Restore and restart' }).tap();
    await page.locator('mb-admin-backups [data-restoring]').filter({ hasText: 'Moodbox is restarting' }).waitFor(WAIT);
    await shot(page, 'admin-backups-restarting');
    // The daemon stops with the code its service manager restarts on; the test starts it again as systemd would.
    expect((await daemon.exited).code).toBe(75);
    // While Moodbox is away, the bar at the top of the page says the link is down, not what played as if live.
    const linkDown = page.locator('mb-staff-controls[compact] [data-link-down]');
    await linkDown.waitFor(WAIT);
    expect(await linkDown.textContent()).toBe('Live link to the daemon is down; reconnecting…');
    daemon = await startDaemon(data.path, { port });

    // A restore signs everyone out: the page asks to sign in again, then says what was restored.
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
    await signInToAdmin(page, `${daemon.url}/admin#backups`, 'Root', PASSPHRASE, 'Backups');
    const restored = page.locator('mb-admin-backups [data-restored]');
    await restored.waitFor({ timeout: 60_000 });
    expect(await restored.getAttribute('data-restored')).toBe(manual);
    expect(await restored.textContent()).toMatch(/Restored the backup of \S/);
    expect(await restored.textContent()).toContain('Everyone was signed out. Accounts, PINs, passphrases and cards stayed as they were.');
    await row('before-restore').waitFor(WAIT);
    expect(await row('before-restore').textContent()).toContain('Replaced by a restore');
    await shot(page, 'admin-backups-restored');
    // Back, the bar is live again.
    await linkDown.waitFor({ state: 'detached', ...WAIT });
    await page.locator('mb-staff-controls[compact] .now').waitFor(WAIT);

    expect(trackTitles(join(data.path, 'moodbox.db'))).not.toContain('Late Song');
    expect(userNames(join(data.path, 'moodbox.db'))).toContain('Late Arrival');
    const kept = readdirSync(data.path).filter((name) => /^moodbox-before-restore-.*\.db$/.test(name));
    expect(kept).toHaveLength(1);
    expect(userNames(join(data.path, kept[0] ?? ''))).toContain('Late Arrival');
    expect(trackTitles(join(data.path, kept[0] ?? ''))).toContain('Late Song');
    // Who asked, from the panel, is in the restored database's audit log.
    const audit = await page.request.get(`${daemon.url}/api/admin/audit?limit=10`);
    const actions = ((await audit.json()) as { items: Array<{ action: string; target: string }> }).items;
    expect(actions).toContainEqual(expect.objectContaining({ action: 'backup.restored', target: manual }));
  });
});
