import { existsSync, readFileSync } from 'node:fs';
import type { Mat } from '@u4/opencv4nodejs';
import { join, resolve } from 'node:path';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { seededRandom } from '../../kernel/random.js';
import { defaultModel } from './analyze-command.js';
import { benchVision, formatBench, type BenchReport, type BenchScene, type SceneReport } from './bench.js';
import { cpuInfo, describeCpu } from '../cpu-info.js';
import { CROWD_TRAINING_FACES, makeCrowdSet } from './crowd-set.js';
import { makeDetectionSet, scoreDetector, type DetectionScore, type LabelledFrame } from './detection-set.js';
import { createFaceDetector, DETECTOR_KINDS, type DetectorKind } from '../detectors.js';
import { readFerCsv, type FerRow } from '../fer-csv.js';
import { lowLightImage, mixSeed, seededRandom as cameraRandom } from './dim-camera.js';
import { OnnxEmotionClassifier, SECOND_READ_BELOW_MARGIN } from '../onnx-emotion-classifier.js';
import type { Box, FaceDetector } from '../face-detector.js';
import { LightReader } from '../light-reader.js';
import { parseJson } from '../../kernel/json.js';

/** The daemon's default `vision.mirrorUpToFaces` (its schema is in daemon/config, which vision does not import). */
const DAEMON_MIRROR_UP_TO_FACES = 4;
import { readImage } from '../image-io.js';
import { loadOpencv } from '../opencv.js';

export interface BenchCommandOptions {
  json: boolean;
  /** Frames per scene. @default 150 */
  frames?: number | undefined;
  model?: string | undefined;
  cascade?: string | undefined;
  /** Which detectors to measure: a `DetectorKind` or `both`. @default both */
  detector?: string | undefined;
  /** FER-2013 CSV whose PublicTest faces make the labelled frame set; none: the set is skipped. */
  fer?: string | undefined;
  /** Generated frames in the labelled set. @default 100 */
  labelledFrames?: number | undefined;
  /** Generated frames in the crowd set (5–30 faces of 14–60 px a frame). @default 60 */
  crowdFrames?: number | undefined;
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

/** One detector's figures: the pipeline on the scenes, recall on the labelled frames and on the crowd set. */
export interface DetectorBench extends BenchReport {
  readonly detector: DetectorKind;
  /** Undefined when no FER-2013 CSV was found. */
  readonly labelled: DetectionScore | undefined;
  /** Recall by face size and false faces on the crowd set; undefined when no FER-2013 CSV was found. */
  readonly crowd: DetectionScore | undefined;
  /** The crowd set through a webcam in dim light (`dim-camera.ts`, auto-exposure), by light level; empty without FER-2013. */
  readonly crowdByLight: ReadonlyArray<{ readonly light: number; readonly score: DetectionScore }>;
  /** Share of the faces read in the timed runs that were read twice (mirrored too), 0–1. */
  readonly readTwice: number;
}

/**
 * Light levels (shares of daylight) the crowd set is measured at through the webcam model: daylight
 * (what the model's grey, grain and JPEG alone cost), a café's evening, a dim restaurant, a dim bar.
 */
export const CROWD_LIGHTS = [1, 0.25, 0.12, 0.04] as const;
/** Seed of the camera noise of the dim crowd frames. */
const DIM_SEED = 56;

/** Seeds of the generated sets, so that every run measures the same frames. */
const LABELLED_SEED = 2026;
const CROWD_SEED = 2037;
const CROWD_SCENE_SEED = 37;

/** Where `moodbox bench vision` looks for FER-2013 when `--fer` is not given. */
export function defaultFerCsv(installDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env['MOODBOX_FER_CSV'] ?? join(installDir, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz');
}

/**
 * `moodbox bench vision [--json]`: for each face detector in one run, per-frame latency of
 * detection, classification and the whole frame (p50/p95) for one face, a group and an empty room
 * at 640x480 on one thread, the frame rate sustained with a 30 fps camera, recall and false faces
 * per frame on a labelled frame set (pasted FER-2013 PublicTest faces at known boxes on generated
 * backgrounds, plus the fixture photos), and RSS. Returns the exit code.
 */
export async function runBenchCommand(options: BenchCommandOptions, io: BenchCommandIo): Promise<number> {
  const frames = options.frames ?? 150;
  if (!(Number.isInteger(frames) && frames >= 10)) {
    io.stderr(`error: Expected \`--frames\` to be an integer >= 10, got \`${frames}\`\n`);
    return 1;
  }
  const labelledCount = options.labelledFrames ?? 100;
  if (!(Number.isInteger(labelledCount) && labelledCount >= 0)) {
    io.stderr(`error: Expected \`--labelled-frames\` to be an integer >= 0, got \`${labelledCount}\`\n`);
    return 1;
  }
  const crowdCount = options.crowdFrames ?? 60;
  if (!(Number.isInteger(crowdCount) && crowdCount >= 0)) {
    io.stderr(`error: Expected \`--crowd-frames\` to be an integer >= 0, got \`${crowdCount}\`\n`);
    return 1;
  }
  const which = options.detector ?? 'both';
  const kinds = which === 'both' ? [...DETECTOR_KINDS] : DETECTOR_KINDS.filter((k) => k === which);
  if (kinds.length === 0) {
    io.stderr(`error: Expected \`--detector\` to be ${DETECTOR_KINDS.join(', ')} or both, got \`${which}\`\n`);
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
    // As the daemon reads faces by default (`vision.mirrorUpToFaces`): a crowd's faces once each, a
    // few faces twice only where the first read is unsure.
    {
      modelPath: resolve(options.model ?? defaultModel(options.installDir)),
      intraOpThreads: 1,
      mirrorUpToFaces: DAEMON_MIRROR_UP_TO_FACES,
      mirrorBelowMargin: SECOND_READ_BELOW_MARGIN,
    },
  );
  try {
    const cv = await loadOpencv();
    cv.setNumThreads(1);
    const load = async (path: string): Promise<Mat> => {
      if (!existsSync(path)) throw new Error(`no such image: ${path}`);
      const image = await readImage(path);
      const resized = image.resize(480, 640);
      image.release();
      return resized;
    };
    const fer = await ferRows(options, io);
    const labelled = fer === undefined ? undefined : await labelledFrames(fer.publicTest, labelledCount, fixtures);
    const crowd =
      fer === undefined ? undefined : await makeCrowdSet({ random: seededRandom(CROWD_SEED) }, fer.training, { frames: crowdCount });
    // The crowd scene: a café's tables as a 640x480 webcam sees them, 20 faces of 16–40 px.
    const [crowdScene] =
      fer === undefined
        ? []
        : await makeCrowdSet({ random: seededRandom(CROWD_SCENE_SEED) }, fer.training, { frames: 1, people: [20, 20], sizes: [16, 40] });
    const scenes: BenchScene[] = [
      { name: 'one face', faces: 1, image: await load(paths.one) },
      { name: 'group', faces: 4, image: await load(paths.group) },
      ...(existsSync(paths.empty) ? [{ name: 'empty room', faces: 0, image: await load(paths.empty) }] : []),
      ...(crowdScene === undefined ? [] : [{ name: 'crowd', faces: crowdScene.faces.length, image: crowdScene.image }]),
    ];
    await classifier.start(new AbortController().signal);
    const detectors = kinds.map((kind) => ({
      kind,
      detector: createFaceDetector(kind, {
        installDir: options.installDir,
        ...(options.cascade === undefined ? {} : { cascadePath: options.cascade }),
      }),
    }));
    const scores = new Map<DetectorKind, DetectionScore>();
    const crowdScores = new Map<DetectorKind, DetectionScore>();
    const dim =
      crowd === undefined ? [] : await Promise.all(CROWD_LIGHTS.map(async (light) => ({ light, frames: await dimmed(crowd, light) })));
    const dimScores = new Map<DetectorKind, Array<{ light: number; score: DetectionScore }>>();
    for (const { kind, detector } of detectors) {
      await detector.load();
      if (labelled !== undefined) scores.set(kind, await scoreDetector(detector, labelled));
      if (crowd !== undefined) crowdScores.set(kind, await scoreDetector(detector, crowd));
      const byLight: Array<{ light: number; score: DetectionScore }> = [];
      // As the pipeline looks for faces: each frame smoothed as its grain asks (`detectionKernel`).
      const asThePipeline = { detect: (image: Mat) => detectAsThePipeline(detector, image) };
      for (const { light, frames: lit } of dim) byLight.push({ light, score: await scoreDetector(asThePipeline, lit) });
      dimScores.set(kind, byLight);
    }
    // The labelled frames are let go before the timed runs, so RSS is the pipeline's own.
    for (const f of [...(labelled ?? []), ...(crowd ?? []), ...dim.flatMap((d) => d.frames)]) f.image.release();
    const reports: DetectorBench[] = [];
    for (const { kind, detector } of detectors) {
      const before = classifier.reads;
      const report = await benchVision({ detector, classifier, clock: io.clock }, scenes, { frames });
      const after = classifier.reads;
      const read = after.faces - before.faces;
      reports.push({
        detector: kind,
        ...report,
        readTwice: read === 0 ? 0 : (after.twice - before.twice) / read,
        labelled: scores.get(kind),
        crowd: crowdScores.get(kind),
        crowdByLight: dimScores.get(kind) ?? [],
      });
    }
    // The kernels onnxruntime and OpenCV run, and so the figures, depend on the CPU: each report names it.
    const cpu = cpuInfo();
    io.stdout(
      options.json
        ? `${JSON.stringify({ model: classifier.model?.file, cpu, detectors: reports })}\n`
        : `cpu: ${describeCpu(cpu)}\n${reports.map((r) => formatDetectorBench(r)).join('\n')}`,
    );
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

/** Faces in `image` as the vision pipeline finds them at a full scan: the frame's light measured, a grainy one smoothed first. */
async function detectAsThePipeline(detector: FaceDetector, image: Mat): Promise<Box[]> {
  return new LightReader({ labels: () => 0 }).findFaces(detector, image, { measure: true });
}

/**
 * The frames as a webcam shows them with the room lit at `light` (a share of daylight), with its
 * auto-exposure: the camera model of `dim-camera.ts` on the grey picture (colour is mostly lost in
 * such light), given back as BGR as the camera delivers it. Each frame's noise has its own seed.
 */
async function dimmed(frames: readonly LabelledFrame[], light: number): Promise<LabelledFrame[]> {
  const cv = await loadOpencv();
  return frames.map((frame, i) => {
    const grey = frame.image.cvtColor(cv.COLOR_BGR2GRAY);
    const { rows, cols } = grey;
    const pixels = lowLightImage(
      new Uint8Array(grey.getData()),
      cols,
      rows,
      { light, exposure: 'auto' },
      cameraRandom(mixSeed(DIM_SEED, i)),
    );
    grey.release();
    const dark = new cv.Mat(Buffer.from(pixels), rows, cols, cv.CV_8UC1);
    const image = dark.cvtColor(cv.COLOR_GRAY2BGR);
    dark.release();
    return { ...frame, name: `${frame.name} at ${Math.round(light * 100)}%`, image };
  });
}

/** FER-2013's PublicTest faces (the labelled set) and the first Training faces (the crowd set); undefined when the CSV is not there. */
async function ferRows(
  options: BenchCommandOptions,
  io: BenchCommandIo,
): Promise<{ publicTest: FerRow[]; training: FerRow[] } | undefined> {
  const csv = options.fer ?? defaultFerCsv(options.installDir);
  if (!existsSync(csv)) {
    io.stderr(`note: no FER-2013 CSV at ${csv} (--fer or MOODBOX_FER_CSV): recall, false faces and the crowd scene are not measured\n`);
    return undefined;
  }
  const publicTest: FerRow[] = [];
  const training: FerRow[] = [];
  for await (const row of readFerCsv(csv)) {
    if (row.usage === 'PublicTest') publicTest.push(row);
    else if (row.usage === 'Training' && training.length < CROWD_TRAINING_FACES) training.push(row);
  }
  return { publicTest, training };
}

/** The generated frames and the fixture photos, with their labels. */
async function labelledFrames(rows: readonly FerRow[], count: number, fixtures: string): Promise<LabelledFrame[]> {
  const generated = await makeDetectionSet({ random: seededRandom(LABELLED_SEED) }, rows, { frames: count });
  const placed = parseJson(readFileSync(join(fixtures, 'faces.json'), 'utf8')) as Record<string, Array<{ box: number[] }>>;
  const photos = await Promise.all(
    Object.entries(placed).map(async ([name, faces]) => ({
      name,
      image: await readImage(join(fixtures, `${name}.png`)),
      faces: faces.map(({ box: [x = 0, y = 0, width = 0, height = 0] }) => ({ x, y, width, height })),
    })),
  );
  return [...generated, ...photos];
}

export function formatDetectorBench(r: DetectorBench): string {
  const l = r.labelled;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const quality =
    l === undefined
      ? 'labelled frames: not measured (no FER-2013 CSV)'
      : `labelled frames (${l.frames}, ${l.faces} faces): recall ${pct(l.recall)} (${l.found}/${l.faces}), ` +
        `${l.falseFacesPerFrame.toFixed(3)} false faces per frame (${l.falseFaces}), exact face count on ${pct(l.exactCount)} of frames`;
  const c = r.crowd;
  const crowd =
    c === undefined
      ? 'crowd set: not measured (no FER-2013 CSV)'
      : `crowd set (${c.frames} frames, ${c.faces} faces of 14–60 px): recall by face size ` +
        c.bySize.map((b) => `${b.label} ${pct(b.recall)} (${b.found}/${b.faces})`).join(', ') +
        `; ${c.falseFacesPerFrame.toFixed(3)} false faces per frame (${c.falseFaces})`;
  const byLight =
    r.crowdByLight.length === 0
      ? ''
      : `crowd set in dim light (a webcam's auto-exposure, grey): recall ` +
        r.crowdByLight
          .map(
            ({ light, score }) =>
              `${Math.round(light * 100)}% of daylight ${pct(score.recall)} (${score.found}/${score.faces}, ${score.falseFacesPerFrame.toFixed(3)} false a frame)`,
          )
          .join(', ') +
        '\n';
  const twice = `faces read twice (mirrored too, where the first read was unsure; a crowd's once): ${pct(r.readTwice)}`;
  return `${headline(r)}\ndetector: ${r.detector} (RSS counts every detector loaded so far)\n${formatBench(r)}${twice}\n${quality}\n${crowd}\n${byLight}`;
}

/**
 * The figures the design's budget names, in one line: a one-face frame and a crowd frame with a
 * full scan, crops and emotion (p50, CPU and wall time), recall on the labelled frames and, by
 * face size, on the crowd set.
 */
export function headline(r: DetectorBench): string {
  const frame = (s: SceneReport | undefined, name: string): string =>
    s === undefined
      ? `no ${name} scene`
      : `${name} full-scan whole frame p50 ${s.fullFrameCpuMs.p50.toFixed(2)} ms CPU (${s.fullFrameMs.p50.toFixed(2)} ms wall)`;
  const recall =
    r.labelled === undefined
      ? 'recall not measured'
      : `recall ${(100 * r.labelled.recall).toFixed(1)}% (${r.labelled.found}/${r.labelled.faces})`;
  const crowd =
    r.crowd === undefined
      ? ''
      : `, crowd recall ${r.crowd.bySize.map((b) => `${b.label} ${(100 * b.recall).toFixed(1)}%`).join(' / ')}, ${r.crowd.falseFacesPerFrame.toFixed(3)} false faces a frame`;
  const one = r.scenes.find((s) => s.faces === 1);
  const many = r.scenes.find((s) => s.scene === 'crowd');
  return `${r.detector}: ${frame(one, 'one-face')}, ${frame(many, `${many?.faces ?? 20}-face crowd`)}, ${recall}${crowd}`;
}
