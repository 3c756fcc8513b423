import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Store } from '../../store/store.js';
import { StatsQuery, StatsSchema } from '../schemas/stats.js';

export interface StatsRoutesOptions {
  store: Store;
}

/** The admin dashboard's figures: plays per mood and day, and the room mood over time. */
export const statsRoutes: FastifyPluginAsyncTypebox<StatsRoutesOptions> = async (app, { store }) => {
  app.get(
    '/api/admin/stats',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getStats',
        tags: ['admin'],
        summary: 'Plays per mood and day, and the room mood over time',
        querystring: StatsQuery,
        response: { 200: StatsSchema },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return { playsPerMoodPerDay: store.stats.playsPerMoodPerDay(from, to), moodOverTime: store.stats.moodLog(from, to) };
    },
  );
};
