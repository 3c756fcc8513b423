import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkVersion } from './doctor-version.js';
import { LAST_UPDATE_FILE, lastUpdateService, UPDATE_DIR } from './last-update.js';

const data = mkdtempSync(join(tmpdir(), 'moodbox-doctor-version-'));
const updates = mkdtempSync(join(tmpdir(), 'moodbox-updates-'));
const install = mkdtempSync(join(tmpdir(), 'moodbox-install-'));
afterAll(() => {
  for (const dir of [data, updates, install]) rmSync(dir, { recursive: true, force: true });
});
const record = (value: unknown, dir = updates): void =>
  writeFileSync(join(dir, LAST_UPDATE_FILE), typeof value === 'string' ? value : JSON.stringify(value));

describe("moodbox doctor's version line", () => {
  it('names the version and the folder, and says whether the last update went well or was rolled back, and why', () => {
    expect(checkVersion('1.4.0', install, updates)).toEqual({
      name: 'version',
      status: 'ok',
      message: `Moodbox 1.4.0 in ${install}; no update since it was installed`,
    });
    record({ at: '2026-11-28T01:02:03.000Z', result: 'ok', from: '1.3.0 (abc1234)', to: '1.4.0 (def5678)', reason: '' });
    expect(checkVersion('1.4.0', install, updates)).toMatchObject({
      status: 'ok',
      message: `Moodbox 1.4.0 in ${install}; the update from 1.3.0 (abc1234) to 1.4.0 (def5678) on 2026-11-28 01:02 UTC went well`,
    });
    record({
      at: '2026-11-28T02:00:00.000Z',
      result: 'rolled-back',
      from: '1.4.0 (def5678)',
      to: '1.5.0 (0a1b2c3)',
      reason: '1.5.0 (0a1b2c3) did not answer /api/health within 60 s',
    });
    const rolledBack = checkVersion('1.4.0', install, updates);
    expect(rolledBack.status).toBe('warn');
    expect(rolledBack.message).toMatch(/was rolled back: 1\.5\.0 \(0a1b2c3\) did not answer \/api\/health within 60 s$/);
    expect(rolledBack.fix).toContain('setup.sh update');
  });

  it('says, after a rollback whose restore failed, that the database is as the failed version left it, and how to put the copy back', () => {
    const backup = '/var/lib/moodbox/backups/before-update-20261128T020000Z.db';
    const error = `moodbox: cannot restore ${backup}: ${backup} cannot be read as a SQLite database: file is not a database`;
    record({
      at: '2026-11-28T02:00:00.000Z',
      result: 'rolled-back',
      from: '1.4.0',
      to: '1.5.0',
      reason: `1.5.0 did not answer /api/health within 60 s; the database from before the update could not be put back from ${backup} (${error}): it is as 1.5.0 left it`,
      restore: { result: 'failed', backup, error },
    });
    const check = checkVersion('1.4.0', install, updates);
    expect(check.status).toBe('warn');
    expect(check.message).toContain('was rolled back: 1.5.0 did not answer /api/health within 60 s; the database from before the update');
    expect(check.fix).toContain('with the database as 1.5.0 left it');
    expect(check.fix).toContain(error);
    // With the command install put on the PATH, which runs as the service user with its settings.
    expect(check.fix).toContain(`\`moodbox restore ${backup}\``);
    expect(check.fix).not.toContain('dist/daemon/cli.js');
    expect(check.fix).toContain('setup.sh update');
  });

  it('warns about a record it cannot read rather than trusting it', () => {
    for (const bad of [
      '{ not json',
      { at: 1, result: 'ok', from: 'a', to: 'b', reason: '' },
      { at: 'x', result: 'maybe', from: 'a', to: 'b', reason: '' },
      { at: 'x', result: 'rolled-back', from: 'a', to: 'b', reason: '', restore: 'failed' },
      { at: 'x', result: 'rolled-back', from: 'a', to: 'b', reason: '', restore: { result: 'failed', backup: 1, error: '' } },
      { at: 'x', result: 'rolled-back', from: 'a', to: 'b', reason: '', restore: { result: 'ok', backup: 'b', error: '' } },
    ]) {
      record(bad);
      expect(checkVersion('1.4.0', install, updates)).toMatchObject({
        status: 'warn',
        message: expect.stringContaining('unreadable'),
      });
    }
  });

  it("reads the record from root's update folder only, never from the data folder, which the service user writes", async () => {
    rmSync(join(updates, LAST_UPDATE_FILE), { force: true });
    record({ at: '2026-11-28T01:02:03.000Z', result: 'failed', from: '1.3.0', to: '1.4.0', reason: 'planted' }, data);
    expect(checkVersion('1.4.0', install, updates)).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('no update since it was installed'),
    });
    const service = lastUpdateService(updates);
    await service.start(new AbortController().signal);
    expect(service.health?.()).toMatchObject({ status: 'ready', detail: 'no update since it was installed' });
    expect(UPDATE_DIR).toBe('/var/lib/moodbox-update');
  });
});

describe("the Health card's update line", () => {
  const healthAfterStart = async (): Promise<unknown> => {
    const service = lastUpdateService(updates);
    await service.start(new AbortController().signal);
    return service.health?.();
  };

  it('says how the last update went, as read when Moodbox started: a rollback needs attention, with its reason and what to do', async () => {
    rmSync(join(updates, LAST_UPDATE_FILE), { force: true });
    expect(await healthAfterStart()).toMatchObject({ status: 'ready', detail: 'no update since it was installed' });
    record({ at: '2026-11-28T01:02:03.000Z', result: 'ok', from: '1.3.0 (abc1234)', to: '1.4.0 (def5678)', reason: '' });
    expect(await healthAfterStart()).toMatchObject({
      status: 'ready',
      detail: 'the update from 1.3.0 (abc1234) to 1.4.0 (def5678) on 2026-11-28 01:02 UTC went well',
    });
    record({ at: '2026-11-28T02:00:00.000Z', result: 'failed', from: '1.4.0', to: '1.5.0', reason: 'npm ci failed: no network' });
    expect(await healthAfterStart()).toMatchObject({
      status: 'degraded',
      detail: expect.stringMatching(
        /^the update from 1\.4\.0 to 1\.5\.0 on 2026-11-28 02:00 UTC failed: npm ci failed: no network; .*setup\.sh update/,
      ),
    });
    record({
      at: '2026-11-28T03:00:00.000Z',
      result: 'rolled-back',
      from: '1.4.0',
      to: '1.5.0',
      reason:
        '1.5.0 did not answer /api/health within 60 s; the database from before the update could not be put back from /b.db (broken): it is as 1.5.0 left it',
      restore: { result: 'failed', backup: '/b.db', error: 'broken' },
    });
    expect(await healthAfterStart()).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining(
        'was rolled back: 1.5.0 did not answer /api/health within 60 s; the database from before the update could not be put back',
      ),
    });
    record('{ not json');
    expect(await healthAfterStart()).toMatchObject({ status: 'degraded', detail: expect.stringContaining('cannot be read') });
  });
});
