import type { MoodboxErrorCode } from '../../kernel/errors.js';

/** The codes of requests themselves (their shape, their route, who may send them), with their meanings. */
export const HTTP_ERROR_CODES = {
  MB_ERR_HTTP_BAD_REQUEST: 'a request did not match its schema',
  MB_ERR_HTTP_NOT_FOUND: 'no such route or message type',
  MB_ERR_HTTP_FORBIDDEN: 'the route is not served to this address or role',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;
