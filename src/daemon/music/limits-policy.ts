import { isWithinHours } from '../../kernel/daily-hours.js';
import { NOBODY, type RoomMood } from '../../kernel/room-mood.js';
import type { Config } from '../config/schema.js';
import type { DayPlan } from './day-plan-policy.js';

/**
 * The limits on the music, pure: when it is silent and how loud it may be, from the player
 * settings (the volume schedule among them), the time, the mood followed and the day plan block in
 * force (its volume cap), which `DayPlanWatch` alone works out. `MusicLimits` applies them to the player.
 */

export type PlayerSettings = Config['player'];

/** Why music is not playing by Moodbox's own decision (or staff's), or null. */
export type Silence = 'quiet hours' | 'nobody there' | 'volume schedule' | 'day plan' | 'paused by staff' | null;

export const NOBODY_SILENCE = 'nobody there' as const;

/** What the limits on the music depend on besides the settings. */
export interface MusicMoment {
  /** Epoch ms. */
  now: number;
  /** The mood the music follows now (held or the room's), or null before the first reading. */
  label: RoomMood['label'] | null;
  isPausedByStaff: boolean;
  /** The day plan block in force (`DayPlanWatch`, its one owner), or null. */
  plan: Pick<DayPlan, 'volumeCap'> | null;
}

/** The highest volume allowed at `now` (0–100): the admin's maximum, the volume schedule and the day plan in force. */
export function volumeCapOf(settings: PlayerSettings, { now, plan }: Pick<MusicMoment, 'now' | 'plan'>): number {
  return Math.min(scheduleCapOf(settings, now), plan?.volumeCap ?? 100);
}

/** The admin's maximum and the volume schedule at `now` (0–100). */
function scheduleCapOf(settings: PlayerSettings, now: number): number {
  let cap = settings.maxVolume;
  for (const span of settings.volumeSchedule) if (isWithinHours(span, now)) cap = Math.min(cap, span.maxVolume);
  return cap;
}

/** Whether `at` falls in the quiet hours (`player.quietHours`): no music, and the kiosk's screen dark. */
export function isQuietHours(settings: Pick<PlayerSettings, 'quietHours'>, at: number): boolean {
  return settings.quietHours !== null && isWithinHours(settings.quietHours, at);
}

/** Why the music is silent at this moment, by the rules (a staff pause first), or null while it may play. */
export function silenceOf(settings: PlayerSettings, moment: MusicMoment): Silence {
  if (moment.isPausedByStaff) return 'paused by staff';
  if (isQuietHours(settings, moment.now)) return 'quiet hours';
  if (moment.label === NOBODY && settings.idle.behaviour === 'silence') return NOBODY_SILENCE;
  if (scheduleCapOf(settings, moment.now) === 0) return 'volume schedule';
  if (volumeCapOf(settings, moment) === 0) return 'day plan';
  return null;
}

/** The volume the music should play at (0–100): the one asked for, lowered while nobody is there and capped. */
export function targetVolumeOf(settings: PlayerSettings, moment: MusicMoment, wanted: number): number {
  let volume = wanted;
  if (moment.label === NOBODY && settings.idle.behaviour !== 'silence') volume = Math.min(volume, settings.idle.volume);
  return Math.min(volume, volumeCapOf(settings, moment));
}
