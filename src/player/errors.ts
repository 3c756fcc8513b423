import { MoodboxError } from '../kernel/errors.js';

/** mpv cannot be started or refused a command, the audio output cannot be used, a folder cannot be scanned, or the kiosk's rules forbid a play (`MB_ERR_PLAYER_*`, `MB_ERR_LIBRARY_SCAN`). */
export class PlayerError extends MoodboxError {}
