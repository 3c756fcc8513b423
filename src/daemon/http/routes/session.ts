import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthService, SignedIn } from '../../people/auth-service.js';
import type { KioskPresence } from '../../people/kiosk-presence.js';
import type { PeopleService } from '../../people/people-service.js';
import { problemRefused } from '../../people/people-refusals.js';
import { secretProblem } from '../../people/pin-hash.js';
import { currentPassphraseWrong, SIGN_IN_REFUSALS } from '../../people/sign-in-refusals.js';
import { AuthError } from '../../people/auth-error.js';
import type { Session, User } from '../../store/store-reads.js';
import { ADMIN_COOKIE, isOnBox, OWN_PASSPHRASE_ROUTE, withAccess } from '../access.js';
import type { ClientRequests } from '../contract.js';
import { ErrorRef } from '../schemas/common.js';
import {
  AdminSessionSchema,
  AdminSignInBody,
  ChangeOwnPassphraseBody,
  KioskSessionSchema,
  PinSignInBody,
  ScreenLanguageBody,
  SignInErrorSchema,
} from '../schemas/session.js';
import type { WsHandlers } from '../ws.js';

const THROTTLE_NOTE =
  'Every try is counted before the secret is checked, per account and address and per address (the box itself is one ' +
  'address with a budget of its own, which no other address can slow); kiosk PINs and admin passphrases are counted ' +
  'apart. After a few wrong tries each further one waits longer (never a lock): a refused try answers 429 ' +
  '`MB_ERR_AUTH_THROTTLED`, and a wrong one after which the next must wait carries the wait too, in `Retry-After` and ' +
  '`error.retryAfterS`.';

export interface SessionRoutesOptions {
  auth: AuthService;
  presence: KioskPresence;
  people: Pick<PeopleService, 'setPreferences'>;
}

/**
 * Sign-in and sign-out: the kiosk's PIN pad (bearer token) and the admin panel (cookie + CSRF
 * token), each part in the access zone of who may call it.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, deps) => {
  await app.register(withAccess('kioskSignIn', kioskSignInRoutes), deps);
  await app.register(withAccess('kiosk', kioskSessionRoutes), deps);
  await app.register(withAccess('adminSignIn', adminSignInRoutes), deps);
  await app.register(withAccess('ownAdminSession', ownAdminSessionRoutes), deps);
  await app.register(withAccess('staff', adminSessionRoutes), deps);
};

/** A sign-in by PIN or passphrase, counted against the caller's address (the box's own screen apart). */
function signInFrom(
  auth: AuthService,
  request: FastifyRequest,
  attempt: { name: string; secret: string; kind: 'kiosk' | 'admin' },
): Promise<SignedIn> {
  return auth.signInWithSecret({
    ...attempt,
    device: `ip:${request.ip}`,
    isOnBox: isOnBox(request.socket.remoteAddress, request.socket.localAddress),
  });
}

/** The kiosk's PIN sign-in. */
const kioskSignInRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, deps) => {
  app.post(
    '/api/session/pin',
    {
      schema: {
        operationId: 'pinSignIn',
        tags: ['kiosk'],
        summary: 'Sign in at the kiosk with a name and PIN',
        description: `A member's PIN: an admin signs in to the panel with their passphrase, never here. Every failure answers 401 with the same message, whether the name or the PIN was wrong. Served to the LAN only while \`server.adminLanOnly\` is set (403 otherwise). ${THROTTLE_NOTE} Wrong PINs for one account from other addresses together make a try wait 30 s at most.`,
        body: PinSignInBody,
        response: { 200: KioskSessionSchema, 401: SignInErrorSchema, 403: ErrorRef, 429: SignInErrorSchema },
      },
      errorHandler: signInRefused,
    },
    async (request) => {
      const { body } = request;
      const signed = await signInFrom(deps.auth, request, { name: body.name, secret: body.pin, kind: 'kiosk' });
      deps.presence.signedIn(signed);
      const { token, session, user } = signed;
      return { token, expiresAt: session.expiresAt, user: { id: user.id, name: user.name, role: user.role } };
    },
  );
};

/** The kiosk's sign-out, with the person's token. */
const kioskSessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, deps) => {
  app.delete(
    '/api/session',
    {
      schema: { operationId: 'kioskSignOut', tags: ['kiosk'], summary: 'Sign out at the kiosk', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.principal) deps.presence.signOutToken(request.principal.token);
      return reply.status(204).send(null);
    },
  );
};

/** The admin panel's sign-in. */
const adminSignInRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, deps) => {
  app.post(
    '/api/admin/session',
    {
      schema: {
        operationId: 'adminSignIn',
        tags: ['admin'],
        summary: 'Sign in to the admin panel',
        description: `Served to the LAN only while \`server.adminLanOnly\` is set (403 otherwise). ${THROTTLE_NOTE}`,
        body: AdminSignInBody,
        response: { 200: AdminSessionSchema, 401: SignInErrorSchema, 403: ErrorRef, 429: SignInErrorSchema },
      },
      errorHandler: signInRefused,
    },
    async (request, reply) => {
      const { body } = request;
      const signed = await signInFrom(deps.auth, request, { name: body.name, secret: body.passphrase, kind: 'admin' });
      setAdminCookie(request, reply, signed);
      return adminSessionView(signed.session, signed.user);
    },
  );
};

/** The admin's own session, sign-out and passphrase change: open to an admin who must still choose a new passphrase. */
const ownAdminSessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, deps) => {
  app.get(
    '/api/admin/session',
    {
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
      schema: {
        operationId: 'changeOwnPassphrase',
        tags: ['admin'],
        summary: "Change the signed-in admin's own passphrase",
        description:
          'Needs the current passphrase; wrong tries count like failed sign-ins (403, then 429). Every session of the account ends ' +
          'and this one is replaced: the answer carries the new session and CSRF token. An admin who must choose a new passphrase ' +
          '(`mustChangePin`) can call no other admin route before this one.',
        body: ChangeOwnPassphraseBody,
        response: { 200: AdminSessionSchema, 400: ErrorRef, 403: SignInErrorSchema, 429: SignInErrorSchema },
      },
      errorHandler: signInRefused,
    },
    async (request, reply) => {
      const { user } = request.principal ?? unreachable();
      const { body } = request;
      const problem = secretProblem(user.role, body.newPassphrase);
      if (problem !== undefined) throw problemRefused('MB_ERR_AUTH_POLICY', problem);
      if (body.newPassphrase === body.currentPassphrase) throw SIGN_IN_REFUSALS.samePassphrase();
      const device = `ip:${request.ip}`;
      const onBox = isOnBox(request.socket.remoteAddress, request.socket.localAddress);
      // The current passphrase is checked as a sign-in is, so that wrong tries are throttled and audited.
      try {
        const check = await deps.auth.signInWithSecret({
          name: user.name,
          secret: body.currentPassphrase,
          device,
          kind: 'admin',
          isOnBox: onBox,
        });
        deps.auth.signOut(check.token);
      } catch (err) {
        // 403, not 401: the session is fine, and a 401 would sign the admin panel out.
        if (err instanceof AuthError && err.code === 'MB_ERR_AUTH_FAILED') {
          const wait = retryAfterS(err);
          if (wait !== undefined) void reply.header('retry-after', String(wait));
          const refused = currentPassphraseWrong(wait === undefined ? 0 : err.retryAfterMs);
          return reply.status(403).send({ error: { code: err.code, ...refused, ...(wait === undefined ? {} : { retryAfterS: wait }) } });
        }
        throw err;
      }
      await deps.auth.setSecret(user.id, body.newPassphrase, request.adminActor);
      // setSecret ended every session of the account, this one included: open the one that replaces it.
      const signed = await deps.auth.signInWithSecret({
        name: user.name,
        secret: body.newPassphrase,
        device,
        kind: 'admin',
        isOnBox: onBox,
      });
      setAdminCookie(request, reply, signed);
      return adminSessionView(signed.session, signed.user);
    },
  );

  app.delete(
    '/api/admin/session',
    {
      schema: { operationId: 'adminSignOut', tags: ['admin'], summary: 'Sign out of the admin panel', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.principal) deps.auth.signOut(request.principal.token);
      void reply.clearCookie(ADMIN_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
};

/** The admin panel's language for the signed-in admin or staff. */
const adminSessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, deps) => {
  app.put(
    '/api/admin/session/language',
    {
      schema: {
        operationId: 'setOwnScreenLanguage',
        tags: ['admin'],
        summary: "The admin panel's language for the signed-in account",
        description: "Kept with the account, so the panel speaks it on every device; `auto` goes back to the browser's language.",
        body: ScreenLanguageBody,
        response: { 200: AdminSessionSchema, 400: ErrorRef },
      },
    },
    async (request) => {
      const { session, user } = request.principal ?? unreachable();
      const { language } = request.body;
      const updated = deps.people.setPreferences(user, { screenLanguage: language === 'auto' ? undefined : language });
      return adminSessionView(session, updated);
    },
  );
};

/**
 * `session/sign-out` on `/ws`, the kiosk's sign-out button: with the person's token, or from the
 * kiosk's own screen (after a card sign-in, when no screen holds a token).
 */
export function sessionRequests({
  presence,
}: Pick<SessionRoutesOptions, 'presence'>): WsHandlers<Pick<ClientRequests, 'session/sign-out'>> {
  return {
    'session/sign-out': async (_data, context) => {
      if (context.actingFor('sign out') !== null) presence.signOut('button');
      return { user: null };
    },
  };
}

function retryAfterS(err: AuthError): number | undefined {
  return err.retryAfterMs > 0 ? Math.ceil(err.retryAfterMs / 1000) : undefined;
}

/**
 * Answers a refused sign-in that must wait with the seconds to wait, in `Retry-After` and
 * `error.retryAfterS` (the kiosk counts them down); any other error goes to the server's handler.
 */
export function signInRefused(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (!(err instanceof AuthError)) throw err;
  const wait = retryAfterS(err);
  const status = err.code === 'MB_ERR_AUTH_THROTTLED' ? 429 : err.code === 'MB_ERR_AUTH_FAILED' ? 401 : undefined;
  if (wait === undefined || status === undefined) throw err;
  void reply
    .status(status)
    .header('retry-after', String(wait))
    .send({ error: { code: err.code, message: err.message, ...(err.said === undefined ? {} : { said: err.said }), retryAfterS: wait } });
}

export function adminSessionView(session: Session, user: User) {
  return {
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    user: {
      id: user.id,
      name: user.name,
      role: user.role,
      mustChangePin: user.mustChangePin,
      language: user.preferences.screenLanguage ?? null,
    },
  };
}

export function setAdminCookie(request: FastifyRequest, reply: FastifyReply, signed: SignedIn): void {
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

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { auth, presence, people } = app.moodbox;
  await app.register(sessionRoutes, { auth, presence, people });
}
