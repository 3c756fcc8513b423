import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeFileScreen, SCREEN_FILE } from './screen-power.js';

const HELPER = join(import.meta.dirname, '..', '..', '..', 'systemd', 'moodbox-backlight.sh');
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/**
 * A machine's backlight class as sysfs shows it (each backlight a folder with its `bl_power`, 0 = on)
 * and the daemon's runtime folder; `run` runs the root helper as moodbox-backlight.service does.
 */
function machine(backlights: Record<string, string | null>) {
  const root = mkdtempSync(join(tmpdir(), 'moodbox-backlight-'));
  roots.push(root);
  const classDir = join(root, 'class');
  const runtime = join(root, 'run');
  mkdirSync(runtime);
  for (const [name, power] of Object.entries(backlights)) {
    mkdirSync(join(classDir, name), { recursive: true });
    writeFileSync(join(classDir, name, 'max_brightness'), '255\n');
    if (power !== null) writeFileSync(join(classDir, name, 'bl_power'), `${power}\n`);
  }
  const wish = join(runtime, SCREEN_FILE);
  return {
    wish,
    runtime,
    power: (name: string): string => readFileSync(join(classDir, name, 'bl_power'), 'utf8').trim(),
    run(): string {
      const result = spawnSync('sh', [HELPER, wish, classDir], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return result.stdout;
    },
  };
}

describe('the backlight helper (moodbox-backlight.service)', () => {
  it('turns every backlight off at the daemon’s "off", and on again at its "on"', async () => {
    const box = machine({ '10-0045': '0', rpi_backlight: '0' });
    await runtimeFileScreen({ RUNTIME_DIRECTORY: box.runtime })!.set(false);
    expect(box.run()).toBe('moodbox-backlight: 10-0045 off\nmoodbox-backlight: rpi_backlight off\n');
    expect([box.power('10-0045'), box.power('rpi_backlight')]).toEqual(['4', '4']);
    await runtimeFileScreen({ RUNTIME_DIRECTORY: box.runtime })!.set(true);
    box.run();
    expect([box.power('10-0045'), box.power('rpi_backlight')]).toEqual(['0', '0']);
  });

  it('lights the screen when the daemon stopped (its runtime folder, and the wish in it, are gone)', () => {
    const box = machine({ '10-0045': '4' });
    box.run();
    expect(box.power('10-0045')).toBe('0');
  });

  it('reads nothing but the word "off" from the service user’s file as a wish for the dark', () => {
    const box = machine({ '10-0045': '0' });
    for (const text of ['offline', 'OFF', '4', 'off off', '']) {
      writeFileSync(box.wish, text);
      box.run();
      expect(box.power('10-0045'), JSON.stringify(text)).toBe('0');
    }
    // A link planted in its place is not followed.
    const elsewhere = join(box.runtime, '..', 'elsewhere');
    writeFileSync(elsewhere, 'off\n');
    rmSync(box.wish);
    symlinkSync(elsewhere, box.wish);
    box.run();
    expect(box.power('10-0045')).toBe('0');
  });

  it('writes only a backlight that differs, and says so when the machine has none (an HDMI monitor)', () => {
    const box = machine({ '10-0045': '0' });
    writeFileSync(box.wish, 'on\n');
    expect(box.run()).toBe('');
    expect(machine({ acpi_video0: null }).run()).toMatch(/^moodbox-backlight: no backlight in .*; nothing to do\n$/);
  });

  it('finds the wish readable past the daemon unit’s UMask=0027 (the helper runs as root without capabilities)', async () => {
    const box = machine({});
    const before = process.umask(0o027);
    try {
      await runtimeFileScreen({ RUNTIME_DIRECTORY: box.runtime })!.set(false);
    } finally {
      process.umask(before);
    }
    expect(statSync(box.wish).mode & 0o777).toBe(0o644);
  });
});
