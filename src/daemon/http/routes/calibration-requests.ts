import type { Static } from 'typebox';
import type { KioskPresence } from '../../people/kiosk-presence.js';
import { CALIBRATION_REFUSALS } from '../../camera/calibration-refusals.js';
import type { CALIBRATION_EXPRESSIONS, PersonalCalibrationService } from '../../camera/personal-calibration-service.js';
import type { ClientRequests } from '../contract.js';
import type { CalibrationExpressionSchema } from '../schemas/calibration.js';
import type { WsContext, WsHandlers } from '../ws.js';
import { signedInPerson } from './me-requests.js';

type Expression = Static<typeof CalibrationExpressionSchema>;
type ServiceExpression = (typeof CALIBRATION_EXPRESSIONS)[number];
/** The wire's expressions are the service's: this fails to compile when the two lists drift apart. */
const SAME_EXPRESSIONS: [Expression, ServiceExpression] extends [ServiceExpression, Expression] ? true : never = true;
void SAME_EXPRESSIONS;

export interface CalibrationRequestsDeps {
  presence: Pick<KioskPresence, 'touch'>;
  /** Absent when the camera is off in the configuration: every request says so. */
  calibration: PersonalCalibrationService | undefined;
}

type CalibrationRequests = Pick<
  ClientRequests,
  | 'me/calibration'
  | 'me/calibration/start'
  | 'me/calibration/sample'
  | 'me/calibration/finish'
  | 'me/calibration/cancel'
  | 'me/calibration/delete'
>;

/**
 * The signed-in person's expression calibration on `/ws`: see it, start (or redo) a recording,
 * record the face in view as an expression, finish (fit and store), cancel, delete. Over the socket,
 * as the other `me/*` requests, so a person signed in by card calibrates from the kiosk's own
 * screen (`actingFor`); each counts as their activity.
 */
export function calibrationRequests({ presence, calibration }: CalibrationRequestsDeps): WsHandlers<CalibrationRequests> {
  /** The person and the service, or why not: nobody signed in for this screen, or the camera off. */
  const me = (context: WsContext, what: string): { id: number; service: PersonalCalibrationService } => {
    const { id } = signedInPerson(context, presence, what);
    if (calibration === undefined) throw CALIBRATION_REFUSALS.cameraOff();
    return { id, service: calibration };
  };
  return {
    'me/calibration': async (_data, context) => {
      const { id, service } = me(context, 'see your calibration');
      return service.view(id);
    },
    'me/calibration/start': async (_data, context) => {
      const { id, service } = me(context, 'calibrate');
      return service.begin(id);
    },
    'me/calibration/sample': async (data, context) => {
      const { id, service } = me(context, 'calibrate');
      return service.record(id, data.expression);
    },
    'me/calibration/finish': async (_data, context) => {
      const { id, service } = me(context, 'calibrate');
      return service.finish(id);
    },
    'me/calibration/cancel': async (_data, context) => {
      const { id, service } = me(context, 'calibrate');
      return service.cancel(id);
    },
    'me/calibration/delete': async (_data, context) => {
      const { id, service } = me(context, 'delete your calibration');
      service.remove(id);
      return service.view(id);
    },
  };
}
