import { html, type TemplateResult } from 'lit';
import type { GuestRequest, GuestState } from '../data/guest-api.js';
import { isOpen } from '../data/guest-request-status.js';
import { i18n, t } from './guest-i18n.js';

/* The guest page's words: times, places and a request's status, kept out of `<mb-guest>`. */

/** "3:05": a song's elapsed or total time, or a countdown. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000 - 0.001));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * The heading over the song playing: "Now playing", "Paused", or, while no sound reaches the room
 * (`stalled`), "No sound right now" with why and what happens next; in the quiet hours (`quietUntil`
 * their end), "Quiet hours" and until when.
 */
export function nowHeading(status: GuestState['status'], quietUntil: string | null = null): TemplateResult {
  if (quietUntil !== null && status !== 'playing')
    return html`<h2>${t('guest.quietHours')}</h2>
      <p class="stalled" role="status" data-quiet-hours>${t('guest.quietLine', { until: i18n.clock(quietUntil) })}</p>`;
  if (status === 'stalled')
    return html`<h2>${t('guest.noSound')}</h2>
      <p class="stalled" role="status">${t('guest.noSoundLine')}</p>`;
  return html`<h2>${status === 'paused' ? t('guest.paused') : t('guest.nowPlaying')}</h2>`;
}

/** Why a request stands where it does, in the guest's language (the daemon's English where it sends no message). */
export function requestReason(request: GuestRequest): string {
  return i18n.said(request.reasonSaid, request.reason);
}

/** A request's status as a guest reads it. */
export function requestStatus(request: Pick<GuestRequest, 'status' | 'awaitingApproval'>): string {
  // A request waits for the staff's yes, or (said yes to, or never needing one) for the room's mood.
  return request.status === 'waiting' && !request.awaitingApproval ? t('guest.status.waitingMood') : t(`guest.status.${request.status}`);
}

/** "2 of 3 requests left this hour", "No requests left this hour". */
export function requestsLeft(left: number, perHour: number): string {
  return left <= 0 ? t('guest.noRequestsLeft') : t('guest.requestsLeft', { left, perHour });
}

/** "Next", "3rd in line": where a song stands in what plays next. */
export function placeWords(place: number): string {
  return place <= 1 ? t('guest.next') : t('guest.place', { place });
}

/**
 * What a song of the search results already is, where asking for it would be refused: "Playing
 * now", this phone's own request ("Your request"), or its place in what plays next ("Next", "3rd in
 * line"); null while it may be asked for.
 */
export function songStanding(s: GuestState, trackId: number): string | null {
  if (s.nowPlaying?.track.id === trackId) return t('guest.status.playing');
  const isAsked = (r: GuestRequest) => r.track.id === trackId && isOpen(r.status);
  if (s.me.requests.some(isAsked)) return t('guest.yourRequest');
  const next = s.upNext.find((item) => item.track.id === trackId);
  return next === undefined ? null : placeWords(next.place);
}

/** "about 14:41 (in 9 min)", "about now": when a song in the queue should start, from `now` (epoch ms), on this phone's clock. */
export function expectedWords(at: number, now: number): string {
  const minutes = Math.round((at - now) / 60_000);
  return minutes <= 0 ? t('guest.aboutNow') : t('guest.about', { time: i18n.time(at), minutes });
}

/**
 * What to tell a guest about their own request when it changed from `before` (undefined: first
 * seen) to `after`: it is next, plays, or was skipped, declined or taken out, and why; null when
 * there is nothing to tell.
 */
export function requestNotice(before: GuestRequest | undefined, after: GuestRequest): string | null {
  const title = after.track.title;
  const isNext = (r: GuestRequest | undefined) => r?.status === 'queued' && r.place === 1;
  if (after.status === before?.status && isNext(after) === isNext(before)) return null;
  switch (after.status) {
    case 'queued':
      return isNext(after) && !isNext(before) ? t('guest.notice.next', { title }) : null;
    case 'playing':
      return t('guest.notice.playing', { title });
    case 'skipped':
      return before === undefined ? null : t('guest.notice.skipped', { title, reason: noticeReason(after) });
    case 'declined':
      return before === undefined ? null : t('guest.notice.declined', { title, reason: noticeReason(after) });
    case 'cleared':
      return before === undefined ? null : t('guest.notice.cleared', { title });
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

/** News about one of this phone's requests: what to say, and the request's status when it was said. */
export interface Notice {
  readonly requestId: number;
  readonly status: GuestRequest['status'];
  readonly text: string;
}

/** The latest news about this phone's requests between two views of the page (`before` null: the first), or null. */
export function latestNotice(before: GuestState | null, after: GuestState): Notice | null {
  const was = new Map((before?.me.requests ?? []).map((r) => [r.id, r]));
  let notice: Notice | null = null;
  // Newest first: the news about the oldest request is said last, so the newest wins.
  for (const request of [...after.me.requests].reverse()) {
    const text = requestNotice(before === null ? undefined : was.get(request.id), request);
    if (text !== null) notice = { requestId: request.id, status: request.status, text };
  }
  return notice;
}

/**
 * Whether `notice` still holds in `state`: its request is where it was when told. "Your song … is
 * next" goes once the guest took the song back, or it was taken out.
 */
export function noticeHolds(notice: Notice, state: GuestState): boolean {
  return state.me.requests.some((r) => r.id === notice.requestId && r.status === notice.status);
}

/**
 * A request's reason inside a notice's sentence: the daemon's English lower-cased ("…was skipped:
 * guests voted it off."); a catalogue's message as it stands, written to read well there.
 */
function noticeReason(request: GuestRequest): string {
  const text = requestReason(request);
  return text === request.reason ? lower(text) : text;
}

function lower(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`.replace(/\.$/, '');
}
