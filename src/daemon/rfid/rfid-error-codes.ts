import type { MoodboxErrorCode } from '../../kernel/errors.js';

/** The codes of the card reader, with their meanings: `http/routes/cards.ts` answers the last two. */
export const RFID_ERROR_CODES = {
  MB_ERR_RFID_OPEN: 'the RFID reader cannot be opened',
  MB_ERR_RFID_NO_CARD: 'no card was tapped on the reader in time',
  MB_ERR_RFID_NO_READER: 'no card reader is plugged in (or card reading is off), so no card can be tapped',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type RfidErrorCode = keyof typeof RFID_ERROR_CODES;
