import { DomainError, type MoodboxErrorCode } from '../kernel/errors.js';

/** The codes vision raises (the camera, the face detector and the emotion model, evaluation data sets), with their meanings. */
export const VISION_ERROR_CODES = {
  MB_ERR_CAMERA_OPEN: 'the camera source cannot be opened',
  MB_ERR_CAMERA_LOST: 'the camera source stopped delivering frames; it is reopened with backoff',
  MB_ERR_CAMERA_UNREADABLE: 'an image or video given to `moodbox analyze` cannot be read',
  MB_ERR_CAMERA_NO_FACE: 'no face is in view to record for a personal calibration (try again while someone looks at the camera)',
  MB_ERR_MODEL_INVALID: 'the emotion model does not match its manifest',
  MB_ERR_MODEL_CASCADE: 'the face detection cascade cannot be loaded',
  MB_ERR_MODEL_MANIFEST: 'the emotion model has no readable, valid entry in models/manifest.json',
  MB_ERR_MODEL_CHECKSUM: 'the emotion model file differs from the sha256 in its manifest',
  MB_ERR_MODEL_LOAD: 'onnxruntime cannot load the emotion model or run it',
  MB_ERR_DATASET_READ: 'an evaluation CSV cannot be read (missing file, bad gzip data)',
  MB_ERR_DATASET_INVALID: 'an evaluation CSV is not in the FER-2013 format; the message names the line and data row',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type VisionErrorCode = keyof typeof VISION_ERROR_CODES;
export type CameraErrorCode = Extract<VisionErrorCode, `MB_ERR_CAMERA_${string}`>;
export type ModelErrorCode = Extract<VisionErrorCode, `MB_ERR_MODEL_${string}`>;
/** The codes of `DatasetError` (`fer-csv.ts`). */
export type DatasetErrorCode = Extract<VisionErrorCode, `MB_ERR_DATASET_${string}`>;

/** The camera source cannot be opened, stopped delivering frames, or an image given to analyse cannot be read (`MB_ERR_CAMERA_*`). */
export class CameraError extends DomainError<CameraErrorCode> {}

/** The face detector or the emotion model cannot be loaded, does not match its manifest, or cannot run (`MB_ERR_MODEL_*`). */
export class ModelError extends DomainError<ModelErrorCode> {}
