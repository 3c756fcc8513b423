import type { Said } from './said.js';

/**
 * Every error Moodbox raises on purpose carries a stable `code` (`MB_ERR_<AREA>_<WHAT>`), listed in
 * docs/api.md and never reused. Each domain declares its own codes, with their one-line meanings,
 * beside its error class (`vision/errors.ts`, `player/errors.ts`, the daemon's folders); the kernel
 * holds only the codes every part may raise. The daemon assembles the full list
 * (`daemon/http/error-codes.ts`), and only `http/` maps codes to HTTP statuses.
 */
export type MoodboxErrorCode = `MB_ERR_${string}`;

/** The codes any part may raise, whatever its domain. */
export const COMMON_ERROR_CODES = {
  MB_ERR_SERVICE_START: 'a service failed to start',
  MB_ERR_NOT_FOUND: 'the requested item does not exist',
  MB_ERR_INTERNAL: 'an unexpected error; details are in the log, never in the response',
  MB_ERR_CONFLICT: 'the change clashes with what exists (a name taken, your own account)',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type CommonErrorCode = keyof typeof COMMON_ERROR_CODES;

/**
 * An error Moodbox raises on purpose. It takes any `MB_ERR_*` code, but the code must be one a domain
 * declares (`daemon/http/error-codes.test.ts` reads the sources); a domain's own class takes its codes only.
 */
export class MoodboxError extends Error {
  readonly code: MoodboxErrorCode;
  /** The message as data, for the screens to say in the reader's language (the English `message` travels beside it). */
  readonly said: Said | undefined;

  constructor(code: MoodboxErrorCode, message: string, options?: { cause?: unknown; said?: Said }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.said = options?.said;
  }
}

/**
 * The base of a domain's error class: it takes that domain's codes only
 * (`class ModelError extends DomainError<ModelErrorCode> {}`), so a code of another domain does not compile.
 */
export class DomainError<C extends MoodboxErrorCode> extends MoodboxError {
  declare readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown; said?: Said }) {
    super(code, message, options);
  }
}

/** A service could not start, or start-up was cancelled (`MB_ERR_SERVICE_START`). */
export class ServiceError extends DomainError<'MB_ERR_SERVICE_START'> {}

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
