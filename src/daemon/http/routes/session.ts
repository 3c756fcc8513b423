import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AuthService } from '../../auth/auth-service.js';
import type { KioskPresence } from '../../auth/kiosk-presence.js';
import { ADMIN_COOKIE } from '../access.js';
import { AdminSessionSchema, AdminSignInBody, KioskSessionSchema, PinSignInBody } from '../schemas/people.js';

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
      const { token, session, user } = await deps.auth.signInWithSecret({
        name: body.name,
        secret: body.passphrase,
        device: `ip:${request.ip}`,
        kind: 'admin',
      });
      void reply.setCookie(ADMIN_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        expires: new Date(session.expiresAt),
      });
      return {
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        user: { id: user.id, name: user.name, mustChangePin: user.mustChangePin },
      };
    },
  );

  app.get(
    '/api/admin/session',
    {
      config: { access: 'admin' },
      schema: { operationId: 'adminSession', tags: ['admin'], summary: 'The signed-in admin', response: { 200: AdminSessionSchema } },
    },
    async (request) => {
      const { session, user } = request.principal ?? unreachable();
      return {
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        user: { id: user.id, name: user.name, mustChangePin: user.mustChangePin },
      };
    },
  );

  app.delete(
    '/api/admin/session',
    {
      config: { access: 'admin' },
      schema: { operationId: 'adminSignOut', tags: ['admin'], summary: 'Sign out of the admin panel', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.principal) deps.auth.signOut(request.principal.token);
      void reply.clearCookie(ADMIN_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
}

function unreachable(): never {
  throw new Error('an access-checked route ran without a principal');
}
