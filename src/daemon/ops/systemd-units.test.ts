import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';

const SYSTEMD_DIR = join(import.meta.dirname, '..', '..', '..', 'systemd');

function verify(unitPath: string): { status: number | null; output: string } {
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', unitPath], { encoding: 'utf8' });
  if (result.error) throw new Error(`systemd-analyze is needed for this test (apt install systemd): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function copyUnit(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-units-'));
  copyFileSync(join(SYSTEMD_DIR, name), join(dir, name));
  return join(dir, name);
}

/** Where install puts the kiosk's starter (scripts/system-files.sh), and the repository's own. */
const KIOSK_STARTER = { installed: '/usr/local/libexec/moodbox-kiosk', here: join(SYSTEMD_DIR, 'moodbox-kiosk.sh') };

/** A unit as installed, with its helpers where install puts them (here: the repository's own). */
function installedUnit(name: string): string {
  const path = copyUnit(name);
  writeFileSync(path, readFileSync(path, 'utf8').replaceAll(KIOSK_STARTER.installed, KIOSK_STARTER.here));
  return path;
}

describe('systemd units', () => {
  it.each(['moodbox.service', 'moodbox-kiosk.service'])('%s passes systemd-analyze verify', (name) => {
    const { status, output } = verify(installedUnit(name));
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('systemd-analyze catches a broken unit (the check above can fail)', () => {
    const path = copyUnit('moodbox.service');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Type=notify', 'Type=notfy'));
    // systemd 252 (Debian 12) says 'Failed to parse service type', 257 (Debian 13) 'Failed to parse Type=notfy'.
    expect(verify(path).output).toMatch(/Failed to parse (service type|Type=notfy)/);
  });

  it('the daemon unit waits for READY, has a watchdog, restarts on failure but not on a bad config, and drops privileges', () => {
    const unit = readFileSync(join(SYSTEMD_DIR, 'moodbox.service'), 'utf8');
    for (const line of [
      'Type=notify',
      'WatchdogSec=30',
      'Restart=on-failure',
      'RestartPreventExitStatus=78',
      'User=moodbox',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'StateDirectory=moodbox',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).toMatch(/^DeviceAllow=char-video4linux rw$/m);
    expect(unit).toMatch(/^DeviceAllow=char-hidraw rw$/m);
  });

  it("bounds the unit's memory above the daemon's own memory guard, so the guard restarts it cleanly first", () => {
    const unit = readFileSync(join(SYSTEMD_DIR, 'moodbox.service'), 'utf8');
    const mib = (key: string): number => Number(new RegExp(`^${key}=(\\d+)M$`, 'm').exec(unit)?.[1]);
    const { ceilingMiB } = loadConfig({ env: {} }).config.memory;
    // mpv (up to 80 MiB measured) runs in the same unit, beside the daemon.
    expect(mib('MemoryHigh')).toBeGreaterThanOrEqual(ceilingMiB + 80);
    expect(mib('MemoryMax')).toBeGreaterThan(mib('MemoryHigh'));
  });
});

/** `systemd-analyze security --offline=yes`'s overall exposure for the unit at `unitPath` (0 safest, 10 worst). */
function exposure(unitPath: string): { score: number; output: string } {
  const result = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', unitPath], { encoding: 'utf8' });
  if (result.error) throw new Error(`systemd-analyze is needed for this test (apt install systemd): ${result.error.message}`);
  const output = `${result.stdout}${result.stderr}`;
  const score = /Overall exposure level for \S+: (\d+\.\d+)/.exec(output)?.[1];
  if (score === undefined) throw new Error(`no overall exposure in systemd-analyze's output:\n${output}`);
  return { score: Number(score), output };
}

/** The values of `key=` in a unit, each line's value split on spaces. */
function values(unit: string, key: string): string[] {
  return unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .flatMap((line) => line.slice(key.length + 1).split(/\s+/));
}

describe('the daemon unit’s hardening', () => {
  const unit = readFileSync(join(SYSTEMD_DIR, 'moodbox.service'), 'utf8');

  it('scores 2.0 or better in systemd-analyze security, with a system call filter and private mounts', () => {
    const { score, output } = exposure(copyUnit('moodbox.service'));
    expect(score, output).toBeLessThanOrEqual(2.0);
    for (const line of [
      'SystemCallFilter=@system-service',
      'SystemCallErrorNumber=EPERM',
      'ProtectProc=invisible',
      'RemoveIPC=yes',
      'PrivateMounts=yes',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    // Only the sockets the daemon uses: the HTTP server, MQTT, mpv's IPC and udev's netlink for the readers.
    expect(values(unit, 'RestrictAddressFamilies')).toEqual(['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK']);
  });

  it('systemd-analyze security sees a weaker unit (the check above can fail)', () => {
    const path = copyUnit('moodbox.service');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(/^(SystemCallFilter|ProtectProc|PrivateMounts|ProtectHome|RemoveIPC)=.*$/gm, ''),
    );
    expect(exposure(path).score).toBeGreaterThan(2.0);
  });

  it('lets the daemon read music in every default library.panelRoots folder', () => {
    const protectHome = values(unit, 'ProtectHome').at(-1) ?? 'no';
    const hidden = ['yes', 'tmpfs'].includes(protectHome) ? ['/home', '/root', '/run/user'] : [];
    for (const root of loadConfig({ env: {} }).config.library.panelRoots) {
      expect(
        hidden.filter((dir) => root === dir || root.startsWith(`${dir}/`)),
        `ProtectHome=${protectHome} hides ${root}`,
      ).toEqual([]);
    }
    expect(protectHome).toBe('read-only');
  });
});

describe('the kiosk screen’s unit', () => {
  const unit = readFileSync(join(SYSTEMD_DIR, 'moodbox-kiosk.service'), 'utf8');
  const lines = unit.split('\n');

  it('runs Chromium full screen under cage on the console as its own unprivileged user, and brings both back when either ends', () => {
    for (const line of ['User=moodbox-kiosk', 'PAMName=login', 'TTYPath=/dev/tty1', 'Conflicts=getty@tty1.service', 'Restart=always']) {
      expect(lines).toContain(line);
    }
    const start = values(unit, 'ExecStart');
    // The starter finds the page where the daemon says it listens (its runtime folder) and adds it last.
    expect(start.slice(0, 2)).toEqual([KIOSK_STARTER.installed, '/run/moodbox/listen.json']);
    expect(start.slice(2, 5)).toEqual(['/usr/bin/cage', '-d', '--']);
    expect(start).toContain('--ozone-platform=wayland');
    // Under Wayland, Chromium's --app window closes at once: the page is opened with --kiosk.
    expect(start.filter((arg) => arg.startsWith('--app'))).toEqual([]);
    expect(start.at(-1)).toBe('--password-store=basic');
    expect(start.filter((arg) => arg.includes('8080'))).toEqual([]);
    expect(values(unit, 'ExecStartPre')).toEqual([]);
    expect(statSync(KIOSK_STARTER.here).mode & 0o755).toBe(0o755);
    const files = readFileSync(join(SYSTEMD_DIR, '..', 'scripts', 'system-files.sh'), 'utf8');
    expect(files).toContain('"$libexec_dir/moodbox-kiosk"');
    expect(readFileSync(join(SYSTEMD_DIR, '..', 'scripts', 'appliance.sh'), 'utf8')).toContain(KIOSK_STARTER.installed);
    // Started at boot with the daemon, on Raspberry Pi OS Lite too (no graphical target there).
    expect(values(unit, 'WantedBy')).toEqual(['multi-user.target']);
    const sysusers = readFileSync(join(SYSTEMD_DIR, 'moodbox-kiosk.sysusers.conf'), 'utf8');
    expect(sysusers).toMatch(/^u moodbox-kiosk - "[^"]+" \/var\/lib\/moodbox-kiosk$/m);
    expect(values(unit, 'Environment')).toContain('HOME=/var/lib/moodbox-kiosk');
  });

  it('scores 4.0 or better in systemd-analyze security, reaching nothing but this box', () => {
    const { score, output } = exposure(copyUnit('moodbox-kiosk.service'));
    expect(score, output).toBeLessThanOrEqual(4.0);
    expect(lines).toContain('IPAddressDeny=any');
    expect(lines).toContain('IPAddressAllow=localhost');
    expect(lines).toContain('ProtectSystem=strict');
  });

  it('systemd-analyze security sees a weaker kiosk unit (the check above can fail)', () => {
    const path = copyUnit('moodbox-kiosk.service');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(/^(Protect\w+|Restrict\w+|Private\w+|IPAddress\w+|SystemCall\w+|CapabilityBoundingSet)=.*$/gm, ''),
    );
    expect(exposure(path).score).toBeGreaterThan(4.0);
  });
});

describe('the backlight’s helper units', () => {
  const service = readFileSync(join(SYSTEMD_DIR, 'moodbox-backlight.service'), 'utf8');
  const path = readFileSync(join(SYSTEMD_DIR, 'moodbox-backlight.path'), 'utf8');
  const daemon = readFileSync(join(SYSTEMD_DIR, 'moodbox.service'), 'utf8');
  const installed = '/usr/local/libexec/moodbox-backlight';
  /** The helper's unit as installed, with the helper where install puts it (here: the repository's own). */
  const helperUnit = (text = service): string => {
    const unitPath = copyUnit('moodbox-backlight.service');
    writeFileSync(unitPath, text.replaceAll(installed, join(SYSTEMD_DIR, 'moodbox-backlight.sh')));
    return unitPath;
  };

  it('pass systemd-analyze verify, the path unit starting the helper at each change of the daemon’s wish', () => {
    const unitPath = helperUnit();
    copyFileSync(join(SYSTEMD_DIR, 'moodbox-backlight.path'), join(dirname(unitPath), 'moodbox-backlight.path'));
    const { status, output } = verify(join(dirname(unitPath), 'moodbox-backlight.path'));
    expect(output).toBe('');
    expect(status).toBe(0);
    expect(verify(unitPath)).toEqual({ status: 0, output: '' });
    // The daemon writes $RUNTIME_DIRECTORY/screen: its runtime folder is /run/moodbox, which root may enter without capabilities.
    expect(values(daemon, 'RuntimeDirectory')).toEqual(['moodbox']);
    expect(values(daemon, 'RuntimeDirectoryMode')).toEqual(['0755']);
    expect(values(path, 'PathChanged')).toEqual(['/run/moodbox/screen']);
    expect(values(service, 'ExecStart')).toEqual([installed, '/run/moodbox/screen', '/sys/class/backlight']);
    expect(readFileSync(join(SYSTEMD_DIR, '..', 'scripts', 'appliance.sh'), 'utf8')).toContain(installed);
  });

  it('runs the helper with no capability, no network and a read-only system: it scores 1.0 or better', () => {
    const { score, output } = exposure(helperUnit());
    expect(score, output).toBeLessThanOrEqual(1.0);
    expect(values(service, 'CapabilityBoundingSet')).toEqual(['']);
    expect(service.split('\n')).toContain('PrivateNetwork=yes');
    expect(service.split('\n')).toContain('ProtectSystem=strict');
  });

  it('systemd-analyze security sees a weaker helper unit (the check above can fail)', () => {
    const weaker = service.replace(/^(Protect\w+|Private\w+|CapabilityBoundingSet|SystemCall\w+)=.*$/gm, '');
    expect(exposure(helperUnit(weaker)).score).toBeGreaterThan(1.0);
  });
});

describe('the Snapcast pipe', () => {
  const unit = readFileSync(join(SYSTEMD_DIR, 'moodbox.service'), 'utf8');
  const tmpfiles = readFileSync(join(SYSTEMD_DIR, 'moodbox-snapcast.conf'), 'utf8');
  const pipe = /^p (\S+) /m.exec(tmpfiles)?.[1] ?? '';

  it('is made by systemd-tmpfiles as a FIFO snapserver reads and the moodbox group writes', () => {
    const root = mkdtempSync(join(tmpdir(), 'moodbox-tmpfiles-'));
    mkdirSync(join(root, 'etc'));
    writeFileSync(
      join(root, 'etc', 'passwd'),
      'root:x:0:0::/root:/bin/sh\n_snapserver:x:990:990::/var/lib/snapserver:/usr/sbin/nologin\nmoodbox:x:991:991::/var/lib/moodbox:/usr/sbin/nologin\n',
    );
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\n_snapserver:x:990:\nmoodbox:x:991:\n');
    const conf = join(root, 'moodbox-snapcast.conf');
    writeFileSync(conf, tmpfiles);
    const result = spawnSync('systemd-tmpfiles', ['--create', `--root=${root}`, conf], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    const fifo = statSync(join(root, pipe));
    expect(fifo.isFIFO()).toBe(true);
    expect({ mode: fifo.mode & 0o777, uid: fifo.uid, gid: fifo.gid }).toEqual({ mode: 0o660, uid: 990, gid: 991 });
    expect(statSync(join(root, dirname(pipe))).mode & 0o777).toBe(0o750);
  });

  it('lies where the unit may write, outside its private /tmp, and the multiroom guide names the same pipe for Moodbox and snapserver', () => {
    expect(pipe).toMatch(/^\/run\/snapserver\//);
    expect(unit.split('\n')).toContain('PrivateTmp=yes');
    const writable = values(unit, 'ReadWritePaths').map((path) => path.replace(/^-/, ''));
    expect(writable.some((dir) => pipe.startsWith(`${dir}/`))).toBe(true);
    const readme = readFileSync(join(SYSTEMD_DIR, '..', 'docs', 'multiroom.md'), 'utf8');
    expect(readme).toContain(`"snapcastPipe": "${pipe}"`);
    expect(readme).toContain(`source = pipe://${pipe}?name=Moodbox`);
    expect(readme).toContain('sudo cp systemd/moodbox-snapcast.conf /etc/tmpfiles.d/');
  });
});

describe('udev rules', () => {
  it('every rule is well formed and the RFID readers are hidden from libinput', () => {
    const lines = readFileSync(join(SYSTEMD_DIR, '99-moodbox.rules'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const pair = /^[A-Z_]+(\{[A-Za-z0-9_]+\})?(==|!=|=|\+=|:=)"[^"]*"$/;
    for (const line of lines) {
      for (const part of line.split(/,\s*/)) expect(part, line).toMatch(pair);
    }
    const hidraw = lines.filter((l) => l.includes('SUBSYSTEM=="hidraw"'));
    const ignored = lines.filter((l) => l.includes('LIBINPUT_IGNORE_DEVICE'));
    expect(hidraw.length).toBeGreaterThan(0);
    expect(ignored.length).toBe(hidraw.length);
  });
});
