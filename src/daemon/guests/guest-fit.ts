import type { FitVerdict } from '../music/fit-policy.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';

/** What the history, the queue and the kiosk say of a song a guest asked for ("asked for by a guest", and as a message). */
export const GUEST_NOTE = PLAY_REASONS.guest;

/**
 * How a song a guest asks for sits with the room now (`music/fit-policy.ts` judges it): `fits`
 * plays in its turn, `near` waits for the room, `far` is declined at once.
 */
export type GuestFitVerdict = FitVerdict;

/** What the music director asks of the guests' queue. */
export interface GuestQueue {
  /** The request to play next, judging each waiting one by `judge` (the room now); undefined when none may play now. */
  next(judge: (trackId: number) => GuestFitVerdict): { trackId: number } | undefined;
}

/** What the guest service asks of the music director: how a song sits with the room, and its moves. */
export interface GuestMusic {
  guestFit(trackId: number): GuestFitVerdict;
  /** The guests' queue changed: the song after this one may change. */
  guestsChanged(): Promise<void>;
  /** Skips the song playing when it is still `trackId`; resolves false when it already ended. */
  skipForGuests(trackId: number): Promise<boolean>;
}
