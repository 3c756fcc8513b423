import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { personView, type PeopleService } from '../../people/people-service.js';
import type { StoreReads } from '../../store/store-reads.js';
import { ExportSchema, HistoryRemovedSchema, PageQuery, PlaysPageSchema, PreferencesBody, UserViewSchema } from '../schemas/people.js';
import { withAccess } from '../access.js';

export interface MeRoutesOptions {
  people: PeopleService;
  store: StoreReads;
}

/**
 * The signed-in person's own data over HTTP (a token from a PIN sign-in): their plays, everything
 * kept about them, removing their history, their preferences. The kiosk's screens use the same
 * people service through `me-requests.ts` on `/ws`.
 */
export const meRoutes: FastifyPluginAsyncTypebox<MeRoutesOptions> = async (app, { people, store }) => {
  app.get(
    '/api/me/history',
    {
      schema: {
        operationId: 'myHistory',
        tags: ['kiosk'],
        summary: 'What the signed-in person played',
        querystring: PageQuery,
        response: { 200: PlaysPageSchema },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      return store.plays.list({ userId: request.principal?.user.id ?? -1, limit, offset });
    },
  );

  app.get(
    '/api/me/export',
    {
      schema: {
        operationId: 'exportMyData',
        tags: ['kiosk'],
        summary: 'Everything Moodbox keeps about the signed-in person, as JSON',
        response: { 200: ExportSchema },
      },
    },
    async (request, reply) => {
      // Personal data: no browser or proxy keeps a copy.
      void reply.header('cache-control', 'no-store');
      return people.export(request.principal?.user ?? people.get(-1));
    },
  );

  app.delete(
    '/api/me/history',
    {
      schema: {
        operationId: 'deleteMyHistory',
        tags: ['kiosk'],
        summary: "Remove the signed-in person's history",
        response: { 200: HistoryRemovedSchema },
      },
    },
    async (request) => ({ removed: people.removeHistory(request.principal?.user ?? people.get(-1)) }),
  );

  app.patch(
    '/api/me/preferences',
    {
      schema: {
        operationId: 'setMyPreferences',
        tags: ['kiosk'],
        summary: "Set the signed-in person's languages, artists and moods to avoid",
        body: PreferencesBody,
        response: { 200: UserViewSchema },
      },
    },
    async (request) => personView(people.setPreferences(request.principal?.user ?? people.get(-1), request.body)),
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { people, store } = app.moodbox;
  await app.register(withAccess('kiosk', meRoutes), { people, store });
}
