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
