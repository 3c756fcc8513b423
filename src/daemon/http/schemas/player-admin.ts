import { Type } from 'typebox';
import { EMOTIONS } from '../../../kernel/room-mood.js';
import { MAX_HOLD_MINUTES } from '../../music/music-aim.js';
import { SaidSchema } from './guest.js';

export const MoodHoldSchema = Type.Object({
  label: Type.Enum([...EMOTIONS], { description: 'The emotion the music follows instead of the camera’s.' }),
  until: Type.Integer({ description: 'Epoch ms when the hold ends and the music follows the camera again.' }),
});

export const QueueItemSchema = Type.Object({
  key: Type.Integer({
    description: 'Stays the same while it is queued and played; removes a staff pick (`DELETE /api/admin/player/queue/:key`).',
  }),
  trackId: Type.Integer(),
  title: Type.String(),
  artist: Type.String(),
  album: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()], { description: 'ms; null for a station or when unknown.' }),
  coverUrl: Type.Union([Type.String(), Type.Null()]),
  isStation: Type.Boolean({ description: 'A web radio station: it plays until changed, with no length.' }),
  reason: Type.Enum(['mood', 'tap', 'skip', 'like', 'staff', 'guest'], {
    description: 'What put it on; `staff`: chosen by staff; `guest`: asked for by a guest.',
  }),
  note: Type.String({ description: 'Why, in words ("fits calm", "chosen by staff").' }),
  noteSaid: Type.Union([SaidSchema, Type.Null()], {
    description: '`note` as a message of the screens’ catalogues (`common.said.<id>`), for the reader’s language; null where it has none.',
  }),
});

export const StaffPlayerSchema = Type.Object(
  {
    status: Type.Enum(['stopped', 'playing', 'paused', 'stalled'], {
      description: '`stalled`: a song is to play, unpaused, but no audio reaches the listener.',
    }),
    trackId: Type.Union([Type.Integer(), Type.Null()]),
    volume: Type.Integer({ minimum: 0, maximum: 100, description: 'The volume playing now, limits applied.' }),
    wantedVolume: Type.Integer({ minimum: 0, maximum: 100, description: 'The volume staff or people asked for.' }),
    volumeCap: Type.Integer({
      minimum: 0,
      maximum: 100,
      description: 'The highest volume allowed now: the maximum, the schedule and the day plan.',
    }),
    isPausedByStaff: Type.Boolean({ description: 'True from a staff pause until a staff resume; nothing else resumes it.' }),
    silence: Type.Union([Type.Enum(['quiet hours', 'nobody there', 'volume schedule', 'day plan', 'paused by staff']), Type.Null()], {
      description: 'Why no music plays by decision of Moodbox or staff, or null.',
    }),
    hold: Type.Union([MoodHoldSchema, Type.Null()], { description: 'The mood staff hold the music to, or null while the camera leads.' }),
    current: Type.Union([QueueItemSchema, Type.Null()], { description: 'What plays now (paused or not), or null.' }),
    upcoming: Type.Array(QueueItemSchema, {
      description: 'What comes next, in order: songs staff chose first, then the music’s own pick for the room.',
    }),
  },
  { description: 'The music as staff control it.' },
);

export const VolumeBody = Type.Object({
  volume: Type.Integer({ minimum: 0, maximum: 100, description: 'Wanted volume; the maximum and the schedule still cap it.' }),
});

export const HoldMoodBody = Type.Object({
  label: Type.Enum([...EMOTIONS], { description: 'The emotion to play for, whatever the camera reads.' }),
  minutes: Type.Integer({ minimum: 1, maximum: MAX_HOLD_MINUTES, description: 'How long to hold it (minutes).' }),
});

export const SkippedSchema = Type.Object({
  trackId: Type.Union([Type.Integer(), Type.Null()], { description: 'The track skipped, or null when nothing played.' }),
});

export const RestartSchema = Type.Object({
  restarting: Type.Literal(true),
});

export const TrackChoiceBody = Type.Object(
  { trackId: Type.Integer({ minimum: 1, description: 'A song or station of the library (`GET /api/admin/tracks`).' }) },
  { additionalProperties: false },
);

export const QueueKeyParams = Type.Object({ key: Type.Integer({ minimum: 1 }) });

export const QueuePositionBody = Type.Object(
  { position: Type.Integer({ minimum: 0, maximum: 1000, description: 'The place among the songs staff queued: 0 plays next.' }) },
  { additionalProperties: false },
);

export const LibraryFitSchema = Type.Object(
  {
    tracks: Type.Integer({ minimum: 0, description: 'Songs and stations the music may play.' }),
    notAnalysed: Type.Integer({
      minimum: 0,
      description: 'Local songs not analysed (yet, or it failed): they follow the room by their tags alone.',
    }),
    fewBelow: Type.Integer({ description: 'With fewer fitting songs than this, the picks for a mood reach beyond it.' }),
    moods: Type.Array(
      Type.Object({
        emotion: Type.Enum([...EMOTIONS]),
        mood: Type.String({ description: 'The mood that emotion plays most (the emotion → mood table).' }),
        fitting: Type.Integer({ minimum: 0, description: 'Songs that fit it, by their tags and by where the analysis placed them.' }),
      }),
    ),
  },
  { description: 'How well the library serves each mood the room can be in.' },
);
