import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import type { Store, Track } from '../../store/store.js';
import { coverUrlOf } from '../track-view.js';
import { ErrorRef } from '../schemas/common.js';
import { TrackAdminSchema, TrackIdParams, TrackMoodsBody, TracksPageSchema, TracksQuery } from '../schemas/tracks.js';

const admin = { access: 'admin' } as const;

export interface TracksRoutesOptions {
  store: Store;
  clock: Clock;
  /** Told when an admin changed the library (mood tags), so the music picks from it at once. */
  onLibraryEdited?: () => void;
}

/** The library for admins: listing and searching tracks, and setting their mood tags by hand. */
export const tracksRoutes: FastifyPluginAsyncTypebox<TracksRoutesOptions> = async (app, deps) => {
  const { store } = deps;
  const adminView = (track: Track) => ({ ...track, coverUrl: coverUrlOf(track.cover), moods: store.tracks.moods(track.id) });

  app.get(
    '/api/admin/tracks',
    {
      config: admin,
      schema: {
        operationId: 'listTracks',
        tags: ['admin'],
        summary: 'The library, with search, a mood filter and paging',
        querystring: TracksQuery,
        response: { 200: TracksPageSchema },
      },
    },
    async (request) => {
      const page = store.tracks.list(request.query);
      return { total: page.total, items: page.items.map(adminView) };
    },
  );

  app.put(
    '/api/admin/tracks/:id/moods',
    {
      config: admin,
      schema: {
        operationId: 'setTrackMoods',
        tags: ['admin'],
        summary: "Replace a track's mood tags",
        params: TrackIdParams,
        body: TrackMoodsBody,
        response: { 200: TrackAdminSchema, 404: ErrorRef },
      },
    },
    async (request) => {
      const { id } = request.params;
      const track = store.tracks.get(id);
      if (track === undefined) throw new MoodboxError('MB_ERR_NOT_FOUND', `No track with id ${id}.`);
      const { moods } = request.body;
      store.tracks.setMoods(
        id,
        moods.map((m) => ({ ...m, origin: 'admin' as const })),
      );
      store.audit.append({
        at: deps.clock.now(),
        actor: `admin:${request.principal?.user.id ?? '?'}`,
        action: 'track.moods',
        target: `${track.artist} - ${track.title}`,
        detail: { moods: moods.map((m) => m.mood) },
      });
      deps.onLibraryEdited?.();
      return adminView(track);
    },
  );
};
