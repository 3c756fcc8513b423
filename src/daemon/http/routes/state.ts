import type { FastifyInstance } from 'fastify';
import { StateSchema } from '../schemas/common.js';
import type { StateHub } from '../state-hub.js';

/** `GET /api/state`: the same snapshot a UI receives first on `/ws`. */
export function registerStateRoutes(app: FastifyInstance, deps: { hub: StateHub }): void {
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
    async () => deps.hub.snapshot(),
  );
}
