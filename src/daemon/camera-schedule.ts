/** Daily camera hours, local time `HH:MM`; `to` before `from` spans midnight. */
export interface CameraHours {
  from: string;
  to: string;
}

const minutes = (hhmm: string): number => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Whether the camera may run at `at` (epoch ms), in the box's local time. No hours: always. */
export function isWithinHours(hours: CameraHours | null, at: number): boolean {
  if (hours === null) return true;
  const date = new Date(at);
  const now = date.getHours() * 60 + date.getMinutes();
  const from = minutes(hours.from);
  const to = minutes(hours.to);
  if (from === to) return true;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** Why the camera is off by the admin's settings, or null when it may run. */
export function cameraOffReason(camera: { enabled: boolean; hours: CameraHours | null }, at: number): string | null {
  if (!camera.enabled) return 'turned off by an admin';
  if (!isWithinHours(camera.hours, at)) return `off outside camera hours (${camera.hours?.from ?? ''}–${camera.hours?.to ?? ''})`;
  return null;
}
