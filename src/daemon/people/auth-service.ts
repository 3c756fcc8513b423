import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import { said } from '../../kernel/said.js';
import { AuthError } from './auth-error.js';
import type { Logger } from '../logging.js';
import { actors, recordAudit, type Actor } from '../store/audit.js';
import type { Role, Session, SessionKind, Store, User } from '../store/store.js';
import { nameKey, nameProblem, normalizeName } from './names.js';
import { PEOPLE_REFUSALS, problemRefused, tryAgainIn } from './people-refusals.js';
import { DECOY_HASH, hashSecret, secretProblem, verifySecret } from './pin-hash.js';
import type { SignInAttempt, SignInThrottle } from './throttle.js';

/** Hashes and checks PINs; the real one is scrypt (pin-hash.ts). */
export interface SecretHasher {
  hash(secret: string): Promise<string>;
  /** MUST take as long for any `stored` of the same parameters, matching or not. */
  verify(secret: string, stored: string): Promise<boolean>;
}

export const SCRYPT_HASHER: SecretHasher = { hash: hashSecret, verify: verifySecret };

export interface AuthOptions {
  /** A kiosk session ends after this long without activity (ms). */
  kioskIdleTimeoutMs: number;
  /** An admin session ends this long after sign-in (ms). */
  adminSessionMs: number;
}

export interface SignedIn {
  /** The bearer token (kiosk) or cookie value (admin); only its hash is stored. */
  token: string;
  session: Session;
  user: User;
}

/** The session lifetimes from the `sessions` settings. */
export function authOptionsFrom(sessions: { kioskIdleTimeoutS: number; adminSessionH: number }): AuthOptions {
  return { kioskIdleTimeoutMs: sessions.kioskIdleTimeoutS * 1000, adminSessionMs: sessions.adminSessionH * 3_600_000 };
}

/** One message for every failed sign-in: it never tells whether the name or the PIN was wrong. */
export const SIGN_IN_FAILED = 'That name and PIN do not match.';
/** The first sentence of a throttled sign-in's refusal; the wait follows it (`tryAgainIn`). */
export const TOO_MANY_TRIES = 'Too many wrong tries.';

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The settings key of the accounts staff unlocked, `{[nameKey]: epoch ms}`: the CLI runs in its own
 * process, so the daemon reads it at each sign-in try. Entries older than a day are dropped.
 */
export const UNLOCKS_SETTING = 'auth.unlocks';
const UNLOCK_KEEP_MS = 24 * 3_600_000;

function readUnlocks(store: Store): Record<string, number> {
  const value = store.settings.get(UNLOCKS_SETTING);
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/** Who signs in where: the kiosk's PIN pad is members' and staff's, the admin panel admins' and staff's. */
const SIGNS_IN: Readonly<Record<SessionKind, readonly Role[]>> = { kiosk: ['member', 'staff'], admin: ['admin', 'staff'] };

/**
 * Sign-in with a PIN (members and staff, at the kiosk; staff on the panel too) or passphrase
 * (admins, on the panel), by RFID card,
 * sessions and their expiry. Each try with a secret is counted per account and source before it is
 * checked, kiosk PINs apart from admin passphrases (`SignInThrottle`); failed ones are written to
 * the audit log.
 */
export class AuthService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #throttle: SignInThrottle;
  readonly #options: () => AuthOptions;
  readonly #hasher: SecretHasher;
  /** The latest unlock (epoch ms) applied to each account's tries. */
  readonly #unlocksApplied = new Map<string, number>();

  constructor(
    deps: { store: Store; clock: Clock; log: Logger; throttle: SignInThrottle; hasher?: SecretHasher },
    options: AuthOptions | (() => AuthOptions),
  ) {
    this.#hasher = deps.hasher ?? SCRYPT_HASHER;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#throttle = deps.throttle;
    // A function when the options may change while running (settings from the admin panel).
    this.#options = typeof options === 'function' ? options : () => options;
  }

  /**
   * Signs `name` in with `secret`. The try is counted before the secret is checked, per account and
   * source, per source, and for PINs per account over the network, kiosk PINs apart from admin
   * passphrases (`SignInThrottle`); `isOnBox` tries (the kiosk's own screen) have a budget of their
   * own. Throws `AuthError` `MB_ERR_AUTH_THROTTLED` (with `retryAfterMs`) while the try must wait,
   * else `MB_ERR_AUTH_FAILED` with the same message for an unknown name, a wrong secret, a disabled
   * account, or an account of the other kind (and `retryAfterMs` when the next try must wait). A
   * kiosk session is a member's or staff's, signed in with a PIN: an admin's passphrase is checked
   * by the admin sign-in alone, on its own throttle. An admin session (the panel) needs an admin's
   * or staff's account; staff sign in to it with their PIN, counted as the kiosk's PINs are.
   */
  async signInWithSecret(input: {
    name: string;
    secret: string;
    device: string;
    kind: SessionKind;
    /** The try comes from the box itself (`isOnBox` of `http/access.ts`). @default false */
    isOnBox?: boolean | undefined;
  }): Promise<SignedIn> {
    const account = nameKey(input.name);
    this.#applyUnlocks(account);
    // Read before the try is counted (every account is read, known name or not): a staff PIN typed
    // in the panel is guessed on the PINs' budget, which counts every address together.
    const user = this.findUser(input.name);
    const attempt: SignInAttempt = {
      scope: input.kind === 'admin' && user?.role !== 'staff' ? 'passphrase' : 'pin',
      account,
      device: input.device,
      isOnBox: input.isOnBox,
    };
    const verdict = this.#throttle.reserve(attempt);
    if (!verdict.isAllowed) {
      this.#log.debug({ device: input.device, kind: input.kind, retryAfterMs: verdict.retryAfterMs }, 'sign-in throttled');
      throw this.#throttled(verdict.retryAfterMs);
    }

    // Verify against a decoy when there is no such account, so both cases cost the same.
    const isMatch = await this.#hasher.verify(input.secret, user?.pinHash ?? DECOY_HASH);
    // The PIN pad's secret is a member's or staff's: an admin's passphrase there would be guessed on the PINs' budget besides its own.
    const isAllowedRole = user !== undefined && SIGNS_IN[input.kind].includes(user.role);
    if (user === undefined || !isMatch || user.disabled || !isAllowedRole) {
      this.#audit('auth.failed', actors.device(input.device), input.name, { kind: input.kind }, user?.id);
      this.#log.info({ device: input.device, kind: input.kind }, 'sign-in failed');
      const retryAfterMs = this.#throttle.retryAfterMs(attempt);
      // The screens say the sentence in their reader's language and count the wait down themselves (`retryAfterMs`).
      throw new AuthError('MB_ERR_AUTH_FAILED', retryAfterMs > 0 ? `${SIGN_IN_FAILED} ${tryAgainIn(retryAfterMs)}` : SIGN_IN_FAILED, {
        retryAfterMs,
        said: said('auth.failed'),
      });
    }
    this.#throttle.succeed(attempt);
    return this.#open(user, input.kind, input.device, 'pin');
  }

  /**
   * The account `name` signs in to: compared after NFKC and case folding (`nameKey`), the exact
   * name first should two old accounts share a key. Every account is read each time, so that a
   * known and an unknown name take as long.
   */
  findUser(name: string): User | undefined {
    const key = nameKey(name);
    const exact = normalizeName(name);
    const matches = this.#store.users.list().filter((u) => nameKey(u.name) === key);
    return matches.find((u) => u.name === exact) ?? (matches.length === 1 ? matches[0] : undefined);
  }

  /**
   * The name to store for a new or renamed account: `name` in normal form. Throws `MoodboxError`
   * `MB_ERR_HTTP_BAD_REQUEST` for a name with invisible, control or bidirectional characters, and
   * `MB_ERR_CONFLICT` when it is another account's name after NFKC and case folding.
   */
  acceptNewName(name: string, exceptUserId?: number): string {
    const normal = normalizeName(name);
    const problem = nameProblem(normal);
    if (problem !== undefined) throw problemRefused('MB_ERR_HTTP_BAD_REQUEST', problem);
    const key = nameKey(normal);
    const other = this.#store.users.list().find((u) => u.id !== exceptUserId && nameKey(u.name) === key);
    if (other !== undefined) throw PEOPLE_REFUSALS.nameTaken(other.name);
    return normal;
  }

  /** Wrong tries counted against `user`'s account (PINs and passphrases) and how long its next sign-in must wait (ms). */
  signInStatus(user: User): { failures: number; waitMs: number } {
    const account = nameKey(user.name);
    this.#applyUnlocks(account);
    return this.#throttle.accountStatus(account);
  }

  /**
   * Clears the wrong tries counted against `user`'s account, PINs and passphrases, and audits it.
   * Also recorded in the store, so that a daemon running beside the CLI clears them at its next
   * sign-in try for the account.
   */
  unlock(user: User, actor: Actor): void {
    const account = nameKey(user.name);
    const now = this.#clock.now();
    const before = this.#throttle.accountStatus(account);
    this.#throttle.clearAccount(account);
    this.#unlocksApplied.set(account, now);
    const kept = Object.entries(readUnlocks(this.#store)).filter(([key, at]) => key !== account && now - at < UNLOCK_KEEP_MS);
    this.#store.settings.set(UNLOCKS_SETTING, Object.fromEntries([...kept, [account, now]]), now);
    // The CLI cannot know the daemon's count; only a count it knows is recorded.
    this.#audit('auth.unlock', actor, user.name, before.failures > 0 ? { failures: before.failures } : {}, user.id);
  }

  /** Signs in the owner of `cardId` at the kiosk; undefined for an unknown card or a disabled account. */
  signInWithCard(cardId: string, device: string): SignedIn | undefined {
    const card = this.#store.cards.get(cardId);
    const user = card === undefined ? undefined : this.#store.users.get(card.userId);
    if (user === undefined || user.disabled) {
      this.#audit('auth.unknown-card', actors.device(device), '', {});
      return undefined;
    }
    return this.#open(user, 'kiosk', device, 'card');
  }

  /**
   * The session and user behind `token`, extending a kiosk session's idle timeout; undefined when
   * the token is unknown, of another kind, expired, or its user was disabled.
   */
  authenticate(token: string, kind: SessionKind): { session: Session; user: User } | undefined {
    const hash = hashToken(token);
    const session = this.#store.sessions.get(hash);
    const now = this.#clock.now();
    if (session === undefined || session.kind !== kind) return undefined;
    if (session.expiresAt <= now) {
      this.#store.sessions.delete(hash);
      return undefined;
    }
    const user = this.#store.users.get(session.userId);
    if (user === undefined || user.disabled) return undefined;
    if (kind === 'kiosk') {
      const expiresAt = now + this.#options().kioskIdleTimeoutMs;
      this.#store.sessions.touch(hash, now, expiresAt);
      return { session: { ...session, lastSeenAt: now, expiresAt }, user };
    }
    return { session, user };
  }

  /** Whether the session behind `token` is still valid, without counting this as activity. */
  isActive(token: string): boolean {
    const session = this.#store.sessions.get(hashToken(token));
    return session !== undefined && session.expiresAt > this.#clock.now();
  }

  signOut(token: string): void {
    this.#store.sessions.delete(hashToken(token));
  }

  /** Removes expired sessions; returns how many. */
  expire(): number {
    return this.#store.sessions.deleteExpired(this.#clock.now());
  }

  /**
   * Creates an account; its name must pass `acceptNewName` and `secret` the policy of its role.
   * The name is checked again after the slow hash, so two creations at once cannot share a name.
   */
  async createUser(input: { name: string; role: Role; secret?: string; mustChangePin?: boolean }, actor: Actor): Promise<User> {
    this.acceptNewName(input.name);
    const pinHash = input.secret === undefined ? null : await this.#hashChecked(input.role, input.secret);
    const user = this.#store.users.create({
      name: this.acceptNewName(input.name),
      role: input.role,
      pinHash,
      mustChangePin: input.mustChangePin ?? false,
    });
    this.#audit('user.create', actor, user.name, { role: user.role }, user.id);
    return user;
  }

  /** Sets a new PIN or passphrase, ending the user's sessions. */
  async setSecret(userId: number, secret: string, actor: Actor): Promise<void> {
    const user = this.#store.users.get(userId);
    if (user === undefined) throw PEOPLE_REFUSALS.userGone(userId);
    const pinHash = await this.#hashChecked(user.role, secret);
    this.#store.transaction(() => {
      this.#store.users.update(userId, { pinHash, mustChangePin: false });
      this.#store.sessions.deleteForUser(userId);
    });
    this.#audit('user.pin', actor, user.name, {}, user.id);
  }

  async #hashChecked(role: Role, secret: string): Promise<string> {
    const problem = secretProblem(role, secret);
    if (problem !== undefined) throw problemRefused('MB_ERR_AUTH_POLICY', problem);
    return this.#hasher.hash(secret);
  }

  #open(user: User, kind: SessionKind, device: string, via: 'pin' | 'card'): SignedIn {
    const token = randomBytes(32).toString('base64url');
    const now = this.#clock.now();
    const lifetime = kind === 'kiosk' ? this.#options().kioskIdleTimeoutMs : this.#options().adminSessionMs;
    const session = this.#store.sessions.create({
      tokenHash: hashToken(token),
      userId: user.id,
      kind,
      csrfToken: kind === 'admin' ? randomBytes(24).toString('base64url') : '',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + lifetime,
    });
    this.#audit('auth.sign-in', actors.device(device), user.name, { kind, via }, user.id);
    return { token, session, user };
  }

  #throttled(retryAfterMs: number): AuthError {
    return new AuthError('MB_ERR_AUTH_THROTTLED', `${TOO_MANY_TRIES} ${tryAgainIn(retryAfterMs)}`, {
      retryAfterMs,
      said: said('auth.throttled'),
    });
  }

  /** Clears an account's tries once when the CLI (another process) has unlocked it since. */
  #applyUnlocks(account: string): void {
    const at = readUnlocks(this.#store)[account];
    if (at === undefined || at <= (this.#unlocksApplied.get(account) ?? Number.NEGATIVE_INFINITY)) return;
    this.#unlocksApplied.set(account, at);
    this.#throttle.clearAccount(account);
    this.#log.info({ at }, 'sign-in tries cleared by an unlock');
  }

  /** `subjectId`: the account the line is about, whose name `target` holds (see `AuditRepository.append`). */
  #audit(action: string, actor: Actor, target: string, detail: Record<string, unknown>, subjectId?: number): void {
    recordAudit({ audit: this.#store.audit, clock: this.#clock }, actor, action, { target, detail, subjectId });
  }
}
