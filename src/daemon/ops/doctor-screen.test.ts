import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkScreen } from './doctor-screen.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A machine with the given backlights (sysfs folders with `bl_power`) and installed units. */
function machine(backlights: string[], units: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'moodbox-screen-'));
  roots.push(root);
  const places = { backlightDir: join(root, 'class'), unitDir: join(root, 'units') };
  mkdirSync(places.unitDir, { recursive: true });
  for (const name of backlights) {
    mkdirSync(join(places.backlightDir, name), { recursive: true });
    writeFileSync(join(places.backlightDir, name, 'bl_power'), '0\n');
  }
  for (const unit of units) writeFileSync(join(places.unitDir, unit), '[Unit]\n');
  return places;
}

const QUIET = { from: '23:00', to: '07:00' };
const KIOSK = ['moodbox-kiosk.service', 'moodbox-backlight.path'];

describe("moodbox doctor's screen line", () => {
  it('says when the backlight goes off, on a box with its screen and its helper', () => {
    expect(checkScreen(QUIET, machine(['10-0045'], KIOSK))).toEqual({
      name: 'screen',
      status: 'ok',
      message: 'the backlight (10-0045) goes off in the quiet hours (23:00–07:00) and on at a touch',
    });
  });

  it('warns, with what to run, when the helper is missing (a box installed before it)', () => {
    const check = checkScreen(QUIET, machine(['10-0045'], ['moodbox-kiosk.service']));
    expect(check).toMatchObject({ status: 'warn', fix: expect.stringContaining('setup.sh install --kiosk') });
  });

  it('says the screen stays lit without quiet hours, and where to set them', () => {
    expect(checkScreen(null, machine(['10-0045'], KIOSK))).toMatchObject({ status: 'ok', fix: expect.stringContaining('Quiet hours') });
  });

  it('tells an HDMI monitor (no backlight to switch) to use its own power saving', () => {
    expect(checkScreen(QUIET, machine([], KIOSK))?.message).toMatch(/no backlight the box can switch/);
  });

  it('says nothing on a box without its screen', () => {
    expect(checkScreen(QUIET, machine(['10-0045'], []))).toBeUndefined();
  });
});
