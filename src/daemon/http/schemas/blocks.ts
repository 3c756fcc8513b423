import { Type } from 'typebox';

export const BlockedEntrySchema = Type.Union([
  Type.Object({
    id: Type.Integer(),
    kind: Type.Literal('song'),
    trackId: Type.Integer(),
    title: Type.String(),
    artist: Type.String(),
    createdAt: Type.Integer({ description: 'When it was blocked (epoch ms).' }),
    createdBy: Type.String({ description: 'Who blocked it (`admin:7`, …).' }),
  }),
  Type.Object({
    id: Type.Integer(),
    kind: Type.Literal('artist'),
    artist: Type.String({ description: 'Every song naming this artist is blocked, also with others (“feat.”, “&”).' }),
    createdAt: Type.Integer(),
    createdBy: Type.String(),
    songs: Type.Optional(
      Type.Integer({ minimum: 0, description: 'In the answer to a block: how many songs of the music folders name the artist now.' }),
    ),
    nearest: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'In the answer to a block that names no song: the artists of the music folders spelled nearly so (at most 3, nearest first).',
      }),
    ),
  }),
]);

export const BlocksSchema = Type.Object({
  items: Type.Array(BlockedEntrySchema, { description: 'Artists first (by name), then songs.' }),
  explicit: Type.Union([Type.Literal('play'), Type.Literal('skip')], {
    description: 'The rule for songs tagged explicit (`music.explicit`).',
  }),
  explicitSkipped: Type.Integer({ description: 'How many songs of the library the explicit rule keeps out now.' }),
});

export const BlockBody = Type.Union([
  Type.Object({ trackId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  Type.Object({ artist: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
]);

export const BlockIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const BlockImportBody = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'A CSV with an `artist` column and optionally `title`.' }) },
  { additionalProperties: false },
);

export const BlockImportReportSchema = Type.Object({
  songs: Type.Integer({ description: 'Songs newly blocked.' }),
  artists: Type.Integer({ description: 'Artists newly blocked.' }),
  unmatched: Type.Array(Type.Object({ line: Type.Integer(), key: Type.String() }), { description: 'Lines naming no song of the library.' }),
  invalid: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
});
