import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../kernel/errors.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { AuthService, SIGN_IN_FAILED } from './auth-service.js';
import { DECOY_HASH, hashSecret, verifySecret } from './pin-hash.js';
import { SignInThrottle } from './throttle.js';

const OPTIONS = { kioskIdleTimeoutMs: 120_000, adminSessionMs: 8 * 3600_000 };

async function setup() {
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
  const auth = new AuthService({ store, clock, log: pino({ level: 'silent' }), throttle: new SignInThrottle({ clock }) }, OPTIONS);
  const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, 'cli');
  const boss = await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, 'cli');
  return { clock, store, auth, ada, boss };
}

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return err as AuthError;
  }
  throw new Error('expected the sign-in to fail');
}

describe('AuthService', () => {
  it('signs a member in at the kiosk with the right PIN, and the token authenticates', async () => {
    const { auth, ada } = await setup();
    const signedIn = await auth.signInWithSecret({ name: 'ada', secret: '4711', device: 'kiosk', kind: 'kiosk' });
    expect(signedIn.user.id).toBe(ada.id);
    expect(auth.authenticate(signedIn.token, 'kiosk')?.user.name).toBe('Ada');
    expect(auth.authenticate(signedIn.token, 'admin')).toBeUndefined();
  });

  it('gives the same answer for an unknown name, a wrong PIN and a disabled account', async () => {
    const { auth, store, ada } = await setup();
    const unknown = await failure(auth.signInWithSecret({ name: 'Eve', secret: '4711', device: 'k1', kind: 'kiosk' }));
    const wrong = await failure(auth.signInWithSecret({ name: 'Ada', secret: '0000', device: 'k2', kind: 'kiosk' }));
    store.users.update(ada.id, { disabled: true });
    const disabled = await failure(auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'k3', kind: 'kiosk' }));
    for (const err of [unknown, wrong, disabled]) expect([err.code, err.message]).toEqual(['MB_ERR_AUTH_FAILED', SIGN_IN_FAILED]);
  });

  it('runs the same scrypt verification for an unknown name as for a wrong PIN, so timing tells nothing', async () => {
    const clock = new FakeClock();
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
    const verified: string[] = [];
    const hasher = { hash: hashSecret, verify: (secret: string, stored: string) => (verified.push(stored), verifySecret(secret, stored)) };
    const auth = new AuthService(
      { store, clock, log: pino({ level: 'silent' }), throttle: new SignInThrottle({ clock }), hasher },
      OPTIONS,
    );
    const ada = await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, 'cli');
    await failure(auth.signInWithSecret({ name: 'Ada', secret: '0000', device: 'k1', kind: 'kiosk' }));
    await failure(auth.signInWithSecret({ name: 'Nobody', secret: '0000', device: 'k2', kind: 'kiosk' }));
    expect(verified).toEqual([store.users.get(ada.id)?.pinHash, DECOY_HASH]);
    // The decoy has the same scrypt parameters as a real hash, so it costs the same work.
    expect(DECOY_HASH.split('$').slice(0, 4)).toEqual(verified[0]?.split('$').slice(0, 4));
  });

  it('throttles after five wrong PINs and locks after ten, with audit entries', async () => {
    const { auth, clock, store } = await setup();
    for (let i = 0; i < 5; i++) await failure(auth.signInWithSecret({ name: 'Ada', secret: '0000', device: 'kiosk', kind: 'kiosk' }));
    await failure(auth.signInWithSecret({ name: 'Ada', secret: '0000', device: 'kiosk', kind: 'kiosk' }));
    const throttled = await failure(auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'kiosk', kind: 'kiosk' }));
    expect(throttled.code).toBe('MB_ERR_AUTH_THROTTLED');
    expect(throttled.message).toBe('Too many wrong tries. Try again in 1 second.');
    clock.advance(1000);
    expect((await auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'kiosk', kind: 'kiosk' })).user.name).toBe('Ada');
    expect(store.audit.list({ action: 'auth.failed' }).total).toBe(6);
  });

  it('lets only admins open an admin session', async () => {
    const { auth } = await setup();
    await failure(auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'lan', kind: 'admin' }));
    const admin = await auth.signInWithSecret({ name: 'Boss', secret: 'correct horse battery', device: 'lan', kind: 'admin' });
    expect(admin.session.csrfToken).toMatch(/^[\w-]{32}$/);
  });

  it('ends a kiosk session after two idle minutes, and activity extends it', async () => {
    const { auth, clock } = await setup();
    const { token } = await auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'kiosk', kind: 'kiosk' });
    clock.advance(100_000);
    expect(auth.authenticate(token, 'kiosk')).toBeDefined();
    clock.advance(100_000);
    expect(auth.authenticate(token, 'kiosk')).toBeDefined();
    clock.advance(120_000);
    expect(auth.authenticate(token, 'kiosk')).toBeUndefined();
  });

  it('signs the owner of a known card in, and tells an unknown card apart', async () => {
    const { auth, store, ada } = await setup();
    store.cards.link({ cardId: '0004417733', userId: ada.id });
    expect(auth.signInWithCard('0004417733', 'reader')?.user.name).toBe('Ada');
    expect(auth.signInWithCard('0000000000', 'reader')).toBeUndefined();
    expect(store.audit.list({ action: 'auth.unknown-card' }).total).toBe(1);
  });

  it('enforces the PIN policy and ends sessions when a PIN changes', async () => {
    const { auth, ada } = await setup();
    await expect(auth.setSecret(ada.id, '12', 'admin')).rejects.toMatchObject({ code: 'MB_ERR_AUTH_POLICY' });
    const { token } = await auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'kiosk', kind: 'kiosk' });
    await auth.setSecret(ada.id, '2468', 'admin');
    expect(auth.authenticate(token, 'kiosk')).toBeUndefined();
    expect((await auth.signInWithSecret({ name: 'Ada', secret: '2468', device: 'kiosk', kind: 'kiosk' })).user.id).toBe(ada.id);
  });
});
