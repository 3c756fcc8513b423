import { Type } from 'typebox';
import { EMOTIONS, NOBODY } from '../../../kernel/room-mood.js';

/**
 * The guest page (`/guest`): what a phone in the room sees and may do. A phone is an anonymous
 * cookie id (`mb_guest`) plus its address; it never sees anyone's name or a face count. Every route
 * here is tagged `guest` in the OpenAPI document.
 */

/** A sentence of the daemon's as data (`Said` of the contract): a message id of the screens' catalogues and its values. */
export const SaidSchema = Type.Object({
  id: Type.String({ maxLength: 100 }),
  values: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Object({ said: Type.String() })]))),
});

export const GuestTrackSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  artist: Type.String(),
  album: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()], { description: 'ms; null for a station or when unknown.' }),
  coverUrl: Type.Union([Type.String(), Type.Null()]),
  isStation: Type.Boolean({ description: 'A web radio station: it plays until changed, with no length.' }),
});

export const GuestVoteChoice = Type.Enum(['up', 'down'], {
  description: '`up`: play it sooner; `down`: "not this" (enough distinct phones skip it, or drop it from the queue).',
});

export const GuestVotesSchema = Type.Object({
  up: Type.Integer({ minimum: 0 }),
  down: Type.Integer({ minimum: 0 }),
  /** This phone's own vote, or null. */
  mine: Type.Union([GuestVoteChoice, Type.Null()]),
  /** Distinct "not this" votes that skip it (or drop it from the queue). */
  downNeeded: Type.Integer({ minimum: 1 }),
});

export const GuestUpNextSchema = Type.Object({
  key: Type.Integer({
    description:
      'Stays the same while it is queued; what `POST /api/guest/votes` names. A guest’s request: its id (a phone knows its own by it).',
  }),
  track: GuestTrackSchema,
  isGuestRequest: Type.Boolean({ description: 'Asked for by a guest (never says which).' }),
  votes: GuestVotesSchema,
  place: Type.Integer({ minimum: 1, description: 'Where it stands: 1 plays next, the mood’s own picks between counted.' }),
  expectedAt: Type.Union([Type.Integer(), Type.Null()], {
    description: 'When it should start (epoch ms, an estimate from the songs’ lengths); null while it waits for the room.',
  }),
});

export const GuestRequestSchema = Type.Object({
  id: Type.Integer(),
  track: GuestTrackSchema,
  status: Type.Enum(['queued', 'waiting', 'playing', 'played', 'skipped', 'declined', 'cleared', 'cancelled'], {
    description:
      '`queued`: it plays between the mood’s picks; `waiting`: it waits for the staff’s yes (`awaitingApproval`) or for the room’s mood, which it does not fit yet; `playing`; `played`; `skipped` while it played (by guests’ votes, the staff, a change of mood: `reason` says); `declined`; `cleared` by staff; `cancelled` by the guest.',
  }),
  awaitingApproval: Type.Boolean({
    description: 'While `waiting`: it waits for the staff to say yes (`guests.approval` is `staff`), not for the room.',
  }),
  reason: Type.String({ description: 'Why, in words a guest understands ("waits for a livelier room").' }),
  /** `reason` as data, for the guest's language (`Said` of the screens' state); null where there is none. */
  reasonSaid: Type.Optional(Type.Union([SaidSchema, Type.Null()])),
  at: Type.Integer({ description: 'Epoch ms when it was asked for.' }),
  place: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'While queued: where it stands (1 plays next, the mood’s own picks between counted); else null.',
  }),
  expectedAt: Type.Union([Type.Integer(), Type.Null()], {
    description: 'While queued: when it should start (epoch ms, an estimate); else null.',
  }),
});

export const GuestStateSchema = Type.Object(
  {
    /** Guests may ask for songs, like and vote; false at a business until the owner turns it on. */
    isOpen: Type.Boolean(),
    timeZone: Type.String({
      description: 'The box’s time zone (IANA): the page shows times of day in it, naming it where the phone’s differs.',
    }),
    /** Why not, in words, while closed; null while open. */
    closedReason: Type.Union([Type.String(), Type.Null()]),
    /** `closedReason` as data, for the guest's language; null while open. */
    closedReasonSaid: Type.Optional(Type.Union([SaidSchema, Type.Null()])),
    /** `stalled`: the song is to play but no audio reaches the room. */
    status: Type.Enum(['stopped', 'playing', 'paused', 'stalled']),
    quietUntil: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'During the quiet hours (no music): when they end (`HH:MM`, the box’s clock); else null.',
      }),
    ),
    nowPlaying: Type.Union([
      Type.Object({
        track: GuestTrackSchema,
        /** What the station says it plays (ICY title), or null. */
        streamTitle: Type.Union([Type.String(), Type.Null()]),
        positionMs: Type.Integer({ minimum: 0 }),
        /** Why it plays, in a guest's words ("calm music, for the room’s mood", "asked for by a guest"); never the staff's notes. */
        why: Type.String(),
        /** `why` as data, for the guest's language (`Said` of the screens' state); null where there is none. */
        whySaid: Type.Optional(Type.Union([SaidSchema, Type.Null()])),
        isGuestRequest: Type.Boolean(),
        likes: Type.Integer({ minimum: 0, description: 'Guest likes of this song while it plays.' }),
        isLikedByMe: Type.Boolean(),
        votes: GuestVotesSchema,
      }),
      Type.Null(),
    ]),
    /** The next songs, in the order they will play: guest requests between the mood's picks. */
    upNext: Type.Array(GuestUpNextSchema),
    mood: Type.Object({
      label: Type.Union([Type.Enum([...EMOTIONS, NOBODY]), Type.Null()], {
        description:
          'The room mood as the camera reads it (never a staff hold); null before the first reading, and while the camera does not see the room.',
      }),
      /** A short line for guests: what the music follows now (no face counts, no names). */
      why: Type.Union([Type.String(), Type.Null()]),
      /** `why` as data, for the guest's language (`Said` of the screens' state); null where there is none. */
      whySaid: Type.Optional(Type.Union([SaidSchema, Type.Null()])),
      isHeld: Type.Optional(
        Type.Boolean({ description: 'Staff hold the music to a mood of their choosing (`why` says which); `label` stays the room’s own.' }),
      ),
      music: Type.Optional(
        Type.Union([Type.String(), Type.Null()], {
          description:
            'While staff hold the music: the mood of the music they chose (`upbeat`; empty when none is named), what the music follows instead of `label`; absent otherwise.',
        }),
      ),
    }),
    /** Six songs that fit the room now, to ask for with one tap. */
    suggestions: Type.Array(GuestTrackSchema, { maxItems: 6 }),
    /** This phone's own requests (newest first) and what it has left this hour. */
    me: Type.Object({
      requests: Type.Array(GuestRequestSchema),
      requestsLeft: Type.Integer({ minimum: 0 }),
      requestsPerHour: Type.Integer({ minimum: 0 }),
      /** With none left: when this phone may ask again (epoch ms); else null. */
      nextRequestAt: Type.Union([Type.Integer(), Type.Null()]),
      /** With none left: why, with the time ("3 requests an hour per phone; next at 14:32"); else null. */
      limitReason: Type.Union([Type.String(), Type.Null()]),
      /** `limitReason` as data, for the guest's language; null where there is none. */
      limitReasonSaid: Type.Optional(Type.Union([SaidSchema, Type.Null()])),
    }),
  },
  { description: 'What a guest’s phone shows: `GET /api/guest/state`, and pushed on `/ws/guest` as `{ type: "guest/state", data }`.' },
);

export const GuestSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 80, description: 'Words of a title or an artist.' }),
});

export const GuestSearchSchema = Type.Object({
  tracks: Type.Array(GuestTrackSchema, { maxItems: 20 }),
});

export const GuestRequestBody = Type.Object({ trackId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const GuestRequestParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'The request’s `id`.' }) });

export const GuestLikeBody = Type.Object(
  { trackId: Type.Integer({ minimum: 1, description: 'The song playing now; a song that no longer plays is refused (409).' }) },
  { additionalProperties: false },
);

export const GuestVoteBody = Type.Object(
  {
    on: Type.Union([Type.Literal('now'), Type.Integer({ minimum: 0 })], {
      description: '`now`: the song playing; a number: the `key` of a song up next.',
    }),
    vote: Type.Enum(['up', 'down', 'none'], { description: '`none` takes this phone’s vote back.' }),
  },
  { additionalProperties: false },
);
