import type { FitVerdict } from '../music/fit-policy.js';

/**
 * How a song a guest asks for sits with the room now (`music/fit-policy.ts` judges it): `fits`
 * plays in its turn, `near` waits for the room, `far` is declined at once.
 */
export type GuestFitVerdict = FitVerdict;

/** What the guest service asks of the music director: how a song sits with the room, and its moves. */
export interface GuestMusic {
  guestFit(trackId: number): GuestFitVerdict;
  /** The guests' queue changed: the song after this one may change. */
  guestsChanged(): Promise<void>;
  /** Skips the song playing when it is still `trackId` (the music's one skip, as the guests'); nothing once it ended. */
  skip(ask: { by: 'guests'; trackId: number }): Promise<unknown>;
}
