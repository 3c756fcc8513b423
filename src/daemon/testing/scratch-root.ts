import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../config/paths.js';

/**
 * The service user of a scratch root, in place of `moodbox`: an unprivileged user every Debian
 * has. What the box's scripts run as the service user runs as it, with its rights and no more.
 */
export const SERVICE_USER = 'nobody';

/** The service user's ids and group, as `id` says them. */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
  /** Its group's name (the unit's `Group=`). */
  group: string;
}

let known: ServiceUser | undefined;

export function serviceUser(): ServiceUser {
  if (known !== undefined) return known;
  const id = (flag: string): string => spawnSync('id', [flag, SERVICE_USER], { encoding: 'utf8' }).stdout.trim();
  known = { name: SERVICE_USER, uid: Number(id('-u')), gid: Number(id('-g')), group: id('-gn') };
  return known;
}

/**
 * Throws unless the tests run as root, as `how` (`sudo scripts/setup.sh update`) does: a missing
 * capability fails the run, as a missing tool does; nothing is skipped.
 */
export function assertRoot(how: string): void {
  if (process.getuid?.() !== 0) throw new Error(`Expected to run as root, as \`${how}\` does (CI does): run the suite as root`);
}

/** `value` quoted for bash. */
export const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/**
 * Stand-ins for the system's folders: /etc/systemd/system, /etc/udev/rules.d, /usr/local/libexec
 * (the `moodbox` command goes beside it, in `usr-local/bin`) and /run/systemd/system, which is
 * there only on a box that systemd runs.
 */
export interface SystemFolders {
  units: string;
  rules: string;
  libexec: string;
  run: string;
}

/**
 * A box's root in a scratch folder, for the scripts that install and update it as root: the
 * service user's folders (owned by `nobody`), root's, and the system's. Open to everyone to enter
 * (0755), as / is, so that the service user reaches its own folders in it. `remove()` takes it away.
 *
 *   const box = ScratchRoot.make('moodbox-update-');
 *   const { state, db } = box.stateFolder();
 *   const system = box.systemFolders({ isSystemd: true });
 */
export class ScratchRoot {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** A new one in the temporary folder, its name starting with `prefix`. */
  static make(prefix: string): ScratchRoot {
    const root = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(root, 0o755);
    return new ScratchRoot(root);
  }

  /** A path in it. */
  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  /** Hands `path` to the service user, as the user would have made it (a link itself, not what it points to). */
  own(path: string): void {
    const { uid, gid } = serviceUser();
    lchownSync(path, uid, gid);
  }

  /** A folder `name` of the service user's, with `mode`. */
  userFolder(name: string, mode = 0o750): string {
    const dir = this.path(name);
    mkdirSync(dir, { mode });
    chmodSync(dir, mode);
    const { uid, gid } = serviceUser();
    chownSync(dir, uid, gid);
    return dir;
  }

  /** The service user's state folder `state` with its database `moodbox.db`, a real SQLite file holding one song (`one`). */
  stateFolder(): { state: string; db: string } {
    const state = this.userFolder('state');
    const db = join(state, DATABASE_FILE);
    const database = new Database(db);
    database.exec("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('one')");
    database.close();
    this.own(db);
    return { state, db };
  }

  /** The system's folders, root's; `isSystemd`: the box runs under systemd (`run` is made). */
  systemFolders(options: { isSystemd: boolean }): SystemFolders {
    const system = {
      units: this.path('etc-systemd-system'),
      rules: this.path('etc-udev-rules.d'),
      libexec: this.path('usr-local', 'libexec'),
      run: this.path('run-systemd-system'),
    };
    for (const dir of [system.units, system.rules, system.libexec]) mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (options.isSystemd) mkdirSync(system.run, { mode: 0o755 });
    return system;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
