import { describe, expect, it } from 'vitest';
import { describeLight, LIGHT_ADVICE, LightLog, lightView } from './light-log.js';

const MINUTE = 60_000;
/** `frames` analysed frames in the minute that starts at `minute`, `dark` of them too dark to read. */
function minuteOf(log: LightLog, minute: number, frames: number, dark: number, clarity = 4): void {
  for (let i = 0; i < frames; i++) log.record(minute * MINUTE + i * 100, { tooDark: i < dark, clarities: [clarity] });
}

describe('the light log', () => {
  it('counts the minutes with faces in view, and as dark those where most frames were too dark to read', () => {
    const log = new LightLog();
    minuteOf(log, 0, 10, 0, 6);
    minuteOf(log, 1, 10, 6, 1);
    minuteOf(log, 3, 10, 5, 2); // half dark: not most
    const summary = log.summary(3 * MINUTE + 30_000);
    expect(summary).toMatchObject({ minutes: 3, darkMinutes: 1, medianClarity: 2 });
    expect(summary.byMinute).toEqual([
      { minutesAgo: 3, dark: false },
      { minutesAgo: 2, dark: true },
      { minutesAgo: 0, dark: false },
    ]);
  });

  it('reaches back one hour and forgets what is older', () => {
    const log = new LightLog();
    minuteOf(log, 0, 5, 5, 1);
    minuteOf(log, 30, 5, 0, 5);
    expect(log.summary(59 * MINUTE)).toMatchObject({ minutes: 2, darkMinutes: 1 });
    expect(log.summary(61 * MINUTE)).toMatchObject({ minutes: 1, darkMinutes: 0, byMinute: [{ minutesAgo: 31, dark: false }] });
    minuteOf(log, 95, 5, 0, 5);
    expect(log.summary(95 * MINUTE)).toMatchObject({ minutes: 1, byMinute: [{ minutesAgo: 0, dark: false }] });
  });

  it('gives advice on the camera page and the health line only while faces are or were too dark', () => {
    const log = new LightLog();
    minuteOf(log, 0, 10, 0, 6);
    const bright = log.summary(MINUTE);
    expect(lightView(bright, false)).toEqual({
      tooDarkNow: false,
      minutes: 1,
      darkMinutes: 0,
      medianClarity: 6,
      byMinute: [{ minutesAgo: 1, dark: false }],
      advice: null,
    });
    expect(describeLight(bright, false)).toBeUndefined();
    expect(lightView(bright, true).advice).toBe(LIGHT_ADVICE);
    expect(describeLight(bright, true)).toBe(`faces too dark to read expressions now (the room mood holds meanwhile): ${LIGHT_ADVICE}`);
    minuteOf(log, 1, 10, 8, 1);
    const dimmed = log.summary(2 * MINUTE);
    expect(lightView(dimmed, false).advice).toBe(LIGHT_ADVICE);
    expect(describeLight(dimmed, false)).toBe(
      `faces readable now; too dark for 1 of the last 2 minutes with faces in view: ${LIGHT_ADVICE}`,
    );
  });

  it('shows no clarity before a face was seen', () => {
    expect(lightView(new LightLog().summary(0), false)).toMatchObject({ minutes: 0, medianClarity: null, byMinute: [], advice: null });
  });
});
