import { isWithinHours } from '../../kernel/daily-hours.js';
import type { DayPlan } from '../config/schema-day-plans.js';

/**
 * The day plans, pure: which block of the day is in force, when the next one begins or ends, and
 * what a block does to the picks (a lean toward its mood, an energy cap). `DayPlanWatch` follows
 * the clock with them; the limits (`limits-policy.ts`) fold a block's volume cap in.
 */

export type { DayPlan };

/**
 * The share of the mood weights a block's mood takes when the music leans toward it: under half,
 * so the room's own mood still leads (a calm room at lunch hears mostly calm songs, more of them
 * lively than at ten), yet enough that the block's mood fits the room by itself.
 */
export const LEAN_SHARE = 0.4;

/** The block in force at `now` (epoch ms, the box's local time), or null: the first that covers it (`from` in, `to` out). */
export function activePlanAt(plans: readonly DayPlan[], now: number): DayPlan | null {
  return plans.find((plan) => isWithinHours(plan, now)) ?? null;
}

/**
 * When the next block begins or ends after `now` (epoch ms): the first `from` or `to` of any block
 * still to come, within a day; undefined without blocks. In local time, so a change of the clocks
 * (summer time) moves it as it moves the blocks.
 */
export function nextPlanChangeAt(plans: readonly DayPlan[], now: number): number | undefined {
  let next: number | undefined;
  for (const plan of plans) {
    for (const hhmm of [plan.from, plan.to]) {
      const [h = 0, m = 0] = hhmm.split(':').map(Number);
      const at = new Date(now);
      at.setHours(h, m, 0, 0);
      if (at.getTime() <= now) at.setDate(at.getDate() + 1);
      next = Math.min(next ?? Infinity, at.getTime());
    }
  }
  return next;
}

/**
 * The room's mood weights `room` leaning toward `mood`: the room's scaled to `1 − share`, and
 * `mood` given `share` more. The weights sum to 1; an empty `mood` leaves the room's as they are.
 */
export function leanToward(room: Readonly<Record<string, number>>, mood: string, share = LEAN_SHARE): Record<string, number> {
  const total = Object.values(room).reduce((sum, w) => sum + (w > 0 ? w : 0), 0);
  if (mood === '' || !(total > 0)) return { ...room };
  const out: Record<string, number> = {};
  for (const [name, weight] of Object.entries(room)) if (weight > 0) out[name] = (weight / total) * (1 - share);
  out[mood] = (out[mood] ?? 0) + share;
  return out;
}

/**
 * A block's energy cap (0–100, as the library shows a song's energy) on the valence/arousal
 * plane's arousal axis (−1 calm … 1 excited); undefined for 100, no cap.
 */
export function maxArousalOf(energyCap: number): number | undefined {
  return energyCap >= 100 ? undefined : energyCap / 50 - 1;
}
