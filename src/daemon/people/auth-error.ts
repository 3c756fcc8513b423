import { DomainError, type MoodboxErrorCode } from '../../kernel/errors.js';
import type { Said } from '../../kernel/said.js';

/** The codes of signing in and of accounts' secrets, with their meanings. */
export const AUTH_ERROR_CODES = {
  MB_ERR_AUTH_FAILED: 'the name and PIN (or passphrase) do not match, or the account is disabled',
  MB_ERR_AUTH_THROTTLED: 'too many wrong PINs: wait before the next try',
  MB_ERR_AUTH_POLICY: 'a PIN or passphrase that does not meet the policy',
  MB_ERR_AUTH_REQUIRED: 'the route needs a signed-in person (kiosk) or admin',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type AuthErrorCode = keyof typeof AUTH_ERROR_CODES;

/**
 * A sign-in failed or is throttled, a secret does not meet the policy (`MB_ERR_AUTH_*`), the account
 * is gone (`MB_ERR_NOT_FOUND`), or the first admin exists already (`MB_ERR_CONFLICT`).
 */
export class AuthError extends DomainError<AuthErrorCode | 'MB_ERR_NOT_FOUND' | 'MB_ERR_CONFLICT'> {
  /** For `MB_ERR_AUTH_THROTTLED`: when the next attempt may be made (ms from now). */
  readonly retryAfterMs: number;

  constructor(
    code: AuthErrorCode | 'MB_ERR_NOT_FOUND' | 'MB_ERR_CONFLICT',
    message: string,
    options?: { retryAfterMs?: number; cause?: unknown; said?: Said },
  ) {
    super(code, message, options);
    this.retryAfterMs = options?.retryAfterMs ?? 0;
  }
}
