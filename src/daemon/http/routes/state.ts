import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClientRequests } from '../contract.js';
import { StateSchema } from '../schemas/common.js';
import type { ScreenState } from '../state-hub.js';
import type { WsHandlers } from '../ws.js';

export interface StateRoutesOptions {
  hub: ScreenState;
}

/** `GET /api/state`: the same snapshot a UI receives first on `/ws`. */
export const stateRoutes: FastifyPluginAsyncTypebox<StateRoutesOptions> = async (app, { hub }) => {
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
    async () => hub.snapshot(),
  );
};

/** `state/get` on `/ws`: the snapshot now; the one request a client without an Origin (the CLI, scripts) may send. */
export function stateRequests({ hub }: StateRoutesOptions): WsHandlers<Pick<ClientRequests, 'state/get'>> {
  return { 'state/get': async () => hub.snapshot().data };
}
