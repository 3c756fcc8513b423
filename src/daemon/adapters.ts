/**
 * The real adapters, built for the composition root (`main.ts`): the camera's OpenCV and
 * onnxruntime parts (loaded lazily, only when the camera is on), mpv and the RFID reader.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CameraParts } from './camera/camera-parts.js';
import { DEMO_CAMERA, installPath } from './config/paths.js';
import type { Config } from './config/schema.js';
import type { Clock } from '../kernel/clock.js';
import { ConfigError } from './config/config-error.js';
import type { Logger } from './logging.js';
import type { EmotionResult } from '../vision/emotion-classifier.js';
import type { MqttParts } from './mqtt/mqtt-services.js';
import { boxTopics } from './mqtt/fleet-topics.js';
import { topicId } from './mqtt/mqtt-connection.js';
import { MqttJsConnection } from './mqtt/mqtt-js-connection.js';
import { HidRfidReader, nodeHidBackend } from './rfid/hid-rfid-reader.js';
import { INSTALL_DIR } from './version.js';
import { audioOutputArgs, resolveAudioOutput, snapcastPipe } from '../player/audio-output.js';
import { MpvPlayer } from '../player/mpv-player.js';
import { ANALYSIS_VERSION, moodsFromPlane } from '../player/analysis/analyze-audio.js';
import { ForkedAnalysisWorker } from '../player/library/analysis-worker.js';
import { LibraryAnalyzer, type AnalysisStore } from '../player/library/library-analyzer.js';

/**
 * The analysis of the library: in a child process (niced, its own heap bound), so the daemon's
 * memory stays as it is while a library is analysed.
 */
export function libraryAnalyzer(store: AnalysisStore, deps: { clock: Clock; log?: Pick<Logger, 'info' | 'warn'> }): LibraryAnalyzer {
  return new LibraryAnalyzer(
    { store, worker: new ForkedAnalysisWorker(), clock: deps.clock, moodsFromPlane, ...(deps.log === undefined ? {} : { log: deps.log }) },
    { version: ANALYSIS_VERSION },
  );
}

/** mpv, with the configured output, arguments and volume limits. */
export function mpvPlayer(config: Config, deps: { clock: Clock; log: Logger; env: NodeJS.ProcessEnv }): MpvPlayer {
  return new MpvPlayer(
    { clock: deps.clock, log: deps.log.child({ module: 'player' }) },
    {
      mpvPath: config.player.mpvPath,
      audioOutput: resolveAudioOutput(config.player.audioOutput, deps.env),
      extraArgs: [...audioOutputArgs(config.player.audioOutput, config.player.snapcastPipe), ...config.player.mpvArgs],
      pcmPipe: snapcastPipe(config.player.audioOutput, config.player.snapcastPipe, config.player.mpvArgs),
      volume: Math.min(config.player.volume, config.player.maxVolume),
      maxVolume: config.player.maxVolume,
      crossfadeMs: config.player.crossfadeMs,
      allowPrivateStations: config.music.allowPrivateStations,
    },
  );
}

/** The broker connection, or undefined when `mqtt.enabled` is off (mqtt.js is not loaded then). */
export function mqttConnection(config: Config, deps: { log: Logger; env: NodeJS.ProcessEnv; clock: Clock }): MqttParts | undefined {
  const { mqtt } = config;
  if (!mqtt.enabled) return undefined;
  const box = mqtt.box === '' ? topicId(hostname()) : mqtt.box;
  const read = (key: 'passwordFile' | 'caFile' | 'certFile' | 'keyFile'): string | undefined => {
    if (mqtt[key] === '') return undefined;
    const path = installPath(mqtt[key]);
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      throw new ConfigError('MB_ERR_CONFIG_INVALID', [`mqtt.${key}: cannot read ${path}: ${why}`], { cause: err });
    }
  };
  const password = deps.env['MOODBOX_MQTT_PASSWORD'] ?? read('passwordFile')?.trim();
  const tls = { ca: read('caFile'), cert: read('certFile'), key: read('keyFile'), rejectUnauthorized: true };
  const connection = new MqttJsConnection(
    { log: deps.log.child({ module: 'mqtt' }), clock: deps.clock },
    {
      url: mqtt.url,
      clientId: `moodbox-${mqtt.site}-${box}`,
      username: deps.env['MOODBOX_MQTT_USERNAME'] ?? mqtt.username,
      password,
      tls,
      availability: { topic: boxTopics(mqtt.site, box).availability, online: 'online', offline: 'offline' },
      minReconnectMs: 1000,
      maxReconnectMs: 60_000,
      keepaliveS: 30,
      protocolVersion: mqtt.protocolVersion,
    },
  );
  return { connection, box };
}

/** The USB RFID reader, or undefined when the configuration turns it off (node-hid is not loaded then). */
export async function rfidReader(config: Config, deps: { clock: Clock }): Promise<HidRfidReader | undefined> {
  if (!config.rfid.enabled) return undefined;
  return new HidRfidReader({ backend: await nodeHidBackend(), clock: deps.clock }, { devices: config.rfid.devices });
}

/**
 * The camera source, face detector, emotion model and the vision loop; undefined when the camera
 * is turned off in the configuration file (nothing of OpenCV or onnxruntime is loaded then).
 */
export async function cameraParts(config: Config, deps: { clock: Clock; log: Logger }): Promise<CameraParts | undefined> {
  if (!config.camera.enabled) return undefined;
  const [{ FfmpegFrameSource }, { createFaceDetector }, { OnnxEmotionClassifier }, { VisionPipeline }] = await Promise.all([
    import('../vision/ffmpeg-frame-source.js'),
    import('../vision/detectors.js'),
    import('../vision/onnx-emotion-classifier.js'),
    import('../vision/vision-pipeline.js'),
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
    { modelPath: installPath(config.vision.modelPath), int8Check: config.vision.int8Check, mirrorUpToFaces: config.vision.mirrorUpToFaces },
  );
  let personalize: ((result: EmotionResult) => EmotionResult | undefined) | undefined;
  const vision = new VisionPipeline(
    {
      source: new FfmpegFrameSource({ clock }, { source, loop: true }),
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
