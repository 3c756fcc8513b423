import { libraryFolders } from '../../config/paths.js';
import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LIBRARY_REFUSALS } from '../../music/library-refusals.js';
import type { LibraryService } from '../../music/library-service.js';
import type { StoreReads, Track } from '../../store/store-reads.js';
import { DEFAULT_MOODS } from '../../../player/moods.js';
import { coverUrlOf } from '../track-view.js';
import { realPathInside } from '../../config/paths.js';
import { audioView } from '../../../player/library/audio-view.js';
import { ErrorRef } from '../schemas/common.js';
import { isLossless } from '../../../player/library/recordings.js';
import {
  BulkMoodsBody,
  BulkMoodsSchema,
  KnownMoodsSchema,
  RecordingFilesSchema,
  TrackAdminSchema,
  TrackIdParams,
  TrackMoodsBody,
  TracksPageSchema,
  TracksQuery,
} from '../schemas/tracks.js';
import { withAccess } from '../access.js';

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
  store: Pick<StoreReads, 'tracks' | 'analyses'>;
  /** The library's commands: mood tags set by hand, audited, which the music picks from at once. */
  library: Pick<LibraryService, 'knownMoods' | 'setMoods' | 'editMoods' | 'playFile'>;
  /** The music folders in force: a file is served only from inside one of them. */
  folders: () => readonly string[];
  /** Why a song never plays here (`BlockedMusic.reasonFor`), for the Library's rows; absent where nothing is blocked. */
  blocked?: (track: Track) => 'song' | 'artist' | 'explicit' | null;
}

/** A track as the panel lists it: its cover, moods, files, why it never plays here and its analysis. */
function trackViewOf(deps: Pick<TracksRoutesOptions, 'store' | 'blocked'>) {
  const { store } = deps;
  return (track: Track, files = store.tracks.fileCounts([track.id])) => ({
    ...track,
    coverUrl: coverUrlOf(track.cover),
    moods: store.tracks.moods(track.id),
    files: files.get(track.id) ?? 1,
    blocked: deps.blocked?.(track) ?? null,
    audio: audioView(store.analyses.get(track.id)),
  });
}

/** The library's list with search, a mood filter and paging, for admins and staff (the dashboard's search). */
export const trackListRoutes: FastifyPluginAsyncTypebox<Pick<TracksRoutesOptions, 'store' | 'blocked'>> = async (app, deps) => {
  const { store } = deps;
  const adminView = trackViewOf(deps);
  app.get(
    '/api/admin/tracks',
    {
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
      const files = store.tracks.fileCounts(page.items.map((t) => t.id));
      return { total: page.total, items: page.items.map((t) => adminView(t, files)) };
    },
  );
};

/**
 * The library for admins: the moods, a song's files and audio, and setting their mood tags by hand, one
 * track or many at once. Only known moods (`GET /api/admin/moods`) may be added, so a typo cannot
 * make a new mood; a track keeps the other moods it already has (from a moods file).
 */
export const tracksRoutes: FastifyPluginAsyncTypebox<TracksRoutesOptions> = async (app, deps) => {
  const { store } = deps;
  const adminView = trackViewOf(deps);
  const { library } = deps;
  const mustFind = (id: number): Track => {
    const track = store.tracks.get(id);
    if (track === undefined) throw LIBRARY_REFUSALS.noTrack(id);
    return track;
  };

  app.get(
    '/api/admin/moods',
    {
      schema: {
        operationId: 'listMoods',
        tags: ['admin'],
        summary: 'The moods tracks may be tagged with, and how many tracks have each',
        response: { 200: KnownMoodsSchema },
      },
    },
    async () => ({
      moods: library.knownMoods().map((name) => ({
        name,
        builtIn: DEFAULT_MOODS.includes(name),
        tracks: store.tracks.list({ mood: name, limit: 1 }).total,
      })),
    }),
  );

  app.get(
    '/api/admin/tracks/:id/files',
    {
      schema: {
        operationId: 'listRecordingFiles',
        tags: ['admin'],
        summary: "The files of a song's recording (copies in two folders, an MP3 beside its FLAC), the one that plays first",
        params: TrackIdParams,
        response: { 200: RecordingFilesSchema, 404: ErrorRef },
      },
    },
    async (request) => {
      mustFind(request.params.id);
      const files = store.tracks.filesOf(request.params.id);
      return {
        items: files.map((file, i) => ({
          id: file.id,
          uri: file.uri,
          title: file.title,
          artist: file.artist,
          album: file.album,
          durationMs: file.durationMs,
          format: extname(file.uri).slice(1).toUpperCase(),
          lossless: isLossless(file.uri),
          kbps:
            file.fileSize === null || file.durationMs === null || file.durationMs <= 0
              ? null
              : Math.round((file.fileSize * 8) / file.durationMs),
          playing: i === 0,
        })),
      };
    },
  );

  app.post(
    '/api/admin/tracks/:id/play-this-file',
    {
      schema: {
        operationId: 'playRecordingFile',
        tags: ['admin'],
        summary: 'Play this file for its song, instead of the copy chosen (lossless first, then the higher bit rate)',
        description: 'Audited `library.play-file`. 404 for a stream or a file no longer there.',
        params: TrackIdParams,
        response: { 200: TrackAdminSchema, 404: ErrorRef },
      },
    },
    async (request) => adminView(library.playFile(request.params.id, request.adminActor)),
  );

  app.put(
    '/api/admin/tracks/:id/moods',
    {
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
      const track = library.setMoods(request.params.id, request.body.moods, request.adminActor);
      return adminView(track);
    },
  );

  app.get(
    '/api/admin/tracks/:id/audio',
    {
      schema: {
        operationId: 'getTrackAudio',
        tags: ['admin'],
        summary: 'A library file as it is on the box, so an admin can listen to it before tagging it',
        description:
          '404 for a stream (a station), a file no longer there, a file outside the music folders in force (links resolved when asked), or a kind of file a browser cannot play.',
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
      // Checked now, links resolved: the row may come from a restored backup, and a link may have changed since the scan.
      const file = track.source === 'local' && type !== undefined ? await realPathInside(track.uri, deps.folders()) : undefined;
      const size =
        file !== undefined
          ? await stat(file).then(
              (s) => (s.isFile() ? s.size : undefined),
              () => undefined,
            )
          : undefined;
      if (type === undefined || file === undefined || size === undefined) throw LIBRARY_REFUSALS.noFileToListen(track.id);
      return reply.type(type).header('content-length', size).header('cache-control', 'private, no-cache').send(createReadStream(file));
    },
  );

  app.post(
    '/api/admin/tracks/moods',
    {
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
      const tracks = library.editMoods(request.body, request.adminActor);
      return { items: tracks.map((t) => adminView(t)) };
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { store, trackMoods, settings, blocks } = app.moodbox;
  const blocked = blocks === undefined ? {} : { blocked: (track: Track) => blocks.reasonFor(track) };
  await app.register(withAccess('staff', trackListRoutes), { store, ...blocked });
  await app.register(withAccess('admin', tracksRoutes), {
    store,
    library: trackMoods,
    folders: () => libraryFolders(settings.current.library.folders),
    ...blocked,
  });
}
