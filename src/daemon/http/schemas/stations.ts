import { SaidSchema } from './guest.js';
import { Type } from 'typebox';

const Moods = Type.Array(Type.Object({ mood: Type.String(), weight: Type.Number(), origin: Type.String() }));

export const StationSchema = Type.Object({
  trackId: Type.Integer({ description: 'The station’s library id (plays and likes point at it).' }),
  url: Type.String(),
  name: Type.String(),
  genre: Type.String(),
  kind: Type.Enum(['radio', 'playlist', 'hls', 'youtube'], {
    description: 'What the URL points at: a radio stream, an m3u/pls playlist, HLS, YouTube.',
  }),
  origin: Type.Enum(['admin', 'sidecar'], { description: 'Added in the panel, or listed in a music folder’s `stations.csv`.' }),
  file: Type.Union([Type.String(), Type.Null()], { description: 'The stations file that lists it, or null.' }),
  moods: Moods,
  isFailing: Type.Boolean({ description: 'Its last play failed (refused, not found, no data in time).' }),
  failedAt: Type.Union([Type.Integer(), Type.Null()], {
    description: 'When its last play failed (epoch ms), or null once it played again.',
  }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why it failed, as mpv said it.' }),
  retryAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Until then it is left out of the picks (epoch ms), or null.' }),
  playedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When it last played (epoch ms), or null.' }),
  blocked: Type.Union([Type.String(), Type.Null()], {
    description: 'Why this box does not play it now (YouTube off, yt-dlp missing, a business), or null.',
  }),
  blockedSaid: Type.Union([SaidSchema, Type.Null()], {
    description: '`blocked` as a message of the screens’ catalogues (`common.said.<id>`), for the reader’s language; null with it.',
  }),
  addedAt: Type.Integer(),
});

export const StationsSchema = Type.Object({ items: Type.Array(StationSchema) });

export const StationBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'An http or https URL: a stream, an m3u/pls playlist, HLS, or (at home) YouTube.',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    genre: Type.Optional(Type.String({ maxLength: 100 })),
    moods: Type.Array(
      Type.Object(
        {
          mood: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9-]*$' }),
          weight: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 16 },
    ),
  },
  { additionalProperties: false },
);

export const StationIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
