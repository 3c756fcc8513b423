import { MoodboxError } from '../kernel/errors.js';

/** The camera source cannot be opened, stopped delivering frames, or an image given to analyse cannot be read (`MB_ERR_CAMERA_*`). */
export class CameraError extends MoodboxError {}

/** The face detector or the emotion model cannot be loaded, does not match its manifest, or cannot run (`MB_ERR_MODEL_*`). */
export class ModelError extends MoodboxError {}
