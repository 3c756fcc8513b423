import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminPage, type Daemon, PASSPHRASE, WAIT, a11yProblems, adminPage, freePort, signInToAdmin, startDaemon } from './harness.js';

// Issue 82: after a restore the owner signed in again and landed on the Dashboard with no word of
// what was restored; the "Restore people too" box sat away from its words. The box is beside its
// words, and where the owner lands the dashboard says what was restored, until put away.

describe('a restore, from the yes to where the owner lands', { timeout: 300_000 }, () => {
  let admin: AdminPage;
  let port: number;
  /** The daemon started again after the restore, as its service manager would. */
  let again: Daemon | undefined;

  beforeAll(async () => {
    port = await freePort();
    admin = await adminPage({ prefix: 'mb-admin-restore-landing-', port, view: '#backups', heading: 'Backups' });
  }, 120_000);

  afterAll(async () => {
    await again?.stop();
    await admin?.close();
  });

  it('keeps "Restore people too" beside its box, and says on the dashboard what was restored', async () => {
    const { page, daemon } = admin;
    await page.getByRole('button', { name: 'Back up now' }).click();
    const row = page.locator('mb-admin-backups tr[data-kind="manual"]');
    await row.waitFor(WAIT);
    await row.getByRole('button', { name: /^Restore/ }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor(WAIT);

    // The box and its words on one line, side by side.
    const box = confirm.getByRole('checkbox', { name: /people/i });
    const { boxRect, textRect } = await box.evaluate((input) => {
      const label = input.closest('label');
      const text = [...(label?.childNodes ?? [])].find((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      const range = document.createRange();
      if (text !== undefined) range.selectNodeContents(text);
      const r = input.getBoundingClientRect();
      const t = range.getClientRects()[0] ?? range.getBoundingClientRect();
      return {
        boxRect: { left: r.left, right: r.right, top: r.top, bottom: r.bottom },
        textRect: { left: t.left, top: t.top, bottom: t.bottom },
      };
    });
    expect(textRect.left - boxRect.right).toBeGreaterThanOrEqual(0);
    expect(textRect.left - boxRect.right).toBeLessThan(20);
    expect(Math.abs((boxRect.top + boxRect.bottom) / 2 - (textRect.top + textRect.bottom) / 2)).toBeLessThan(12);
    expect(await a11yProblems(page)).toEqual([]);

    await confirm.getByRole('button', { name: 'Restore and restart' }).click();
    // The daemon stops with the code its service manager restarts on; the test starts it again as systemd would.
    expect((await daemon.exited).code).toBe(75);
    again = await startDaemon(daemon.dataDir, { port });

    // Signed out by the restore, the owner signs in again where the panel opens: the dashboard.
    await signInToAdmin(page, `${again.url}/admin`, 'Root', PASSPHRASE, 'Music controls');
    const note = page.locator('mb-admin-dashboard [data-restore-note]');
    await note.waitFor(WAIT);
    expect(await note.textContent()).toMatch(/Restored the backup of \S/);
    expect(await note.textContent()).toContain('The data it replaced is kept in Backups as “Replaced by a restore”');
    expect(await note.textContent()).toContain('Everyone was signed out.');
    expect(await a11yProblems(page)).toEqual([]);

    // Put away, it stays away on this browser.
    await note.getByRole('button', { name: 'Got it' }).click();
    await note.waitFor({ state: 'detached', ...WAIT });
    await page.reload();
    await page.locator('mb-admin-dashboard mb-staff-controls').waitFor(WAIT);
    await page.locator('mb-admin-dashboard [data-faces-by-emotion], mb-admin-dashboard [data-room-mood]').first().waitFor(WAIT);
    expect(await note.count()).toBe(0);
  });
});
