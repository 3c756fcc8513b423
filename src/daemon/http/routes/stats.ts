import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StoreReads } from '../../store/store-reads.js';
import { ErrorRef } from '../schemas/common.js';
import { chartStats } from '../chart-stats.js';
import { ChartsQuery, ChartsSchema, StatsQuery, StatsSchema } from '../schemas/stats.js';
import { withAccess } from '../access.js';

export interface StatsRoutesOptions {
  store: StoreReads;
}

/** The admin dashboard's figures: plays per mood and day, the room mood over time, and the charts counted per bucket. */
export const statsRoutes: FastifyPluginAsyncTypebox<StatsRoutesOptions> = async (app, { store }) => {
  app.get(
    '/api/admin/stats',
    {
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
  app.get(
    '/api/admin/stats/charts',
    {
      schema: {
        operationId: 'getChartStats',
        tags: ['admin'],
        summary: 'The dashboard charts: room mood per bucket, plays per mood over time, busy hours, top tracks',
        querystring: ChartsQuery,
        response: { 200: ChartsSchema, 400: ErrorRef },
      },
    },
    async (request) => chartStats(store.stats, request.query),
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  await app.register(withAccess('staff', statsRoutes), { store: app.moodbox.store });
}
