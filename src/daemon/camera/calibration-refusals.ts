import { MoodboxError, type MoodboxErrorCode } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';

/**
 * The refusals of a person's expression calibration at the kiosk, each written once in both forms:
 * the English `message` and the same sentence as data (`common.said.calibration.*`), for the kiosk
 * to say in its reader's language. `test/browser/catalogues.test.ts` says every `said` through the
 * English catalogue and checks it is the `message`.
 */
const refused = (code: MoodboxErrorCode, message: string, id: string, values?: Said['values']): MoodboxError =>
  new MoodboxError(code, message, { said: said(`calibration.${id}`, values) });

export const CALIBRATION_REFUSALS = {
  /** A calibration while the camera is off. */
  cameraOff: () => refused('MB_ERR_CONFLICT', 'The camera is off: a calibration needs it on.', 'cameraOff'),
  /** A sample or the end of a calibration that was never started (or was cancelled). */
  notRecording: () => refused('MB_ERR_CONFLICT', 'No calibration is being recorded: start one first.', 'notRecording'),
  /** An expression the guided session does not ask for; `expected` are those it does. */
  badExpression: (expected: readonly string[], expression: string) =>
    refused('MB_ERR_HTTP_BAD_REQUEST', `\`expression\`: expected one of ${expected.join(', ')}, got \`${expression}\`.`, 'badExpression', {
      expected: expected.join(', '),
      expression,
    }),
  /** No face in view when a sample is taken. */
  noFace: () => refused('MB_ERR_CAMERA_NO_FACE', 'No face is in view: look at the camera.', 'noFace'),
} as const;
