import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuthService } from '../../people/auth-service.js';
import { personView, REGISTRATION_LIMITS, type PeopleService } from '../../people/people-service.js';
import { ErrorRef } from '../schemas/common.js';
import {
  CreateUserBody,
  DeleteUserQuery,
  ExportSchema,
  RegisterBody,
  SetPinBody,
  UpdateUserBody,
  UserIdParams,
  UserViewSchema,
} from '../schemas/people.js';
import { withAccess } from '../access.js';

export interface UsersRoutesOptions {
  auth: AuthService;
  people: PeopleService;
}

/** Accounts for admins (list with activity, create, change, PIN, unlock, delete, export) and self-registration at the kiosk. */
export const usersRoutes: FastifyPluginAsyncTypebox<UsersRoutesOptions> = async (app, deps) => {
  await app.register(withAccess('admin', accountRoutes), deps);
  await app.register(registrationRoutes, deps);
};

/** Accounts, for admins. */
const accountRoutes: FastifyPluginAsyncTypebox<UsersRoutesOptions> = async (app, { auth, people }) => {
  app.get(
    '/api/admin/users',
    {
      schema: { operationId: 'listUsers', tags: ['admin'], summary: 'Every account', response: { 200: Type.Array(UserViewSchema) } },
    },
    async () => people.list(),
  );

  app.post(
    '/api/admin/users',
    {
      schema: {
        operationId: 'createUser',
        tags: ['admin'],
        summary: 'Create an account',
        body: CreateUserBody,
        response: { 201: UserViewSchema, 400: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const user = await auth.createUser(
        { name: body.name, role: body.role, ...(body.pin === undefined ? {} : { secret: body.pin }) },
        request.adminActor,
      );
      return reply.status(201).send(personView(user));
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      schema: {
        operationId: 'updateUser',
        tags: ['admin'],
        summary: 'Rename, change role, disable or set preferences',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserViewSchema, 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request) => personView(people.update(request.params.id, request.body, request.adminActor)),
  );

  app.put(
    '/api/admin/users/:id/pin',
    {
      schema: {
        operationId: 'setUserPin',
        tags: ['admin'],
        summary: 'Set a PIN or passphrase',
        params: UserIdParams,
        body: SetPinBody,
        response: { 204: Type.Null(), 400: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await auth.setSecret(people.get(request.params.id).id, request.body.pin, request.adminActor);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/users/:id/unlock',
    {
      schema: {
        operationId: 'unlockUser',
        tags: ['admin'],
        summary: "Clear the wrong PINs and passphrases counted against a person's account, so they can sign in at once",
        description: 'Audited as `auth.unlock`. The CLI does the same: `moodbox user unlock NAME`.',
        params: UserIdParams,
        response: { 204: Type.Null(), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      auth.unlock(people.get(request.params.id), request.adminActor);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/admin/users/:id',
    {
      schema: {
        operationId: 'deleteUser',
        tags: ['admin'],
        summary: 'Delete an account; its history is anonymized or removed',
        params: UserIdParams,
        querystring: DeleteUserQuery,
        response: { 204: Type.Null(), 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      people.delete(request.params.id, request.query.history, request.adminActor);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/users/:id/export',
    {
      schema: {
        operationId: 'exportUserData',
        tags: ['admin'],
        summary: 'Everything Moodbox keeps about a person, as JSON',
        params: UserIdParams,
        response: { 200: ExportSchema, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const user = people.get(request.params.id);
      void reply.header('cache-control', 'no-store');
      return people.export(user, request.adminActor);
    },
  );
};

/** Self-registration at the kiosk, for anyone (when the admin allows it; counted per address). */
const registrationRoutes: FastifyPluginAsyncTypebox<UsersRoutesOptions> = async (app, { people }) => {
  app.post(
    '/api/users',
    {
      schema: {
        operationId: 'registerMember',
        tags: ['kiosk'],
        summary: 'Create your own member account at the kiosk, when the admin allows it',
        description:
          `At most ${REGISTRATION_LIMITS.perDevice.limit} tries per address and ${REGISTRATION_LIMITS.overall.limit} in all per hour ` +
          '(429 `MB_ERR_AUTH_THROTTLED` with Retry-After beyond). Every refused name answers the same 409, whether it is taken, ' +
          'too like another or holds invisible characters.',
        body: RegisterBody,
        response: { 201: UserViewSchema, 400: ErrorRef, 403: ErrorRef, 409: ErrorRef, 429: ErrorRef },
      },
    },
    async (request, reply) => {
      const user = await people.register(request.body, `ip:${request.ip}`);
      return reply.status(201).send(personView(user));
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { auth, people } = app.moodbox;
  await app.register(usersRoutes, { auth, people });
}
