import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Mat } from '@u4/opencv4nodejs';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { CameraError } from '../errors.js';
import type { EmotionClassifier } from '../emotion-classifier.js';
import { cropFacesFramed, type FaceCropOptions } from '../face-crops.js';
import { LightReader } from '../light-reader.js';
import type { Box, FaceDetector } from '../face-detector.js';
import { FaceTracker } from '../face-tracker.js';
import { modelFaceWeigher } from '../vote-weight.js';
import { MoodTracker, NOBODY, type FaceReading, type MoodTrackerOptions } from '../mood-tracker.js';
import { FfmpegFrameSource } from '../ffmpeg-frame-source.js';
import { readImage } from '../image-io.js';

/** Files read as still images; anything else is opened as a video. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff', '.pgm', '.ppm'] as const;

/** One face in an analysed image or frame. */
export interface AnalyzedFace {
  /** `[x, y, width, height]` in pixels. */
  readonly box: [number, number, number, number];
  readonly emotion: string;
  /** Probability per label, 0–1. */
  readonly probabilities: Readonly<Record<string, number>>;
  /**
   * The face's light on the crop the model reads (`measureFaceLight`), or on its square as framed
   * when that is smaller than the crop (`vote-weight.ts`): grey levels 0–255, its clarity
   * (contrast over noise), and the weight its light earns its vote in a room's mood, 0–1.
   */
  readonly light: { readonly brightness: number; readonly noise: number; readonly clarity: number; readonly weight: number };
}

/** The light of a whole picture, measured on its middle half as the daemon measures a frame. */
export interface PictureLight {
  /** Mean grey level, 0–255. */
  readonly brightness: number;
  /** The camera's grain: the estimated standard deviation of its noise, in grey levels. */
  readonly noise: number;
  /** Too dark or grainy to read expressions in: the daemon's room mood holds rather than follow it. */
  readonly tooDark: boolean;
}

/** What `moodbox analyze --json` prints per image or frame, one JSON object a line. */
export interface AnalyzeRecord {
  /** The image or video file. */
  readonly source: string;
  /** Frame number in a video, from 0; 0 for an image. */
  readonly frame: number;
  /** Position in a video (ms); 0 for an image. */
  readonly timeMs: number;
  readonly faces: readonly AnalyzedFace[];
  /**
   * Images: the size-weighted strongest emotion of the faces, or `nobody`. Videos: the room mood
   * after this frame, smoothed over the video's own time as the daemon smooths it live.
   */
  readonly mood: string;
  readonly light: PictureLight;
}

export interface AnalyzeOptions {
  /** Most frames analysed per second of video; the rest are skipped. @default 10 */
  fps?: number;
  /** Mood smoothing for videos. @default the daemon's defaults */
  mood?: MoodTrackerOptions;
  crop?: FaceCropOptions;
}

/**
 * Analyses an image, a video, or a folder of images (sorted by name; sub-folders are not
 * entered), yielding one record per image or analysed frame. Throws `CameraError`
 * (`MB_ERR_CAMERA_UNREADABLE`) for a path that does not exist or a file that is neither an image
 * nor a video; in a folder, an unreadable image is passed to `onError` and skipped.
 */
export async function* analyzePath(
  path: string,
  deps: { detector: FaceDetector; classifier: EmotionClassifier; log: Pick<Log, 'error'>; onError?: (err: CameraError) => void },
  options: AnalyzeOptions = {},
): AsyncGenerator<AnalyzeRecord, void, undefined> {
  let stats;
  try {
    stats = statSync(path);
  } catch (err) {
    throw new CameraError(
      'MB_ERR_CAMERA_UNREADABLE',
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (stats.isDirectory()) {
    const images = readdirSync(path)
      .filter((name) => isImage(name) && statSync(join(path, name)).isFile())
      .sort();
    if (images.length === 0) throw new CameraError('MB_ERR_CAMERA_UNREADABLE', `${path} holds no image (${IMAGE_EXTENSIONS.join(' ')})`);
    for (const name of images) {
      try {
        yield await analyzeImage(join(path, name), deps, options);
      } catch (err) {
        if (!(err instanceof CameraError) || deps.onError === undefined) throw err;
        deps.onError(err);
      }
    }
    return;
  }
  if (isImage(path)) {
    yield await analyzeImage(path, deps, options);
    return;
  }
  yield* analyzeVideo(path, deps, options);
}

function isImage(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

async function analyzeImage(
  path: string,
  deps: { detector: FaceDetector; classifier: EmotionClassifier },
  options: AnalyzeOptions,
): Promise<AnalyzeRecord> {
  const image = await readImage(path);
  const { faces, light } = await facesIn(image, deps, options).finally(() => image.release());
  return { source: path, frame: 0, timeMs: 0, faces, mood: strongest(faces), light };
}

async function* analyzeVideo(
  path: string,
  deps: { detector: FaceDetector; classifier: EmotionClassifier; log: Pick<Log, 'error'> },
  options: AnalyzeOptions,
): AsyncGenerator<AnalyzeRecord, void, undefined> {
  const clock = new VideoClock();
  const source = new FfmpegFrameSource({ clock, log: deps.log }, { source: path, realtime: false, reopen: false });
  let fps = 0;
  source.onStatus((status) => {
    if (status.state === 'open') fps = status.fps;
  }, 'analyze');
  const tracker = new FaceTracker();
  // Each face votes with the weight its size earns, as in the daemon (the classifier has started).
  const mood = new MoodTracker({ clock }, { faceWeight: modelFaceWeigher(deps.classifier), ...options.mood });
  const stepMs = 1000 / (options.fps ?? 10);
  let nextMs = 0;
  try {
    for await (const frame of source.frames(new AbortController().signal)) {
      const timeMs = fps > 0 ? (frame.index * 1000) / fps : frame.index * stepMs;
      if (timeMs + 1e-6 < nextMs) {
        frame.image.release();
        continue;
      }
      nextMs = Math.max(nextMs + stepMs, timeMs);
      clock.set(timeMs);
      const { faces, light } = await facesIn(frame.image, deps, options).finally(() => frame.image.release());
      const { trackIds, lost } = tracker.update(faces.map(({ box: [x, y, width, height] }) => ({ x, y, width, height })));
      mood.forget(lost);
      const readings: FaceReading[] = faces.map((f, i) => ({
        trackId: trackIds[i] ?? 0,
        size: Math.max(f.box[2], f.box[3]),
        probabilities: f.probabilities,
        light: f.light.weight,
      }));
      // As the daemon does: faces vote with what their light earns, and a room too dark to see in holds its mood.
      const room = mood.update(readings, { tooDarkToSee: light.tooDark });
      yield { source: path, frame: frame.index, timeMs: Math.round(timeMs), faces, mood: room.mood, light };
    }
  } catch (err) {
    if (err instanceof CameraError) {
      throw new CameraError('MB_ERR_CAMERA_UNREADABLE', `cannot read ${path}: not an image or a video ffmpeg can decode`, { cause: err });
    }
    throw err;
  }
}

async function facesIn(
  image: Mat,
  deps: { detector: FaceDetector; classifier: EmotionClassifier },
  options: AnalyzeOptions,
): Promise<{ faces: AnalyzedFace[]; light: PictureLight }> {
  // As the daemon weighs a face's light: a face framed smaller than the crop by its light as framed and its size.
  const labels = deps.classifier.labels.length;
  const reader = new LightReader({ labels: () => labels, sizeWeight: modelFaceWeigher(deps.classifier) }, { crop: options.crop });
  // As the daemon does: a grainy picture is smoothed before faces are looked for in it.
  const boxes: Box[] = await reader.findFaces(deps.detector, image, { measure: true });
  const frame = reader.frame;
  const light = { brightness: round(frame?.brightness ?? 0), noise: round(frame?.noise ?? 0), tooDark: reader.isTooDarkToSee };
  if (boxes.length === 0) return { faces: [], light };
  const { crops, framed } = await cropFacesFramed(image, boxes, options.crop);
  const results = await deps.classifier.classify(crops);
  const faces = boxes.map((box, i): AnalyzedFace => {
    const { weight, light: lit } = reader.weighFace({ box, crop: crops[i], framed: framed[i], measured: results[i]?.light });
    return {
      box: [box.x, box.y, box.width, box.height],
      emotion: results[i]?.label ?? '',
      probabilities: results[i]?.probabilities ?? {},
      light: {
        brightness: round(lit?.brightness ?? 0),
        noise: round(lit?.noise ?? 0),
        clarity: round(lit?.clarity ?? 0),
        weight: round(weight),
      },
    };
  });
  return { faces, light };
}

/** Two decimals: what a person reads, and what the JSON lines carry. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The emotion with the highest area-weighted mean probability, or `nobody`. */
function strongest(faces: readonly AnalyzedFace[]): string {
  const scores = new Map<string, number>();
  for (const face of faces) {
    const weight = face.box[2] * face.box[3];
    for (const [label, p] of Object.entries(face.probabilities)) scores.set(label, (scores.get(label) ?? 0) + weight * p);
  }
  let best: string = NOBODY;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const [label, score] of scores) {
    if (score > bestScore) {
      best = label;
      bestScore = score;
    }
  }
  return best;
}

/** A one-line, human-readable form of a record. */
export function formatRecord(record: AnalyzeRecord): string {
  const where = record.timeMs > 0 || record.frame > 0 ? ` frame ${record.frame} (${(record.timeMs / 1000).toFixed(1)} s)` : '';
  const faces =
    record.faces.length === 0
      ? 'no face'
      : record.faces.map((f) => `${f.emotion} ${Math.round((f.probabilities[f.emotion] ?? 0) * 100)}% at [${f.box.join(', ')}]`).join('; ');
  const { brightness, noise, tooDark } = record.light;
  const light = `light: brightness ${Math.round(brightness)}, noise ${noise.toFixed(1)}${tooDark ? ' (too dark to read expressions)' : ''}`;
  return `${basename(record.source)}${where}: ${faces}; mood ${record.mood}; ${light}`;
}

/**
 * Time as a video's own timeline: `now()` is the position of the frame being analysed, so moods
 * are smoothed over video time however fast the frames are read. No timers: nothing here waits.
 */
class VideoClock implements Clock {
  #now = 0;

  set(ms: number): void {
    this.#now = ms;
  }

  now(): number {
    return this.#now;
  }

  monotonic(): number {
    return this.#now;
  }

  setTimeout(): Timer {
    throw new TypeError('a video clock has no timers');
  }

  setInterval(): Timer {
    throw new TypeError('a video clock has no timers');
  }

  async sleep(): Promise<void> {}
}
