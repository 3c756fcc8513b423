import { describe, expect, it } from 'vitest';
import { I18n } from '../../src/ui/i18n/i18n.js';

// Times of day in the box's time zone (issue 57): the box keeps its hours (quiet hours, day plans)
// in its own zone, so a phone or a laptop in another one reads the box's time, with the zone named.

const AT = Date.UTC(2026, 10, 28, 14, 41);
const words = (): I18n<string> => new I18n({}, () => Promise.resolve({}));

describe('a time of day on the screens', () => {
  it('is the box’s, named, where the reader is in another zone', () => {
    const i18n = words();
    i18n.useTimeZone('UTC', 'America/New_York');
    expect(i18n.time(AT)).toBe('2:41 PM UTC');
    i18n.useTimeZone('Europe/Berlin', 'America/New_York');
    expect(i18n.time(AT)).toBe('3:41 PM GMT+1');
  });

  it('names no zone where the reader keeps the box’s time, even under another name', () => {
    const i18n = words();
    i18n.useTimeZone('Europe/Lisbon', 'Europe/London');
    expect(i18n.time(AT)).toBe('2:41 PM');
    i18n.useTimeZone(null, 'America/New_York');
    expect(i18n.time(AT)).toBe(new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(AT));
  });

  it('gives the box’s date, and the zone only beside a time', () => {
    const i18n = words();
    // 01:30 on the 28th in UTC is still the 27th in New York.
    i18n.useTimeZone('America/New_York', 'UTC');
    const late = Date.UTC(2026, 10, 28, 1, 30);
    expect(i18n.dateTime(late, { day: 'numeric', month: 'short' })).toBe('Nov 27');
    expect(i18n.dateTime(late, { timeStyle: 'short' })).toBe('8:30 PM EST');
  });

  it('tells the screens to render again when the box’s zone changes, and only then', () => {
    const i18n = words();
    let changes = 0;
    i18n.addEventListener('change', () => changes++);
    i18n.useTimeZone('UTC', 'Asia/Tokyo');
    i18n.useTimeZone('UTC', 'Asia/Tokyo');
    expect(changes).toBe(1);
    i18n.useTimeZone('Asia/Tokyo', 'Asia/Tokyo');
    expect(changes).toBe(2);
  });
});
