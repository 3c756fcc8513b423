import { Type } from 'typebox';

const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

/**
 * The expressions a guided calibration asks for, in the order it asks. The same list as the
 * service's `CALIBRATION_EXPRESSIONS` (`routes/calibration-requests.ts` fails to compile when they differ).
 */
export const CalibrationExpressionSchema = Type.Union([
  Type.Literal('neutral'),
  Type.Literal('happy'),
  Type.Literal('sad'),
  Type.Literal('surprise'),
  Type.Literal('angry'),
]);

/** What the person's screen shows: the recording in progress and the stored head, no samples. */
export const CalibrationViewSchema = Type.Object(
  {
    recording: Type.Union([Type.Object({ samples: Counts, startedAt: Type.Integer() }), Type.Null()]),
    stored: Type.Union([
      Type.Object({
        used: Type.Boolean(),
        reason: Type.String(),
        kind: Type.Union([Type.Literal('bias'), Type.Literal('head'), Type.Null()]),
        validation: Type.Object({ n: Type.Integer(), generic: Type.Number(), personal: Type.Number() }),
        samples: Counts,
        currentModel: Type.Boolean(),
        updatedAt: Type.Integer(),
      }),
      Type.Null(),
    ]),
  },
  { $id: 'CalibrationView' },
);

export const CalibrationSampleBody = Type.Object({ expression: CalibrationExpressionSchema }, { additionalProperties: false });
