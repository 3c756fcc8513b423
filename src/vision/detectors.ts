import { join } from 'node:path';
import type { FaceDetector } from './face-detector.js';
import { DEFAULT_CASCADE, HaarFaceDetector } from './haar-face-detector.js';
import { YUNET_MODEL_FILE, YunetFaceDetector } from './yunet-face-detector.js';

/** The face detectors Moodbox ships: the YuNet CNN, or OpenCV's Haar cascade. */
export const DETECTOR_KINDS = ['yunet', 'haar'] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];

export interface DetectorSettings {
  /** Where `models/` is. */
  installDir: string;
  /** The Haar cascade XML. @default DEFAULT_CASCADE */
  cascadePath?: string;
  /** Smallest face looked for, in px of the camera frame (the Haar cascade sees none under 40 px at a 320 px scan). @default 12 */
  minFaceSize?: number;
  /** YuNet's full-scan width (px). @default YunetFaceDetector's (320) */
  detectWidth?: number;
}

/** A detector that loads its model on `load()` (and on first use). */
export type LoadableFaceDetector = FaceDetector & { load(): Promise<void> };

/** Builds the detector `kind` with the configured settings (nothing is loaded until `load`). */
export function createFaceDetector(kind: DetectorKind, settings: DetectorSettings): LoadableFaceDetector {
  const minFaceSize = settings.minFaceSize ?? 12;
  switch (kind) {
    case 'haar':
      return new HaarFaceDetector({ cascadePath: settings.cascadePath ?? DEFAULT_CASCADE, minFaceSize });
    case 'yunet':
      return new YunetFaceDetector({
        modelPath: join(settings.installDir, 'models', YUNET_MODEL_FILE),
        minFaceSize,
        ...(settings.detectWidth === undefined ? {} : { detectWidth: settings.detectWidth }),
      });
  }
}
