import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { SECRET_PROBLEMS, type Refusal } from './people-refusals.js';
import type { Role } from '../store/store.js';

/**
 * PINs and passphrases are stored as scrypt hashes (OpenSSL's implementation through node:crypto):
 * `scrypt$N$r$p$salt$hash`, salt and hash in base64url. Verification compares in constant time.
 */
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `secret` matches `stored`. A malformed `stored` never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash ?? '', 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(secret, Buffer.from(salt ?? '', 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows, verified against when the account does not exist, so that both cases take as long. */
export const DECOY_HASH = 'scrypt$16384$8$1$bW9vZGJveC1kZWNveS1zYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** The shortest admin passphrase, in characters. */
const MIN_PASSPHRASE = 10;

/**
 * Members and staff use a PIN of 4–8 digits (staff sign in with it at the kiosk's pad and in the
 * panel); admins a passphrase of at least 10 characters. Returns the problem in both forms, or undefined.
 */
export function secretProblem(role: Role, secret: string): Refusal | undefined {
  if (role !== 'admin') return /^\d{4,8}$/.test(secret) ? undefined : SECRET_PROBLEMS.pin();
  if (secret.length < MIN_PASSPHRASE) return SECRET_PROBLEMS.passphrase(MIN_PASSPHRASE);
  return undefined;
}

/** The problem of `secretProblem` in English, or undefined. */
export function checkSecretPolicy(role: Role, secret: string): string | undefined {
  return secretProblem(role, secret)?.message;
}
