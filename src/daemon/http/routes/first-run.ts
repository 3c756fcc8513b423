import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FirstRun, FirstRunWizard } from '../../people/first-run.js';
import { isOnBox, withAccess } from '../access.js';
import { ErrorRef } from '../schemas/common.js';
import { AdminSessionSchema, FirstAdminBody, FirstRunSchema, FirstRunWizardSchema, SignInErrorSchema } from '../schemas/session.js';
import { adminSessionView, setAdminCookie, signInRefused } from './session.js';

export interface FirstRunRoutesOptions {
  firstRun: FirstRun;
}

/**
 * The first admin of a box started with a configuration and no admin: whether the admin page must
 * open on the first-run screen, and the screen's one step that creates the admin and signs them in.
 * From the box itself (a loopback address, or the box calling its own address) no code is needed;
 * from anywhere else the one-time code the daemon logged at start and `moodbox doctor` prints.
 * Then, for admins, where the set-up that follows stands, so that a reload or another device goes on there.
 */
export const firstRunRoutes: FastifyPluginAsyncTypebox<FirstRunRoutesOptions> = async (app, deps) => {
  await app.register(withAccess('adminSignIn', firstAdminRoutes), deps);
  await app.register(withAccess('admin', wizardRoutes), deps);
};

/** Whether the box needs its first admin, and the step that creates them: served as the admin sign-in is. */
const firstAdminRoutes: FastifyPluginAsyncTypebox<FirstRunRoutesOptions> = async (app, deps) => {
  app.get(
    '/api/first-run',
    {
      schema: {
        operationId: 'firstRun',
        tags: ['admin'],
        summary: 'Whether the box still needs its first admin, and whether this device needs the first-run code',
        response: { 200: FirstRunSchema, 403: ErrorRef },
      },
    },
    async (request) => {
      const isNeeded = deps.firstRun.isNeeded();
      return { isNeeded, isCodeNeeded: isNeeded && !isOnBox(request.socket.remoteAddress, request.socket.localAddress) };
    },
  );

  app.post(
    '/api/first-run',
    {
      schema: {
        operationId: 'createFirstAdmin',
        tags: ['admin'],
        summary: 'Create the first admin and sign in (only while the box has no admin)',
        description:
          'From the box itself no code is needed; from another device, `code` must be the first-run code the daemon logged ' +
          'at start (`moodbox doctor` prints it too). A wrong code answers 401 and counts as a wrong PIN does: per ' +
          'address, so that one address guessing slows itself to a few tries an hour (429 with `Retry-After`) and never ' +
          'the owner on another device, and every address together, so that their guesses wait 30 s at most between ' +
          'tries. Once an admin exists, 409. Served to the LAN only while `server.adminLanOnly` is set (403 otherwise).',
        body: FirstAdminBody,
        response: { 200: AdminSessionSchema, 400: ErrorRef, 401: SignInErrorSchema, 403: ErrorRef, 409: ErrorRef, 429: SignInErrorSchema },
      },
      errorHandler: signInRefused,
    },
    async (request, reply) => {
      const { body } = request;
      const signed = await deps.firstRun.claim({
        name: body.name,
        passphrase: body.passphrase,
        code: body.code,
        isFromBox: isOnBox(request.socket.remoteAddress, request.socket.localAddress),
        device: `ip:${request.ip}`,
      });
      setAdminCookie(request, reply, signed);
      return adminSessionView(signed.session, signed.user);
    },
  );
};

/** Where the set-up after the first admin stands, for admins. */
const wizardRoutes: FastifyPluginAsyncTypebox<FirstRunRoutesOptions> = async (app, deps) => {
  app.get(
    '/api/admin/first-run/wizard',
    {
      schema: {
        operationId: 'getFirstRunWizard',
        tags: ['admin'],
        summary: 'Where the set-up after the first admin stands (music folder, camera, kind of place), until finished or skipped',
        response: { 200: FirstRunWizardSchema },
      },
    },
    async () => wizardView(deps.firstRun.wizard()),
  );

  app.put(
    '/api/admin/first-run/wizard',
    {
      schema: {
        operationId: 'moveFirstRunWizard',
        tags: ['admin'],
        summary: 'Move the set-up under way to a step, or end it (`step: null`); a box with none under way keeps none',
        body: FirstRunWizardSchema,
        response: { 200: FirstRunWizardSchema, 400: ErrorRef },
      },
    },
    async (request) => {
      const { step, saved } = request.body;
      return wizardView(deps.firstRun.moveWizard(step === null ? null : { step, saved }));
    },
  );
};

/** The set-up as the admin panel reads it: none under way is `step: null`. */
function wizardView(wizard: FirstRunWizard | null): { step: FirstRunWizard['step'] | null; saved: FirstRunWizard['saved'] } {
  return wizard ?? { step: null, saved: [] };
}

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { firstRun } = app.moodbox;
  if (firstRun !== undefined) await app.register(firstRunRoutes, { firstRun });
}
