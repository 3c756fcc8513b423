import { COMMON_ERROR_CODES, type MoodboxErrorCode } from '../../kernel/errors.js';
import { VISION_ERROR_CODES } from '../../vision/errors.js';
import { PLAYER_ERROR_CODES } from '../../player/errors.js';
import { SPOTIFY_ERROR_CODES } from '../../player/spotify/spotify-error.js';
import { CONFIG_ERROR_CODES } from '../config/config-error.js';
import { STORE_ERROR_CODES } from '../store/store-reads.js';
import { AUTH_ERROR_CODES } from '../people/auth-error.js';
import { RFID_ERROR_CODES } from '../rfid/rfid-error-codes.js';
import { GUEST_ERROR_CODES } from '../guests/guest-error-codes.js';
import { HTTP_ERROR_CODES } from './http-error-codes.js';

/**
 * Every code Moodbox answers or exits with, and its meaning: the domains' lists together, each
 * declared beside the errors that carry it. docs/api.md lists them all (`readme.test.ts`), and
 * `build-server.ts` gives them their HTTP statuses. It lives in `http/`, the part that needs every
 * code, since the rest of the daemon may not import `http/` (`npm run deps`). A code a domain adds
 * is here at once, and `readme.test.ts` then fails until docs/api.md lists it.
 */
export const ERROR_CODES = {
  ...COMMON_ERROR_CODES,
  ...CONFIG_ERROR_CODES,
  ...STORE_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  ...RFID_ERROR_CODES,
  ...HTTP_ERROR_CODES,
  ...GUEST_ERROR_CODES,
  ...VISION_ERROR_CODES,
  ...PLAYER_ERROR_CODES,
  ...SPOTIFY_ERROR_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether a domain declares `code` (each code a `MoodboxError` carries should be one: `error-codes.test.ts`). */
export function isErrorCode(code: MoodboxErrorCode): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
