import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DailyHours } from '../../kernel/daily-hours.js';
import type { Check } from './doctor-check.js';

/** Where the screen's parts are; tests point these at fixtures. */
export interface ScreenPlaces {
  /** The kernel's backlight class (`/sys/class/backlight`). */
  backlightDir: string;
  /** Where `setup.sh install` puts the units (`/etc/systemd/system`). */
  unitDir: string;
}

export const SYSTEM_SCREEN: ScreenPlaces = { backlightDir: '/sys/class/backlight', unitDir: '/etc/systemd/system' };

/**
 * `moodbox doctor`'s screen line, on a box with its kiosk screen (`install --kiosk`): whether the
 * display's backlight will go off in the quiet hours, and what to do when it cannot. Undefined on a
 * box without the screen.
 */
export function checkScreen(quietHours: DailyHours | null, places: ScreenPlaces = SYSTEM_SCREEN): Check | undefined {
  if (!existsSync(join(places.unitDir, 'moodbox-kiosk.service'))) return undefined;
  const backlights = readBacklights(places.backlightDir);
  if (backlights.length === 0) {
    return {
      name: 'screen',
      status: 'ok',
      message:
        'no backlight the box can switch (an HDMI monitor): in the quiet hours the kiosk shows a black page, and the monitor stays on',
      fix: "let the monitor's own power saving turn it off, or switch it off at the wall at night",
    };
  }
  const names = backlights.join(', ');
  if (!existsSync(join(places.unitDir, 'moodbox-backlight.path'))) {
    return {
      name: 'screen',
      status: 'warn',
      message: `the backlight (${names}) stays on in the quiet hours: its helper is not installed`,
      fix: 'run `sudo scripts/setup.sh install --kiosk` again (it changes only what is missing)',
    };
  }
  if (quietHours === null) {
    return {
      name: 'screen',
      status: 'ok',
      message: `backlight ${names}; no quiet hours are set, so the screen stays lit`,
      fix: 'set Quiet hours in the admin panel (Settings) to darken it at night',
    };
  }
  return {
    name: 'screen',
    status: 'ok',
    message: `the backlight (${names}) goes off in the quiet hours (${quietHours.from}–${quietHours.to}) and on at a touch`,
  };
}

function readBacklights(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => existsSync(join(dir, name, 'bl_power')))
      .sort();
  } catch {
    return [];
  }
}
