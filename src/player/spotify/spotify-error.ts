import { MoodboxError } from '../../kernel/errors.js';

/** Spotify refused the credentials, answered with an error, kept rate-limiting, cannot be reached, or has no device to play on (`MB_ERR_SPOTIFY_*`). */
export class SpotifyError extends MoodboxError {}
