import { said, type Said } from '../../kernel/said.js';
import { musicWord } from '../../player/pick-reasons.js';
import type { PlayOutcome } from '../../player/player.js';
import type { GuestFitVerdict } from './guest-fit.js';

/**
 * Why a guest's request stands where it does (its `reason`: queued, waiting, played, declined…),
 * in words: the English (`text`, for what reads the API and for the staff's list) and the same
 * sentence as data (`said`, a message of the screens' catalogues, `common.said.guest.reason.<id>`),
 * for the guest page to say in the guest's language. Each sentence is written here once, in both
 * forms; `guest-reasons.test.ts` renders every `said` through the English catalogue and checks it
 * is `text`.
 */
export interface GuestReason {
  readonly text: string;
  /** `text` as a message of the catalogues; null where there is none (a verdict of the room's fit given without one). */
  readonly said: Said | null;
}

/** How a song that does not fit the room sits with it (`music/fit-policy.ts` words it). */
export type UnfitVerdict = Exclude<GuestFitVerdict, { fit: 'fits' }>;

const reason = (text: string, id: string, values?: Said['values']): GuestReason => ({ text, said: said(`guest.reason.${id}`, values) });

/** Why a request that started playing ended early, by how it ended. */
const ENDED_EARLY: Readonly<Record<Exclude<PlayOutcome, 'completed'> | 'voted-off', GuestReason>> = {
  'voted-off': reason('Guests voted it off', 'votedOff'),
  skipped: reason('The staff skipped it', 'staffSkipped'),
  switched: reason('The room’s mood changed and the music moved on', 'moodChanged'),
  failed: reason('It could not be played', 'failed'),
  interrupted: reason('The music stopped', 'musicStopped'),
};

/** The messages of "it waited … and the room did not come closer: …", by the message of the room's verdict they go on with. */
const WAITED: Readonly<Record<string, string>> = {
  'fit.unknown': 'waitedUnknown',
  'fit.near': 'waitedNear',
  'fit.far': 'waitedFar',
  'fit.nearHeld': 'waitedNearHeld',
  'fit.farHeld': 'waitedFarHeld',
};

export const GUEST_REASONS = {
  /** A queued request: where and when it plays is the queue's to say (its place and time), not a promise made when it was asked. */
  queued: reason('It fits the room, so it is in the queue', 'queued'),
  /** A queued request while staff hold the mood: it fits the mood they chose, not the room's. */
  queuedHeld: reason('It fits the mood staff chose, so it is in the queue', 'queuedHeld'),
  /** Queued by a verdict of `fits`: for the room, or for the mood staff hold. */
  queuedFor: (verdict: Extract<GuestFitVerdict, { fit: 'fits' }>): GuestReason =>
    verdict.isHeld === true ? GUEST_REASONS.queuedHeld : GUEST_REASONS.queued,
  /** A request the staff have not said yes to yet. */
  approval: reason('Waiting for the staff to say yes', 'approval'),
  /** A request the staff said no to. */
  staffDeclined: reason('The staff said no to it', 'staffDeclined'),
  /** Nobody on the staff said yes to it in time. */
  staffLate: (minutes: number) => reason(`The staff did not get to it within ${minutes} min`, 'staffLate', { minutes }),
  playing: reason('Playing now', 'playing'),
  played: reason('Played', 'played'),
  /** It started playing and ended early (`voted-off`: guests skipped it). */
  endedEarly: (outcome: Exclude<PlayOutcome, 'completed'> | 'voted-off'): GuestReason => ENDED_EARLY[outcome],
  /** Enough "not this" votes dropped it from the queue. */
  votedOffQueue: reason('Guests voted it off the queue', 'votedOffQueue'),
  /** The staff blocked the song while it was in the queue. */
  blocked: reason('The staff took this song off the list', 'blocked'),
  /** The staff cleared it from the queue. */
  cleared: reason('Taken out of the queue by the staff', 'cleared'),
  /** Its guest took it back. */
  cancelled: reason('You took it back', 'cancelled'),
  /** It waits for the room: the room's verdict, as `music/fit-policy.ts` words it. */
  fit: (verdict: UnfitVerdict): GuestReason => ({ text: verdict.reason, said: verdict.reasonSaid ?? null }),
  /** It waited `minutes` for the room, which did not come to it: declined, with the room's verdict now. */
  waited: (minutes: number, verdict: UnfitVerdict): GuestReason => {
    // While staff hold the mood, it is the music that did not come closer, not the room.
    const isHeld = verdict.reasonSaid?.id.endsWith('Held') === true;
    const text = `It waited ${minutes} min and the ${isHeld ? 'music' : 'room'} did not come closer: ${lower(verdict.reason)}`;
    const id = verdict.reasonSaid === undefined ? undefined : WAITED[verdict.reasonSaid.id];
    return { text, said: id === undefined ? null : said(`guest.reason.${id}`, { minutes, ...verdict.reasonSaid?.values }) };
  },
} as const;

/**
 * The room's line on the guest page while the staff hold a mood: the music they chose (`music`, a
 * mood of the library, in the catalogue's word where it has one; a mood the owner added keeps its
 * name), or none named ('').
 */
export function staffHold(music: string): { readonly text: string; readonly said: Said } {
  return music === ''
    ? { text: 'The staff chose this music for now', said: said('guest.staffHoldUnnamed') }
    : { text: `The staff chose ${music} music for now`, said: said('guest.staffHold', { music: musicWord(music) }) };
}

function lower(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
