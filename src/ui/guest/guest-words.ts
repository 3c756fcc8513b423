import type { GuestRequest } from '../data/guest-api.js';

/* The guest page's words: times and a request's status, kept out of `<mb-guest>`. */

/** "3:05": a song's elapsed or total time. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A request's status as a guest reads it. */
export const REQUEST_STATUS: Readonly<Record<GuestRequest['status'], string>> = {
  queued: 'Coming up',
  waiting: 'Waiting',
  played: 'Played',
  declined: 'Declined',
  cleared: 'Cleared by staff',
};

/** "2 of 3 requests left this hour", "No requests left this hour". */
export function requestsLeft(left: number, perHour: number): string {
  if (left <= 0) return 'No requests left this hour';
  return `${left} of ${perHour} ${perHour === 1 ? 'request' : 'requests'} left this hour`;
}
