import type { Mat } from '@u4/opencv4nodejs';
import type { Clock } from '../kernel/clock.js';
import { EventBus } from '../kernel/event-bus.js';
import type { Service, ServiceHealth } from '../kernel/lifecycle.js';
import type { EmotionClassifier, EmotionResult } from './emotion-classifier.js';
import { cropFacesFramed, type FaceCropOptions } from './face-crops.js';
import type { Box, FaceDetector } from './face-detector.js';
import { describeFaceSizes, FaceSizeLog, type FaceSizeLogOptions, type FaceSizeSummary } from './face-sizes.js';
import { FaceTracker, type FaceTrackerOptions } from './face-tracker.js';
import { LightReader, type LightReaderOptions } from './light-reader.js';
import { modelFaceWeigher } from './vote-weight.js';
import type { Frame, FrameSource, SourceStatus } from './frame-source.js';
import { MoodTracker, NOBODY, type FaceReading, type MoodTrackerOptions } from './mood-tracker.js';
import { JpegStream } from './jpeg-stream.js';
import { loadOpencv } from './opencv.js';
import { READ_PACE, ReadPacer, type ReadPaceOptions } from './read-pace.js';
import { ScanPacer, thumbnailOf, type ScanPaceOptions, type Thumbnail } from './scan-pace.js';
import { targetFace } from './target-face.js';
import type { FaceView, VisionEvents, VisionStats } from './vision-events.js';
import type { Log } from '../kernel/log.js';

/** `lightWeight` and `frameLight`: how faces' and frames' light is judged (`LightReader`). */
export interface VisionPipelineOptions extends LightReaderOptions {
  /** Most frames analysed per second; frames in between are dropped. @default 10 */
  analysisFps?: number;
  /**
   * While faces are tracked, the detector searches only near them, and scans the whole frame for
   * new faces once per this interval (ms), or as the scene moves with `scanPace`. With no face
   * tracked every analysed frame is a full scan. @default 1000
   */
  fullScanEveryMs?: number;
  /**
   * The whole frame scanned as the scene moves (`scan-pace.ts`; its defaults `SCAN_PACE`): every
   * `movingMs` while something moves away from the tracked faces, every `stillMs` while nothing
   * does. Off by default: measured, it found newcomers sooner but missed two more of 40, and in a
   * still room found fewer seated faces (docs/face-detector.md, "Scan pace"). @default false (every `fullScanEveryMs`)
   */
  scanPace?: ScanPaceOptions | false;
  /**
   * Face tracks. A face counts (is classified into the mood and reported) once seen in `minHits`
   * analysed frames, which keeps one-frame false detections out. @default { minHits: 2 }
   */
  tracker?: FaceTrackerOptions;
  mood?: MoodTrackerOptions;
  /**
   * How often a tracked face is read (`read-pace.ts`): new and changed faces at once, steady ones
   * every `steadyMs`, every `contestedMs` while the room's mood is contested; `false` reads every
   * face in every frame. @default `READ_PACE`
   */
  readPace?: ReadPaceOptions | false;
  crop?: FaceCropOptions;
  /** How far back the face sizes reach (`faceSizes`, the health line). @default 5 minutes, a frame a second */
  faceSizes?: FaceSizeLogOptions;
  /** Blurred JPEG previews for the admin live view; off unless `enabled`. */
  preview?: {
    /** @default false */
    enabled?: boolean;
    /** Time between previews (ms). @default 1000 */
    intervalMs?: number;
    /** Preview width (px); the height keeps the aspect. @default 320 */
    width?: number;
    /** Gaussian blur kernel (odd, px of the preview): enough that faces cannot be recognised (a face 60 px wide in the preview becomes a blur). @default 31 */
    blur?: number;
  };
}

/**
 * The vision loop: frame source → face detector (searching near tracked faces between full scans)
 * → 48x48 crops → emotion classifier → face tracks → room mood. A `Service`. Frames are read as
 * the source delivers them and only the newest is analysed, at most `analysisFps` times a second:
 * when analysis is slower than that, frames are skipped rather than queued. All heavy work is in
 * async native calls, so the event loop stays free. Frames and crops stay in memory, and each
 * frame's pixels are released as soon as it is analysed or skipped.
 */
export class VisionPipeline implements Service {
  readonly name = 'vision';
  /** `cameraChanged`, `facesDetected`, `moodChanged`, `previewCaptured`. */
  readonly events: EventBus<VisionEvents>;
  readonly #source: FrameSource;
  readonly #detector: FaceDetector;
  readonly #classifier: EmotionClassifier;
  readonly #personalize: ((result: EmotionResult) => EmotionResult | undefined) | undefined;
  readonly #clock: Clock;
  readonly #log: Pick<Log, 'info' | 'warn'> | undefined;
  readonly #intervalMs: number;
  readonly #fullScanEveryMs: number;
  readonly #options: VisionPipelineOptions;
  #tracker: FaceTracker;
  #mood: MoodTracker;
  /** The preview's JPEGs, from one ffmpeg child while someone watches. */
  readonly #jpeg: JpegStream;
  #abort: AbortController | undefined;
  #running: Promise<void> | undefined;
  #latest: Frame | undefined;
  #wake: (() => void) | undefined;
  #camera: VisionEvents['cameraChanged'] | undefined;
  #isSourceDone = false;
  #scanPacer: ScanPacer;
  #lastPreview = Number.NEGATIVE_INFINITY;
  #stats = { framesRead: 0, framesAnalysed: 0, framesSkipped: 0, lastAnalysisMs: 0, facesSeen: 0, facesRead: 0 };
  #pacer: ReadPacer;
  /** The room's mood was contested at the last frame (`MoodUpdate.contested`): faces are read at `contestedMs`. */
  #contested = false;
  /** Each tracked face's last read: when (monotonic ms), and what it showed. */
  readonly #lastReads = new Map<number, { at: number; view: FaceView }>();
  readonly #sizes: FaceSizeLog;
  readonly #light: LightReader;

  constructor(
    deps: {
      source: FrameSource;
      detector: FaceDetector;
      classifier: EmotionClassifier;
      clock: Clock;
      log?: Pick<Log, 'info' | 'warn'>;
      /** The signed-in person's own reading of the target face, or undefined for the generic one. */
      personalize?: (result: EmotionResult) => EmotionResult | undefined;
    },
    options: VisionPipelineOptions = {},
  ) {
    this.#source = deps.source;
    this.#personalize = deps.personalize;
    this.#detector = deps.detector;
    this.#classifier = deps.classifier;
    this.#clock = deps.clock;
    this.#log = deps.log;
    // Every mood tracker made here weighs a face by what its size earns with the model loaded then.
    this.#options = { ...options, mood: { faceWeight: modelFaceWeigher(deps.classifier), ...options.mood } };
    const fps = options.analysisFps ?? 10;
    if (!(fps > 0 && fps <= 120)) throw new RangeError(`Expected \`analysisFps\` to be in (0, 120], got \`${fps}\``);
    this.#intervalMs = 1000 / fps;
    this.#fullScanEveryMs = options.fullScanEveryMs ?? 1000;
    this.#tracker = new FaceTracker({ minHits: 2, ...options.tracker });
    this.#mood = new MoodTracker({ clock: deps.clock }, this.#options.mood);
    this.#pacer = this.#newPacer();
    this.#scanPacer = this.#newScanPacer();
    this.#jpeg = new JpegStream({ clock: deps.clock }, { quality: 70 });
    this.#sizes = new FaceSizeLog(options.faceSizes);
    const sizeWeight = this.#options.mood?.faceWeight ?? (() => 1); // a small face's light is weighed against its size's weight
    this.#light = new LightReader({ labels: () => this.#classifier.labels.length, sizeWeight }, options);
    this.events = new EventBus<VisionEvents>((err, event, owner) => this.#log?.warn({ err, event, owner }, 'vision listener failed'));
  }

  /** The room mood now: an emotion label or `nobody`. */
  get mood(): string {
    return this.#mood.mood;
  }

  get stats(): VisionStats {
    return { ...this.#stats };
  }

  /** How large the counted faces appeared over the last minutes (px); undefined when no face was seen. */
  get faceSizes(): FaceSizeSummary | undefined {
    return this.#sizes.summary(this.#clock.monotonic());
  }

  health(): ServiceHealth {
    const camera = this.#camera;
    if (camera?.state === 'unavailable') return { status: 'degraded', detail: `camera unavailable: ${camera.reason ?? 'unknown'}` };
    // The room mood is not named here: the camera service owns the one the screens show and adds it.
    const sizes = this.faceSizes;
    const described = sizes === undefined ? undefined : describeFaceSizes(sizes);
    const faces = described === undefined ? '' : `; ${described.line}${described.advice === undefined ? '' : `: ${described.advice}`}`;
    return { status: 'ready', detail: `${camera?.state === 'on' ? 'camera on' : 'waiting for the camera'}${faces}` };
  }

  /** Starts reading and analysing in the background; resolves at once. */
  async start(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#running !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#tracker = new FaceTracker({ minHits: 2, ...this.#options.tracker });
    this.#mood = new MoodTracker({ clock: this.#clock }, this.#options.mood);
    this.#forgetReads();
    this.#isSourceDone = false;
    const unsubscribe = this.#source.onStatus((status) => this.#onStatus(status), this);
    this.#running = Promise.all([this.#read(abort.signal), this.#analyse(abort.signal)])
      .then(() => undefined)
      .finally(unsubscribe);
  }

  /** Stops reading, finishes the frame being analysed, and reports the camera off. */
  async stop(): Promise<void> {
    this.#abort?.abort();
    this.#wake?.();
    await this.#running;
    this.#running = undefined;
    this.#abort = undefined;
    this.#latest?.image.release();
    this.#latest = undefined;
    await this.#jpeg.close();
    if (this.#camera !== undefined && this.#camera.state !== 'off') this.#setCamera('off');
  }

  /** Resolves when the source has ended and its last frame was analysed (files); for tests and `analyze`. */
  async finished(): Promise<void> {
    await this.#running;
  }

  async #read(signal: AbortSignal): Promise<void> {
    try {
      for await (const frame of this.#source.frames(signal)) {
        this.#stats.framesRead += 1;
        if (this.#latest !== undefined) {
          this.#stats.framesSkipped += 1;
          this.#latest.image.release();
        }
        this.#latest = frame;
        this.#wake?.();
      }
    } catch (err) {
      this.#setCamera('unavailable', err instanceof Error ? err.message : String(err));
    } finally {
      this.#isSourceDone = true;
      this.#wake?.();
    }
  }

  async #analyse(signal: AbortSignal): Promise<void> {
    let nextDue = Number.NEGATIVE_INFINITY;
    while (!signal.aborted) {
      if (this.#latest === undefined) {
        if (this.#isSourceDone) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      const wait = nextDue - this.#clock.monotonic();
      if (wait > 0) {
        try {
          await this.#clock.sleep(wait, signal);
        } catch {
          return;
        }
      }
      const frame = this.#latest;
      this.#latest = undefined;
      if (frame === undefined) continue;
      const started = this.#clock.monotonic();
      // The next slot is one interval after this one; when analysis has fallen behind by more
      // than that, the schedule restarts from now instead of rushing through missed slots.
      nextDue = Math.max((Number.isFinite(nextDue) ? nextDue : started) + this.#intervalMs, started);
      try {
        await this.#analyseFrame(frame, started);
      } catch (err) {
        this.#log?.warn({ err, frame: frame.index }, 'frame analysis failed');
      } finally {
        frame.image.release();
      }
      this.#stats.lastAnalysisMs = this.#clock.monotonic() - started;
      this.#stats.framesAnalysed += 1;
    }
  }

  async #analyseFrame(frame: Frame, started: number): Promise<void> {
    const image = frame.image;
    const tracks = this.#tracker.tracks;
    const near = tracks.map((t) => t.box);
    // What moved away from the tracked faces since the last full scan sets when the next one comes (`scan-pace.ts`).
    const isPaced = this.#options.scanPace !== undefined && this.#options.scanPace !== false;
    const thumbnail: Thumbnail | undefined = isPaced ? await thumbnailOf(image) : undefined;
    const isFullScan = this.#scanPacer.isDue(started, thumbnail ?? NO_THUMBNAIL, near);
    // The frame's light first (at a full scan): a grainy frame is smoothed before faces are looked for in it.
    const boxes: Box[] = await this.#light.findFaces(this.#detector, image, isFullScan ? { measure: true } : { measure: false, near });
    if (isFullScan) this.#scanPacer.scanned(started, thumbnail ?? NO_THUMBNAIL);
    const detected = this.#clock.monotonic();

    const { trackIds, lost } = this.#tracker.update(boxes);
    this.#mood.forget(lost);
    this.#pacer.forget(lost);
    for (const id of lost) this.#lastReads.delete(id);
    const isConfirmed = new Map(this.#tracker.tracks.map((t) => [t.id, t.isConfirmed]));
    // Only faces of confirmed tracks are classified; the others may be one-frame false detections.
    const counted = boxes.flatMap((box, i) => {
      const trackId = trackIds[i] ?? 0;
      return isConfirmed.get(trackId) === true ? [{ box, trackId }] : [];
    });
    const countedBoxes = counted.map((c) => c.box);
    // A face framed smaller than the crop comes with its light where the sensor put its grain, before the scaling up.
    const { crops, framed } = await cropFacesFramed(image, countedBoxes, this.#options.crop);
    const target = targetFace(countedBoxes, image.cols, image.rows);
    // Each face read at the pace its mood can change (`read-pace.ts`): new and changed faces at once, steady ones less often.
    const side = this.#options.crop?.size ?? 48;
    const isRead = counted.map(({ trackId }, i) => {
      const crop = crops[i];
      const last = this.#lastReads.get(trackId);
      if (crop === undefined || last === undefined || last.view.isTarget !== (i === target)) return true;
      const pace = { contested: this.#contested };
      return this.#mood.standing(trackId) === undefined || this.#pacer.isDue(trackId, crop, side, started, pace);
    });
    const toRead = crops.filter((_, i) => isRead[i] === true);
    const read = toRead.length === 0 ? [] : await this.#classifier.classify(toRead);
    const classified = this.#clock.monotonic();
    this.#sizes.record(classified, { width: image.cols, height: image.rows }, countedBoxes);

    const faces: FaceView[] = [];
    const readings: FaceReading[] = [];
    const present: number[] = [];
    let next = 0;
    counted.forEach(({ box, trackId }, i) => {
      if (isRead[i] !== true) {
        const last = this.#lastReads.get(trackId);
        if (last === undefined) return;
        faces.push({ ...last.view, box: toArray(box), isTarget: i === target, readAgeMs: started - last.at });
        present.push(trackId);
        return;
      }
      const generic = read[next++];
      const crop = crops[i];
      if (generic === undefined) return;
      const own = i === target ? this.#personalize?.(generic) : undefined;
      const result = own ?? generic;
      const { weight: light, light: lit } = this.#light.weighFace({ box, crop, framed: framed[i], measured: generic.light });
      const view: FaceView = {
        trackId,
        box: toArray(box),
        emotion: result.label,
        confidence: result.confidence,
        probabilities: result.probabilities,
        ...(generic.logits === undefined ? {} : { logits: generic.logits }),
        ...(generic.embedding === undefined ? {} : { embedding: generic.embedding }),
        isTarget: i === target,
        personal: own !== undefined,
        ...(lit === undefined ? {} : { light: { clarity: lit.clarity, brightness: lit.brightness, noise: lit.noise, weight: light } }),
        readAgeMs: 0,
      };
      faces.push(view);
      this.#lastReads.set(trackId, { at: started, view });
      if (crop !== undefined) this.#pacer.read(trackId, crop, side, started);
      readings.push({ trackId, size: Math.max(box.width, box.height), probabilities: result.probabilities, light });
    });
    this.#stats.facesSeen += counted.length;
    this.#stats.facesRead += toRead.length;
    const previous = this.#mood.mood;
    const room = this.#mood.update(readings, { tooDarkToSee: this.#light.isTooDarkToSee, present });
    this.#contested = room.contested;
    faces.forEach((face, i) => {
      const standing = this.#mood.standing(face.trackId);
      if (standing !== undefined) faces[i] = { ...face, steadyEmotion: standing.emotion, voteWeight: standing.weight };
    });
    const at = this.#clock.now();
    this.events.emit('facesDetected', {
      frame: frame.index,
      at,
      width: image.cols,
      height: image.rows,
      faces,
      mood: room.mood,
      tooDark: room.tooDark,
      timing: { detectMs: detected - started, classifyMs: classified - detected, totalMs: this.#clock.monotonic() - started },
    });
    if (room.changed) {
      this.#log?.info({ mood: room.mood, previous, faces: room.faces }, 'room mood changed');
      this.events.emit('moodChanged', { mood: room.mood, previous, at, scores: room.scores });
    }
    await this.#preview(image, started);
  }

  async #preview(image: Mat, now: number): Promise<void> {
    const preview = this.#options.preview;
    if (preview?.enabled !== true || this.events.listenerCount('previewCaptured') === 0) return;
    if (now - this.#lastPreview < (preview.intervalMs ?? 1000)) return;
    this.#lastPreview = now;
    const cv = await loadOpencv();
    const width = Math.min(image.cols, preview.width ?? 320);
    const height = Math.round((image.rows * width) / image.cols);
    const small = await image.resizeAsync(height, width, 0, 0, cv.INTER_AREA);
    const kernel = (preview.blur ?? 31) | 1;
    const blurred = await small.gaussianBlurAsync(new cv.Size(kernel, kernel), 0);
    small.release();
    const jpeg = await this.#jpeg.encode(blurred).finally(() => blurred.release());
    this.events.emit('previewCaptured', { at: this.#clock.now(), jpeg, width, height });
  }

  #onStatus(status: SourceStatus): void {
    switch (status.state) {
      case 'open':
        this.#setCamera('on');
        break;
      case 'unavailable':
        this.#log?.warn({ err: status.error, retryInMs: status.retryInMs }, 'camera unavailable');
        this.#tracker.reset();
        this.#forgetMood();
        this.#setCamera('unavailable', status.reason);
        break;
      case 'ended':
        this.#forgetMood();
        this.#setCamera('unavailable', 'the camera source ended');
        break;
      default:
        throw new TypeError(`unknown source state ${String(status satisfies never)}`);
    }
  }

  /**
   * A lost camera's room is not the room it sees when it comes back: the mood starts again, and the
   * first one said after it is a fresh settled reading (the camera service forgot the old one).
   */
  #forgetMood(): void {
    this.#mood = new MoodTracker({ clock: this.#clock }, this.#options.mood);
    this.#forgetReads();
  }

  /**
   * The reading pace: a steady face is read again before its last reading stops voting in full
   * (the mood's `fullVoteMs`) and well before it times out (half of `faceTimeoutMs`).
   */
  #newPacer(): ReadPacer {
    const pace = this.#options.readPace;
    if (pace === false) return new ReadPacer({ steadyMs: 0 });
    const mood = this.#options.mood;
    const steadyMs = Math.min(pace?.steadyMs ?? READ_PACE.steadyMs, mood?.fullVoteMs ?? 600, (mood?.faceTimeoutMs ?? 1500) / 2);
    return new ReadPacer({ ...pace, steadyMs });
  }

  /** When the whole frame is scanned: every `fullScanEveryMs`, or as the scene moves (`scanPace`). */
  #newScanPacer(): ScanPacer {
    const pace = this.#options.scanPace;
    const everyMs = this.#fullScanEveryMs;
    return new ScanPacer(pace === undefined || pace === false ? { stillMs: everyMs, movingMs: everyMs } : pace);
  }

  /** Every face is read afresh: the mood tracker that held their readings is new. */
  #forgetReads(): void {
    this.#pacer = this.#newPacer();
    this.#contested = false;
    this.#lastReads.clear();
  }

  #setCamera(state: VisionEvents['cameraChanged']['state'], reason?: string): void {
    if (this.#camera?.state === state && this.#camera.reason === reason) return;
    const event = reason === undefined ? { state, at: this.#clock.now() } : { state, reason, at: this.#clock.now() };
    this.#camera = event;
    if (state === 'on') this.#log?.info({ source: this.#source.description }, 'camera on');
    this.events.emit('cameraChanged', event);
  }
}

/** Without `scanPace`, no thumbnail is made: the scans keep to `fullScanEveryMs` alone. */
const NO_THUMBNAIL: Thumbnail = { cells: new Uint8Array(0), cols: 0, rows: 0 };

function toArray(box: Box): [number, number, number, number] {
  return [box.x, box.y, box.width, box.height];
}

export { NOBODY };
