import { Type, type TSchema } from 'typebox';
import { DayPlanSchema } from '../../config/schema-day-plans.js';
import { SaidSchema } from './guest.js';

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, `MB_ERR_*`.' }),
      message: Type.String(),
      said: Type.Optional(SaidSchema),
    }),
  },
  {
    $id: 'ErrorBody',
    description:
      'Every error response has this body: `said` is `message` as a message of the screens’ catalogues, where the screens may show it.',
  },
);

/** An error response in a route's `response` map: the shared `ErrorBody`, by reference. */
export const ErrorRef = Type.Ref('ErrorBody');

/** One page of a longer list: the items asked for and how many there are in all. */
export const pageOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer() });

/** A person's display name, as accounts are created, renamed and signed in to. */
export const PersonName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '\\S',
  description:
    'Display name, stored in NFKC and unique after case folding ("ＡＤＭＩＮ" is "admin"); invisible, control and bidirectional characters are refused.',
});

export const ServiceHealthSchema = Type.Object({
  name: Type.String(),
  status: Type.Enum(['stopped', 'starting', 'ready', 'degraded', 'failed', 'stopping']),
  detail: Type.Optional(Type.String()),
  said: Type.Optional(SaidSchema),
});

export const HealthSchema = Type.Object({
  status: Type.Enum(['ready', 'degraded', 'starting', 'failed'], {
    description: '`ready` or `degraded` (answered with 200) once every service has started; otherwise 503.',
  }),
  version: Type.String(),
  uptimeS: Type.Number(),
  memory: Type.Object(
    {
      rssMiB: Type.Number(),
      heapUsedMiB: Type.Number(),
      externalMiB: Type.Number({ description: 'Memory held outside the JavaScript heap for JavaScript objects (buffers).' }),
    },
    { description: "The daemon's own memory (mpv runs in its own process)." },
  ),
  services: Type.Array(ServiceHealthSchema),
});

const TrackViewSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  artist: Type.String(),
  album: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  coverUrl: Type.Union([Type.String(), Type.Null()]),
  moods: Type.Array(Type.String()),
  why: Type.Optional(Type.String({ description: 'Suggestions only: why the recommender picked it.' })),
  whySaid: Type.Optional(
    Type.Union([SaidSchema, Type.Null()], {
      description: '`why` as a message of the screens’ catalogues (`common.said.<id>`), for the reader’s language; null where it has none.',
    }),
  ),
  isPersonalPick: Type.Optional(
    Type.Boolean({ description: "Suggestions only: picked from the signed-in person's own taste (true) or the room's (false)." }),
  ),
  whyKind: Type.Optional(
    Type.Enum(['mood', 'lift', 'liked', 'learned', 'artist', 'language', 'fallback', 'guest'], {
      description:
        'The kind of reason; `fallback`: few tracks fit the mood, and this is one of the closest; `guest`: asked for by a guest.',
    }),
  ),
});

export const StateSchema = Type.Object({
  seq: Type.Integer({ description: 'Grows by one with every change pushed on `/ws`.' }),
  data: Type.Object({
    version: Type.String(),
    demo: Type.Boolean(),
    timeZone: Type.String({
      description:
        'The box’s time zone (IANA, `Europe/Lisbon`): its hours are kept in it, and the screens show times of day in it, naming it where the reader’s differs.',
    }),
    camera: Type.Object({
      status: Type.Enum(['off', 'starting', 'on', 'unavailable']),
      detail: Type.Union([Type.String(), Type.Null()]),
      said: Type.Optional(SaidSchema),
    }),
    mood: Type.Object({
      current: Type.Union([Type.String(), Type.Null()]),
      confidence: Type.Number({ minimum: 0, maximum: 1 }),
      since: Type.Union([Type.Integer(), Type.Null()]),
      why: Type.Union([Type.String(), Type.Null()]),
      whySaid: Type.Optional(Type.Union([SaidSchema, Type.Null()], { description: '`why` as a message of the screens’ catalogues.' })),
      faces: Type.Integer({ minimum: 0 }),
      byEmotion: Type.Optional(
        Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
          description:
            'The faces in view by the emotion each shows as it votes on the room mood (smoothed); `unsure`: not yet read surely.',
        }),
      ),
      isPersonal: Type.Optional(
        Type.Boolean({ description: "True while the face in front is read through the signed-in person's own calibration." }),
      ),
      held: Type.Optional(
        Type.Union([Type.Object({ label: Type.String(), until: Type.Integer(), music: Type.String() }), Type.Null()], {
          description:
            'The mood staff hold the music to instead of the camera’s, until when (epoch ms), and the library mood it plays most (`music`, by the emotion → mood table); null while the music follows the camera.',
        }),
      ),
    }),
    player: Type.Object({
      status: Type.Enum(['stopped', 'playing', 'paused', 'stalled'], {
        description: '`stalled`: a song is to play, unpaused, but no audio reaches the listener (`stalled` says why).',
      }),
      stalled: Type.Optional(
        Type.Object(
          { cause: Type.Enum(['output', 'player']), detail: Type.String() },
          {
            description:
              'Why no audio flows, while `status` is `stalled`: `output` (the speakers or the Snapcast server cannot be reached), `player` (the player restarts).',
          },
        ),
      ),
      nowPlaying: Type.Union([TrackViewSchema, Type.Null()]),
      positionMs: Type.Number(),
      next: Type.Union([TrackViewSchema, Type.Null()]),
      volume: Type.Integer({ minimum: 0, maximum: 100 }),
      streamTitle: Type.Optional(
        Type.Union([Type.String(), Type.Null()], { description: 'What the station playing now says it plays (its ICY title).' }),
      ),
    }),
    suggestions: Type.Array(TrackViewSchema),
    session: Type.Object({
      user: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
      notice: Type.Union([Type.String(), Type.Null()]),
      hasCardReader: Type.Optional(Type.Boolean({ description: 'True while a card reader is plugged in and reading.' })),
    }),
    services: Type.Array(ServiceHealthSchema),
    library: Type.Object({
      scanning: Type.Boolean(),
      done: Type.Integer({ minimum: 0 }),
      total: Type.Integer({ minimum: 0 }),
      tracks: Type.Integer({ minimum: 0 }),
      lastScan: Type.Union([
        Type.Object({
          at: Type.Integer(),
          files: Type.Integer({ minimum: 0 }),
          added: Type.Integer({ minimum: 0 }),
          updated: Type.Integer({ minimum: 0 }),
          missing: Type.Integer({ minimum: 0 }),
          failed: Type.Array(Type.Object({ path: Type.String(), error: Type.String() })),
          failedCount: Type.Integer({ minimum: 0 }),
          problems: Type.Array(Type.String()),
        }),
        Type.Null(),
      ]),
    }),
    dayPlan: Type.Union([DayPlanSchema, Type.Null()], {
      description: 'The day plan in force (a block of `player.dayPlans`: its hours, mood lean, energy and volume caps), or null.',
    }),
    quietHours: Type.Boolean({
      description:
        'True during the quiet hours (`player.quietHours`): the music is silent, and the kiosk’s screen goes dark until it is touched.',
    }),
    quietUntil: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'During the quiet hours: when they end (`HH:MM`, the box’s clock); else null.',
      }),
    ),
  }),
});
