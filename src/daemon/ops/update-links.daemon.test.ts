import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLastUpdate } from './last-update.js';
import { assertRoot, ScratchRoot, SERVICE_USER, serviceUser } from '../testing/scratch-root.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const UPDATE = join(REPO, 'scripts', 'update.sh');
const roots: ScratchRoot[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

/** Owner, group, mode and content of a file, or of a folder and its entries: what a planted link must not change. */
function snapshot(path: string): { uid: number; gid: number; mode: number; content: string } {
  const stat = statSync(path);
  const content = stat.isDirectory()
    ? readdirSync(path)
        .map((name) => `${name}: ${readFileSync(join(path, name), 'utf8')}`)
        .join('\n')
    : readFileSync(path, 'utf8');
  return { uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777, content };
}

/**
 * A scratch box: root's victims (a folder, like /etc/systemd/system, and a file), the service
 * user's state folder with a real database in it, and the update's configuration. `plant` puts a
 * link in the state folder as the service user would; `run` sources scripts/update.sh and runs
 * SCRIPT (its steps) as root with the box's folders in place of the appliance's.
 */
function box() {
  const scratch = ScratchRoot.make('moodbox-update-links-');
  roots.push(scratch);
  const root = scratch.root;
  const victimDir = join(root, 'victim');
  mkdirSync(victimDir, { mode: 0o755 });
  writeFileSync(join(victimDir, 'moodbox.service'), '[Service]\nUser=root\n', { mode: 0o644 });
  const victimFile = join(root, 'victim-file');
  writeFileSync(victimFile, 'precious\n', { mode: 0o600 });
  const { state } = scratch.stateFolder();
  const config = join(root, 'config.json');
  writeFileSync(config, '{}\n', { mode: 0o644 });
  const updates = join(root, 'updates');
  return {
    root,
    state,
    updates,
    victimDir,
    victimFile,
    plant: (name: string, target: string): void => {
      symlinkSync(target, join(state, name));
      scratch.own(join(state, name));
    },
    run: (script: string): { status: number | null; stdout: string; stderr: string } => {
      const result = spawnSync(
        'bash',
        [
          '-c',
          `source "$1"; state="$2" user="$3" updates="$4" config="$5"; ${script}`,
          'steps',
          UPDATE,
          state,
          SERVICE_USER,
          updates,
          config,
        ],
        { encoding: 'utf8', cwd: REPO },
      );
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}

// The update runs as root (`sudo scripts/setup.sh update`), and so must its steps here.
describe("the update's steps in the service user's state folder (as root)", () => {
  beforeAll(() => assertRoot('sudo scripts/setup.sh update'));

  it('follow none of the links planted there: the backup stops at what the user may write, and the record goes to root’s folder', () => {
    const { state, updates, victimDir, victimFile, plant, run } = box();
    const before = { dir: snapshot(victimDir), file: snapshot(victimFile) };
    plant('backups', victimDir);
    plant('last-update.json.part', victimFile);
    plant('last-update.json', victimFile);

    const result = run(`if back_up_database "${REPO}"; then echo "backed up to $backup"; else echo refused; fi
      remember failed 1.3.0 1.4.0 "links were planted"`);
    // The victims are as they were: no folder handed to the service user, no file written through a link.
    expect(snapshot(victimDir)).toEqual(before.dir);
    expect(snapshot(victimFile)).toEqual(before.file);
    // The backup was tried as the user, who may not write into root's folder: the update stops there.
    expect(result.stderr).toContain('backing up the database');
    expect(result.stdout.trim()).toBe('refused');
    expect(result.status).toBe(0);
    // The record is root's, in root's folder, and the daemon reads it from there.
    const record = lstatSync(join(updates, 'last-update.json'));
    expect(record.isFile()).toBe(true);
    expect([record.uid, record.mode & 0o7777]).toEqual([0, 0o644]);
    expect([statSync(updates).uid, statSync(updates).mode & 0o7777]).toEqual([0, 0o755]);
    expect(existsSync(join(updates, 'last-update.json.part'))).toBe(false);
    expect(readLastUpdate(updates)).toMatchObject({ result: 'failed', from: '1.3.0', to: '1.4.0', reason: 'links were planted' });
    // The links where older versions kept the record are gone (removed as the user), their target kept.
    for (const name of ['last-update.json', 'last-update.json.part']) expect(() => lstatSync(join(state, name))).toThrow();
    expect(readFileSync(victimFile, 'utf8')).toBe('precious\n');
  });

  it('back the database up as the service user when nothing was planted: the copy and its folder are that user’s', () => {
    const { state, updates, run } = box();
    const { uid } = serviceUser();
    const result = run(`back_up_database "${REPO}" && echo "$backup"; remember ok 1.3.0 1.4.0 ""`);
    expect(result.status).toBe(0);
    const copy = result.stdout.trim();
    expect(copy).toMatch(new RegExp(`^${state}/backups/before-update-\\d{8}T\\d{6}Z\\.db$`));
    expect(statSync(join(state, 'backups')).uid).toBe(uid);
    expect(statSync(copy).uid).toBe(uid);
    const db = new Database(copy, { readonly: true });
    expect(db.prepare('SELECT title FROM songs').all()).toEqual([{ title: 'one' }]);
    db.close();
    expect(readLastUpdate(updates)).toMatchObject({ result: 'ok', from: '1.3.0', to: '1.4.0' });
  });
});
