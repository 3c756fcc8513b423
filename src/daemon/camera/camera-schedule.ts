import { isWithinHours, type DailyHours } from '../../kernel/daily-hours.js';

/** Daily camera hours, local time `HH:MM`; `to` before `from` spans midnight. */
export type CameraHours = DailyHours;

/** Why the camera is off by the admin's settings, or null when it may run. */
export function cameraOffReason(camera: { enabled: boolean; hours: CameraHours | null }, at: number): string | null {
  if (!camera.enabled) return 'turned off by an admin';
  if (!isWithinHours(camera.hours, at)) return `off outside camera hours (${camera.hours?.from ?? ''}–${camera.hours?.to ?? ''})`;
  return null;
}
