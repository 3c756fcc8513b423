import { DomainError, type MoodboxErrorCode } from '../../kernel/errors.js';

/** The codes Spotify's parts raise, with their meanings. */
export const SPOTIFY_ERROR_CODES = {
  MB_ERR_SPOTIFY_AUTH: 'Spotify refused the credentials',
  MB_ERR_SPOTIFY_API: 'Spotify answered a request with an error; the message gives its status and reason',
  MB_ERR_SPOTIFY_RATE_LIMITED: 'Spotify kept answering 429 (too many requests) after the waits it asked for',
  MB_ERR_SPOTIFY_UNREACHABLE: 'Spotify cannot be reached (network); the local library plays instead',
  MB_ERR_SPOTIFY_NO_DEVICE: 'no Spotify Connect device is available to play on',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type SpotifyErrorCode = keyof typeof SPOTIFY_ERROR_CODES;

/** Spotify refused the credentials, answered with an error, kept rate-limiting, cannot be reached, or has no device to play on (`MB_ERR_SPOTIFY_*`). */
export class SpotifyError extends DomainError<SpotifyErrorCode> {}
