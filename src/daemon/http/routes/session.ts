import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthService, SignedIn } from '../../auth/auth-service.js';
import type { KioskPresence } from '../../auth/kiosk-presence.js';
import { checkSecretPolicy } from '../../auth/pin-hash.js';
import { AuthError } from '../../kernel/errors.js';
import type { Session, User } from '../../store/store.js';
import { ADMIN_COOKIE, OWN_PASSPHRASE_ROUTE } from '../access.js';
import { AdminSessionSchema, AdminSignInBody, ChangeOwnPassphraseBody, KioskSessionSchema, PinSignInBody } from '../schemas/people.js';

const ErrorRef = Type.Ref('ErrorBody');

/** Sign-in and sign-out: the kiosk's PIN pad (bearer token) and the admin panel (cookie + CSRF token). */
export function registerSessionRoutes(app: FastifyInstance, deps: { auth: AuthService; presence: KioskPresence }): void {
  app.post(
    '/api/session/pin',
    {
      schema: {
        operationId: 'pinSignIn',
        tags: ['kiosk'],
        summary: 'Sign in at the kiosk with a name and PIN',
        description:
          'Every failure answers 401 with the same message, whether the name or the PIN was wrong. Too many failures answer 429 with Retry-After.',
        body: PinSignInBody,
        response: { 200: KioskSessionSchema, 401: ErrorRef, 429: ErrorRef },
      },
    },
    async (request) => {
      const body = request.body as { name: string; pin: string };
      const signed = await deps.auth.signInWithSecret({ name: body.name, secret: body.pin, device: `ip:${request.ip}`, kind: 'kiosk' });
      deps.presence.signedIn(signed);
      const { token, session, user } = signed;
      return { token, expiresAt: session.expiresAt, user: { id: user.id, name: user.name, role: user.role } };
    },
  );

  app.delete(
    '/api/session',
    {
      config: { access: 'kiosk' },
      schema: { operationId: 'kioskSignOut', tags: ['kiosk'], summary: 'Sign out at the kiosk', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.principal) deps.presence.signOutToken(request.principal.token);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/admin/session',
    {
      schema: {
        operationId: 'adminSignIn',
        tags: ['admin'],
        summary: 'Sign in to the admin panel',
        body: AdminSignInBody,
        response: { 200: AdminSessionSchema, 401: ErrorRef, 429: ErrorRef },
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; passphrase: string };
      const signed = await deps.auth.signInWithSecret({
        name: body.name,
        secret: body.passphrase,
        device: `ip:${request.ip}`,
        kind: 'admin',
      });
      setAdminCookie(request, reply, signed);
      return adminSessionView(signed.session, signed.user);
    },
  );

  app.get(
    '/api/admin/session',
    {
      config: { access: 'admin', isOpenBeforePassphraseChange: true },
      schema: { operationId: 'adminSession', tags: ['admin'], summary: 'The signed-in admin', response: { 200: AdminSessionSchema } },
    },
    async (request) => {
      const { session, user } = request.principal ?? unreachable();
      return adminSessionView(session, user);
    },
  );

  app.post(
    OWN_PASSPHRASE_ROUTE,
    {
      config: { access: 'admin', isOpenBeforePassphraseChange: true },
      schema: {
        operationId: 'changeOwnPassphrase',
        tags: ['admin'],
        summary: "Change the signed-in admin's own passphrase",
        description:
          'Needs the current passphrase; wrong tries count like failed sign-ins (403, then 429). Every session of the account ends ' +
          'and this one is replaced: the answer carries the new session and CSRF token. An admin who must choose a new passphrase ' +
          '(`mustChangePin`) can call no other admin route before this one.',
        body: ChangeOwnPassphraseBody,
        response: { 200: AdminSessionSchema, 400: ErrorRef, 403: ErrorRef, 429: ErrorRef },
      },
    },
    async (request, reply) => {
      const { user } = request.principal ?? unreachable();
      const body = request.body as { currentPassphrase: string; newPassphrase: string };
      const problem = checkSecretPolicy(user.role, body.newPassphrase);
      if (problem !== undefined) throw new AuthError('MB_ERR_AUTH_POLICY', problem);
      if (body.newPassphrase === body.currentPassphrase) {
        throw new AuthError('MB_ERR_AUTH_POLICY', 'Choose a passphrase other than the current one.');
      }
      const device = `ip:${request.ip}`;
      // The current passphrase is checked as a sign-in is, so that wrong tries are throttled and audited.
      try {
        const check = await deps.auth.signInWithSecret({ name: user.name, secret: body.currentPassphrase, device, kind: 'admin' });
        deps.auth.signOut(check.token);
      } catch (err) {
        // 403, not 401: the session is fine, and a 401 would sign the admin panel out.
        if (err instanceof AuthError && err.code === 'MB_ERR_AUTH_FAILED') {
          return reply.status(403).send({ error: { code: err.code, message: 'The current passphrase is not right.' } });
        }
        throw err;
      }
      await deps.auth.setSecret(user.id, body.newPassphrase, `admin:${user.id}`);
      // setSecret ended every session of the account, this one included: open the one that replaces it.
      const signed = await deps.auth.signInWithSecret({ name: user.name, secret: body.newPassphrase, device, kind: 'admin' });
      setAdminCookie(request, reply, signed);
      return adminSessionView(signed.session, signed.user);
    },
  );

  app.delete(
    '/api/admin/session',
    {
      config: { access: 'admin', isOpenBeforePassphraseChange: true },
      schema: { operationId: 'adminSignOut', tags: ['admin'], summary: 'Sign out of the admin panel', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.principal) deps.auth.signOut(request.principal.token);
      void reply.clearCookie(ADMIN_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
}

function adminSessionView(session: Session, user: User) {
  return {
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    user: { id: user.id, name: user.name, mustChangePin: user.mustChangePin },
  };
}

function setAdminCookie(request: FastifyRequest, reply: FastifyReply, signed: SignedIn): void {
  void reply.setCookie(ADMIN_COOKIE, signed.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    expires: new Date(signed.session.expiresAt),
  });
}

function unreachable(): never {
  throw new Error('an access-checked route ran without a principal');
}
