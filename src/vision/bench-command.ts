import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../daemon/kernel/clock.js';
import { MoodboxError } from '../daemon/kernel/errors.js';
import { defaultModel } from './analyze-command.js';
import { benchVision, formatBench, type BenchScene } from './bench.js';
import { HaarFaceDetector } from './haar-face-detector.js';
import { OnnxEmotionClassifier } from './onnx-emotion-classifier.js';
import { loadOpencv } from './opencv.js';

export interface BenchCommandOptions {
  json: boolean;
  /** Frames per scene. @default 150 */
  frames?: number | undefined;
  model?: string | undefined;
  cascade?: string | undefined;
  /** Images of one face and of a group (640x480); default: the test fixtures. */
  one?: string | undefined;
  group?: string | undefined;
  installDir: string;
}

export interface BenchCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  clock: Clock;
}

/**
 * `moodbox bench vision [--json]`: per-frame latency of detection, classification and the whole
 * frame (p50/p95) for one face, a group and an empty room at 640x480 on one thread, the frame
 * rate sustained with a 30 fps camera, and RSS. Returns the exit code.
 */
export async function runBenchCommand(options: BenchCommandOptions, io: BenchCommandIo): Promise<number> {
  const frames = options.frames ?? 150;
  if (!(Number.isInteger(frames) && frames >= 10)) {
    io.stderr(`error: Expected \`--frames\` to be an integer >= 10, got \`${frames}\`\n`);
    return 1;
  }
  const fixtures = join(options.installDir, 'src', 'vision', 'testing', 'fixtures');
  const paths = {
    one: resolve(options.one ?? join(fixtures, 'happy-face.png')),
    group: resolve(options.group ?? join(fixtures, 'group.png')),
    empty: join(fixtures, 'no-face.png'),
  };
  const classifier = new OnnxEmotionClassifier(
    {},
    { modelPath: resolve(options.model ?? defaultModel(options.installDir)), intraOpThreads: 1 },
  );
  try {
    const cv = await loadOpencv();
    cv.setNumThreads(1);
    const load = (path: string): ReturnType<typeof cv.imread> => {
      if (!existsSync(path)) throw new Error(`no such image: ${path}`);
      return cv.imread(path).resize(480, 640);
    };
    const scenes: BenchScene[] = [
      { name: 'one face', faces: 1, image: load(paths.one) },
      { name: 'group', faces: 4, image: load(paths.group) },
      ...(existsSync(paths.empty) ? [{ name: 'empty room', faces: 0, image: load(paths.empty) }] : []),
    ];
    await classifier.start(new AbortController().signal);
    const detector = new HaarFaceDetector(options.cascade === undefined ? {} : { cascadePath: options.cascade });
    await detector.load();
    const report = await benchVision({ detector, classifier, clock: io.clock }, scenes, { frames });
    io.stdout(options.json ? `${JSON.stringify({ model: classifier.model?.file, ...report })}\n` : formatBench(report));
    return 0;
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
}
