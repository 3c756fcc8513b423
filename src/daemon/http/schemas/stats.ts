import { Type } from 'typebox';

export const StatsQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' }),
  to: Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive.' }),
});

export const StatsSchema = Type.Object({
  playsPerMoodPerDay: Type.Array(Type.Object({ day: Type.String(), mood: Type.String(), plays: Type.Integer() })),
  moodOverTime: Type.Array(Type.Object({ at: Type.Integer(), mood: Type.String(), confidence: Type.Number(), faces: Type.Integer() })),
});
