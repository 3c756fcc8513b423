import { Type } from 'typebox';

export const StatsQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' }),
  to: Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive.' }),
});

export const StatsSchema = Type.Object({
  playsPerMoodPerDay: Type.Array(Type.Object({ day: Type.String(), mood: Type.String(), plays: Type.Integer() })),
  moodOverTime: Type.Array(Type.Object({ at: Type.Integer(), mood: Type.String(), confidence: Type.Number(), faces: Type.Integer() })),
});

export const ChartsQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' }),
  to: Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive: the last mood holds until here (send now for "until now").' }),
  bucketMs: Type.Integer({ minimum: 1000, description: 'Width of one mood timeline bucket (ms); at most 1000 buckets.' }),
  playsBucketMs: Type.Optional(Type.Integer({ minimum: 1000, description: 'Width of one plays bucket (ms); `bucketMs` when absent.' })),
  utcOffsetMin: Type.Optional(
    Type.Integer({
      minimum: -840,
      maximum: 840,
      default: 0,
      description: "The viewer's offset from UTC in minutes east, for the hours of the day.",
    }),
  ),
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10, description: 'How many top tracks.' })),
});

const PerMood = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

export const ChartsSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  bucketMs: Type.Integer(),
  playsBucketMs: Type.Integer(),
  moodTimeline: Type.Array(
    Type.Object({
      at: Type.Integer({ description: 'Start of the bucket (epoch ms).' }),
      mood: Type.Union([Type.String(), Type.Null()], { description: 'The mood that held longest in the bucket; null with no reading.' }),
      ms: PerMood,
    }),
  ),
  moodTotals: Type.Array(Type.Object({ mood: Type.String(), ms: Type.Integer() }), {
    description: 'Time per mood over the range, longest first.',
  }),
  playsOverTime: Type.Array(Type.Object({ at: Type.Integer(), plays: PerMood })),
  busyHours: Type.Array(
    Type.Object({
      hour: Type.Integer({ minimum: 0, maximum: 23 }),
      plays: Type.Integer(),
      peopleMin: Type.Integer({ description: 'Minutes someone was in view in this hour of the day, over the range.' }),
    }),
  ),
  guestPlays: Type.Optional(Type.Integer({ minimum: 0, description: 'Plays guests asked for from their phones over the range.' })),
  topTracks: Type.Array(
    Type.Object({
      trackId: Type.Integer(),
      title: Type.String(),
      artist: Type.String(),
      plays: Type.Integer(),
      completed: Type.Integer(),
      skipped: Type.Integer({ description: 'Plays skipped by a person: at the kiosk, by staff, or from Home Assistant.' }),
      switched: Type.Integer({ description: 'Plays the music changed because the mood it follows changed: not skips.' }),
      likes: Type.Integer(),
      skipRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
        description:
          'Skipped by a person / (completed + skipped by a person); songs switched for the room are left out. Null before any play ended either way.',
      }),
    }),
  ),
});
