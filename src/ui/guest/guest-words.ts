import type { GuestRequest, GuestState } from '../data/guest-api.js';

/* The guest page's words: times, places and a request's status, kept out of `<mb-guest>`. */

/** "3:05": a song's elapsed or total time, or a countdown. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000 - 0.001));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** A request's status as a guest reads it. */
export const REQUEST_STATUS: Readonly<Record<GuestRequest['status'], string>> = {
  queued: 'Coming up',
  waiting: 'Waiting',
  playing: 'Playing now',
  played: 'Played',
  skipped: 'Skipped',
  declined: 'Declined',
  cleared: 'Cleared by staff',
  cancelled: 'Taken back',
};

/** "2 of 3 requests left this hour", "No requests left this hour". */
export function requestsLeft(left: number, perHour: number): string {
  if (left <= 0) return 'No requests left this hour';
  return `${left} of ${perHour} ${perHour === 1 ? 'request' : 'requests'} left this hour`;
}

/** "Next", "3rd in line": where a song stands in what plays next. */
export function placeWords(place: number): string {
  if (place <= 1) return 'Next';
  const tens = place % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][place % 10] ?? 'th');
  return `${place}${suffix} in line`;
}

/** "14:32": a time of day on this phone's clock. */
export function timeOfDay(at: number): string {
  const date = new Date(at);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** "about 14:41 (in 9 min)", "about now": when a song in the queue should start, from `now` (epoch ms). */
export function expectedWords(at: number, now: number): string {
  const minutes = Math.round((at - now) / 60_000);
  if (minutes <= 0) return 'about now';
  return `about ${timeOfDay(at)} (in ${minutes} min)`;
}

/**
 * What to tell a guest about their own request when it changed from `before` (undefined: first
 * seen) to `after`: it is next, plays, or was skipped, declined or taken out, and why; null when
 * there is nothing to tell.
 */
export function requestNotice(before: GuestRequest | undefined, after: GuestRequest): string | null {
  const title = `“${after.track.title}”`;
  const isNext = (r: GuestRequest | undefined) => r?.status === 'queued' && r.place === 1;
  if (after.status === before?.status && isNext(after) === isNext(before)) return null;
  switch (after.status) {
    case 'queued':
      return isNext(after) && !isNext(before) ? `Your song ${title} is next.` : null;
    case 'playing':
      return `Your song ${title} is playing now.`;
    case 'skipped':
      return before === undefined ? null : `Your song ${title} was skipped: ${lower(after.reason)}.`;
    case 'declined':
      return before === undefined ? null : `Your song ${title} was declined: ${lower(after.reason)}.`;
    case 'cleared':
      return before === undefined ? null : `Your song ${title} was taken out of the queue by the staff.`;
    case 'waiting':
    case 'played':
    case 'cancelled':
      return null;
    default: {
      const never: never = after.status;
      return never;
    }
  }
}

/** The latest news about this phone's requests between two views of the page (`before` null: the first), or null. */
export function latestNotice(before: GuestState | null, after: GuestState): string | null {
  const was = new Map((before?.me.requests ?? []).map((r) => [r.id, r]));
  let notice: string | null = null;
  // Newest first: the news about the oldest request is said last, so the newest wins.
  for (const request of [...after.me.requests].reverse())
    notice = requestNotice(before === null ? undefined : was.get(request.id), request) ?? notice;
  return notice;
}

function lower(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`.replace(/\.$/, '');
}
