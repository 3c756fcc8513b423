/** Daily hours, local time `HH:MM`; `to` before `from` spans midnight; `from` equal to `to` is all day. */
export interface DailyHours {
  from: string;
  to: string;
}

const minutes = (hhmm: string): number => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Whether `at` (epoch ms) falls within `hours`, in the box's local time. No hours: always. */
export function isWithinHours(hours: DailyHours | null, at: number): boolean {
  if (hours === null) return true;
  const date = new Date(at);
  const now = date.getHours() * 60 + date.getMinutes();
  const from = minutes(hours.from);
  const to = minutes(hours.to);
  if (from === to) return true;
  return from < to ? now >= from && now < to : now >= from || now < to;
}
