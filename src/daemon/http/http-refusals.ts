import { MoodboxError, type MoodboxErrorCode } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import { SpotifyError } from '../../player/spotify/spotify-error.js';
import { BUSINESS_MUSIC_REASON } from '../config/site-rules.js';
import type { CameraStatus } from '../events.js';

/**
 * The refusals the admin panel's own pages meet in the routes (the camera's live view, the model,
 * the history, the dashboard's charts, Spotify), each written once in both forms: the English
 * `message` and the same sentence as data (`common.said.camera.*`, `model.*`, `history.*`,
 * `dashboard.*`, `spotify.*`), for the panel to say in its reader's language. The camera's own
 * detail (`{detail}`) stays English: it is for the technician. `test/browser/catalogues.test.ts`
 * says every `said` through the English catalogue and checks it is the `message`.
 */
const refused = (code: MoodboxErrorCode, message: string, id: string, values?: Said['values']): MoodboxError =>
  new MoodboxError(code, message, { said: said(id, values) });

/** "starting", "unavailable": the camera's status inside a sentence, as a word of the catalogues. */
const statusWord = (status: CameraStatus): { said: string } => ({ said: `camera.state.${status}` });

/** Why the camera shows no picture or faces: `what` names which ("No preview", "No face analysis"), `detail` the camera's own. */
const cameraIs = (what: 'preview' | 'analysis', status: CameraStatus, detail: string | null): MoodboxError => {
  const head = what === 'preview' ? 'No preview' : 'No face analysis';
  const id = what === 'preview' ? 'camera.noPreview' : 'camera.noAnalysis';
  return detail === null
    ? refused('MB_ERR_NOT_FOUND', `${head}: the camera is ${status}.`, id, { status: statusWord(status) })
    : refused('MB_ERR_NOT_FOUND', `${head}: the camera is ${status} (${detail}).`, `${id}Detail`, { status: statusWord(status), detail });
};

export const CAMERA_PAGE_REFUSALS = {
  /** The live view is off in the settings (`isCameraOff`: the camera too). */
  previewOff: (isCameraOff: boolean) =>
    isCameraOff
      ? refused(
          'MB_ERR_NOT_FOUND',
          'The live view is off: set vision.preview to true (and camera.enabled, off too) and restart Moodbox.',
          'camera.previewAndCameraOff',
        )
      : refused('MB_ERR_NOT_FOUND', 'The live view is off: set vision.preview to true and restart Moodbox.', 'camera.previewOff'),
  /** The camera is turned off in the configuration. */
  turnedOff: () =>
    refused(
      'MB_ERR_NOT_FOUND',
      'The camera is turned off in the configuration: set camera.enabled to true and restart Moodbox.',
      'camera.turnedOff',
    ),
  /** The camera is on but has sent no frame yet. */
  noPreviewYet: () =>
    refused('MB_ERR_NOT_FOUND', 'No preview yet: the camera has not delivered a frame. Try again in a moment.', 'camera.noPreviewYet'),
  noFacesYet: () =>
    refused(
      'MB_ERR_NOT_FOUND',
      'No faces yet: the camera has not delivered a frame to analyse. Try again in a moment.',
      'camera.noFacesYet',
    ),
  /** The camera is not on (`status`), with its own `detail` when it gives one. */
  noPreview: (status: CameraStatus, detail: string | null) => cameraIs('preview', status, detail),
  noAnalysis: (status: CameraStatus, detail: string | null) => cameraIs('analysis', status, detail),
  /** The box runs no emotion model. */
  noModel: () => refused('MB_ERR_NOT_FOUND', 'This Moodbox runs no emotion model.', 'model.none'),
} as const;

export const QUERY_REFUSALS = {
  /** The history's filter from a time that is not before its end (ISO times). */
  historyFromAfterTo: (from: string, to: string) =>
    refused('MB_ERR_HTTP_BAD_REQUEST', `Expected \`from\` (${from}) to be before \`to\` (${to}).`, 'history.fromAfterTo', { from, to }),
  /** The charts' range that ends before it starts (epoch ms). */
  chartToBeforeFrom: (from: number, to: number) =>
    refused('MB_ERR_HTTP_BAD_REQUEST', `Expected \`to\` to be after \`from\` (${from}), got \`${to}\``, 'dashboard.toBeforeFrom', {
      from: String(from),
      to: String(to),
    }),
  /** A bucket (`name`, ms) that splits the charts' range into more than `max` buckets. */
  chartTooManyBuckets: (name: string, max: number, bucketMs: number, count: number) =>
    refused(
      'MB_ERR_HTTP_BAD_REQUEST',
      `Expected \`${name}\` to split the range into at most ${max} buckets, got \`${bucketMs}\` (${count} buckets)`,
      'dashboard.tooManyBuckets',
      { name, max: String(max), bucketMs: String(bucketMs), count: String(count) },
    ),
} as const;

/** Why Spotify cannot be used on this box: it is a business's, or no Spotify app is configured. */
export function spotifyUnavailableWhy(isBusiness: boolean): string {
  return isBusiness
    ? `it is set up for a business (site.kind), and ${BUSINESS_MUSIC_REASON}`
    : 'no Spotify app is configured: set spotify.clientId in the configuration file';
}

export const SPOTIFY_REFUSALS = {
  /** Spotify cannot be used here: a business box, or no Spotify app configured. */
  unavailable: (isBusiness: boolean) =>
    new SpotifyError('MB_ERR_SPOTIFY_AUTH', `Spotify is not available on this box: ${spotifyUnavailableWhy(isBusiness)}`, {
      said: said(isBusiness ? 'spotify.business' : 'spotify.noApp'),
    }),
  /** What was pasted is not the address the browser landed on (its first 80 characters). */
  notTheCallback: (pasted: string) =>
    new SpotifyError(
      'MB_ERR_SPOTIFY_AUTH',
      `Expected the address the browser landed on (http://127.0.0.1…/callback?code=…), got \`${pasted.slice(0, 80)}\``,
      { said: said('spotify.notTheCallback', { pasted: pasted.slice(0, 80) }) },
    ),
} as const;
