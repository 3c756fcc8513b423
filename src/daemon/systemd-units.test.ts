import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SYSTEMD_DIR = join(import.meta.dirname, '..', '..', 'systemd');

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

describe('systemd units', () => {
  it.each(['moodbox.service', 'moodbox-kiosk.service'])('%s passes systemd-analyze verify', (name) => {
    const { status, output } = verify(copyUnit(name));
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('systemd-analyze catches a broken unit (the check above can fail)', () => {
    const path = copyUnit('moodbox.service');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Type=notify', 'Type=notfy'));
    expect(verify(path).output).toMatch(/Failed to parse service type/);
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
