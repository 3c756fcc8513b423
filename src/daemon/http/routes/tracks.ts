import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../../kernel/clock.js';
import { MoodboxError } from '../../../kernel/errors.js';
import type { Store, Track, TrackMood } from '../../store/store.js';
import { DEFAULT_MOODS, knownMoods, loadEmotionMoodMap } from '../../../player/moods.js';
import { coverUrlOf } from '../track-view.js';
import { audioView } from '../../../player/library/audio-view.js';
import { ErrorRef } from '../schemas/common.js';
import {
  BulkMoodsBody,
  BulkMoodsSchema,
  KnownMoodsSchema,
  TrackAdminSchema,
  TrackIdParams,
  TrackMoodsBody,
  TracksPageSchema,
  TracksQuery,
} from '../schemas/tracks.js';

const admin = { access: 'admin' } as const;

/** What a browser's audio element is told each library file is, by extension. */
const AUDIO_TYPES: Readonly<Record<string, string>> = {
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.wav': 'audio/wav',
};

export interface TracksRoutesOptions {
  store: Store;
  clock: Clock;
  /** Told when an admin changed the library (mood tags), so the music picks from it at once. */
  onLibraryEdited?: () => void;
}

/**
 * The library for admins: listing and searching tracks, and setting their mood tags by hand, one
 * track or many at once. Only known moods (`GET /api/admin/moods`) may be added, so a typo cannot
 * make a new mood; a track keeps the other moods it already has (from a moods file).
 */
export const tracksRoutes: FastifyPluginAsyncTypebox<TracksRoutesOptions> = async (app, deps) => {
  const { store } = deps;
  const adminView = (track: Track) => ({
    ...track,
    coverUrl: coverUrlOf(track.cover),
    moods: store.tracks.moods(track.id),
    audio: audioView(store.analyses.get(track.id)),
  });
  const actor = (request: { principal: { user: { id: number } } | null }): string => `admin:${request.principal?.user.id ?? '?'}`;
  // Read at each request: the admin may edit the emotion → mood mapping at any time.
  const known = (): string[] => knownMoods(loadEmotionMoodMap(store.settings));
  /** Throws, naming the first mood of `added` that is not known. */
  const mustKnow = (added: Iterable<string>): void => {
    const moods = known();
    for (const mood of added) {
      if (!moods.includes(mood)) {
        throw new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `“${mood}” is not a known mood. Choose one of: ${moods.join(', ')}.`);
      }
    }
  };
  const mustFind = (id: number): Track => {
    const track = store.tracks.get(id);
    if (track === undefined) throw new MoodboxError('MB_ERR_NOT_FOUND', `No track with id ${id}.`);
    return track;
  };

  app.get(
    '/api/admin/moods',
    {
      config: admin,
      schema: {
        operationId: 'listMoods',
        tags: ['admin'],
        summary: 'The moods tracks may be tagged with, and how many tracks have each',
        response: { 200: KnownMoodsSchema },
      },
    },
    async () => ({
      moods: known().map((name) => ({
        name,
        builtIn: DEFAULT_MOODS.includes(name),
        tracks: store.tracks.list({ mood: name, limit: 1 }).total,
      })),
    }),
  );

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
        description: 'Answers 400 naming the mood when one the track does not have yet is not a known mood (`GET /api/admin/moods`).',
        params: TrackIdParams,
        body: TrackMoodsBody,
        response: { 200: TrackAdminSchema, 400: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      const { id } = request.params;
      const track = mustFind(id);
      const { moods } = request.body;
      const had = new Set(store.tracks.moods(id).map((m) => m.mood));
      mustKnow(moods.map((m) => m.mood).filter((m) => !had.has(m)));
      const seen = new Set<string>();
      for (const { mood } of moods) {
        if (seen.has(mood)) throw new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `Expected each mood once, got “${mood}” twice.`);
        seen.add(mood);
      }
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

  app.get(
    '/api/admin/tracks/:id/audio',
    {
      config: admin,
      schema: {
        operationId: 'getTrackAudio',
        tags: ['admin'],
        summary: 'A library file as it is on the box, so an admin can listen to it before tagging it',
        description: '404 for a stream (a station), a file no longer there, or a kind of file a browser cannot play.',
        params: TrackIdParams,
        response: {
          200: {
            description: 'The audio file.',
            content: Object.fromEntries(
              [...new Set(Object.values(AUDIO_TYPES))].map((type) => [type, { schema: Type.String({ contentMediaType: type }) }]),
            ),
          },
          404: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const track = mustFind(request.params.id);
      const type = AUDIO_TYPES[extname(track.uri).toLowerCase()];
      const size =
        track.source === 'local' && type !== undefined
          ? await stat(track.uri).then(
              (s) => (s.isFile() ? s.size : undefined),
              () => undefined,
            )
          : undefined;
      if (type === undefined || size === undefined)
        throw new MoodboxError('MB_ERR_NOT_FOUND', `Track ${track.id} has no file to listen to here.`);
      return reply.type(type).header('content-length', size).header('cache-control', 'private, no-cache').send(createReadStream(track.uri));
    },
  );

  app.post(
    '/api/admin/tracks/moods',
    {
      config: admin,
      schema: {
        operationId: 'editTrackMoods',
        tags: ['admin'],
        summary: 'Add moods to, or remove moods from, several tracks at once',
        description:
          'Every change lands or none: 400 naming the mood when one to add is not known, 404 naming the first track that does not exist. ' +
          'A mood added to a track that already has it is set to full weight.',
        body: BulkMoodsBody,
        response: { 200: BulkMoodsSchema, 400: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      const { trackIds, add, remove } = request.body;
      if (add.length === 0 && remove.length === 0) {
        throw new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', 'Expected a mood to add or to remove, got neither.');
      }
      const both = add.find((m) => remove.includes(m));
      if (both !== undefined) throw new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `Expected “${both}” to be added or removed, not both.`);
      mustKnow(add);
      const tracks = trackIds.map(mustFind);
      store.transaction(() => {
        for (const track of tracks) {
          const kept: TrackMood[] = store.tracks.moods(track.id).filter((m) => !remove.includes(m.mood) && !add.includes(m.mood));
          store.tracks.setMoods(track.id, [...kept, ...add.map((mood) => ({ mood, weight: 1, origin: 'admin' as const }))]);
        }
        store.audit.append({
          at: deps.clock.now(),
          actor: actor(request),
          action: 'track.moods',
          target: `${tracks.length} track${tracks.length === 1 ? '' : 's'}`,
          detail: { add, remove, tracks: trackIds.length },
        });
      });
      deps.onLibraryEdited?.();
      return { items: tracks.map(adminView) };
    },
  );
};
