import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffControls } from '../../music/music-director.js';
import type { StoreReads } from '../../store/store-reads.js';
import type { QueueItem } from '../../../player/play-queue.js';
import { STREAM_SOURCE } from '../../../player/streams/stream-url.js';
import { ErrorRef } from '../schemas/common.js';
import {
  HoldMoodBody,
  LibraryFitSchema,
  QueueKeyParams,
  QueuePositionBody,
  RestartSchema,
  SkippedSchema,
  StaffPlayerSchema,
  TrackChoiceBody,
  VolumeBody,
} from '../schemas/player-admin.js';
import { coverUrlOf } from '../track-view.js';
import type { Actor } from '../../store/store-reads.js';
import { withAccess } from '../access.js';

export interface PlayerAdminRoutesOptions {
  /** The music's commands, audited with the admin as the actor. */
  staff: StaffControls;
  store: Pick<StoreReads, 'tracks'>;
  /**
   * Restarts the daemon for `actor` (audited): it stops cleanly and exits with a code its service
   * manager restarts on (`EXIT.RESTART`, 75). Undefined where nothing can restart it; the route is then not offered.
   */
  restart?: ((actor: Actor) => void) | undefined;
}

/**
 * Staff controls of the music (admins and staff): play and pause (a resume in the quiet hours is
 * the staff's override), skip, the volume within the maximum and the schedule, a mood held for a
 * chosen time and its release, songs chosen to play now or next and taken out of the queue again,
 * how well the library fits each mood. The commands write the audit log with the admin as the actor (`MusicDirector`);
 * the volume, a pause and a resume are undone when their audit cannot be written (a full disk), so that their
 * 507 means nothing changed. A restart of the daemon is the admins' (`restartRoutes`).
 */
export const playerAdminRoutes: FastifyPluginAsyncTypebox<PlayerAdminRoutesOptions> = async (app, deps) => {
  const { staff, store } = deps;
  const item = (queued: QueueItem) => {
    const track = store.tracks.get(queued.track.id);
    return {
      key: queued.key,
      trackId: queued.track.id,
      title: track?.title ?? queued.track.title ?? '',
      artist: track?.artist ?? queued.track.artist ?? '',
      album: track?.album ?? '',
      durationMs: track?.durationMs ?? null,
      coverUrl: coverUrlOf(track?.cover ?? null),
      isStation: track?.source === STREAM_SOURCE,
      reason: queued.reason,
      note: queued.note,
      noteSaid: queued.noteSaid ?? null,
    };
  };
  const view = () => {
    const { status, trackId, volume } = staff.playback;
    const { current, upcoming } = staff.queue;
    return {
      status,
      trackId,
      volume,
      ...staff.staffView,
      current: current === undefined ? null : item(current),
      upcoming: upcoming.map(item),
    };
  };
  const response = { 200: StaffPlayerSchema, 400: ErrorRef, 403: ErrorRef };
  const choice = { ...response, 404: ErrorRef };

  app.get(
    '/api/admin/player',
    {
      schema: {
        operationId: 'getStaffPlayer',
        tags: ['admin'],
        summary: 'The music as staff control it',
        response: { 200: StaffPlayerSchema },
      },
    },
    async () => view(),
  );

  app.post(
    '/api/admin/player/pause',
    {
      schema: { operationId: 'pauseMusic', tags: ['admin'], summary: 'Pause the music until staff resume it', response },
    },
    async (request) => {
      await staff.pause(request.adminActor);
      return view();
    },
  );

  app.post(
    '/api/admin/player/resume',
    {
      schema: {
        operationId: 'resumeMusic',
        tags: ['admin'],
        summary: 'End a staff pause; `silence` says if quiet hours or the schedule still keep the music off',
        response,
      },
    },
    async (request) => {
      await staff.resume(request.adminActor);
      return view();
    },
  );

  app.post(
    '/api/admin/player/skip',
    {
      schema: {
        operationId: 'skipTrack',
        tags: ['admin'],
        summary: 'Play the next pick now (refused while the music is silent)',
        response: { 200: SkippedSchema, 403: ErrorRef },
      },
    },
    async (request) => {
      return staff.skip({ by: 'staff', actor: request.adminActor });
    },
  );

  app.put(
    '/api/admin/player/volume',
    {
      schema: {
        operationId: 'setVolume',
        tags: ['admin'],
        summary: 'Set the wanted volume; the maximum and the volume schedule still cap it',
        body: VolumeBody,
        response,
      },
    },
    async (request) => {
      await staff.setVolume(request.body.volume, request.adminActor);
      return view();
    },
  );

  app.put(
    '/api/admin/mood/hold',
    {
      schema: {
        operationId: 'holdMood',
        tags: ['admin'],
        summary: 'Play for a chosen mood instead of the camera’s for a number of minutes',
        body: HoldMoodBody,
        response,
      },
    },
    async (request) => {
      await staff.holdMood(request.body.label, request.body.minutes, request.adminActor);
      return view();
    },
  );

  app.delete(
    '/api/admin/mood/hold',
    {
      schema: { operationId: 'releaseMood', tags: ['admin'], summary: 'Follow the camera again at once', response },
    },
    async (request) => {
      await staff.releaseMood(request.adminActor);
      return view();
    },
  );

  app.post(
    '/api/admin/player/play-now',
    {
      schema: {
        operationId: 'playNow',
        tags: ['admin'],
        summary:
          'Play a song or station of the library on the speakers now, fading from the one playing (refused while the music is silent)',
        body: TrackChoiceBody,
        response: choice,
      },
    },
    async (request) => {
      await staff.playNow(request.body.trackId, request.adminActor);
      return view();
    },
  );

  app.post(
    '/api/admin/player/queue',
    {
      schema: {
        operationId: 'playNext',
        tags: ['admin'],
        summary: 'Play a song or station next, before the music’s own pick; a change of the room’s mood does not push it out',
        body: TrackChoiceBody,
        response: choice,
      },
    },
    async (request) => {
      await staff.playNext(request.body.trackId, request.adminActor);
      return view();
    },
  );

  app.delete(
    '/api/admin/player/queue/:key',
    {
      schema: {
        operationId: 'unqueue',
        tags: ['admin'],
        summary: 'Take a song staff queued out of the queue again (404 once it has started playing)',
        params: QueueKeyParams,
        response: choice,
      },
    },
    async (request) => {
      await staff.unqueue(request.params.key, request.adminActor);
      return view();
    },
  );

  app.put(
    '/api/admin/player/queue/:key/position',
    {
      schema: {
        operationId: 'moveQueued',
        tags: ['admin'],
        summary: 'Move a song staff queued to a place among the songs staff queued (0: next; 404 once it has started playing)',
        params: QueueKeyParams,
        body: QueuePositionBody,
        response: choice,
      },
    },
    async (request) => {
      await staff.move(request.params.key, request.body.position, request.adminActor);
      return view();
    },
  );

  app.get(
    '/api/admin/library/fit',
    {
      schema: {
        operationId: 'getLibraryFit',
        tags: ['admin'],
        summary: 'How many songs fit each mood the room can be in, and how many are not analysed: the dashboard’s library warnings',
        response: { 200: LibraryFitSchema },
      },
    },
    async () => {
      const fit = staff.libraryFit();
      return { ...fit, moods: [...fit.moods] };
    },
  );
};

/** A restart of the daemon for settings that need one, for admins; not offered where nothing can restart it. */
export const restartRoutes: FastifyPluginAsyncTypebox<Pick<PlayerAdminRoutesOptions, 'restart'>> = async (app, { restart }) => {
  if (restart !== undefined) {
    // Only a request the handler itself accepted restarts: the hook below also runs after a refusal
    // (401, 403, 429), and those must change nothing.
    const accepted = new WeakSet<FastifyRequest>();
    app.post(
      '/api/admin/restart',
      {
        schema: {
          operationId: 'restartDaemon',
          tags: ['admin'],
          summary: 'Restart Moodbox (for settings that need it): it stops cleanly and its service manager starts it again',
          response: { 202: RestartSchema },
        },
        // After the answer is out: the stop closes the server.
        onResponse: (request, _reply, done) => {
          if (accepted.delete(request)) restart(request.adminActor);
          done();
        },
      },
      async (request, reply) => {
        accepted.add(request);
        return reply.status(202).send({ restarting: true });
      },
    );
  }
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { staff, store, restart } = app.moodbox;
  if (staff === undefined) return;
  await app.register(withAccess('staff', playerAdminRoutes), { staff, store });
  await app.register(withAccess('admin', restartRoutes), { restart });
}
