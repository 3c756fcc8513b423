import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isLanAddress } from '../access.js';
import type { ClientRequests } from '../contract.js';
import { StateSchema } from '../schemas/common.js';
import { stateForStrangers } from '../public-state.js';
import type { ScreenState } from '../state-hub.js';
import type { WsHandlers } from '../ws.js';

export interface StateRoutesOptions {
  hub: ScreenState;
  /** `server.adminLanOnly` now: while on, an address off the LAN gets the state without names, faces or paths. @default off */
  isLanOnly?: () => boolean;
}

/**
 * `GET /api/state`: the same snapshot a UI receives first on `/ws`; from an address off the LAN
 * while `server.adminLanOnly` is on, the part a stranger may see (`stateForStrangers`).
 */
export const stateRoutes: FastifyPluginAsyncTypebox<StateRoutesOptions> = async (app, { hub, isLanOnly }) => {
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
      const snapshot = hub.snapshot();
      if (isLanOnly?.() !== true || isLanAddress(request.ip)) return snapshot;
      return { seq: snapshot.seq, data: stateForStrangers(snapshot.data) };
    },
  );
};

/** `state/get` on `/ws`: the snapshot now; the one request a client without an Origin (the CLI, scripts) may send. */
export function stateRequests({ hub }: StateRoutesOptions): WsHandlers<Pick<ClientRequests, 'state/get'>> {
  return { 'state/get': async () => hub.snapshot().data };
}
