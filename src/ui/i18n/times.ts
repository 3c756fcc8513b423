/*
 * Every time the screens write, in one place: a time of day as the reader's language writes it
 * (`Intl`'s short time: "5:03 AM" in English, "05:03" in German and French, "5:03" in Spanish),
 * in the box's time zone, with that zone named where the reader keeps another. The kiosk, the
 * guest page and the admin panel all write times through here (by their `I18n`), so that one
 * screen never says "until 05:16" while another says "about 5:03 AM".
 */

/** 05:03 on a day with no summer time: its hour tells a language's own hour ("5" or "05"). */
const PROBE = Date.UTC(2000, 0, 1, 5, 3);

const hourStyles = new Map<string, Intl.DateTimeFormatOptions>();

/**
 * The parts of a time of day as `locale` writes a short time on its own (`timeStyle: 'short'`),
 * to be given beside a weekday or a date, where `Intl` takes no `timeStyle`: the hour with one
 * digit or two, and the clock of 12 or 24 hours.
 */
export function timeParts(locale: string): Intl.DateTimeFormatOptions {
  let parts = hourStyles.get(locale);
  if (parts === undefined) {
    const short = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'UTC' });
    const hour = short.formatToParts(PROBE).find((p) => p.type === 'hour')?.value ?? '5';
    const { hourCycle } = short.resolvedOptions();
    parts = { hour: hour.length === 2 ? '2-digit' : 'numeric', minute: '2-digit', ...(hourCycle === undefined ? {} : { hourCycle }) };
    hourStyles.set(locale, parts);
  }
  return parts;
}

/**
 * A date or time (`options` as `Intl.DateTimeFormat` takes them) in `locale`, in `zone` (the box's,
 * where it is not the reader's; undefined: the reader's own): a time in it names the zone
 * ("22:00 GMT+1"). An hour asked for is written as the language writes its short time.
 */
export function formatDateTime(locale: string, at: number | Date, options: Intl.DateTimeFormatOptions, zone?: string): string {
  const hasTime = options.timeStyle !== undefined || options.hour !== undefined || options.minute !== undefined;
  const asked = options.hour === undefined ? options : { ...options, ...timeParts(locale) };
  if (zone === undefined) return new Intl.DateTimeFormat(locale, asked).format(at);
  const text = new Intl.DateTimeFormat(locale, { ...asked, timeZone: zone }).format(at);
  if (!hasTime) return text;
  // Named after the time, by hand: `Intl` takes no `timeZoneName` beside a `timeStyle`.
  const name = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return name === undefined ? text : `${text} ${name}`;
}

/** "5:03 AM", "05:03": a moment's time of day in `locale`, in `zone` (named) or the reader's. */
export function formatTimeOfDay(locale: string, at: number | Date, zone?: string): string {
  return formatDateTime(locale, at, { timeStyle: 'short' }, zone);
}

/**
 * "11:30 AM", "11:30": an hour of the box's day that is no moment (a day plan's start, the nightly
 * backup's hour, an hour of the busy-hours chart), as `locale` writes a time; no zone, for it is
 * the box's own by definition. `hhmm` as a time input gives it ("11:30"), or the hour alone.
 */
export function formatClock(locale: string, hhmm: string | number): string {
  const [hour = 0, minute = 0] = typeof hhmm === 'number' ? [hhmm, 0] : hhmm.split(':').map(Number);
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1, hour, minute));
}
