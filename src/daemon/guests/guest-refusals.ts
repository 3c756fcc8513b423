import { MoodboxError } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import type { GuestErrorCode } from './guest-error-codes.js';

/**
 * Why a guest's phone is refused, in words: the English (`text`, the error's `message`, for what
 * reads the API and for the log) and the same sentence as data (`said`, a message of the screens'
 * catalogues, `common.said.guest.<id>`), for the guest page to say in the guest's language. Each
 * sentence is written here once, in both forms; `guest-refusals.test.ts` renders every `said`
 * through the English catalogue and checks it is `text`.
 */
export interface Refusal {
  readonly text: string;
  readonly said: Said;
}

const refusal = (text: string, id: string, values?: Said['values']): Refusal => ({ text, said: said(`guest.${id}`, values) });
const requests = (n: number): string => `${n} ${n === 1 ? 'request' : 'requests'}`;
const songs = (n: number): string => `${n} ${n === 1 ? 'song' : 'songs'}`;

export const GUEST_REFUSALS = {
  closed: () => refusal('Song requests are off here: the staff can turn them on', 'closed'),
  notAllowed: () => refusal('This song cannot be asked for here: pick one from the library', 'notAllowed'),
  asked: (title: string) => refusal(`“${title}” is playing or already asked for: vote for it instead`, 'asked', { title }),
  recent: (title: string, minutes: number) =>
    refusal(`“${title}” was asked for a moment ago: it may be asked for again in ${minutes} min`, 'recent', { title, minutes }),
  notApproved: () => refusal('This song waits for the staff to say yes: you can vote on it once it is in the queue', 'notApproved'),
  notPlaying: () => refusal('That song is not playing any more: like or vote on the one playing now', 'notPlaying'),
  tooFast: (seconds: number) => refusal(`Too many taps in a minute: wait ${seconds} s and try again`, 'tooFast', { seconds }),
  /** This phone asked for as many songs as a phone may this hour; it may again at `time` ("14:32", the box's clock). */
  phoneLimit: (perPhone: number, time: string) =>
    refusal(`${requests(perPhone)} an hour per phone; next at ${time}`, 'phoneLimit', { perPhone, time }),
  /** The phones of one network address asked for `asked` songs, as many as one network may. */
  networkFull: (asked: number, time: string) =>
    refusal(`Phones on this network asked for ${songs(asked)} this hour, as many as one network may; next at ${time}`, 'networkFull', {
      asked,
      time,
    }),
  /** The phones of one network address asked for `asked` songs: `perPhone` for each phone seen there. */
  networkLimit: (asked: number, perPhone: number, time: string) =>
    refusal(
      `Phones on this network asked for ${songs(asked)} this hour: ${requests(perPhone)} for each phone seen here; next at ${time}`,
      'networkLimit',
      { asked, perPhone, time },
    ),
} as const;

/**
 * The refusals of guests' requests that are no reason of the room's: a song or request gone, a call
 * from off the local network or another site. On the guest page (`GUEST_GONE.*` with
 * `guestRefused`) and on the admin panel's guests page (`staffNotInQueue`, `staffNotWaiting`).
 */
export const GUEST_GONE = {
  /** A song asked for that the library does not have. */
  noSong: (trackId: number) =>
    refusal(`Expected a song of the library, got \`${trackId}\` (no such song)`, 'noSong', { trackId: String(trackId) }),
  /** A request's song that the library no longer has. */
  songGone: (trackId: number) => refusal(`Expected a song of the library, got \`${trackId}\``, 'songGone', { trackId: String(trackId) }),
  /** A request taken back that is not this phone's, or no longer in the queue. */
  notYours: (id: number) =>
    refusal(`Expected a request of yours in the queue, got \`${id}\`: it played or left the queue`, 'notYours', { id: String(id) }),
  /** A vote on a request up next that played or left the queue. */
  notUpNext: (on: number) =>
    refusal(`Expected a song guests asked for, up next, got \`${on}\`: it played or left the queue`, 'notUpNext', { id: String(on) }),
  /** Staff clear a request that is no longer in the queue. */
  staffNotInQueue: (id: number) =>
    refusal(`Expected a guest request in the queue, got \`${id}\`: it played or left it`, 'staffNotInQueue', { id: String(id) }),
  /** Staff approve a request that no longer waits for them. */
  staffNotWaiting: (id: number) =>
    refusal(`Expected a guest request waiting for the staff, got \`${id}\`: it was approved, or left the queue`, 'staffNotWaiting', {
      id: String(id),
    }),
  /** A guest call from off the local network, while the guest page is kept to it. */
  lanOnly: () => refusal('The guest page is served on the local network only.', 'lanOnly'),
  /** A guest call from another site's page. */
  foreignOrigin: () => refusal('Expected the guest page of this Moodbox: the Origin is another site.', 'foreignOrigin'),
  /** A change sent without an Origin. */
  noOrigin: () => refusal('Expected the guest page of this Moodbox to send this (with its Origin).', 'noOrigin'),
} as const;

/** The error a guest's phone (or the staff) is answered with: `code`, and the refusal in English and as data. */
export function guestRefused(code: GuestErrorCode | 'MB_ERR_NOT_FOUND' | 'MB_ERR_HTTP_FORBIDDEN', refusal: Refusal): MoodboxError {
  return new MoodboxError(code, refusal.text, { said: refusal.said });
}

/** The error of a phone with no request left this hour (`MB_ERR_GUEST_LIMIT`), saying when it may ask again. */
export function limitRefused(allowance: { reason: string | null; reasonSaid: Said | null }): MoodboxError {
  return new MoodboxError('MB_ERR_GUEST_LIMIT', allowance.reason ?? 'No requests left this hour', {
    said: allowance.reasonSaid ?? undefined,
  });
}
