import type { MoodboxErrorCode } from '../../kernel/errors.js';

/** The codes that answer guests' phones, with their meanings. */
export const GUEST_ERROR_CODES = {
  MB_ERR_GUEST_CLOSED: 'song requests from guests are off on this box (Settings turns them on)',
  MB_ERR_GUEST_LIMIT:
    'this phone, or the phones of its network address together, asked for as many songs as they may this hour; the message says which, and when the next may be asked for',
  MB_ERR_GUEST_REPEAT: 'the song is playing, already asked for, or was asked for within the repeat window',
  MB_ERR_GUEST_MOOD: "the song is far from the room's mood now, so it is declined",
  MB_ERR_GUEST_NOT_PLAYING: 'the song liked or voted on is not the one playing now',
  MB_ERR_GUEST_NOT_APPROVED: 'the request voted on still waits for the staff to say yes: it can be voted on once they do',
  MB_ERR_GUEST_NOT_ALLOWED: 'guests cannot ask for this song on this box (Spotify at a business, a station that cannot play)',
  MB_ERR_GUEST_TOO_FAST: 'the phone or its network address called the guest page too often: wait a moment',
  MB_ERR_GUEST_FULL: 'as many guest pages are open as the box serves (in all, or from this network address): try again when one closes',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type GuestErrorCode = keyof typeof GUEST_ERROR_CODES;
