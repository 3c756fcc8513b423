/**
 * Every error Moodbox raises on purpose carries a stable `code` (`MB_ERR_<AREA>_<WHAT>`), listed in
 * docs/api.md and never reused. Only `http/` maps codes to HTTP statuses.
 */
export const ERROR_CODES = {
  MB_ERR_CONFIG_INVALID: 'the configuration file or an environment override is invalid',
  MB_ERR_CONFIG_READ: 'the configuration file cannot be read or is not JSON',
  MB_ERR_STORE_OPEN: 'the database cannot be opened or created',
  MB_ERR_STORE_MIGRATION: 'a database migration failed; the pre-migration backup is kept',
  MB_ERR_STORE_WRITE: 'a write to the database failed (read-only file, disk full)',
  MB_ERR_STORE_NEWER: 'the database was written by a newer Moodbox',
  MB_ERR_STORE_BACKUP: 'a backup of the database cannot be written (disk full, folder not writable)',
  MB_ERR_STORE_RESTORE:
    'a backup cannot be restored: Moodbox is running, the file fails its integrity check, or its schema is not exactly that of a Moodbox migration',
  MB_ERR_STORE_DAMAGED: 'the database file is damaged: restore a backup or move it away; Moodbox does not start on it',
  MB_ERR_CAMERA_OPEN: 'the camera source cannot be opened',
  MB_ERR_MODEL_INVALID: 'the emotion model does not match its manifest',
  MB_ERR_PLAYER_START: 'the audio player (mpv) cannot be started',
  MB_ERR_PLAYER_OUTPUT: 'the audio output cannot be used (the Snapcast pipe is missing or not a FIFO): mpv waits until it can',
  MB_ERR_RFID_OPEN: 'the RFID reader cannot be opened',
  MB_ERR_SPOTIFY_AUTH: 'Spotify refused the credentials',
  MB_ERR_SERVICE_START: 'a service failed to start',
  MB_ERR_NOT_FOUND: 'the requested item does not exist',
  MB_ERR_HTTP_BAD_REQUEST: 'a request did not match its schema',
  MB_ERR_HTTP_NOT_FOUND: 'no such route or message type',
  MB_ERR_HTTP_FORBIDDEN: 'the route is not served to this address or role',
  MB_ERR_INTERNAL: 'an unexpected error; details are in the log, never in the response',
  MB_ERR_AUTH_FAILED: 'the name and PIN (or passphrase) do not match, or the account is disabled',
  MB_ERR_AUTH_THROTTLED: 'too many wrong PINs: wait before the next try',
  MB_ERR_AUTH_POLICY: 'a PIN or passphrase that does not meet the policy',
  MB_ERR_AUTH_REQUIRED: 'the route needs a signed-in person (kiosk) or admin',
  MB_ERR_CONFLICT: 'the change clashes with what exists (a name taken, your own account)',
  MB_ERR_RFID_NO_CARD: 'no card was tapped on the reader in time',
  MB_ERR_RFID_NO_READER: 'no card reader is plugged in (or card reading is off), so no card can be tapped',
  MB_ERR_CAMERA_LOST: 'the camera source stopped delivering frames; it is reopened with backoff',
  MB_ERR_CAMERA_UNREADABLE: 'an image or video given to `moodbox analyze` cannot be read',
  MB_ERR_MODEL_CASCADE: 'the face detection cascade cannot be loaded',
  MB_ERR_MODEL_MANIFEST: 'the emotion model has no readable, valid entry in models/manifest.json',
  MB_ERR_MODEL_CHECKSUM: 'the emotion model file differs from the sha256 in its manifest',
  MB_ERR_MODEL_LOAD: 'onnxruntime cannot load the emotion model or run it',
  MB_ERR_DATASET_READ: 'an evaluation CSV cannot be read (missing file, bad gzip data)',
  MB_ERR_DATASET_INVALID: 'an evaluation CSV is not in the FER-2013 format; the message names the line and data row',
  MB_ERR_PLAYER_NOT_ALLOWED: "the kiosk's rules do not allow it now (quiet hours, choosing songs needs a sign-in)",
  MB_ERR_PLAYER_TOO_FAST:
    "the kiosk's screen or its network address chose songs as often as it may (a minute's or an hour's taps): wait a while",
  MB_ERR_MUSIC_BLOCKED: 'the song or its artist is blocked on this box, or it is marked explicit and explicit songs are skipped',
  MB_ERR_PLAYER_MOOD: "the song tapped at the kiosk is far from the room's mood now: pick a suggestion",
  MB_ERR_PLAYER_COMMAND: 'mpv refused a command, or stopped while answering it',
  MB_ERR_PLAYER_STREAM: 'a station staff chose to play now did not play (its stream could not be opened); the next song plays instead',
  MB_ERR_LIBRARY_SCAN: 'a folder given to the library scanner cannot be read',
  MB_ERR_SPOTIFY_API: 'Spotify answered a request with an error; the message gives its status and reason',
  MB_ERR_SPOTIFY_RATE_LIMITED: 'Spotify kept answering 429 (too many requests) after the waits it asked for',
  MB_ERR_SPOTIFY_UNREACHABLE: 'Spotify cannot be reached (network); the local library plays instead',
  MB_ERR_SPOTIFY_NO_DEVICE: 'no Spotify Connect device is available to play on',
  MB_ERR_CAMERA_NO_FACE: 'no face is in view to record for a personal calibration (try again while someone looks at the camera)',
  MB_ERR_GUEST_CLOSED: 'song requests from guests are off on this box (Settings turns them on)',
  MB_ERR_GUEST_LIMIT:
    'this phone, or the phones of its network address together, asked for as many songs as they may this hour; the message says which, and when the next may be asked for',
  MB_ERR_GUEST_REPEAT: 'the song is playing, already asked for, or was asked for within the repeat window',
  MB_ERR_GUEST_MOOD: "the song is far from the room's mood now, so it is declined",
  MB_ERR_GUEST_NOT_PLAYING: 'the song liked or voted on is not the one playing now',
  MB_ERR_GUEST_NOT_ALLOWED: 'guests cannot ask for this song on this box (Spotify at a business, a station that cannot play)',
  MB_ERR_GUEST_TOO_FAST: 'the phone or its network address called the guest page too often: wait a moment',
  MB_ERR_GUEST_FULL: 'as many guest pages are open as the box serves (in all, or from this network address): try again when one closes',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class MoodboxError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class ConfigError extends MoodboxError {
  /** One line per problem, `path: message`. */
  readonly problems: readonly string[];

  constructor(code: ErrorCode, problems: readonly string[], options?: { cause?: unknown }) {
    super(code, formatProblems(problems), options);
    this.problems = problems;
  }
}

export class StoreError extends MoodboxError {}
export class ServiceError extends MoodboxError {}

export class AuthError extends MoodboxError {
  /** For `MB_ERR_AUTH_THROTTLED`: when the next attempt may be made (ms from now). */
  readonly retryAfterMs: number;

  constructor(code: ErrorCode, message: string, options?: { retryAfterMs?: number; cause?: unknown }) {
    super(code, message, options);
    this.retryAfterMs = options?.retryAfterMs ?? 0;
  }
}

function formatProblems(problems: readonly string[]): string {
  if (problems.length === 1) return `invalid configuration: ${problems[0] ?? ''}`;
  return `invalid configuration (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

/** Describes a value for error messages: "`140` (number)". */
export function describeValue(value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  return `\`${shown}\` (${type})`;
}
