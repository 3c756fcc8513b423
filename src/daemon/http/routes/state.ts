import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewerOf, type StateViewer } from '../access.js';
import type { ClientRequests } from '../contract.js';
import { StateSchema } from '../schemas/common.js';
import { stateFor, type StateView } from '../public-state.js';
import type { ScreenState } from '../state-hub.js';
import type { WsHandlers } from '../ws.js';

export interface StateRoutesOptions {
  hub: ScreenState;
  /** What a viewer may see (`stateViews`): the box and an admin all of it, anyone else the guest view. */
  viewOf: (viewer: StateViewer) => StateView;
}

/**
 * `GET /api/state`: the same snapshot a UI receives first on `/ws`, as the asker may see it: whole
 * on the box and for an admin, without names, faces, services' detail or paths for anyone else
 * (`guestState`).
 */
export const stateRoutes: FastifyPluginAsyncTypebox<StateRoutesOptions> = async (app, { hub, viewOf }) => {
  app.get(
    '/api/state',
    {
      schema: {
        operationId: 'getState',
        tags: ['system'],
        summary: 'The state snapshot the screens render from',
        response: { 200: StateSchema },
      },
    },
    async (request) => {
      const { seq, data } = hub.snapshot();
      return { seq, data: stateFor(viewOf(viewerOf(request)), data) };
    },
  );
};

/** `state/get` on `/ws`: the snapshot now, as the socket may see it; the one request a client without an Origin (the CLI, scripts) may send. */
export function stateRequests({ hub }: Pick<StateRoutesOptions, 'hub'>): WsHandlers<Pick<ClientRequests, 'state/get'>> {
  return { 'state/get': async (_data, context) => stateFor(context.view(), hub.snapshot().data) };
}

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { hub, viewOf } = app.moodbox;
  await app.register(stateRoutes, { hub, viewOf });
}
