import { Type, type TSchema } from 'typebox';
import { CalibrationSampleBody } from './calibration.js';
import { PreferencesBody } from './people.js';

/** What a WebSocket request type sends as `data`, and who may send it. */
export interface ClientRequestSpec<T extends TSchema = TSchema> {
  /** Checked before the request reaches its handler; a message without `data` is checked as `null`. */
  data: T;
  /** Completes "Expected …, got <data>" in the refusal of data that does not fit. */
  expected: string;
  /**
   * A socket opened without an Origin (the CLI, scripts) may send it: it changes nothing.
   * @default false
   */
  isReadOnly?: boolean;
}

const TrackId = Type.Integer({ minimum: 1, description: 'A track of the library (`TrackView.id`).' });
/** A request without data: `data` left out (or null). */
const NoData = Type.Null();
const TrackData = Type.Object({ trackId: TrackId }, { additionalProperties: false });

const spec = <T extends TSchema>(s: ClientRequestSpec<T>): ClientRequestSpec<T> => s;

/**
 * Every request a UI may send on `/ws` (`area/action`), with its data schema. The WebSocket checks
 * a request's data against it once, before any handler runs. `ClientRequests` in `../contract.ts`
 * gives each its data and reply types.
 */
export const CLIENT_REQUEST_SPECS = {
  /** The state snapshot now, as sent on connect. */
  'state/get': spec({ data: NoData, expected: 'no data', isReadOnly: true }),
  /** The kiosk's sign-out button. */
  'session/sign-out': spec({ data: NoData, expected: 'no data' }),
  /** What the kiosk offers before anyone signs in: self-registration, and the idle sign-out time. */
  'session/options': spec({ data: NoData, expected: 'no data', isReadOnly: true }),
  /** Names of people who signed in at the kiosk recently, beginning with what was typed (two letters at least). */
  'session/names': spec({
    data: Type.Object({ prefix: Type.String({ minLength: 2, maxLength: 64 }) }, { additionalProperties: false }),
    expected: 'data like {"prefix": "Jo"}',
  }),
  /** The signed-in person is still there ("tap to stay"): their idle sign-out starts again. */
  'session/stay': spec({ data: NoData, expected: 'no data' }),
  /**
   * The kiosk screen on the box went dark for the quiet hours (`isAsleep`), or a touch woke it: the
   * display's backlight follows. From any other screen it changes nothing.
   */
  'screen/sleep': spec({
    data: Type.Object({ isAsleep: Type.Boolean() }, { additionalProperties: false }),
    expected: 'data like {"isAsleep": true}',
  }),
  /** The signed-in person's own page: their name, their likes, their preferences and what they may choose from. */
  'me/profile': spec({ data: NoData, expected: 'no data' }),
  /** The signed-in person's recent plays, newest first, with titles and their likes. */
  'me/history': spec({
    data: Type.Union([
      NoData,
      Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
    ]),
    expected: 'data like {"limit": 20}, or no data',
  }),
  /** Sets the signed-in person's languages, favourite artists and moods to avoid (each list replaces the one stored). */
  'me/preferences': spec({ data: PreferencesBody, expected: 'data like {"avoidMoods": ["sad"]}' }),
  /** The signed-in person's expression calibration: none, a recording in progress, in use or not and why. */
  'me/calibration': spec({ data: NoData, expected: 'no data' }),
  /** Starts (or redoes) recording the signed-in person's expressions; what is stored stays until they finish. */
  'me/calibration/start': spec({ data: NoData, expected: 'no data' }),
  /** Records the face in view (the largest, centred one) as the expression asked for: its model outputs, never its picture. */
  'me/calibration/sample': spec({
    data: CalibrationSampleBody,
    expected: 'data like {"expression": "happy"}, the expression one of neutral, happy, sad, surprise, angry',
  }),
  /** Fits and stores the signed-in person's calibration from the recording. */
  'me/calibration/finish': spec({ data: NoData, expected: 'no data' }),
  /** Drops the recording in progress; what is stored stays. */
  'me/calibration/cancel': spec({ data: NoData, expected: 'no data' }),
  /** Deletes the signed-in person's stored calibration (and any recording in progress). */
  'me/calibration/delete': spec({ data: NoData, expected: 'no data' }),
  /** A tap on a suggestion: plays that track now. */
  'player/play': spec({ data: TrackData, expected: 'data like {"trackId": 12}' }),
  /** The signed-in person likes a track. */
  'player/like': spec({ data: TrackData, expected: 'data like {"trackId": 12}' }),
  /** The signed-in person takes their like of a track back. */
  'player/unlike': spec({ data: TrackData, expected: 'data like {"trackId": 12}' }),
  /** The signed-in person skips the current track (`trackId`: the one they saw playing, if any). */
  'player/skip': spec({
    data: Type.Union([NoData, Type.Object({ trackId: Type.Optional(TrackId) }, { additionalProperties: false })]),
    expected: 'data like {"trackId": 12}, or no data',
  }),
} as const;
