import { DomainError, type MoodboxErrorCode } from '../kernel/errors.js';

/** The codes the player raises (mpv and the audio output, the kiosk's rules for a play, the library), with their meanings; Spotify's are in `spotify/spotify-error.ts`. */
export const PLAYER_ERROR_CODES = {
  MB_ERR_PLAYER_START: 'the audio player (mpv) cannot be started',
  MB_ERR_PLAYER_OUTPUT: 'the audio output cannot be used (the Snapcast pipe is missing or not a FIFO): mpv waits until it can',
  MB_ERR_PLAYER_NOT_ALLOWED: "the kiosk's rules do not allow it now (quiet hours, choosing songs needs a sign-in)",
  MB_ERR_PLAYER_TOO_FAST:
    "the kiosk's screen or its network address chose songs as often as it may (a minute's or an hour's taps): wait a while",
  MB_ERR_MUSIC_BLOCKED: 'the song or its artist is blocked on this box, or it is marked explicit and explicit songs are skipped',
  MB_ERR_PLAYER_MOOD: "the song tapped at the kiosk is far from the room's mood now: pick a suggestion",
  MB_ERR_PLAYER_COMMAND: 'mpv refused a command, or stopped while answering it',
  MB_ERR_PLAYER_STREAM: 'a station staff chose to play now did not play (its stream could not be opened); the next song plays instead',
  MB_ERR_LIBRARY_SCAN: 'a folder given to the library scanner cannot be read',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type PlayerErrorCode = keyof typeof PLAYER_ERROR_CODES;

/** mpv cannot be started or refused a command, the audio output cannot be used, a folder cannot be scanned, or the kiosk's rules forbid a play (`MB_ERR_PLAYER_*`, `MB_ERR_MUSIC_BLOCKED`, `MB_ERR_LIBRARY_SCAN`). */
export class PlayerError extends DomainError<PlayerErrorCode> {}
