import { MoodboxError, type MoodboxErrorCode } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import { AuthError } from './auth-error.js';

/**
 * The refusals of people's accounts and of the first run, each written once in both forms: the
 * English `message` (for what reads the API, and the log) and the same sentence as data (`said`,
 * `common.said.people.*` and `common.said.firstRun.*` in the screens' catalogues), for the admin
 * panel and the kiosk to say in their reader's language. `test/browser/catalogues.test.ts` says
 * every `said` through the English catalogue and checks it is the `message`.
 */
export interface Refusal {
  readonly message: string;
  readonly said: Said;
}

/** "Try again in 3 seconds." for a wait in ms. */
export function tryAgainIn(waitMs: number): string {
  const seconds = Math.ceil(waitMs / 1000);
  return `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

/** The seconds of a wait, as `tryAgainIn` counts them. */
const secondsOf = (waitMs: number): number => Math.ceil(waitMs / 1000);

const words = (message: string, id: string, values?: Said['values']): Refusal => ({ message, said: said(id, values) });
const people = (code: MoodboxErrorCode, message: string, id: string, values?: Said['values']): MoodboxError =>
  new MoodboxError(code, message, { said: said(`people.${id}`, values) });

/** One answer for every name self-registration refuses (taken, too like another, invisible characters): it never says which. */
export const REGISTRATION_NAME_REFUSED = 'That name cannot be used. Choose another one, or ask a member of staff.';

export const PEOPLE_REFUSALS = {
  /** No account has this id (deleted meanwhile, or never made). */
  noUser: (id: number) => people('MB_ERR_NOT_FOUND', `No user with id ${id}.`, 'noUser', { id: String(id) }),
  /** No account has this id, as setting a secret finds it. */
  userGone: (id: number) =>
    new AuthError('MB_ERR_NOT_FOUND', `no user with id ${id}`, { said: said('people.userGone', { id: String(id) }) }),
  /** No card of this id is linked. */
  noCard: () => people('MB_ERR_NOT_FOUND', 'No such card.', 'noCard'),
  /** An admin would disable or demote their own account. */
  ownRole: () => people('MB_ERR_CONFLICT', 'You cannot disable or demote your own account.', 'ownRole'),
  /** An admin would delete their own account. */
  ownDelete: () => people('MB_ERR_CONFLICT', 'You cannot delete your own account.', 'ownDelete'),
  /** Another account has this name after NFKC and case folding. */
  nameTaken: (name: string) => people('MB_ERR_CONFLICT', `A user named \`${name}\` already exists.`, 'nameTaken', { name }),
  /** Self-registration at the kiosk is off. */
  registrationOff: () => people('MB_ERR_HTTP_FORBIDDEN', 'Ask a member of staff to create your account.', 'registrationOff'),
  /** Any name self-registration refuses, never saying why. */
  registrationName: () => people('MB_ERR_CONFLICT', REGISTRATION_NAME_REFUSED, 'registrationName'),
  /**
   * Too many accounts made at the kiosk this hour. The wait follows in the English; the sentence as
   * data leaves it out, since the kiosk counts it down itself (`retryAfterMs`), as it does for sign-in.
   */
  registrationThrottled: (waitMs: number) =>
    new AuthError('MB_ERR_AUTH_THROTTLED', `Too many new accounts just now. ${tryAgainIn(waitMs)}`, {
      retryAfterMs: waitMs,
      said: said('people.registrationThrottled'),
    }),
} as const;

/** What is wrong with a name a person typed, in both forms (`names.ts` finds it). */
export const NAME_PROBLEMS = {
  /** Nothing visible is left of the name. */
  empty: () => words('Expected a name with at least one visible character, got an empty one', 'people.nameEmpty'),
  /** Longer than `max` characters. */
  tooLong: (max: number, length: number) =>
    words(`Expected a name of at most ${max} characters, got ${length}`, 'people.nameTooLong', { max, length }),
  /** A character a reader cannot see or that reorders what is shown, at `position` (from 1). */
  hidden: (codePoint: string, position: number) =>
    words(
      `Expected a name without invisible, control or direction-changing characters, got ${codePoint} at character ${position}`,
      'people.nameHidden',
      { codePoint, position },
    ),
} as const;

/** What is wrong with a new PIN or passphrase, in both forms (`pin-hash.ts` checks it). */
export const SECRET_PROBLEMS = {
  /** A member's PIN is not 4 to 8 digits. */
  pin: () => words('Expected a PIN of 4 to 8 digits', 'people.pinPolicy'),
  /** An admin's passphrase is shorter than `min` characters. */
  passphrase: (min: number) => words(`Expected an admin passphrase of at least ${min} characters`, 'people.passphrasePolicy', { min }),
} as const;

/** A name or secret problem as the error it is refused with. */
export function problemRefused(code: 'MB_ERR_HTTP_BAD_REQUEST' | 'MB_ERR_AUTH_POLICY', problem: Refusal): MoodboxError {
  return code === 'MB_ERR_AUTH_POLICY'
    ? new AuthError(code, problem.message, { said: problem.said })
    : new MoodboxError(code, problem.message, { said: problem.said });
}

/** A wait in the English and in the sentence as data: the admin panel does not count it down. */
const withWait = (code: 'MB_ERR_AUTH_THROTTLED' | 'MB_ERR_AUTH_FAILED', message: string, id: string, waitMs: number): AuthError =>
  new AuthError(code, `${message} ${tryAgainIn(waitMs)}`, {
    retryAfterMs: waitMs,
    said: said(`firstRun.${id}`, { seconds: secondsOf(waitMs) }),
  });

const CODE_NEEDED = 'From another device, the first admin needs the first-run code.';
const WRONG_CODE = 'That is not the first-run code.';

export const FIRST_RUN_REFUSALS = {
  /** The box has an admin already, or another first admin is being made. */
  hasAdmin: () => new AuthError('MB_ERR_CONFLICT', 'This box has an admin already: sign in.', { said: said('firstRun.hasAdmin') }),
  /** Too many wrong codes: the next try waits `waitMs`. */
  throttled: (waitMs: number) => withWait('MB_ERR_AUTH_THROTTLED', 'Too many wrong codes.', 'throttled', waitMs),
  /** From another device without the code; the next try may wait `waitMs` (0: none). */
  codeNeeded: (waitMs: number) =>
    waitMs > 0
      ? withWait('MB_ERR_AUTH_FAILED', CODE_NEEDED, 'codeNeededWait', waitMs)
      : new AuthError('MB_ERR_AUTH_FAILED', CODE_NEEDED, { said: said('firstRun.codeNeeded') }),
  /** A wrong code; the next try may wait `waitMs` (0: none). */
  wrongCode: (waitMs: number) =>
    waitMs > 0
      ? withWait('MB_ERR_AUTH_FAILED', WRONG_CODE, 'wrongCodeWait', waitMs)
      : new AuthError('MB_ERR_AUTH_FAILED', WRONG_CODE, { said: said('firstRun.wrongCode') }),
} as const;
