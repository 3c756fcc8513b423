import { Type } from 'typebox';
import { pageOf } from './common.js';

export const TrackAdminSchema = Type.Object({
  id: Type.Integer(),
  uri: Type.String(),
  title: Type.String(),
  artist: Type.String(),
  album: Type.String(),
  genre: Type.String(),
  language: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  cover: Type.Union([Type.String(), Type.Null()], { description: 'The cover file name in the covers folder, or null.' }),
  coverUrl: Type.Union([Type.String(), Type.Null()], { description: 'Where the cover is served (`/api/covers/<file>`), or null.' }),
  moods: Type.Array(Type.Object({ mood: Type.String(), weight: Type.Number(), origin: Type.String() })),
  files: Type.Integer({
    minimum: 1,
    description:
      'How many files of the library are this recording (copies in two folders, an MP3 beside its FLAC): it is one song, and this file plays.',
  }),
  blocked: Type.Optional(
    Type.Union([Type.Literal('song'), Type.Literal('artist'), Type.Literal('explicit'), Type.Null()], {
      description:
        'Why it never plays here: the song is blocked, its artist is, or it is explicit and explicit songs are skipped; null when it may play.',
    }),
  ),
  audio: Type.Union(
    [
      Type.Object({
        arousal: Type.Number(),
        valence: Type.Number(),
        tempoBpm: Type.Union([Type.Number(), Type.Null()]),
        loudnessLufs: Type.Union([Type.Number(), Type.Null()]),
      }),
      Type.Object({ error: Type.String(), message: Type.String() }),
      Type.Null(),
    ],
    {
      description:
        'What the analysis heard: arousal and valence (−1…1), tempo (BPM) and loudness (LUFS); or why the file could not be analysed; null before it was.',
    },
  ),
});

export const TracksPageSchema = pageOf(TrackAdminSchema);

export const TracksQuery = Type.Object({
  mood: Type.Optional(Type.String({ maxLength: 32 })),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const TrackMoodsBody = Type.Object(
  {
    moods: Type.Array(
      Type.Object(
        {
          mood: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9-]*$' }),
          weight: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 16 },
    ),
  },
  { additionalProperties: false },
);

export const TrackIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const MoodName = Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9-]*$' });

export const KnownMoodsSchema = Type.Object({
  moods: Type.Array(
    Type.Object({
      name: MoodName,
      builtIn: Type.Boolean({ description: 'One of Moodbox’s own moods; false for one the emotion → mood mapping adds.' }),
      tracks: Type.Integer({ minimum: 0, description: 'Tracks tagged with it.' }),
    }),
    { description: 'The moods a track may be tagged with, in a stable order.' },
  ),
});

export const BulkMoodsBody = Type.Object(
  {
    trackIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
    add: Type.Array(MoodName, { maxItems: 16, default: [], description: 'Tagged at full weight (100%) on every track.' }),
    remove: Type.Array(MoodName, { maxItems: 16, default: [], description: 'Removed from every track that has them.' }),
  },
  { additionalProperties: false },
);

export const BulkMoodsSchema = Type.Object({ items: Type.Array(TrackAdminSchema) });

/** One file of a recording, for the owner to choose which plays. */
export const RecordingFileSchema = Type.Object({
  id: Type.Integer(),
  uri: Type.String(),
  title: Type.String(),
  artist: Type.String(),
  album: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  format: Type.String({ description: 'The file name extension, upper case: FLAC, MP3, …' }),
  lossless: Type.Boolean(),
  kbps: Type.Union([Type.Integer(), Type.Null()], { description: 'The bit rate as stored (size over length), or null when unknown.' }),
  playing: Type.Boolean({ description: 'This file plays for the recording.' }),
});

export const RecordingFilesSchema = Type.Object({ items: Type.Array(RecordingFileSchema) });
