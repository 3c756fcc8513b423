import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_RESTORE } from '../backups/backups.js';
import { checkVersion } from './doctor-version.js';
import { readLastUpdate } from './last-update.js';
import { LISTEN_FILE, writeListenFile } from './listen-file.js';
import { DaemonProcess, writeConfig } from '../testing/daemon-process.js';
import { assertRoot, ScratchRoot, SERVICE_USER, shellQuote as quote } from '../testing/scratch-root.js';

// scripts/update.sh's steps, sourced and run as root (as `sudo scripts/setup.sh update` runs them)
// against a scratch box: the service user's folders (with `nobody` as that user), root's folders,
// and the system's folders for units, rules and helpers. The init system is a stand-in: a
// `systemctl` early on PATH that logs its arguments and runs the hook the test gives it for them
// (`start` writes where the daemon listens, as the daemon does once it listens; `stop` writes the
// daemon's last row, as a stopping daemon closes its open play).

const REPO = join(import.meta.dirname, '..', '..', '..');
const UPDATE = join(REPO, 'scripts', 'update.sh');

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A daemon's stand-in: answers /api/health on a free port of 127.0.0.1. */
async function daemon(): Promise<number> {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/api/health' ? 200 : 404;
    response.end('{"status":"ready"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A port of 127.0.0.1 on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A scratch box. `config` is the configuration file's `server`; `hook(command, script)` gives the
 * init system's stand-in a script to run for `systemctl COMMAND …`; `run(script, vars)` sources
 * update.sh and runs SCRIPT with the box's folders in place of the appliance's (and VARS set).
 */
function box(server: Record<string, unknown> = {}) {
  const scratch = ScratchRoot.make('moodbox-update-steps-');
  cleanups.push(() => scratch.remove());
  const root = scratch.root;
  const mine = (path: string): void => scratch.own(path);
  const { state, db } = scratch.stateFolder();
  const runtime = scratch.userFolder('run-moodbox', 0o755);
  const config = join(root, 'config.json');
  writeFileSync(config, `${JSON.stringify({ server })}\n`, { mode: 0o644 });
  // The system's folders, and /run/systemd/system's stand-in: systemd runs this box.
  const system = scratch.systemFolders({ isSystemd: true });
  // The init system's stand-in, and udevadm's.
  const bin = join(root, 'bin');
  const hooks = join(root, 'hooks');
  const log = join(root, 'systemctl.log');
  mkdirSync(bin);
  mkdirSync(hooks);
  writeFileSync(log, '');
  for (const tool of ['systemctl', 'udevadm']) {
    writeFileSync(
      join(bin, tool),
      `#!/bin/bash\necho "${tool} $*" >>"$STUB_LOG"\nif [[ -x "$STUB_HOOKS/${tool}-$1" ]]; then exec "$STUB_HOOKS/${tool}-$1" "\${@:2}"; fi\n`,
      { mode: 0o755 },
    );
  }
  const updates = join(root, 'updates');
  return {
    root,
    state,
    runtime,
    db,
    config,
    system,
    updates,
    /** What the init system was asked, in order. */
    calls: (): string[] => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    hook: (command: string, script: string): void =>
      writeFileSync(join(hooks, `systemctl-${command}`), `#!/bin/bash\n${script}\n`, { mode: 0o755 }),
    /** Puts a file or link in the runtime folder as the service user would. */
    mine,
    async run(script: string, vars: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
      const assignments = Object.entries({
        state,
        user: SERVICE_USER,
        updates,
        config,
        runtime,
        units_dir: system.units,
        rules_dir: system.rules,
        libexec_dir: system.libexec,
        systemd_run: system.run,
        ...vars,
      })
        .map(([name, value]) => `${name}=${quote(value)}`)
        .join('; ');
      const child = spawn('bash', ['-c', `source ${quote(UPDATE)}; ${assignments}; ${script}`], {
        cwd: REPO,
        env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, STUB_LOG: log, STUB_HOOKS: hooks },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [status] = (await once(child, 'close')) as [number | null];
      return { status, stdout, stderr };
    },
  };
}

type Box = ReturnType<typeof box>;

/** What `listen_address` says: host, port and the file it read them from. */
async function listenAddress(b: Box, vars: Record<string, string> = {}): Promise<string> {
  const result = await b.run('listen_address', vars);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trim();
}

describe('scripts/update.sh, as root, with the init system stood in for', () => {
  beforeAll(() => assertRoot('sudo scripts/setup.sh update'));

  describe('where the daemon listens', () => {
    it('reads the file the daemon writes in its runtime folder, over the configuration file (moved from the admin panel)', async () => {
      const b = box({ host: '127.0.0.1', port: 8080 });
      const file = join(b.runtime, LISTEN_FILE);
      expect(await listenAddress(b)).toBe(`127.0.0.1 8080 ${b.config}`);
      await writeListenFile(file, { host: '0.0.0.0', port: 9090 });
      b.mine(file);
      expect(await listenAddress(b)).toBe(`0.0.0.0 9090 ${file}`);
      await writeListenFile(file, { host: '::', port: 9091 });
      expect(await listenAddress(b)).toBe(`:: 9091 ${file}`);
      const urls = await b.run('listen_url 0.0.0.0 9090; listen_url :: 9091; listen_url 192.168.1.5 80; listen_url localhost 8080');
      expect(urls.stdout.split('\n')).toEqual([
        'http://127.0.0.1:9090',
        'http://[::1]:9091',
        'http://192.168.1.5:80',
        'http://localhost:8080',
        '',
      ]);
    });

    it('follows no link planted there, nor a second name, a pipe or a large file: the configuration file’s address instead', async () => {
      const b = box({ host: '0.0.0.0', port: 8181 });
      const file = join(b.runtime, LISTEN_FILE);
      // Root's own file, which says something else: never read through the service user's names for it.
      const secret = join(b.root, 'root-only.json');
      writeFileSync(secret, '{"host":"127.0.0.1","port":6666}\n', { mode: 0o600 });
      const plants: Record<string, () => void> = {
        'a link': () => {
          symlinkSync(secret, file);
          b.mine(file);
        },
        'a second name': () => linkSync(secret, file),
        'a pipe': () => spawnSync('mkfifo', [file]),
        'a large file': () => writeFileSync(file, `{"host":"127.0.0.1","port":6666}${' '.repeat(2000)}\n`),
        'a folder': () => mkdirSync(file),
      };
      for (const [what, plant] of Object.entries(plants)) {
        rmSync(file, { recursive: true, force: true });
        plant();
        expect(await listenAddress(b), what).toBe(`0.0.0.0 8181 ${b.config}`);
      }
      expect(readFileSync(secret, 'utf8')).toBe('{"host":"127.0.0.1","port":6666}\n');
    });

    it('takes from the file only an IP literal or localhost and a port of 1–65535; anything else, the configuration’s (or 127.0.0.1:8080)', async () => {
      const b = box({ host: 'moodbox.local', port: 8282 });
      const file = join(b.runtime, LISTEN_FILE);
      for (const text of [
        'garbage',
        '',
        '[]',
        'null',
        '{"host":"evil.example","port":9090}',
        '{"host":"127.0.0.1","port":0}',
        '{"host":"127.0.0.1","port":65536}',
        '{"host":"127.0.0.1","port":"9090"}',
        '{"host":"127.0.0.1","port":90.5}',
        '{"host":"fe80::1%eth0","port":9090}',
        '{"host":"127.0.0.1 --next","port":9090}',
        '{"__proto__":{"host":"127.0.0.1","port":9090}}',
      ]) {
        writeFileSync(file, text);
        // The configuration's host is a name: the box's own loopback instead; its port is taken.
        expect(await listenAddress(b), text).toBe(`127.0.0.1 8282 ${b.config}`);
      }
      writeFileSync(file, '{"host":"localhost","port":65535}');
      expect(await listenAddress(b)).toBe(`localhost 65535 ${file}`);
      writeFileSync(b.config, '{ not json');
      rmSync(file);
      expect(await listenAddress(b)).toBe(`127.0.0.1 8080 ${b.config}`);
    });

    it('outside systemd, reads the data folder’s file when the runtime folder has none', async () => {
      const b = box({ port: 8383 });
      await writeListenFile(join(b.state, LISTEN_FILE), { host: '127.0.0.1', port: 9393 });
      expect(await listenAddress(b, { systemd_run: join(b.root, 'no-systemd') })).toBe(`127.0.0.1 9393 ${join(b.state, LISTEN_FILE)}`);
      // Under systemd, only the runtime folder's: one in the data folder is from a run by hand.
      expect(await listenAddress(b)).toBe(`127.0.0.1 8383 ${b.config}`);
    });

    it('the health check asks where the daemon says it listens, not the configuration file’s port', async () => {
      const b = box({ port: await closedPort() });
      const port = await daemon();
      await writeListenFile(join(b.runtime, LISTEN_FILE), { host: '0.0.0.0', port });
      const result = await b.run('answers 5 && echo answered');
      expect(result.stdout.trim()).toBe('answered');
      expect(result.stderr).toContain(`asking http://127.0.0.1:${port}/api/health (the address from ${join(b.runtime, LISTEN_FILE)})`);
    });
  });

  it('finds the daemon itself where it listens: on a port the system picked, the file written once it listens and gone once it stopped', async () => {
    const b = box({ host: '127.0.0.1', port: await closedPort() });
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-update-daemon-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = writeConfig(dir, { dataDir: join(dir, 'data'), server: { host: '127.0.0.1', port: 0 }, camera: { enabled: false } });
    const started = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, RUNTIME_DIRECTORY: b.runtime },
    });
    cleanups.push(async () => {
      await started.stop('SIGKILL');
    });
    const file = join(b.runtime, LISTEN_FILE);
    const port = new URL(started.base).port;
    expect(await listenAddress(b)).toBe(`127.0.0.1 ${port} ${file}`);
    const asked = await b.run('answers 5 && echo answered');
    expect(asked.stdout.trim()).toBe('answered');
    await started.stop('SIGTERM');
    expect(existsSync(file)).toBe(false);
    expect(await listenAddress(b)).not.toContain(file);
  });

  describe('the backup a rollback restores', () => {
    it('is taken after the old daemon stopped: it holds what the daemon wrote as it stopped', async () => {
      const b = box();
      // The stopping daemon's last write (a play it closes).
      b.hook(
        'stop',
        `cd ${quote(REPO)} && runuser -u ${SERVICE_USER} -- node -e 'const D = require("better-sqlite3"); const db = new D(process.argv[1]); db.prepare("INSERT INTO songs VALUES (?)").run("closed at the stop"); db.close();' ${quote(b.db)}`,
      );
      const result = await b.run(`stop_and_back_up ${quote(REPO)} && echo "$backup"`);
      expect(result.status, result.stderr).toBe(0);
      expect(b.calls()).toEqual(['systemctl stop moodbox.service']);
      const copy = new Database(result.stdout.trim(), { readonly: true });
      expect(copy.prepare('SELECT title FROM songs').all()).toEqual([{ title: 'one' }, { title: 'closed at the stop' }]);
      copy.close();
    });

    it('failing, starts the old version again, untouched', async () => {
      const b = box();
      // A link planted in place of backups/: the backup, as the service user, cannot go through it.
      symlinkSync(join(b.root, 'updates-victim'), join(b.state, 'backups'));
      b.mine(join(b.state, 'backups'));
      const result = await b.run(`if stop_and_back_up ${quote(REPO)}; then echo backed-up; else echo refused; fi`);
      expect(result.stdout.trim()).toBe('refused');
      expect(b.calls()).toEqual(['systemctl stop moodbox.service', 'systemctl start moodbox.service']);
      expect(existsSync(join(b.root, 'updates-victim'))).toBe(false);
    });
  });

  describe('the rollback', () => {
    /**
     * The moment a rollback begins: the failed new version in PREFIX, the old one (its units and
     * its build) in PREFIX.previous, the new version's own unit and helper installed beside the old
     * ones, and the backup taken at the stop.
     */
    async function afterFailedUpdate(b: Box, backupContent: 'garbage' | 'database') {
      const prefix = join(b.root, 'opt-moodbox');
      const previous = `${prefix}.previous`;
      mkdirSync(join(prefix, 'systemd'), { recursive: true });
      writeFileSync(join(prefix, 'VERSION'), '1.4.0\n');
      mkdirSync(previous);
      cpSync(join(REPO, 'systemd'), join(previous, 'systemd'), { recursive: true });
      symlinkSync(join(REPO, 'dist'), join(previous, 'dist'));
      writeFileSync(join(previous, 'VERSION'), '1.3.0\n');
      // Before the switch: the old version's units and rules.
      writeFileSync(join(b.system.units, 'moodbox.service'), '[Service]\nExecStart=/bin/true\n');
      writeFileSync(join(b.system.rules, '99-moodbox.rules'), '# old\n');
      const before = await b.run('system_files');
      // What the new version added.
      writeFileSync(join(b.system.units, 'moodbox-extra.service'), '[Service]\nExecStart=/bin/true\n');
      writeFileSync(join(b.system.units, 'moodbox-extra.timer'), '[Timer]\nOnCalendar=daily\n');
      writeFileSync(join(b.system.libexec, 'moodbox-extra'), '#!/bin/sh\n', { mode: 0o755 });
      const backups = join(b.state, 'backups');
      mkdirSync(backups, { mode: 0o700 });
      b.mine(backups);
      const backup = join(backups, 'before-update-20261128T020000Z.db');
      if (backupContent === 'garbage') {
        writeFileSync(backup, 'not a database');
        b.mine(backup);
      } else {
        // A Moodbox database (the old version makes one), copied as the update does.
        rmSync(b.db);
        const made = await b.run(`cli ${quote(REPO)} user list >/dev/null && cli ${quote(REPO)} backup ${quote(backup)}`);
        expect(made.status, made.stderr).toBe(0);
      }
      return {
        prefix,
        vars: {
          prefix,
          previous,
          from: '1.3.0',
          to: '1.4.0',
          kiosk: '0',
          backup,
          system_before: before.stdout,
          wait_s: '3',
        },
      };
    }

    it('a restore that fails: the old version is started all the same, and the record says what failed, for moodbox doctor', async () => {
      const b = box({ port: await closedPort() });
      const port = await daemon();
      // The old version, started, says where it listens.
      b.hook('start', `printf '{"host":"127.0.0.1","port":${port}}\\n' >${quote(join(b.runtime, LISTEN_FILE))}`);
      const { prefix, vars } = await afterFailedUpdate(b, 'garbage');
      const result = await b.run('roll_back "1.4.0 did not answer /api/health within 60 s"', vars);

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('the database could not be put back');
      expect(result.stderr).toContain('rolled back: 1.3.0 answers again, but the database from before the update could not be put back');
      // Stopped, what the new version added disabled and removed, the old units back, then started.
      const calls = b.calls();
      expect(calls[0]).toBe('systemctl stop moodbox.service');
      expect(calls).toContain('systemctl disable --now moodbox-extra.service');
      expect(calls).toContain('systemctl disable --now moodbox-extra.timer');
      expect(calls.at(-1)).toBe('systemctl start moodbox.service');
      expect(calls.indexOf('systemctl daemon-reload')).toBeLessThan(calls.length - 1);
      for (const added of [
        join(b.system.units, 'moodbox-extra.service'),
        join(b.system.units, 'moodbox-extra.timer'),
        join(b.system.libexec, 'moodbox-extra'),
      ]) {
        expect(existsSync(added), added).toBe(false);
      }
      expect(readFileSync(join(b.system.units, 'moodbox.service'), 'utf8')).toContain(
        `ExecStart=/usr/bin/node ${prefix}/dist/daemon/cli.js start`,
      );
      expect(readFileSync(join(prefix, 'VERSION'), 'utf8')).toBe('1.3.0\n');
      expect(readFileSync(join(`${prefix}.failed`, 'VERSION'), 'utf8')).toBe('1.4.0\n');

      const record = readLastUpdate(b.updates);
      expect(record).toMatchObject({
        result: 'rolled-back',
        from: '1.3.0',
        to: '1.4.0',
        restore: { result: 'failed', backup: vars.backup, error: expect.stringContaining('cannot be read as a SQLite database') },
      });
      expect(record?.reason).toMatch(
        /^1\.4\.0 did not answer \/api\/health within 60 s; the database from before the update could not be put back from .*: it is as 1\.4\.0 left it$/,
      );
      const doctor = checkVersion('1.3.0', prefix, b.updates);
      expect(doctor.status).toBe('warn');
      expect(doctor.fix).toContain(`restore ${vars.backup}`);
    });

    it('a restore that fails and an old version that does not answer either: started all the same, recorded as failed', async () => {
      const b = box({ port: await closedPort() });
      const { vars } = await afterFailedUpdate(b, 'garbage');
      const result = await b.run('roll_back "1.4.0 did not answer /api/health within 60 s"', { ...vars, wait_s: '1' });
      expect(result.status).toBe(1);
      expect(b.calls().at(-1)).toBe('systemctl start moodbox.service');
      expect(readLastUpdate(b.updates)).toMatchObject({
        result: 'failed',
        reason: expect.stringMatching(/could not be put back .*; 1\.3\.0 did not answer after the rollback either$/),
        restore: { result: 'failed', backup: vars.backup },
      });
    });

    it('a restore that works: readied for the old version’s start, and the record is a plain rollback', async () => {
      const b = box({ port: await closedPort() });
      const port = await daemon();
      b.hook('start', `printf '{"host":"127.0.0.1","port":${port}}\\n' >${quote(join(b.runtime, LISTEN_FILE))}`);
      const { vars } = await afterFailedUpdate(b, 'database');
      const result = await b.run('roll_back "1.4.0 did not answer /api/health within 60 s"', vars);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('rolled back: 1.3.0 answers again, with the database as it was before the update');
      expect(existsSync(join(b.state, PENDING_RESTORE))).toBe(true);
      const record = readLastUpdate(b.updates);
      expect(record).toMatchObject({ result: 'rolled-back', reason: '1.4.0 did not answer /api/health within 60 s' });
      expect(record).not.toHaveProperty('restore');
    });
  });
});
