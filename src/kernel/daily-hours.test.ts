import { describe, expect, it } from 'vitest';
import { isWithinHours } from './daily-hours.js';

// Tests run with TZ=UTC (vitest.config.ts), so local time is UTC here.
const at = (hhmm: string): number => Date.parse(`2026-11-22T${hhmm}:00Z`);

describe('daily hours', () => {
  it('holds inside daytime hours only', () => {
    const hours = { from: '08:00', to: '20:00' };
    expect(['07:59', '08:00', '19:59', '20:00'].map((t) => isWithinHours(hours, at(t)))).toEqual([false, true, true, false]);
  });

  it('spans midnight when `to` comes before `from`', () => {
    const hours = { from: '22:00', to: '02:00' };
    expect(['21:59', '23:30', '01:59', '02:00'].map((t) => isWithinHours(hours, at(t)))).toEqual([false, true, true, false]);
  });

  it('holds all day when `from` equals `to`, and always without hours', () => {
    expect(isWithinHours({ from: '08:00', to: '08:00' }, at('03:00'))).toBe(true);
    expect(isWithinHours(null, at('03:00'))).toBe(true);
  });
});
