import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { BlockedMusic } from '../../music/blocked-music.js';
import { blockFieldRefused } from '../../music/library-refusals.js';
import { ErrorRef } from '../schemas/common.js';
import { BlockBody, BlockedEntrySchema, BlockIdParams, BlockImportBody, BlockImportReportSchema, BlocksSchema } from '../schemas/blocks.js';
import { withAccess } from '../access.js';

export interface BlocksRoutesOptions {
  blocks: Pick<
    BlockedMusic,
    'list' | 'blockSong' | 'blockArtist' | 'artistReach' | 'unblock' | 'importList' | 'explicitSkipped' | 'reasonFor'
  >;
  /** The explicit-content rule now (`music.explicit`). */
  explicit: () => 'play' | 'skip';
}

/** Blocked songs and artists for admins and staff: list, block, lift, import a list. Each change is the blocked music's command, audited. */
export const blocksRoutes: FastifyPluginAsyncTypebox<BlocksRoutesOptions> = async (app, { blocks, explicit }) => {
  app.get(
    '/api/admin/blocks',
    {
      schema: {
        operationId: 'listBlocks',
        tags: ['admin'],
        summary: 'The blocked songs and artists, and the rule for explicit songs',
        response: { 200: BlocksSchema },
      },
    },
    async () => ({ items: blocks.list(), explicit: explicit(), explicitSkipped: blocks.explicitSkipped }),
  );

  app.post(
    '/api/admin/blocks',
    {
      schema: {
        operationId: 'block',
        tags: ['admin'],
        summary:
          'Block a song (`trackId`) or an artist (`artist`): the music never picks it, guests cannot ask for it, and a song playing or queued gives way',
        body: BlockBody,
        response: { 201: BlockedEntrySchema, 400: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        if ('trackId' in body) return await reply.status(201).send(blocks.blockSong(body.trackId, request.adminActor));
        const entry = blocks.blockArtist(body.artist, request.adminActor);
        return await reply.status(201).send({ ...entry, ...blocks.artistReach(body.artist) });
      } catch (err) {
        throw blockFieldRefused('body.artist', err);
      }
    },
  );

  app.delete(
    '/api/admin/blocks/:id',
    {
      schema: {
        operationId: 'unblock',
        tags: ['admin'],
        summary: 'Lift a block',
        params: BlockIdParams,
        response: { 200: BlockedEntrySchema, 404: ErrorRef },
      },
    },
    async (request) => blocks.unblock(request.params.id, request.adminActor),
  );

  app.post(
    '/api/admin/blocks/import',
    {
      schema: {
        operationId: 'importBlocks',
        tags: ['admin'],
        summary: 'Block what a CSV names (a header with `artist`, optionally `title`; an artist alone blocks the artist)',
        body: BlockImportBody,
        response: { 200: BlockImportReportSchema, 400: ErrorRef },
      },
    },
    async (request) => {
      try {
        return blocks.importList(request.body.csv, request.adminActor);
      } catch (err) {
        throw blockFieldRefused('body.csv', err);
      }
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { blocks, settings } = app.moodbox;
  if (blocks !== undefined)
    await app.register(withAccess('staff', blocksRoutes), { blocks, explicit: () => settings.current.music.explicit });
}
