import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { DATABASE_FILE, PENDING_RESTORE } from './backups.js';
import { stageRestore } from './restore-stage.js';
import { openSqliteStore } from '../store/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data folder, and a backup of a database with `songs` songs beside it. */
function setup(songs: number): { dir: string; backup: string } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-restore-check-'));
  dirs.push(dir);
  const backup = join(dir, 'moodbox-backup.db');
  const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: backup });
  store.transaction(() => {
    for (let i = 0; i < songs; i++) store.tracks.upsert({ uri: `/music/${i}.ogg`, title: `Song ${i}`, artist: 'Band', durationMs: 1000 });
  });
  store.close();
  return { dir, backup };
}

const meta = { from: 'moodbox-backup.db', by: 'admin:1', at: 0, people: false };

describe('readying a restore (issue 59)', () => {
  it('checks the backup in a child process: the event loop turns while it is read, and the restore waits for the next start', async () => {
    const { dir, backup } = setup(2000);
    let turned = false;
    const staged = stageRestore(dir, backup, meta).then(() => turned);
    // Queued after the staging began: it runs before the staging ends, because the check does not hold the loop.
    setImmediate(() => (turned = true));
    expect(await staged).toBe(true);
    expect(existsSync(join(dir, PENDING_RESTORE))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'restore-pending.json'), 'utf8'))).toMatchObject({ from: 'moodbox-backup.db', by: 'admin:1' });
  });

  it('refuses a file that is not a Moodbox database with the reason, and leaves nothing waiting', async () => {
    const { dir } = setup(1);
    const bad = join(dir, 'not-a-backup.db');
    writeFileSync(bad, Buffer.alloc(8192, 7));
    await expect(stageRestore(dir, bad, { ...meta, from: 'not-a-backup.db' })).rejects.toMatchObject({
      code: 'MB_ERR_STORE_RESTORE',
      message: expect.stringContaining('not-a-backup.db cannot be read as a SQLite database'),
    });
    expect(readdirSync(dir).filter((name) => name.startsWith('restore-pending'))).toEqual([]);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(false);
  });
});
