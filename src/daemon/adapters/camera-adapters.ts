/**
 * The camera's real adapters, built for the composition root (`main.ts`): the frame source, the
 * face detector and the emotion model (OpenCV and onnxruntime, loaded only when the camera is on).
 */
import type { CameraParts } from '../camera/camera-parts.js';
import { DEMO_CAMERA, installPath } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../logging.js';
import { INSTALL_DIR } from '../version.js';
import type { EmotionResult } from '../../vision/emotion-classifier.js';

/**
 * The camera source, face detector, emotion model and the vision loop; undefined when the camera
 * is turned off in the configuration file (nothing of OpenCV or onnxruntime is loaded then).
 */
export async function cameraParts(config: Config, deps: { clock: Clock; log: Logger }): Promise<CameraParts | undefined> {
  if (!config.camera.enabled) return undefined;
  const [{ FfmpegFrameSource }, { createFaceDetector }, { OnnxEmotionClassifier, SECOND_READ_BELOW_MARGIN }, { VisionPipeline }] =
    await Promise.all([
      import('../../vision/ffmpeg-frame-source.js'),
      import('../../vision/detectors.js'),
      import('../../vision/onnx-emotion-classifier.js'),
      import('../../vision/vision-pipeline.js'),
    ]);
  const { clock } = deps;
  const log = deps.log.child({ module: 'vision' });
  const source = config.camera.source === 'demo' ? installPath(DEMO_CAMERA) : config.camera.source;
  const detector = createFaceDetector(config.vision.detector, {
    installDir: INSTALL_DIR,
    cascadePath: config.vision.cascadePath,
    minFaceSize: config.vision.minFacePx,
    detectWidth: config.vision.detectWidth,
  });
  const classifier = new OnnxEmotionClassifier(
    { log },
    {
      modelPath: installPath(config.vision.modelPath),
      int8Check: config.vision.int8Check,
      mirrorUpToFaces: config.vision.mirrorUpToFaces,
      mirrorBelowMargin: SECOND_READ_BELOW_MARGIN,
    },
  );
  let personalize: ((result: EmotionResult) => EmotionResult | undefined) | undefined;
  const vision = new VisionPipeline(
    {
      source: new FfmpegFrameSource({ clock, log }, { source, loop: true }),
      detector,
      classifier,
      clock,
      log,
      personalize: (result) => personalize?.(result),
    },
    {
      analysisFps: config.vision.analysisFps,
      mood: { dwellMs: config.mood.dwellMs, nobodyAfterMs: config.mood.nobodyAfterMs, minConfidence: config.mood.minConfidence },
      preview: { enabled: config.vision.preview },
      crop: { align: config.vision.alignFaces },
    },
  );
  return {
    vision,
    prepare: async (signal) => {
      await classifier.start(signal);
      await detector.load();
    },
    release: () => classifier.stop(),
    model: () => classifier.modelNote,
    emotionModel: () => {
      const model = classifier.model;
      return model === undefined
        ? undefined
        : { labels: model.entry.labels, sha256: model.entry.sha256, temperature: model.entry.temperature ?? 1 };
    },
    setPersonalize: (fn) => {
      personalize = fn;
    },
  };
}
