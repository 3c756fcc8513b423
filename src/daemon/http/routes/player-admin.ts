import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../../kernel/clock.js';
import type { Playback } from '../../events.js';
import type { LibraryFit, StaffMusicView } from '../../music/music-director.js';
import type { Store } from '../../store/store.js';
import type { QueueItem } from '../../../player/play-queue.js';
import { STREAM_SOURCE } from '../../../player/streams/stream-url.js';
import type { Emotion } from '../../../kernel/room-mood.js';
import { ErrorRef } from '../schemas/common.js';
import {
  HoldMoodBody,
  LibraryFitSchema,
  QueueKeyParams,
  RestartSchema,
  SkippedSchema,
  StaffPlayerSchema,
  TrackChoiceBody,
  VolumeBody,
} from '../schemas/player-admin.js';
import { coverUrlOf } from '../track-view.js';

/**
 * What staff controls need of the music: the music director implements it. Each method MAY throw a
 * `MoodboxError` (`MB_ERR_PLAYER_NOT_ALLOWED` when the music is silent), or a `RangeError` for an
 * argument out of range.
 */
export interface StaffControls {
  readonly playback: Playback;
  readonly staffView: StaffMusicView;
  /** Pauses until `resume()`; nothing else resumes it. */
  pause(): Promise<unknown>;
  /** Ends a staff pause; the music plays unless quiet hours or the schedule keep it silent. */
  resume(): Promise<unknown>;
  /** Plays the next pick now; nobody's likes or skips change. */
  next(): Promise<{ trackId: number | null }>;
  /** 0–100; the maximum and the schedule still cap it. Resolves with the volume applied. */
  setVolume(volume: number): Promise<number>;
  /** Follows `label` instead of the camera until `until` (epoch ms). */
  holdMood(label: Emotion, until: number): Promise<unknown>;
  /** Follows the camera again. */
  releaseMood(): Promise<unknown>;
  /** What plays and what comes next, in order. */
  readonly queue: { current: QueueItem | undefined; upcoming: readonly QueueItem[] };
  /** Plays a song or station of the library now (`MB_ERR_NOT_FOUND` for none such). */
  playNow(trackId: number): Promise<QueueItem>;
  /** Puts a song or station at the head of what comes next; a change of the room's mood never pushes it out. */
  playNext(trackId: number): Promise<QueueItem>;
  /** Takes a song staff queued out again (`MB_ERR_NOT_FOUND` once it started or left). */
  unqueue(key: number): Promise<QueueItem>;
  /** How well the library serves each mood the room can be in. */
  libraryFit(): LibraryFit;
}

export interface PlayerAdminRoutesOptions {
  staff: StaffControls;
  store: Store;
  clock: Clock;
  /**
   * Asks the daemon to restart: it stops cleanly and exits with a code its service manager restarts
   * on (`EXIT.RESTART`, 75). Undefined where nothing can restart it; the route is then not offered.
   */
  restart?: (() => void) | undefined;
}

const MINUTE_MS = 60_000;

/**
 * Staff controls of the music (admin): play and pause, skip, the volume within the maximum and the
 * schedule, a mood held for a chosen time and its release, songs chosen to play now or next and
 * taken out of the queue again, how well the library fits each mood; and a restart of the daemon
 * for settings that need one. Every change is written to the audit log; the volume, a pause and a
 * resume are undone when their audit cannot be written (a full disk), so that their 507 means nothing changed.
 */
export const playerAdminRoutes: FastifyPluginAsyncTypebox<PlayerAdminRoutesOptions> = async (app, deps) => {
  const { staff, store, clock } = deps;
  const admin = { access: 'admin' } as const;
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
  /** What the audit says of a song: its id and its title, as it was then. */
  const song = (queued: QueueItem) => ({ trackId: queued.track.id, title: queued.track.title ?? '', key: queued.key });
  const audit = (request: FastifyRequest, action: string, detail: Record<string, unknown> = {}): void => {
    store.audit.append({ at: clock.now(), actor: `admin:${request.principal?.user.id ?? '?'}`, action, target: '', detail });
  };
  /**
   * Writes the audit of a change just made; when it cannot be written (a full disk answers 507),
   * `undo` puts things back first, so that an error means nothing changed.
   */
  const auditOrUndo = async (
    request: FastifyRequest,
    action: string,
    detail: Record<string, unknown>,
    undo: () => Promise<unknown>,
  ): Promise<void> => {
    try {
      audit(request, action, detail);
    } catch (err) {
      await undo();
      throw err;
    }
  };
  const response = { 200: StaffPlayerSchema, 400: ErrorRef, 403: ErrorRef };
  const choice = { ...response, 404: ErrorRef };

  app.get(
    '/api/admin/player',
    {
      config: admin,
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
      config: admin,
      schema: { operationId: 'pauseMusic', tags: ['admin'], summary: 'Pause the music until staff resume it', response },
    },
    async (request) => {
      const wasPaused = staff.staffView.isPausedByStaff;
      await staff.pause();
      await auditOrUndo(request, 'player.pause', {}, async () => (wasPaused ? undefined : staff.resume()));
      return view();
    },
  );

  app.post(
    '/api/admin/player/resume',
    {
      config: admin,
      schema: {
        operationId: 'resumeMusic',
        tags: ['admin'],
        summary: 'End a staff pause; `silence` says if quiet hours or the schedule still keep the music off',
        response,
      },
    },
    async (request) => {
      const wasPaused = staff.staffView.isPausedByStaff;
      await staff.resume();
      await auditOrUndo(request, 'player.resume', {}, async () => (wasPaused ? staff.pause() : undefined));
      return view();
    },
  );

  app.post(
    '/api/admin/player/skip',
    {
      config: admin,
      schema: {
        operationId: 'skipTrack',
        tags: ['admin'],
        summary: 'Play the next pick now (refused while the music is silent)',
        response: { 200: SkippedSchema, 403: ErrorRef },
      },
    },
    async (request) => {
      const skipped = await staff.next();
      audit(request, 'player.skip', { trackId: skipped.trackId });
      return skipped;
    },
  );

  app.put(
    '/api/admin/player/volume',
    {
      config: admin,
      schema: {
        operationId: 'setVolume',
        tags: ['admin'],
        summary: 'Set the wanted volume; the maximum and the volume schedule still cap it',
        body: VolumeBody,
        response,
      },
    },
    async (request) => {
      const before = staff.staffView.wantedVolume;
      const applied = await staff.setVolume(request.body.volume);
      await auditOrUndo(request, 'player.volume', { wanted: request.body.volume, applied }, () => staff.setVolume(before));
      return view();
    },
  );

  app.put(
    '/api/admin/mood/hold',
    {
      config: admin,
      schema: {
        operationId: 'holdMood',
        tags: ['admin'],
        summary: 'Play for a chosen mood instead of the camera’s for a number of minutes',
        body: HoldMoodBody,
        response,
      },
    },
    async (request) => {
      const { label, minutes } = request.body;
      const until = clock.now() + minutes * MINUTE_MS;
      await staff.holdMood(label, until);
      audit(request, 'mood.hold', { label, minutes, until });
      return view();
    },
  );

  app.delete(
    '/api/admin/mood/hold',
    {
      config: admin,
      schema: { operationId: 'releaseMood', tags: ['admin'], summary: 'Follow the camera again at once', response },
    },
    async (request) => {
      const held = staff.staffView.hold;
      await staff.releaseMood();
      if (held !== null) audit(request, 'mood.release', { label: held.label });
      return view();
    },
  );

  app.post(
    '/api/admin/player/play-now',
    {
      config: admin,
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
      const played = await staff.playNow(request.body.trackId);
      audit(request, 'player.play-now', song(played));
      return view();
    },
  );

  app.post(
    '/api/admin/player/queue',
    {
      config: admin,
      schema: {
        operationId: 'playNext',
        tags: ['admin'],
        summary: 'Play a song or station next, before the music’s own pick; a change of the room’s mood does not push it out',
        body: TrackChoiceBody,
        response: choice,
      },
    },
    async (request) => {
      const queued = await staff.playNext(request.body.trackId);
      audit(request, 'player.play-next', song(queued));
      return view();
    },
  );

  app.delete(
    '/api/admin/player/queue/:key',
    {
      config: admin,
      schema: {
        operationId: 'unqueue',
        tags: ['admin'],
        summary: 'Take a song staff queued out of the queue again (404 once it has started playing)',
        params: QueueKeyParams,
        response: choice,
      },
    },
    async (request) => {
      const removed = await staff.unqueue(request.params.key);
      audit(request, 'player.unqueue', song(removed));
      return view();
    },
  );

  app.get(
    '/api/admin/library/fit',
    {
      config: admin,
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

  const restart = deps.restart;
  if (restart !== undefined) {
    // Only a request the handler itself accepted restarts: the hook below also runs after a refusal
    // (401, 403, 429), and those must change nothing.
    const accepted = new WeakSet<FastifyRequest>();
    app.post(
      '/api/admin/restart',
      {
        config: admin,
        schema: {
          operationId: 'restartDaemon',
          tags: ['admin'],
          summary: 'Restart Moodbox (for settings that need it): it stops cleanly and its service manager starts it again',
          response: { 202: RestartSchema },
        },
        // After the answer is out: the stop closes the server.
        onResponse: (request, _reply, done) => {
          if (accepted.delete(request)) restart();
          done();
        },
      },
      async (request, reply) => {
        audit(request, 'daemon.restart');
        accepted.add(request);
        return reply.status(202).send({ restarting: true });
      },
    );
  }
};
