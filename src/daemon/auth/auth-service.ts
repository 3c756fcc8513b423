import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';
import { AuthError } from '../kernel/errors.js';
import type { Logger } from '../logging.js';
import type { Role, Session, SessionKind, Store, User } from '../store/store.js';
import { checkSecretPolicy, DECOY_HASH, hashSecret, verifySecret } from './pin-hash.js';

/** Hashes and checks PINs; the real one is scrypt (pin-hash.ts). */
export interface SecretHasher {
  hash(secret: string): Promise<string>;
  /** MUST take as long for any `stored` of the same parameters, matching or not. */
  verify(secret: string, stored: string): Promise<boolean>;
}

export const SCRYPT_HASHER: SecretHasher = { hash: hashSecret, verify: verifySecret };
import type { SignInThrottle } from './throttle.js';

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

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Sign-in with a PIN (members) or passphrase (admins), by RFID card, sessions and their expiry.
 * Failed attempts are throttled per account and per device and written to the audit log.
 */
export class AuthService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #throttle: SignInThrottle;
  readonly #options: () => AuthOptions;
  readonly #hasher: SecretHasher;

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
   * Signs `name` in with `secret`. Throws `AuthError` `MB_ERR_AUTH_THROTTLED` (with
   * `retryAfterMs`) while the account or device must wait, else `MB_ERR_AUTH_FAILED` with the
   * same message for an unknown name, a wrong PIN, or a disabled account. An admin session needs
   * an admin account.
   */
  async signInWithSecret(input: { name: string; secret: string; device: string; kind: SessionKind }): Promise<SignedIn> {
    const keys = [`account:${input.name.trim().toLowerCase()}`, `device:${input.device}`];
    const verdict = this.#throttle.check(keys);
    if (!verdict.isAllowed) throw this.#throttled(verdict.retryAfterMs);

    const user = this.#store.users.byName(input.name.trim());
    // Verify against a decoy when there is no such account, so both cases cost the same.
    const isMatch = await this.#hasher.verify(input.secret, user?.pinHash ?? DECOY_HASH);
    const isAllowedRole = input.kind === 'kiosk' || user?.role === 'admin';
    if (user === undefined || !isMatch || user.disabled || !isAllowedRole) {
      const after = this.#throttle.fail(keys);
      this.#audit('auth.failed', input.device, input.name, { kind: input.kind });
      this.#log.info({ device: input.device, kind: input.kind }, 'sign-in failed');
      if (!after.isAllowed && after.isLocked) throw this.#throttled(after.retryAfterMs);
      throw new AuthError('MB_ERR_AUTH_FAILED', SIGN_IN_FAILED);
    }
    this.#throttle.succeed(keys[0] ?? '');
    return this.#open(user, input.kind, input.device, 'pin');
  }

  /** Signs in the owner of `cardId` at the kiosk; undefined for an unknown card or a disabled account. */
  signInWithCard(cardId: string, device: string): SignedIn | undefined {
    const card = this.#store.cards.get(cardId);
    const user = card === undefined ? undefined : this.#store.users.get(card.userId);
    if (user === undefined || user.disabled) {
      this.#audit('auth.unknown-card', device, '', {});
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

  /** Creates an account; `secret` must meet the policy of its role. */
  async createUser(input: { name: string; role: Role; secret?: string; mustChangePin?: boolean }, actor: string): Promise<User> {
    const pinHash = input.secret === undefined ? null : await this.#hashChecked(input.role, input.secret);
    const user = this.#store.users.create({
      name: input.name.trim(),
      role: input.role,
      pinHash,
      mustChangePin: input.mustChangePin ?? false,
    });
    this.#audit('user.create', actor, user.name, { role: user.role });
    return user;
  }

  /** Sets a new PIN or passphrase, ending the user's sessions. */
  async setSecret(userId: number, secret: string, actor: string): Promise<void> {
    const user = this.#store.users.get(userId);
    if (user === undefined) throw new AuthError('MB_ERR_NOT_FOUND', `no user with id ${userId}`);
    const pinHash = await this.#hashChecked(user.role, secret);
    this.#store.transaction(() => {
      this.#store.users.update(userId, { pinHash, mustChangePin: false });
      this.#store.sessions.deleteForUser(userId);
    });
    this.#audit('user.pin', actor, user.name, {});
  }

  async #hashChecked(role: Role, secret: string): Promise<string> {
    const problem = checkSecretPolicy(role, secret);
    if (problem !== undefined) throw new AuthError('MB_ERR_AUTH_POLICY', problem);
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
    this.#audit('auth.sign-in', device, user.name, { kind, via });
    return { token, session, user };
  }

  #throttled(retryAfterMs: number): AuthError {
    const seconds = Math.ceil(retryAfterMs / 1000);
    return new AuthError('MB_ERR_AUTH_THROTTLED', `Too many wrong tries. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, {
      retryAfterMs,
    });
  }

  #audit(action: string, actor: string, target: string, detail: Record<string, unknown>): void {
    this.#store.audit.append({ at: this.#clock.now(), actor, action, target, detail });
  }
}
