import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRoot, ScratchRoot, SERVICE_USER, serviceUser, shellQuote as quote } from '../testing/scratch-root.js';

// The `moodbox` command an installed box has on its PATH (systemd/moodbox-command.sh), installed
// by scripts/system-files.sh as `setup.sh install` and `update` install it, into a scratch box's
// folders, and run as root, as the service user and as anyone else. Its settings come from the
// installed unit: the test's unit is the repository's with `nobody` as the service user and, in
// place of node, a stand-in that says who ran it, where, with what, and exits with the code it is
// given (`--exit=N`).

const REPO = join(import.meta.dirname, '..', '..', '..');
/** A user who is neither root nor the service user, with no name on this machine. */
const SOMEONE = 54321;

/** What the stand-in for node saw. */
interface Seen {
  uid: number;
  gid: number;
  groups: number[];
  cwd: string;
  /** The program it was given (the unit's cli.js), then the arguments. */
  argv: string[];
  env: Record<string, string>;
  /** Whether it could read each argument that names a file. */
  readable: Record<string, boolean>;
}

const scratch = ScratchRoot.make('moodbox-command-');
const root = scratch.root;
const prefix = join(root, 'prefix');
/** The system's folders; systemd does not run this box. */
const system = scratch.systemFolders({ isSystemd: false });
const command = join(root, 'usr-local', 'bin', 'moodbox');
/** The tools the command may use, with sudo (a stand-in that says how it was asked) or without. */
const tools = { withSudo: join(root, 'tools-sudo'), withoutSudo: join(root, 'tools') };
/** udevadm's stand-in, for the install. */
const stubs = join(root, 'stubs');
/** Folders the caller runs it from: one everyone can enter, one everyone can write, and one of root's alone. */
const work = join(root, 'work');
const shared = join(root, 'shared');
const rootsOwn = join(root, 'roots-own');

beforeAll(() => {
  assertRoot('sudo scripts/setup.sh install');
  for (const dir of [tools.withSudo, tools.withoutSudo, stubs, work]) mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeFileSync(join(stubs, 'udevadm'), '#!/bin/sh\n', { mode: 0o755 });
  mkdirSync(rootsOwn, { mode: 0o700 });
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  writeFileSync(join(rootsOwn, 'backup.db'), 'a backup\n', { mode: 0o600 });
  // Node's stand-in: a script run by the node running this test.
  const standIn = join(root, 'node-stand-in');
  writeFileSync(
    standIn,
    `#!${process.execPath}
const { accessSync, constants } = require('node:fs');
const args = process.argv.slice(2);
const readable = {};
for (const arg of args.slice(1)) {
  if (!arg.includes('backup.db')) continue;
  try { accessSync(arg, constants.R_OK); readable[arg] = true; } catch { readable[arg] = false; }
}
process.stdout.write(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), cwd: process.cwd(), argv: args, env: process.env, readable }));
const exit = args.find((arg) => arg.startsWith('--exit='));
process.exitCode = exit === undefined ? 0 : Number(exit.slice('--exit='.length));
`,
    { mode: 0o755 },
  );
  // The version to install: the repository's systemd folder, its unit run by `nobody` with the stand-in.
  cpSync(join(REPO, 'systemd'), join(prefix, 'systemd'), { recursive: true });
  mkdirSync(join(prefix, 'dist', 'daemon'), { recursive: true });
  writeFileSync(join(prefix, 'dist', 'daemon', 'cli.js'), '');
  const unit = join(prefix, 'systemd', 'moodbox.service');
  const text = readFileSync(unit, 'utf8');
  expect(text).toMatch(/^User=moodbox$/m);
  expect(text).toMatch(/^ExecStart=\/usr\/bin\/node /m);
  writeFileSync(
    unit,
    text
      .replace(/^User=moodbox$/m, `User=${SERVICE_USER}`)
      .replace(/^Group=moodbox$/m, `Group=${serviceUser().group}`)
      .replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${standIn} `),
  );
  // The tools, as links: sudo is on the PATH only where a test puts it.
  for (const tool of ['bash', 'env', 'getent', 'setpriv', 'test']) {
    const found = spawnSync('bash', ['-c', `type -P ${tool}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).stdout.trim();
    for (const dir of Object.values(tools)) symlinkSync(found, join(dir, tool));
  }
  writeFileSync(join(tools.withSudo, 'sudo'), `#!/bin/bash\nprintf 'sudo'\nprintf ' [%s]' "$@"\n`, { mode: 0o755 });
});
afterAll(() => scratch.remove());

/** Sources scripts/system-files.sh with the scratch box's folders and runs SCRIPT, as root. */
function systemFiles(script: string): { status: number | null; stdout: string; stderr: string } {
  const folders = `units_dir=${quote(system.units)} rules_dir=${quote(system.rules)} libexec_dir=${quote(system.libexec)} systemd_run=${quote(system.run)}`;
  const result = spawnSync(
    'bash',
    ['-c', `set -euo pipefail; say() { echo "$*" >&2; }; source scripts/system-files.sh; ${folders}; ${script}`],
    { cwd: REPO, encoding: 'utf8', env: { PATH: `${stubs}:${process.env['PATH'] ?? ''}` }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the installed command with ARGS from CWD, as UID (root by default), with the caller's environment ENV. */
async function moodbox(
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string; sudo?: boolean; env?: Record<string, string> } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? work,
    uid: options.uid ?? 0,
    gid: options.gid ?? options.uid ?? 0,
    env: { PATH: options.sudo === true ? tools.withSudo : tools.withoutSudo, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}

async function seen(args: string[], options: Parameters<typeof moodbox>[1] = {}): Promise<Seen> {
  const result = await moodbox(args, options);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Seen;
}

describe('the moodbox command (systemd/moodbox-command.sh), installed into a scratch box', () => {
  it('is installed on the PATH beside the helpers, from the unit as installed, once, and listed with the system files', () => {
    const first = systemFiles(`install_system_files ${quote(prefix)} 0`);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`installed ${command}`);
    expect(statSync(command).mode & 0o777).toBe(0o755);
    const again = systemFiles(`install_system_files ${quote(prefix)} 0; system_files`);
    expect(again.stderr).toBe('');
    expect(again.stdout.split('\n')).toContain(command);
    // The settings, written from the unit: its user, its ExecStart's program in this prefix, its Environment= and StateDirectory=.
    const text = readFileSync(command, 'utf8');
    expect(text).toContain(`\nuser=${SERVICE_USER}\n`);
    expect(text).toContain(`\ncli=${join(prefix, 'dist/daemon/cli.js')}\n`);
  });

  it("as written in the repository, holds the settings install writes from the repository's own unit", () => {
    const plain = join(root, 'plain');
    cpSync(join(REPO, 'systemd'), join(plain, 'systemd'), { recursive: true });
    const bin = join(root, 'plain-bin');
    const result = systemFiles(`bin_dir=${quote(bin)}; install_command ${quote(join(REPO, 'systemd', 'moodbox.service'))} ${quote(plain)}`);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(bin, 'moodbox'), 'utf8')).toBe(readFileSync(join(REPO, 'systemd', 'moodbox-command.sh'), 'utf8'));
  });

  it("as root, runs the command as the service user, with the service's environment and nothing else of the caller's", async () => {
    const got = await seen(['doctor', '--json'], {
      env: { TERM: 'xterm-256color', LANG: 'de_DE.UTF-8', CALLER_ONLY: 'x', RUNTIME_DIRECTORY: '/run/x', NODE_OPTIONS: '--inspect' },
    });
    expect(got.uid).toBe(serviceUser().uid);
    expect(got.gid).toBe(serviceUser().gid);
    expect([...got.groups].sort()).toEqual(
      spawnSync('id', ['-G', SERVICE_USER], { encoding: 'utf8' }).stdout.trim().split(' ').map(Number).sort(),
    );
    expect(got.cwd).toBe(work);
    expect(got.argv).toEqual([join(prefix, 'dist/daemon/cli.js'), 'doctor', '--json']);
    const home = spawnSync('getent', ['passwd', SERVICE_USER], { encoding: 'utf8' }).stdout.split(':')[5];
    expect(got.env).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: home,
      USER: SERVICE_USER,
      LOGNAME: SERVICE_USER,
      TERM: 'xterm-256color',
      LANG: 'de_DE.UTF-8',
      // The unit's Environment=, and its StateDirectory=.
      NODE_ENV: 'production',
      MOODBOX_CONFIG: '/etc/moodbox/config.json',
      OPENCV4NODEJS_DISABLE_AUTOBUILD: '1',
      MALLOC_ARENA_MAX: '2',
      STATE_DIRECTORY: '/var/lib/moodbox',
    });
  });

  it('passes every argument through as it was given, and exits with the command’s code', async () => {
    const args = ['user', 'add', 'Anna Maria', `it's "quoted"`, '', '$HOME', '*', 'two\nlines', '--role=admin', '--exit=3'];
    const result = await moodbox(args);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
    expect((JSON.parse(result.stdout) as Seen).argv).toEqual([join(prefix, 'dist/daemon/cli.js'), ...args]);
  });

  it('as root, keeps root’s rights for restore, which opens the file named from the caller’s folder; other commands read as the service user', async () => {
    for (const args of [
      ['restore', './backup.db'],
      ['restore', '--with-people', 'backup.db'],
    ]) {
      const got = await seen(args, { cwd: rootsOwn });
      expect(got.uid, args.join(' ')).toBe(0);
      expect(got.cwd).toBe(rootsOwn);
      expect(Object.values(got.readable), args.join(' ')).toEqual([true]);
      expect(got.env).toMatchObject({ MOODBOX_CONFIG: '/etc/moodbox/config.json', STATE_DIRECTORY: '/var/lib/moodbox', USER: 'root' });
    }
    const other = await seen(['doctor', '--config', './backup.db'], { cwd: rootsOwn });
    expect(other.uid).toBe(serviceUser().uid);
    expect(other.readable).toEqual({ './backup.db': false });
  });

  it('as root, backs up as the service user, which reads the data folder, and says so before it starts where that user cannot write', async () => {
    for (const args of [['backup'], ['backup', './copy.db'], ['backup', '--config', '/etc/other.json', 'copy.db']]) {
      const got = await seen(args, { cwd: shared });
      expect(got.uid, args.join(' ')).toBe(serviceUser().uid);
      expect(got.cwd).toBe(shared);
    }
    for (const [cwd, args, folder] of [
      [rootsOwn, ['backup', './copy.db'], rootsOwn],
      [work, ['backup', '-c', './config.json', join(rootsOwn, 'copy.db')], rootsOwn],
      [work, ['backup', 'copy.db'], work],
    ] as const) {
      const refused = await moodbox([...args], { cwd });
      expect(refused.status, args.join(' ')).toBe(77);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(
        `moodbox: moodbox backup runs as the user ${SERVICE_USER} (root does nothing in the data folder), who cannot write in ${folder}: ` +
          `name a file in a folder ${SERVICE_USER} can write, such as /tmp\n`,
      );
    }
  });

  it('as the service user, runs the command as it is, without sudo', async () => {
    const uid = serviceUser().uid;
    const got = await seen(['user', 'list', '--json'], { uid, gid: serviceUser().gid });
    expect(got.uid).toBe(uid);
    expect(got.argv).toEqual([join(prefix, 'dist/daemon/cli.js'), 'user', 'list', '--json']);
    expect(got.env).toMatchObject({ MOODBOX_CONFIG: '/etc/moodbox/config.json', STATE_DIRECTORY: '/var/lib/moodbox' });
  });

  it('as anyone else, runs itself again through sudo: as the service user, and as root for restore', async () => {
    const asked = await moodbox(['doctor', 'a b'], { uid: SOMEONE, sudo: true });
    expect(asked).toEqual({ status: 0, stdout: `sudo [-u] [${SERVICE_USER}] [--] [${command}] [doctor] [a b]`, stderr: '' });
    const restore = await moodbox(['restore', './backup.db'], { uid: SOMEONE, sudo: true });
    expect(restore.stdout).toBe(`sudo [--] [${command}] [restore] [./backup.db]`);
    const backup = await moodbox(['backup', './copy.db'], { uid: SOMEONE, sudo: true });
    expect(backup.stdout).toBe(`sudo [-u] [${SERVICE_USER}] [--] [${command}] [backup] [./copy.db]`);
  });

  it('as anyone else without sudo, says how to run it instead, and runs nothing', async () => {
    const result = await moodbox(['user', 'add', "Anna's"], { uid: SOMEONE });
    expect(result.status).toBe(77);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `moodbox: runs as the user ${SERVICE_USER}, and you are the user ${SOMEONE}; sudo, which would switch, is not installed here.`,
    );
    // A line root can paste as it is.
    const paste = /Run it as root instead: su -c (.*)$/m.exec(result.stderr)?.[1] ?? '';
    const echoed = spawnSync('bash', ['-c', `set -- ${paste}; eval "set -- $1"; printf '[%s]' "$@"`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(echoed.stdout).toBe("[moodbox][user][add][Anna's]");
    expect(result.stderr).toContain('apt-get install sudo');
  });

  it('says when the program it runs is missing, rather than failing somewhere inside', async () => {
    const cli = join(prefix, 'dist', 'daemon', 'cli.js');
    rmSync(cli);
    try {
      const result = await moodbox(['doctor']);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`moodbox: ${cli} is missing: install Moodbox again with sudo scripts/setup.sh install\n`);
    } finally {
      writeFileSync(cli, '');
    }
  });
});
