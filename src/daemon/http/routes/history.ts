import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QUERY_REFUSALS } from '../http-refusals.js';
import type { StoreReads } from '../../store/store-reads.js';
import { ErrorRef } from '../schemas/common.js';
import { AuditPageSchema, AuditQuery, HistoryPageSchema, HistoryQuery } from '../schemas/people.js';
import { withAccess } from '../access.js';

export interface HistoryRoutesOptions {
  store: StoreReads;
}

/** The play history, for admins and staff (read only). */
export const historyRoutes: FastifyPluginAsyncTypebox<HistoryRoutesOptions> = async (app, { store }) => {
  app.get(
    '/api/admin/history',
    {
      schema: {
        operationId: 'listHistory',
        tags: ['admin'],
        summary: 'Play history, newest first, with filters and paging; each play with its track’s title and artist and the person’s name',
        description: 'Answers 400 naming `from` when it is not before `to`.',
        querystring: HistoryQuery,
        response: { 200: HistoryPageSchema, 400: ErrorRef },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from !== undefined && to !== undefined && from >= to) {
        throw QUERY_REFUSALS.historyFromAfterTo(new Date(from).toISOString(), new Date(to).toISOString());
      }
      const page = store.plays.list(request.query);
      const tracks = new Map<number, { title: string; artist: string; uri: string } | undefined>();
      const names = new Map<number, string | undefined>();
      const items = page.items.map((p) => {
        if (p.trackId !== null && !tracks.has(p.trackId)) tracks.set(p.trackId, store.tracks.get(p.trackId));
        if (p.userId !== null && !names.has(p.userId)) names.set(p.userId, store.users.get(p.userId)?.name);
        const track = p.trackId === null ? undefined : tracks.get(p.trackId);
        return {
          ...p,
          // A file without a title tag is named by its file name rather than left blank.
          title: track === undefined ? null : track.title || (track.uri.split('/').pop() ?? track.uri),
          artist: track?.artist ?? null,
          userName: (p.userId === null ? undefined : names.get(p.userId)) ?? null,
        };
      });
      return { total: page.total, items };
    },
  );
};

/** The audit log, for admins: who did what, staff's actions (`staff:<id>`) among them. */
export const auditRoutes: FastifyPluginAsyncTypebox<HistoryRoutesOptions> = async (app, { store }) => {
  app.get(
    '/api/admin/audit',
    {
      schema: {
        operationId: 'listAudit',
        tags: ['admin'],
        summary: 'Who did what, newest first (of one action, with `action`)',
        querystring: AuditQuery,
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => store.audit.list(request.query),
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  await app.register(withAccess('staff', historyRoutes), { store: app.moodbox.store });
  await app.register(withAccess('admin', auditRoutes), { store: app.moodbox.store });
}
