import type { VisionLoop } from './camera-service.js';
import type { CalibrationModel } from './personal-calibration-service.js';
import type { EmotionResult } from '../../vision/emotion-classifier.js';

/**
 * The camera's parts, the port the camera service and the personal calibrations run on; the
 * composition root builds them (OpenCV and onnxruntime load only when the camera is on).
 */
export interface CameraParts {
  vision: VisionLoop;
  /** Loads the model and the detector. */
  prepare: (signal: AbortSignal) => Promise<void>;
  /** Releases what `prepare` loaded. */
  release: () => Promise<void>;
  /** Which emotion model runs and why, for the health line. */
  model: () => string | undefined;
  /** The emotion model in use (labels, sha256, temperature) once loaded, for personal calibrations. */
  emotionModel?: () => CalibrationModel | undefined;
  /** Sets who reads the signed-in person's face through their own head. */
  setPersonalize?: (personalize: (result: EmotionResult) => EmotionResult | undefined) => void;
}
