import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MoodboxError } from '../../kernel/errors.js';
import { type CameraError } from '../errors.js';
import { analyzePath, formatRecord } from './analyze.js';
import { createFaceDetector, DETECTOR_KINDS, type DetectorKind } from '../detectors.js';
import { OnnxEmotionClassifier } from '../onnx-emotion-classifier.js';

export interface AnalyzeCommandOptions {
  path: string;
  json: boolean;
  /** The emotion model; default: the int8 model in `installDir/models`, else the float one. */
  model?: string | undefined;
  cascade?: string | undefined;
  /** `yunet` or `haar`. @default 'yunet' */
  detector?: string | undefined;
  /** Turn tilted faces upright by their eyes before classifying them (yunet only). @default true */
  align?: boolean | undefined;
  /** Frames analysed per second of video. @default 10 */
  fps?: number | undefined;
  installDir: string;
}

export interface AnalyzeCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `moodbox analyze PATH [--json]`. Returns the exit code: 0 when every input was read, 1 after
 * printing a one-line error (`error: … (MB_ERR_…)`) for a missing or unreadable input, a bad
 * option, or a model that cannot be loaded. An unreadable image in a folder is reported and
 * skipped, and the exit code is then 1.
 */
export async function runAnalyzeCommand(options: AnalyzeCommandOptions, io: AnalyzeCommandIo): Promise<number> {
  const fps = options.fps ?? 10;
  if (!(fps > 0)) {
    io.stderr(`error: Expected \`--fps\` to be a positive number, got \`${fps}\`\n`);
    return 1;
  }
  const kind = DETECTOR_KINDS.find((k) => k === (options.detector ?? 'yunet'));
  if (kind === undefined) {
    io.stderr(`error: Expected \`--detector\` to be ${DETECTOR_KINDS.join(' or ')}, got \`${String(options.detector)}\`\n`);
    return 1;
  }
  const modelPath = resolve(options.model ?? defaultModel(options.installDir));
  const classifier = new OnnxEmotionClassifier({}, { modelPath });
  const detector = createFaceDetector(kind satisfies DetectorKind, {
    installDir: options.installDir,
    ...(options.cascade === undefined ? {} : { cascadePath: options.cascade }),
  });
  let failures = 0;
  const onError = (err: CameraError): void => {
    failures += 1;
    io.stderr(`error: ${err.message} (${err.code})\n`);
  };
  const log = { error: (obj: { err?: unknown }, msg: string) => io.stderr(`error: ${msg}: ${String(obj.err)}\n`) };
  try {
    await classifier.start(new AbortController().signal);
    await detector.load();
    for await (const record of analyzePath(
      options.path,
      { detector, classifier, log, onError },
      { fps, crop: { align: options.align ?? true } },
    )) {
      io.stdout(options.json ? `${JSON.stringify(record)}\n` : `${formatRecord(record)}\n`);
    }
  } catch (err) {
    io.stderr(
      err instanceof MoodboxError
        ? `error: ${err.message} (${err.code})\n`
        : `error: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  } finally {
    await classifier.stop();
  }
  return failures > 0 ? 1 : 0;
}

/** The installed int8 model, or the float one while no int8 model is installed. */
export function defaultModel(installDir: string): string {
  const int8 = join(installDir, 'models', 'emotion-int8.onnx');
  const float = join(installDir, 'models', 'emotion-float.onnx');
  return existsSync(int8) || !existsSync(float) ? int8 : float;
}
