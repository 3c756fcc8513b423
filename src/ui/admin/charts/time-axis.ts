import { svg, type SVGTemplateResult } from 'lit';
import { formatDate, i18n, t } from '../admin-i18n.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The ranges the dashboard charts offer. */
export const CHART_RANGES = {
  hour: {
    get label(): string {
      return t('admin.charts.lastHour');
    },
  },
  today: {
    get label(): string {
      return t('admin.charts.today');
    },
  },
  week: {
    get label(): string {
      return t('admin.charts.lastWeek');
    },
  },
} as const;
export type ChartRange = keyof typeof CHART_RANGES;

/** What the dashboard asks the daemon for a range: its bounds (epoch ms) and bucket widths (ms). */
export interface RangeWindow {
  from: number;
  to: number;
  /** One mood timeline bucket. */
  bucketMs: number;
  /** One plays bar. */
  playsBucketMs: number;
}

/**
 * The window of `range` at `now`, in the viewer's time zone: the last hour in minutes, today from
 * local midnight in 5-minute buckets with hourly bars, the last 7 days from midnight in half hours
 * with daily bars.
 */
export function rangeWindow(range: ChartRange, now: number): RangeWindow {
  const midnight = (daysBack: number): number => {
    const d = new Date(now);
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() - daysBack);
    return d.getTime();
  };
  switch (range) {
    case 'hour': {
      const from = Math.floor((now - HOUR_MS) / MINUTE_MS) * MINUTE_MS;
      return { from, to: now, bucketMs: MINUTE_MS, playsBucketMs: 5 * MINUTE_MS };
    }
    case 'today':
      return { from: midnight(0), to: now, bucketMs: 5 * MINUTE_MS, playsBucketMs: HOUR_MS };
    case 'week':
      return { from: midnight(6), to: now, bucketMs: 30 * MINUTE_MS, playsBucketMs: DAY_MS };
    default: {
      const never: never = range;
      throw new RangeError(`Expected a chart range, got \`${String(never)}\``);
    }
  }
}

export interface Tick {
  at: number;
  /** Shown under the tick; empty for a minor tick. */
  label: string;
  isMajor: boolean;
}

const time = (at: number): string => i18n.time(at);
const day = (at: number): string => formatDate(at, { weekday: 'short', day: 'numeric' });

/**
 * Ticks on local clock boundaries for [from, to]: every 10 minutes (hours labelled bold) up to two
 * hours, every hour (labelled every third) up to a day and a half, else every 6 hours with days
 * labelled. Steps go by the local clock, so a daylight-saving change keeps ticks on the hour.
 */
export function timeTicks(from: number, to: number): Tick[] {
  const span = to - from;
  const ticks: Tick[] = [];
  const start = new Date(from);
  if (span <= 2 * HOUR_MS) {
    start.setMinutes(Math.ceil(start.getMinutes() / 10) * 10, 0, 0);
    if (start.getTime() < from) start.setMinutes(start.getMinutes() + 10);
    for (const d = start; d.getTime() <= to; d.setMinutes(d.getMinutes() + 10)) {
      ticks.push({ at: d.getTime(), label: time(d.getTime()), isMajor: d.getMinutes() === 0 });
    }
  } else if (span <= 36 * HOUR_MS) {
    start.setMinutes(0, 0, 0);
    if (start.getTime() < from) start.setHours(start.getHours() + 1);
    for (const d = start; d.getTime() <= to; d.setHours(d.getHours() + 1)) {
      const isMajor = d.getHours() % 3 === 0;
      ticks.push({ at: d.getTime(), label: isMajor ? time(d.getTime()) : '', isMajor });
    }
  } else {
    start.setHours(Math.ceil(start.getHours() / 6) * 6, 0, 0, 0);
    if (start.getTime() < from) start.setHours(start.getHours() + 6);
    for (const d = start; d.getTime() <= to; d.setHours(d.getHours() + 6)) {
      const isMajor = d.getHours() === 0;
      ticks.push({ at: d.getTime(), label: isMajor ? day(d.getTime()) : '', isMajor });
    }
  }
  return ticks;
}

/** A short label for a bucket starting at `at` of width `bucketMs`: a day, or a clock time. */
export function bucketLabel(at: number, bucketMs: number): string {
  return bucketMs >= DAY_MS ? day(at) : time(at);
}

/** "10:04–10:25" or, across days, with the days. */
export function spanLabel(from: number, to: number): string {
  const sameDay = new Date(from).toDateString() === new Date(to - 1).toDateString();
  return sameDay ? `${time(from)}–${time(to)}` : `${day(from)} ${time(from)} – ${day(to)} ${time(to)}`;
}

/** Minutes as "45 min" or "3 h 20 min". */
export function duration(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  if (minutes < 60) return t('admin.charts.minutes', { minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? t('admin.charts.hours', { hours }) : t('admin.charts.hoursMinutes', { hours, minutes: rest });
}

/** About how wide a tick label is drawn at the charts' 0.8rem (CSS px), to keep labels apart. */
const labelWidth = (label: string): number => label.length * 7 + 10;

/**
 * Tick marks and labels under a plot spanning x0..x1 at y (SVG units); `x` maps a time to x.
 * Labels near an edge are anchored inwards so none is cut off, and a label that would touch the
 * one before it (a narrow window) is left out; its tick stays.
 */
export function axisMarks(ticks: readonly Tick[], x: (at: number) => number, y: number, x0: number, x1: number): SVGTemplateResult {
  let freeFrom = Number.NEGATIVE_INFINITY;
  return svg`${ticks.map((t) => {
    const at = x(t.at);
    const anchor = at - x0 < 30 ? 'start' : x1 - at < 30 ? 'end' : 'middle';
    const width = labelWidth(t.label);
    const left = anchor === 'start' ? at : anchor === 'end' ? at - width : at - width / 2;
    const hasRoom = t.label !== '' && left >= freeFrom;
    if (hasRoom) freeFrom = left + width;
    return svg`<line class="tick${t.isMajor ? ' major' : ''}" x1=${at.toFixed(1)} x2=${at.toFixed(1)} y1=${y} y2=${y + (t.isMajor ? 7 : 4)} />
      ${hasRoom ? svg`<text class="tick-label${t.isMajor ? ' major' : ''}" x=${at.toFixed(1)} y=${y + 20} text-anchor=${anchor}>${t.label}</text>` : ''}`;
  })}`;
}
