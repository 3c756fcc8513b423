import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AuthError, MoodboxError } from '../../kernel/errors.js';
import type { PersonalCalibrationService } from '../../personal-calibration-service.js';
import { CALIBRATION_EXPRESSIONS } from '../../personal-calibration-service.js';
import { ErrorRef } from '../schemas/common.js';

const kiosk = { access: 'kiosk' } as const;
const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

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

const RecordBody = Type.Object(
  { expression: Type.Union(CALIBRATION_EXPRESSIONS.map((e) => Type.Literal(e))) },
  { additionalProperties: false },
);

/**
 * The signed-in person's expression calibration at the kiosk: start (or redo) a recording, record
 * the face in view as an expression, finish (fit and store), cancel, see and delete it.
 */
export const calibrationRoutes: FastifyPluginAsyncTypebox<{ calibration: PersonalCalibrationService | undefined }> = async (app, deps) => {
  const service = (): PersonalCalibrationService => {
    if (deps.calibration === undefined)
      throw new MoodboxError('MB_ERR_CONFLICT', 'The camera is turned off in the configuration: nothing to calibrate.');
    return deps.calibration;
  };
  const me = (request: { principal: { user: { id: number } } | null }): number => {
    const id = request.principal?.user.id;
    if (id === undefined) throw new AuthError('MB_ERR_AUTH_REQUIRED', 'Sign in first.');
    return id;
  };
  const route = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    operationId: string,
    summary: string,
    run: (id: number, body: unknown) => unknown,
  ) =>
    app.route({
      method,
      url,
      config: kiosk,
      schema: { operationId, tags: ['kiosk'], summary, response: { 200: CalibrationViewSchema, 400: ErrorRef, 409: ErrorRef } },
      handler: async (request) => run(me(request), request.body),
    });

  route('GET', '/api/me/calibration', 'myCalibration', 'The signed-in person’s expression calibration: in use or not, and why', (id) =>
    service().view(id),
  );
  route('POST', '/api/me/calibration/start', 'startCalibration', 'Start (or redo) recording the signed-in person’s expressions', (id) =>
    service().start(id),
  );
  app.post(
    '/api/me/calibration/samples',
    {
      config: kiosk,
      schema: {
        operationId: 'recordCalibrationSample',
        tags: ['kiosk'],
        summary: 'Record the face in view (the largest, centred one) as the expression asked for: its model outputs, never its picture',
        body: RecordBody,
        response: { 200: CalibrationViewSchema, 400: ErrorRef, 409: ErrorRef },
      },
    },
    async (request) => service().record(me(request), request.body.expression),
  );
  route('POST', '/api/me/calibration/finish', 'finishCalibration', 'Fit and store the personal head from the recording', (id) =>
    service().finish(id),
  );
  route('POST', '/api/me/calibration/cancel', 'cancelCalibration', 'Drop the recording in progress; what is stored stays', (id) =>
    service().cancel(id),
  );
  route('DELETE', '/api/me/calibration', 'deleteMyCalibration', 'Delete the signed-in person’s calibration', (id) => {
    service().remove(id);
    return service().view(id);
  });
};
