import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { AuthError, MoodboxError } from '../../kernel/errors.js';
import type { CALIBRATION_EXPRESSIONS, PersonalCalibrationService } from '../../personal-calibration-service.js';
import type { CalibrationExpressionSchema } from '../schemas/calibration.js';
import { CalibrationSampleBody, CalibrationViewSchema } from '../schemas/calibration.js';
import { ErrorRef } from '../schemas/common.js';

const kiosk = { access: 'kiosk' } as const;

type Expression = Static<typeof CalibrationExpressionSchema>;
type ServiceExpression = (typeof CALIBRATION_EXPRESSIONS)[number];
/** The wire's expressions are the service's: this fails to compile when the two lists drift apart. */
const SAME_EXPRESSIONS: [Expression, ServiceExpression] extends [ServiceExpression, Expression] ? true : never = true;
void SAME_EXPRESSIONS;

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
        body: CalibrationSampleBody,
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
