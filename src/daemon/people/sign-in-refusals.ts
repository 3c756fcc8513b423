import { MoodboxError } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import { AuthError } from './auth-error.js';
import { tryAgainIn } from './people-refusals.js';

/**
 * The refusals that ask a person to sign in (at the kiosk, on the admin panel) or to change their
 * passphrase, each written once in both forms: the English `message` and the same sentence as data
 * (`common.said.auth.*`), for the screens to say in their reader's language.
 * `test/browser/catalogues.test.ts` says every `said` through the English catalogue and checks it is
 * the `message`.
 */

/**
 * What a person signs in to do at the kiosk ("Sign in to like a song"), and its words in the
 * catalogues (`common.said.auth.to.<id>`), written to fit after "sign in to".
 */
const ACTS = {
  'like a song': 'like',
  'unlike a song': 'unlike',
  'skip a song': 'skip',
  'choose a song': 'choose',
  'sign out': 'signOut',
  'stay signed in': 'staySignedIn',
  'see your page': 'seePage',
  'see your history': 'seeHistory',
  'change your preferences': 'changePreferences',
  'see your calibration': 'seeCalibration',
  calibrate: 'calibrate',
  'delete your calibration': 'deleteCalibration',
} as const;

/** Something a person signs in to do at the kiosk, as the English says it. */
export type KioskAct = keyof typeof ACTS;

/** Every act a refusal may name, for tests. */
export const KIOSK_ACTS = Object.keys(ACTS) as KioskAct[];

/** An act inside a sentence: the catalogue's words for it, or its own English when the catalogue has none. */
function actWord(what: string): string | { said: string } {
  return Object.hasOwn(ACTS, what) ? { said: `auth.to.${ACTS[what as KioskAct]}` } : what;
}

const required = (message: string, id: string, values?: Said['values']): MoodboxError =>
  new MoodboxError('MB_ERR_AUTH_REQUIRED', message, { said: said(`auth.${id}`, values) });

export const SIGN_IN_REFUSALS = {
  /** A like or skip with nobody signed in: it would shape nobody's picks. */
  toShapePicks: (what: string) =>
    required(`Sign in to ${what}: likes and skips shape your own picks`, 'signInToShapePicks', { what: actWord(what) }),
  /** Nobody is signed in at the kiosk. */
  nobody: (what: string) => required(`Sign in to ${what}: nobody is signed in`, 'signInNobody', { what: actWord(what) }),
  /** The person's session ran out meanwhile. */
  signedOut: (what: string) => required(`Sign in again to ${what}: you were signed out`, 'signInAgainSignedOut', { what: actWord(what) }),
  /** The person's account was deleted meanwhile. */
  accountGone: (what: string) =>
    required(`Sign in again to ${what}: the account is gone`, 'signInAgainAccountGone', { what: actWord(what) }),
  /** Someone else's screen (not the kiosk's, without their token) acts for the person signed in. */
  otherScreen: (what: string) =>
    required(
      `Sign in on this screen to ${what}: someone is signed in at the kiosk, and only their own screen acts for them`,
      'signInOnThisScreen',
      { what: actWord(what) },
    ),
  /**
   * A screen that may not know who is at the kiosk (the guest view) asks to act for a person without
   * their token: the same words whether someone is signed in or not, naming neither.
   */
  onThisScreen: (what: string) => required(`Sign in on this screen to ${what}.`, 'signInHere', { what: actWord(what) }),
  /** A kiosk route without a valid kiosk session. */
  atKiosk: () => required('Sign in at the kiosk first.', 'signInAtKiosk'),
  /** An admin route without a valid admin session. */
  adminPanel: () => required('Sign in to the admin panel first.', 'signInAdminPanel'),
  /** Staff call what only an admin may: the settings, the people, the backups, the update. */
  adminOnly: () =>
    new MoodboxError('MB_ERR_HTTP_FORBIDDEN', 'Only an admin may do this: staff have the music and the guests. Ask the owner.', {
      said: said('auth.adminOnly'),
    }),
  /** Off the local network while the admin panel (and signing in at the kiosk) is kept to it. */
  lanOnly: (isKioskSignIn: boolean) =>
    new MoodboxError(
      'MB_ERR_HTTP_FORBIDDEN',
      `${isKioskSignIn ? 'Signing in at the kiosk is' : 'The admin panel is'} served on the local network only.`,
      { said: said(isKioskSignIn ? 'auth.kioskSignInLanOnly' : 'auth.adminLanOnly') },
    ),
  /** An admin who must choose a new passphrase calls another route first. */
  changePassphraseFirst: (name: string, route: string) =>
    new MoodboxError(
      'MB_ERR_HTTP_FORBIDDEN',
      `Choose a new passphrase first: ${name} still has a passphrase that must be changed (POST ${route}).`,
      { said: said('auth.changePassphraseFirst', { name, route }) },
    ),
  /** The new passphrase is the current one. */
  samePassphrase: () =>
    new AuthError('MB_ERR_AUTH_POLICY', 'Choose a passphrase other than the current one.', { said: said('auth.samePassphrase') }),
} as const;

/** The current passphrase was wrong when changing it; the next try may wait `waitMs` (0: none), said in both forms. */
export function currentPassphraseWrong(waitMs: number): { message: string; said: Said } {
  const message = 'The current passphrase is not right.';
  if (waitMs <= 0) return { message, said: said('auth.currentPassphraseWrong') };
  return {
    message: `${message} ${tryAgainIn(waitMs)}`,
    said: said('auth.currentPassphraseWrongWait', { seconds: Math.ceil(waitMs / 1000) }),
  };
}
