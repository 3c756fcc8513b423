import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { I18n } from '../../src/ui/i18n/i18n.js';
import { formatClock, formatDateTime, formatTimeOfDay } from '../../src/ui/i18n/times.js';
import { ROOT } from './harness.js';

// Every time on the kiosk, the guest page and the admin panel written one way, by the reader's
// language's own rules (the tests run with TZ=UTC): German says "05:17" on all three, English "5:17 AM", never "until 05:16"
// on one screen and "about 5:03 AM" on another.

const AT = Date.UTC(2026, 10, 28, 5, 17);
const UI = join(ROOT, 'src/ui');
/** The one module that writes times, and the class that hands it the box's zone. */
const TIMES = new Set(['i18n/times.ts', 'i18n/i18n.ts']);

describe('a time on the screens', () => {
  it('is written as each language writes a short time', () => {
    const written = Object.fromEntries(['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'].map((l) => [l, formatTimeOfDay(l, AT)]));
    expect(written).toEqual({ en: '5:17 AM', de: '05:17', fr: '05:17', es: '5:17', it: '05:17', pt: '05:17', nl: '05:17' });
  });

  it('keeps the language’s hour beside a weekday or a date, whatever hour the screen asked for', () => {
    expect(formatDateTime('en', AT, { hour: '2-digit', minute: '2-digit' }, 'UTC')).toBe('5:17 AM UTC');
    expect(formatDateTime('de', AT, { weekday: 'short', hour: 'numeric', minute: '2-digit' }, 'UTC')).toBe('Sa., 05:17 UTC');
    expect(formatDateTime('en', AT, { day: 'numeric', month: 'short' }, 'UTC')).toBe('Nov 28');
  });

  it('writes an hour of the box’s day (a day plan’s start, the nightly backup) as a time, with no zone', () => {
    expect([formatClock('en', 3), formatClock('de', 3), formatClock('en', '23:30'), formatClock('fr', '23:30')]).toEqual([
      '3:00 AM',
      '03:00',
      '11:30 PM',
      '23:30',
    ]);
    const i18n = new I18n({}, () => Promise.resolve({}));
    i18n.useTimeZone('Asia/Tokyo', 'UTC');
    expect(i18n.clock('11:30')).toBe('11:30 AM');
  });

  it('writes a time in the daemon’s sentences ("next at 14:32") as the reader’s language writes a time', async () => {
    const message = { common: { said: { guest: { phoneLimit: '{perPhone} an hour per phone; next at {time}' } } } };
    const i18n = new I18n(message, () =>
      Promise.resolve({ common: { said: { guest: { phoneLimit: '{perPhone} pro Stunde; der nächste um {time}' } } } }),
    );
    const said = { id: 'guest.phoneLimit', values: { perPhone: 1, time: '14:32' } };
    expect(i18n.said(said, '')).toBe('1 an hour per phone; next at 2:32 PM');
    await i18n.use('de');
    expect(i18n.said(said, '')).toBe('1 pro Stunde; der nächste um 14:32');
  });

  it('is written nowhere in the screens but through it', () => {
    const files = readdirSync(UI, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !TIMES.has(f));
    const own = /toLocaleTimeString|toLocaleDateString|new Intl\.DateTimeFormat|hourCycle|hour: '2-digit'|padStart\(2, '0'\)}:00/;
    const found = files.flatMap((f) =>
      readFileSync(join(UI, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (own.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
