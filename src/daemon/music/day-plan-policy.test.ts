import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { activePlanAt, leanToward, LEAN_SHARE, maxArousalOf, nextPlanChangeAt, type DayPlan } from './day-plan-policy.js';
import { silenceOf, volumeCapOf, type PlayerSettings } from './limits-policy.js';

// Which day plan is in force, and what it does to the picks and the volume (issue 40). Tests run in
// UTC (vitest.config.ts), so the box's local time is the UTC time below.

const at = (hhmm: string, day = 1): number => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return Date.UTC(2026, 5, day, h, m);
};
const block = (name: string, from: string, to: string, more: Partial<DayPlan> = {}): DayPlan => ({
  name,
  from,
  to,
  mood: '',
  energyCap: 100,
  volumeCap: 100,
  ...more,
});

const DAY: DayPlan[] = [
  block('morning', '07:00', '11:30', { mood: 'calm' }),
  block('lunch', '11:30', '14:00', { mood: 'upbeat' }),
  block('night', '22:00', '02:00', { mood: 'mellow' }),
];

describe('the day plan in force', () => {
  it('is the block whose hours hold the minute: its start in, its end out, so blocks that meet hand over at once', () => {
    expect(activePlanAt(DAY, at('06:59'))).toBeNull();
    expect(activePlanAt(DAY, at('07:00'))?.name).toBe('morning');
    expect(activePlanAt(DAY, at('11:29') + 59_999)?.name).toBe('morning');
    expect(activePlanAt(DAY, at('11:30'))?.name).toBe('lunch');
    expect(activePlanAt(DAY, at('13:59'))?.name).toBe('lunch');
    expect(activePlanAt(DAY, at('14:00'))).toBeNull();
  });

  it('spans midnight when it ends before it starts', () => {
    expect(activePlanAt(DAY, at('21:59'))).toBeNull();
    expect(activePlanAt(DAY, at('22:00'))?.name).toBe('night');
    expect(activePlanAt(DAY, at('23:59'))?.name).toBe('night');
    expect(activePlanAt(DAY, at('00:00', 2))?.name).toBe('night');
    expect(activePlanAt(DAY, at('01:59', 2))?.name).toBe('night');
    expect(activePlanAt(DAY, at('02:00', 2))).toBeNull();
  });

  it('changes next at the nearest start or end of any block, the next day after the last one, and never without blocks', () => {
    expect(nextPlanChangeAt(DAY, at('06:00'))).toBe(at('07:00'));
    expect(nextPlanChangeAt(DAY, at('07:00'))).toBe(at('11:30'));
    expect(nextPlanChangeAt(DAY, at('14:00'))).toBe(at('22:00'));
    expect(nextPlanChangeAt(DAY, at('23:00'))).toBe(at('02:00', 2));
    expect(nextPlanChangeAt(DAY, at('02:00', 2))).toBe(at('07:00', 2));
    expect(nextPlanChangeAt([], at('12:00'))).toBeUndefined();
  });
});

describe('what a day plan does to the picks', () => {
  it('leans the room’s mood weights toward its mood by a share under half: the room’s own mood still leads', () => {
    expect(leanToward({ calm: 1 }, 'upbeat')).toEqual({ calm: 1 - LEAN_SHARE, upbeat: LEAN_SHARE });
    expect(LEAN_SHARE).toBeLessThan(0.5);
    const mixed = leanToward({ upbeat: 2, energetic: 2 }, 'upbeat');
    expect(mixed['upbeat']).toBeCloseTo(0.3 + LEAN_SHARE);
    expect(mixed['energetic']).toBeCloseTo(0.3);
    expect(Object.values(mixed).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(leanToward({ calm: 1 }, '')).toEqual({ calm: 1 });
  });

  it('turns an energy cap (0–100, as the library shows it) into the arousal it allows; 100 is no cap', () => {
    expect(maxArousalOf(100)).toBeUndefined();
    expect(maxArousalOf(0)).toBe(-1);
    expect(maxArousalOf(50)).toBe(0);
    expect(maxArousalOf(75)).toBe(0.5);
  });
});

describe('a day plan’s volume cap', () => {
  const settings = (more: Partial<PlayerSettings>): PlayerSettings => ({ ...loadConfig({ env: {} }).config.player, ...more });
  // The block in force, as its one owner (`DayPlanWatch`) works it out.
  const inForce = (s: PlayerSettings, now: number) => ({ now, plan: activePlanAt(s.dayPlans, now) });
  const moment = (s: PlayerSettings, now: number) => ({ ...inForce(s, now), label: 'neutral' as const, isPausedByStaff: false });

  it('lowers the volume limit while its block is in force, under the maximum and the schedule, and not outside it', () => {
    const s = settings({
      maxVolume: 90,
      volumeSchedule: [{ from: '13:00', to: '15:00', maxVolume: 50 }],
      dayPlans: [block('lunch', '11:30', '14:00', { volumeCap: 60 })],
    });
    expect(volumeCapOf(s, inForce(s, at('11:00')))).toBe(90);
    expect(volumeCapOf(s, inForce(s, at('12:00')))).toBe(60);
    expect(volumeCapOf(s, inForce(s, at('13:30')))).toBe(50);
    expect(volumeCapOf(s, inForce(s, at('14:30')))).toBe(50);
    expect(volumeCapOf(s, inForce(s, at('16:00')))).toBe(90);
  });

  it('silences the music at 0, and says it is the day plan', () => {
    const s = settings({ dayPlans: [block('closed', '15:00', '16:00', { volumeCap: 0 })] });
    expect(silenceOf(s, moment(s, at('15:30')))).toBe('day plan');
    expect(silenceOf(s, moment(s, at('16:00')))).toBeNull();
    const scheduled = { ...s, volumeSchedule: [{ from: '15:00', to: '16:00', maxVolume: 0 }] };
    expect(silenceOf(scheduled, moment(scheduled, at('15:30')))).toBe('volume schedule');
  });
});
