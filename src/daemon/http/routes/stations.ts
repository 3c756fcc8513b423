import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MoodboxError } from '../../../kernel/errors.js';
import { STATION_REFUSALS } from '../../music/library-refusals.js';
import type { Stations } from '../../music/stations.js';
import { ErrorRef } from '../schemas/common.js';
import { StationBody, StationIdParams, StationSchema, StationsSchema } from '../schemas/stations.js';
import { withAccess } from '../access.js';

export interface StationsRoutesOptions {
  stations: Pick<Stations, 'list' | 'add' | 'remove'>;
  /** The moods a station may be tagged with: those of the emotion → mood table (`LibraryService.knownMoods`). */
  knownMoods: () => string[];
}

/** The stations to pick from, for admins and staff (the dashboard's search): with how their last play went. */
export const stationListRoutes: FastifyPluginAsyncTypebox<Pick<StationsRoutesOptions, 'stations'>> = async (app, { stations }) => {
  app.get(
    '/api/admin/stations',
    {
      schema: {
        operationId: 'listStations',
        tags: ['admin'],
        summary: 'The stations of the library, with failing ones and since when',
        response: { 200: StationsSchema },
      },
    },
    async () => ({ items: stations.list() }),
  );
};

/** Web radio and other streams for admins: add and remove them. Audited. */
export const stationsRoutes: FastifyPluginAsyncTypebox<StationsRoutesOptions> = async (app, deps) => {
  const { stations } = deps;

  app.post(
    '/api/admin/stations',
    {
      schema: {
        operationId: 'addStation',
        tags: ['admin'],
        summary: 'Add a station (or update the one with this URL); its moods must be known ones (`GET /api/admin/moods`)',
        body: StationBody,
        response: { 200: StationSchema, 400: ErrorRef, 403: ErrorRef },
      },
    },
    async (request) => {
      // The moods the library knows (as a track's tags): a station tagged with another is never picked.
      const known = deps.knownMoods();
      const unknown = request.body.moods.map((m) => m.mood).filter((mood) => !known.includes(mood));
      if (unknown.length > 0) {
        throw STATION_REFUSALS.unknownMoods(unknown, known);
      }
      let station;
      try {
        station = await stations.add(request.body, request.adminActor);
      } catch (err) {
        if (err instanceof TypeError) throw new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `body.${err.message.replace(/^`(\w+)`/, '$1')}`);
        throw err;
      }
      return station;
    },
  );

  app.delete(
    '/api/admin/stations/:id',
    {
      schema: {
        operationId: 'removeStation',
        tags: ['admin'],
        summary: 'Remove a station from the library (its plays stay in the history)',
        params: StationIdParams,
        response: { 204: Type.Null(), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      stations.remove(request.params.id, request.adminActor);
      return reply.status(204).send(null);
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { stations, trackMoods } = app.moodbox;
  if (stations === undefined) return;
  await app.register(withAccess('staff', stationListRoutes), { stations });
  await app.register(withAccess('admin', stationsRoutes), { stations, knownMoods: () => trackMoods.knownMoods() });
}
