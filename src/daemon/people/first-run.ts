import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../logging.js';
import type { Store } from '../store/store.js';
import type { AuthService, SignedIn } from './auth-service.js';
import { FIRST_RUN_REFUSALS } from './people-refusals.js';
import { SignInThrottle } from './throttle.js';
import { actors } from '../store/audit.js';

/**
 * Where the first-run code is kept while the box has no admin: in the database, so that `moodbox
 * doctor` (another process) can print it. A new one is drawn at every start.
 */
export const FIRST_RUN_CODE_KEY = 'first-run.code';

/**
 * Where the first admin's set-up stands once the admin is made (the music folder, the camera, the
 * kind of place): in the database, so that a reload or another device goes on where it was left,
 * until it is finished or skipped.
 */
export const FIRST_RUN_WIZARD_KEY = 'firstRun.wizard';

/** The set-up's steps after the first admin, in order; `done` is its summary. */
export const WIZARD_STEPS = ['music', 'camera', 'venue', 'done'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
/** A step whose settings were saved rather than skipped. */
export type WizardSavedStep = Exclude<WizardStep, 'done'>;

/** Where the first admin's set-up stands. */
export interface FirstRunWizard {
  /** The step to show. */
  step: WizardStep;
  /** The steps saved so far (not skipped), in order, for the summary. */
  saved: WizardSavedStep[];
}

/** A set-up as read back from the database (anything may be there after a restore), or null. */
function asWizard(value: unknown): FirstRunWizard | null {
  if (typeof value !== 'object' || value === null) return null;
  const { step, saved } = value as Record<string, unknown>;
  const isStep = (s: unknown): s is WizardStep => WIZARD_STEPS.some((known) => known === s);
  if (!isStep(step)) return null;
  const savedSteps = Array.isArray(saved) ? saved.filter((s): s is WizardSavedStep => isStep(s) && s !== 'done') : [];
  return { step, saved: [...new Set(savedSteps)] };
}

/** Letters and digits nobody mistakes for another (no 0/O, 1/I/L, U): Crockford's alphabet without them. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/**
 * The account guesses of the code count against, as PINs count against a member's: per address
 * (one address guessing slows itself, not the owner on their phone) and over the network together,
 * with a wait of 30 s at most. The box itself needs no code and is never slowed.
 */
const CODE_ACCOUNT = '\u0000first-run';

/** A code as people type it: upper case, without the dash and spaces. */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** The first-run code as it is shown: `ABCD-EFGH`. */
export function showCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export interface FirstRunClaim {
  name: string;
  passphrase: string;
  /** The code from the log or `moodbox doctor`; not needed from the box itself. */
  code?: string | undefined;
  /** The request came from the box itself (a loopback address). */
  isFromBox: boolean;
  /** `ip:…`, for the audit and the throttle. */
  device: string;
}

/**
 * The first admin of a box started with a configuration and no admin (the demo makes its own). Until
 * one exists, the admin page opens on a first-run screen that creates one: from the box itself, or
 * from another device with a one-time code drawn at start, logged, and printed by `moodbox doctor`.
 * Once an admin exists, the code is gone; the set-up that follows is kept where it stands
 * (`wizard`) until it is finished or skipped.
 */
export class FirstRun {
  readonly #auth: AuthService;
  readonly #store: Pick<Store, 'users' | 'secrets' | 'settings'>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #throttle: SignInThrottle;
  /** A claim being made (the passphrase's hash takes a while): a second one at once is refused. */
  #isClaiming = false;

  constructor(deps: { auth: AuthService; store: Pick<Store, 'users' | 'secrets' | 'settings'>; clock: Clock; log: Logger }) {
    this.#auth = deps.auth;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#throttle = new SignInThrottle({ clock: deps.clock });
  }

  /** Whether the box has no admin who can sign in. */
  isNeeded(): boolean {
    return !this.#store.users.list().some((u) => u.role === 'admin' && !u.disabled);
  }

  /**
   * At start: draws a new code while no admin exists and returns it (`ABCD-EFGH`), else forgets any
   * old one and returns undefined.
   */
  open(): string | undefined {
    if (!this.isNeeded()) {
      this.#store.secrets.delete(FIRST_RUN_CODE_KEY);
      return undefined;
    }
    const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    this.#store.secrets.set(FIRST_RUN_CODE_KEY, code, this.#clock.now());
    return showCode(code);
  }

  /**
   * Creates the first admin and signs them in. Refused (`MB_ERR_CONFLICT`) once an admin exists or
   * while another claim runs; from another device, a missing or wrong code is `MB_ERR_AUTH_FAILED`,
   * and guesses are slowed as PINs are, per address and over the network (`MB_ERR_AUTH_THROTTLED`).
   */
  async claim(claim: FirstRunClaim): Promise<SignedIn> {
    if (!this.isNeeded() || this.#isClaiming) throw FIRST_RUN_REFUSALS.hasAdmin();
    if (!claim.isFromBox) this.#checkCode(claim);
    this.#isClaiming = true;
    try {
      const user = await this.#auth.createUser(
        { name: claim.name, role: 'admin', secret: claim.passphrase },
        actors.firstRun(claim.device),
      );
      this.#store.secrets.delete(FIRST_RUN_CODE_KEY);
      this.#store.settings.set(FIRST_RUN_WIZARD_KEY, { step: 'music', saved: [] } satisfies FirstRunWizard, this.#clock.now());
      this.#log.info({ device: claim.device, fromBox: claim.isFromBox }, 'first admin created');
      return await this.#auth.signInWithSecret({
        name: user.name,
        secret: claim.passphrase,
        device: claim.device,
        kind: 'admin',
        isOnBox: claim.isFromBox,
      });
    } finally {
      this.#isClaiming = false;
    }
  }

  /** Where the set-up after the first admin stands, or null when none is under way (finished, skipped, or a box set up before). */
  wizard(): FirstRunWizard | null {
    return asWizard(this.#store.settings.get(FIRST_RUN_WIZARD_KEY));
  }

  /**
   * Moves the set-up under way to `next`, or ends it (null: finished or skipped). A box with no
   * set-up under way keeps none: the set-up begins only with the first admin. Returns where it stands.
   */
  moveWizard(next: FirstRunWizard | null): FirstRunWizard | null {
    if (this.wizard() === null) return null;
    const kept = next === null ? null : asWizard(next);
    this.#store.settings.set(FIRST_RUN_WIZARD_KEY, kept, this.#clock.now());
    if (kept === null) this.#log.info('first-run set-up ended');
    return kept;
  }

  #checkCode(claim: FirstRunClaim): void {
    const attempt = { scope: 'pin', account: CODE_ACCOUNT, device: claim.device } as const;
    const verdict = this.#throttle.reserve(attempt);
    if (!verdict.isAllowed) throw FIRST_RUN_REFUSALS.throttled(verdict.retryAfterMs);
    const expected = Buffer.from(this.#store.secrets.get(FIRST_RUN_CODE_KEY) ?? '');
    const typed = Buffer.from(normalizeCode(claim.code ?? ''));
    const isMatch = expected.length > 0 && typed.length === expected.length && timingSafeEqual(typed, expected);
    if (!isMatch) {
      this.#log.info({ device: claim.device }, 'first-run code refused');
      const wait = this.#throttle.retryAfterMs(attempt);
      const isMissing = claim.code === undefined || claim.code.trim() === '';
      throw isMissing ? FIRST_RUN_REFUSALS.codeNeeded(wait) : FIRST_RUN_REFUSALS.wrongCode(wait);
    }
    this.#throttle.succeed(attempt);
  }
}
