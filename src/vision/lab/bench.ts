import type { Mat } from '@u4/opencv4nodejs';
import type { Clock } from '../../kernel/clock.js';
import { EventBus, type ListenerOwner } from '../../kernel/event-bus.js';
import type { EmotionClassifier } from '../emotion-classifier.js';
import { cropFaces } from '../face-crops.js';
import type { FaceDetector } from '../face-detector.js';
import type { Frame, FrameSource, SourceStatus } from '../frame-source.js';
import { LightReader } from '../light-reader.js';
import { loadOpencv } from '../opencv.js';
import { VisionPipeline, type VisionPipelineOptions } from '../vision-pipeline.js';

/** Latency figures over many frames (ms). */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** One scene's figures. */
export interface SceneReport {
  readonly scene: string;
  readonly faces: number;
  readonly width: number;
  readonly height: number;
  /** Frames analysed by the pipeline. */
  readonly frames: number;
  /** Detection as the pipeline runs it: near tracked faces, with a full scan once a second. */
  readonly detectMs: Percentiles;
  /**
   * Detection scanning the whole frame every time (no face tracked yet), as the pipeline makes a
   * full scan: the frame's light measured first, a grainy frame smoothed (`LightReader.findFaces`).
   */
  readonly fullScanMs: Percentiles;
  /**
   * A whole frame with a full scan: detection over the whole frame, then crops and classification
   * of every face found. `fullFrameCpuMs` is the process's CPU time (user + system) for it, which
   * other work on a shared machine disturbs less than wall time.
   */
  readonly fullFrameMs: Percentiles;
  readonly fullFrameCpuMs: Percentiles;
  /** Cropping and classifying every face of a frame (one batched call). */
  readonly classifyMs: Percentiles;
  /** The whole frame in the pipeline: detection, crops, classification, tracks, mood. */
  readonly frameMs: Percentiles;
  /** The same with every face read in every frame (`readPace: false`), run right after: what the reading pace saves. */
  readonly frameEveryReadMs: Percentiles;
  /** Faces the pipeline read over the faces it tracked, as it runs (steady faces at a lower pace), 0–1. */
  readonly readShare: number;
  /** Frames analysed per second with a 30 fps camera and `analysisFps` 30. */
  readonly sustainedFps: number;
  /** Faces found per frame, as a check that the scene was read as intended (median). */
  readonly facesFound: number;
}

export interface BenchReport {
  readonly threads: 1;
  readonly scenes: readonly SceneReport[];
  /** Resident set size after the runs, with OpenCV and the model loaded (MiB). */
  readonly rssMiB: number;
}

export interface BenchScene {
  readonly name: string;
  readonly faces: number;
  readonly image: Mat;
}

/** Frames detected and classified before anything is measured (`benchVision`). */
const WARM_UP_FRAMES = 120;

export interface BenchOptions {
  /** Frames per scene. @default 150 */
  frames?: number;
}

/**
 * Runs the vision pipeline on still scenes played as a 30 fps camera (each frame shifted by a
 * few pixels, as people move) and measures it. The caller sets OpenCV and onnxruntime to one
 * thread; this does not change any setting.
 */
export async function benchVision(
  deps: {
    detector: FaceDetector;
    classifier: EmotionClassifier;
    clock: Clock;
    /** CPU time the process has used so far (ms). @default process.cpuUsage(), user + system */
    cpuMs?: () => number;
  },
  scenes: readonly BenchScene[],
  options: BenchOptions = {},
): Promise<BenchReport> {
  const count = options.frames ?? 150;
  const cpuMs = deps.cpuMs ?? processCpuMs;
  const reports: SceneReport[] = [];
  const sceneVariants = await Promise.all(scenes.map((scene) => shifted(scene.image)));
  // Unmeasured frames first, of every scene in turn: the first hundred or so cost more (one 320 px
  // scan took 3.4 ms of CPU over its first 90 frames and 2.0 ms after), and a box runs for hours.
  for (let i = 0; i < WARM_UP_FRAMES; i++) {
    const variants = sceneVariants[i % sceneVariants.length] ?? [];
    const image = variants[i % variants.length];
    if (image === undefined) continue;
    const boxes = await deps.detector.detect(image);
    if (boxes.length > 0) await deps.classifier.classify(await cropFaces(image, boxes));
  }
  for (const [s, scene] of scenes.entries()) {
    const variants = sceneVariants[s] ?? [scene.image];
    const full: number[] = [];
    const fullFrame: number[] = [];
    const fullFrameCpu: number[] = [];
    const light = new LightReader({ labels: () => 0 });
    for (let i = 0; i < Math.min(count, 60); i++) {
      const image = variants[i % variants.length] ?? scene.image;
      const cpu = cpuMs();
      const started = deps.clock.monotonic();
      const boxes = await light.findFaces(deps.detector, image, { measure: true });
      full.push(deps.clock.monotonic() - started);
      if (boxes.length > 0) await deps.classifier.classify(await cropFaces(image, boxes));
      fullFrame.push(deps.clock.monotonic() - started);
      fullFrameCpu.push(cpuMs() - cpu);
    }

    // As the daemon runs (steady faces read at a lower pace), then every face read in every frame, in turn.
    const { detect, classify, frame, found, seconds, readShare } = await runPipeline(deps, variants, count, {});
    const everyFrame = await runPipeline(deps, variants, count, { readPace: false });
    reports.push({
      scene: scene.name,
      faces: scene.faces,
      width: scene.image.cols,
      height: scene.image.rows,
      frames: frame.length,
      detectMs: percentiles(detect),
      fullScanMs: percentiles(full),
      fullFrameMs: percentiles(fullFrame),
      fullFrameCpuMs: percentiles(fullFrameCpu),
      classifyMs: percentiles(classify),
      frameMs: percentiles(frame),
      frameEveryReadMs: percentiles(everyFrame.frame),
      readShare,
      sustainedFps: round(frame.length / seconds),
      facesFound: percentiles(found).p50,
    });
  }
  return { threads: 1, scenes: reports, rssMiB: round(process.memoryUsage().rss / 2 ** 20) };
}

/** The scene's frames through the pipeline at 30 frames a second, `count` of them: its timings, and the share of faces it read. */
async function runPipeline(
  deps: { detector: FaceDetector; classifier: EmotionClassifier; clock: Clock },
  variants: readonly Mat[],
  count: number,
  options: VisionPipelineOptions,
): Promise<{ detect: number[]; classify: number[]; frame: number[]; found: number[]; seconds: number; readShare: number }> {
  const source = new MemoryFrameSource({ clock: deps.clock }, { images: variants, fps: 30 });
  const pipeline = new VisionPipeline({ ...deps, source }, { analysisFps: 30, fullScanEveryMs: 1000, ...options });
  const [detect, classify, frame, found]: [number[], number[], number[], number[]] = [[], [], [], []];
  let done: () => void = () => {};
  const enough = new Promise<void>((resolve) => (done = resolve));
  pipeline.events.on(
    'facesDetected',
    (e) => {
      detect.push(e.timing.detectMs);
      classify.push(e.timing.classifyMs);
      frame.push(e.timing.totalMs);
      found.push(e.faces.length);
      if (frame.length === count) done();
    },
    'bench',
  );
  const started = deps.clock.monotonic();
  await pipeline.start(new AbortController().signal);
  await enough;
  const seconds = (deps.clock.monotonic() - started) / 1000;
  await pipeline.stop();
  const { facesSeen, facesRead } = pipeline.stats;
  return { detect, classify, frame, found, seconds, readShare: facesSeen === 0 ? 1 : facesRead / facesSeen };
}

/** The report as a small table. */
export function formatBench(report: BenchReport): string {
  const ms = (p: Percentiles): string => `${p.p50.toFixed(2)} / ${p.p95.toFixed(2)}`;
  const rows = report.scenes.map((s) =>
    [
      `${s.scene} (${s.faces} face${s.faces === 1 ? '' : 's'}, ${s.width}x${s.height})`,
      `  detection (as the pipeline runs it) ${ms(s.detectMs)} ms`,
      `  detection (full scan every frame)   ${ms(s.fullScanMs)} ms`,
      `  crops + classification (all faces)  ${ms(s.classifyMs)} ms`,
      `  whole frame (as the pipeline runs)  ${ms(s.frameMs)} ms${s.faces === 0 ? '' : `; faces read ${Math.round(100 * s.readShare)}% of frames`}`,
      `  same, every face read every frame   ${ms(s.frameEveryReadMs)} ms`,
      `  whole frame with a full scan        ${ms(s.fullFrameMs)} ms; CPU ${ms(s.fullFrameCpuMs)} ms`,
      `  sustained                           ${s.sustainedFps} fps (30 fps camera); faces found: ${s.facesFound}`,
    ].join('\n'),
  );
  return `vision benchmark, one thread, p50 / p95 over ${report.scenes[0]?.frames ?? 0} frames per scene\n${rows.join('\n')}\nRSS ${report.rssMiB} MiB\n`;
}

/** The process's CPU time so far, user and system, all threads (ms). */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1) ?? 0) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Copies of `image` shifted by up to 6 px along a small loop, so tracked faces move a little. */
async function shifted(image: Mat): Promise<Mat[]> {
  const cv = await loadOpencv();
  const out: Mat[] = [];
  for (let i = 0; i < 12; i++) {
    const angle = (i / 12) * 2 * Math.PI;
    const m = new cv.Mat(
      [
        [1, 0, Math.round(6 * Math.cos(angle))],
        [0, 1, Math.round(6 * Math.sin(angle))],
      ],
      cv.CV_64F,
    );
    out.push(await image.warpAffineAsync(m, new cv.Size(image.cols, image.rows), cv.INTER_LINEAR, cv.BORDER_REPLICATE));
  }
  return out;
}

/** Frames from memory at a camera's pace, cycling through `images` until aborted. */
class MemoryFrameSource implements FrameSource {
  readonly description = 'memory';
  readonly #clock: Clock;
  readonly #images: readonly Mat[];
  readonly #intervalMs: number;
  // A listener that fails here is a fault of the bench itself: said on stderr, beside the figures.
  readonly #bus = new EventBus<{ status: SourceStatus }>((err, event) =>
    process.stderr.write(`bench: a ${event} listener failed: ${String(err)}\n`),
  );

  constructor(deps: { clock: Clock }, options: { images: readonly Mat[]; fps: number }) {
    this.#clock = deps.clock;
    this.#images = options.images;
    this.#intervalMs = 1000 / options.fps;
  }

  onStatus(listener: (status: SourceStatus) => void, owner: ListenerOwner): () => void {
    return this.#bus.on('status', listener, owner);
  }

  async *frames(signal: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    const first = this.#images[0];
    if (first === undefined) return;
    this.#bus.emit('status', { state: 'open', width: first.cols, height: first.rows, fps: 1000 / this.#intervalMs });
    let next = this.#clock.monotonic();
    for (let index = 0; !signal.aborted; index++) {
      next += this.#intervalMs;
      const wait = next - this.#clock.monotonic();
      if (wait > 0) await this.#clock.sleep(wait, signal).catch(() => undefined);
      if (signal.aborted) return;
      // A copy per frame, as a camera delivers: the receiver owns (and releases) it.
      yield { image: (this.#images[index % this.#images.length] ?? first).copy(), index, at: this.#clock.now() };
    }
  }
}
