import type { CameraStatus, MoodboxBus } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import { emotionScores, NOBODY, type RoomMood, type RoomMoodLabel } from '../../kernel/room-mood.js';
import { describeFaceSizes, type FaceSizeSummary } from '../../vision/face-sizes.js';
import type { VisionEvents } from '../../vision/vision-events.js';
import type { EventBus } from '../../kernel/event-bus.js';
import { describeLight, LightLog, lightView, type LightSummary, type LightView } from './light-log.js';

/** How often the camera's on/off rules (admin switch, camera hours) are checked (ms). */
const RULES_CHECK_MS = 15_000;
/** The analysis rate is counted over this window (ms). */
const RATE_WINDOW_MS = 5000;

/** The vision loop as the camera service drives it (`VisionPipeline` fits). */
export interface VisionLoop extends Service {
  readonly events: EventBus<VisionEvents>;
  /** How large the faces appeared over the last minutes; undefined when none was seen (or the loop does not keep them). */
  readonly faceSizes?: FaceSizeSummary | undefined;
}

/** How large faces appeared over the last minutes, and what to change when they are small. */
export interface FaceSizesView {
  faces: number;
  smallestPx: number;
  medianPx: number;
  largestPx: number;
  frameWidth: number;
  frameHeight: number;
  minutes: number;
  /** What to change (the camera's place, 720p, the zoom), or null when faces appear large enough. */
  advice: string | null;
}

/** The newest blurred, downscaled camera picture for the admin live view. */
export interface CameraPreview {
  readonly jpeg: Buffer;
  /** Epoch ms. */
  readonly at: number;
  readonly width: number;
  readonly height: number;
}

/** The faces of the newest analysed frame: labels, boxes and numbers, never pixels. */
export interface LiveFaces {
  /** Epoch ms. */
  at: number;
  width: number;
  height: number;
  /** The room mood after this frame. */
  mood: string;
  faces: Array<{ trackId: number; box: number[]; emotion: string; confidence: number; probabilities: Record<string, number> }>;
  /** ms. */
  timing: { detectMs: number; classifyMs: number; totalMs: number };
  /** How large faces appeared over the last minutes; absent when no face was seen in them. */
  sizes?: FaceSizesView;
  /** The room's light over the last hour, as the faces in view showed it. */
  light?: LightView;
}

export interface CameraServiceDeps {
  /** Loads the model and the detector (once, at start). */
  prepare: (signal: AbortSignal) => Promise<void>;
  /** Releases what `prepare` loaded. */
  release: () => Promise<void>;
  /** Which emotion model runs and why (e.g. the float one after the int8 check), for the health line. */
  model?: () => string | undefined;
  vision: VisionLoop;
  clock: Clock;
  log: Log;
  bus: MoodboxBus;
  /** Why the camera must be off now (the admin turned it off, outside camera hours), or null. */
  offReason: () => string | null;
}

/** The owner of the camera's subscription to the loop's state, kept until the loop has stopped. */
const CAMERA_LOOP = "CameraService (the loop's state)";

/**
 * Runs the vision loop while the admin's rules allow the camera, and owns what it concludes: the
 * camera's state, the faces in view, whether the face in front is read through the signed-in
 * person's calibration and the room mood (announced on the bus as `cameraStateChanged`,
 * `facesInViewChanged`, `personalReadingChanged` and `roomMoodChanged`; `MoodRecorder` writes the
 * mood log from the last), and the newest preview and faces for the admin's live view. Frames never leave the
 * vision loop: only labels, counts and scores come out of here.
 */
export class CameraService implements Service {
  readonly name = 'camera';
  readonly #deps: CameraServiceDeps;
  #isRunning = false;
  #off: string | null = null;
  #status: CameraStatus = 'off';
  /** Why the camera is off, as last announced. */
  #offDetail: string | null = null;
  #room: RoomMood | null = null;
  #facesInView = 0;
  #isPersonal = false;
  /** The faces by emotion as last announced (JSON, keys in a fixed order). */
  #byEmotion = '{}';
  #preview: CameraPreview | undefined;
  #liveFaces: LiveFaces | undefined;
  readonly #light = new LightLog();
  #tooDark = false;
  #timer: Timer | undefined;
  #signal: AbortSignal | undefined;
  #switching: Promise<void> = Promise.resolve();
  /** When the last analysed frames came (monotonic ms), for the analysis rate in the health line. */
  #analysed: number[] = [];

  constructor(deps: CameraServiceDeps) {
    this.#deps = deps;
  }

  async start(signal: AbortSignal): Promise<void> {
    const deps = this.#deps;
    await deps.prepare(signal);
    this.#signal = signal;
    const events = deps.vision.events;
    events.on(
      'cameraChanged',
      ({ state, reason }) => {
        if (state === 'unavailable') deps.log.warn({ reason }, 'camera unavailable; retrying');
        else deps.log.info({ state }, 'camera');
        if (state !== 'on') {
          this.#preview = undefined;
          this.#liveFaces = undefined;
          this.#setPersonal(false);
        }
        this.#setStatus(state, state === 'off' ? (this.#off ?? 'stopped') : state === 'unavailable' ? (reason ?? 'no frames') : null);
      },
      // Heard until the loop has stopped (`stop`): its last word, off, is the camera's state at the end.
      CAMERA_LOOP,
    );
    events.on(
      'facesDetected',
      (frame) => {
        // A frame analysed after the camera stopped seeing (the one in flight when it was lost) says nothing of the room now.
        if (this.#status !== 'on') return;
        const now = deps.clock.monotonic();
        this.#analysed.push(now);
        while ((this.#analysed[0] ?? now) < now - RATE_WINDOW_MS) this.#analysed.shift();
        this.#liveFaces = liveFaces(frame, deps.vision.faceSizes);
        const { detectMs, classifyMs, totalMs } = frame.timing;
        deps.bus.emit('frameAnalysed', { faces: frame.faces.length, detectMs, classifyMs, totalMs });
        this.#setPersonal(frame.faces.some((f) => f.isTarget && f.personal === true));
        this.#announceReadings(frame.faces);
        this.#noteLight(frame, now);
        // The room's reading starts at nobody and says only its changes: a room empty from the
        // camera's start on is said once, so the screens show nobody (the attract screen), not "not known".
        if (this.#room === null && frame.mood === NOBODY && frame.faces.length === 0) this.#announceRoom(NOBODY, frame.at, {});
        if (this.#facesInView === frame.faces.length) return;
        this.#facesInView = frame.faces.length;
        deps.bus.emit('facesInViewChanged', { faces: this.#facesInView });
      },
      this,
    );
    events.on(
      'previewCaptured',
      ({ jpeg, at, width, height }) => {
        this.#preview = { jpeg, at, width, height };
      },
      this,
    );
    events.on(
      'moodChanged',
      ({ mood: label, at, scores }) => {
        if (this.#status !== 'on') return;
        this.#announceRoom(label, at, scores);
      },
      this,
    );
    deps.bus.on(
      'settingsChanged',
      ({ changed }) => {
        if (changed.some((path) => path.startsWith('camera.'))) {
          void this.#applyRules().catch((err: unknown) => deps.log.error({ err }, 'cannot switch the camera'));
        }
      },
      this,
    );
    await this.#applyRules();
    this.#timer = deps.clock.setInterval(() => {
      void this.#applyRules().catch((err: unknown) => deps.log.error({ err }, 'cannot switch the camera'));
    }, RULES_CHECK_MS);
  }

  /** Stops the vision loop and lets the model go; the lifecycle has ended the other subscriptions already. */
  async stop(): Promise<void> {
    this.#timer?.cancel();
    await this.#switching;
    if (this.#isRunning) await this.#deps.vision.stop();
    this.#isRunning = false;
    // After the vision loop stopped: its last `cameraChanged` (off) is heard.
    this.#deps.vision.events.removeListeners(CAMERA_LOOP);
    await this.#deps.release();
  }

  health(): ServiceHealth {
    const model = this.#deps.model?.();
    const withModel = (h: ServiceHealth): ServiceHealth =>
      model === undefined ? h : { ...h, detail: `${h.detail ?? 'camera on'}; ${model}` };
    if (this.#off !== null) return withModel({ status: 'ready', detail: `camera off: ${this.#off}` });
    const vision = this.#deps.vision.health?.() ?? { status: 'ready' };
    const fps = this.analysisFps;
    // The room mood as the screens show it (this service's, from the same change), never the vision loop's own copy.
    const room = this.#room === null || this.#status !== 'on' ? '' : `; room mood ${this.#room.label}`;
    const rate = fps === 0 ? '' : `; ${fps.toFixed(1)} frames/s analysed`;
    const lit = describeLight(this.#light.summary(this.#deps.clock.monotonic()), this.#tooDark);
    const light = lit === undefined ? '' : `; ${lit}`;
    return withModel(
      room === '' && rate === '' && light === '' ? vision : { ...vision, detail: `${vision.detail ?? 'camera on'}${room}${rate}${light}` },
    );
  }

  /** The camera now: on, off by the rules, starting, or unavailable and being retried. */
  get status(): CameraStatus {
    return this.#status;
  }

  /** The room mood, or null while the camera is not seeing (off, starting, lost) and until a fresh settled reading after it. */
  get room(): RoomMood | null {
    return this.#room;
  }

  /** Faces in the newest analysed frame; 0 while the camera is not on. */
  get facesInView(): number {
    return this.#facesInView;
  }

  /** The newest preview; undefined while previews are off, the camera is not on, or none was taken yet. */
  preview(): CameraPreview | undefined {
    return this.#preview;
  }

  /** The faces of the newest analysed frame; undefined while the camera is not on or nothing was analysed yet. */
  liveFaces(): LiveFaces | undefined {
    const faces = this.#liveFaces;
    return faces === undefined ? undefined : { ...faces, light: lightView(this.lightSummary(), this.#tooDark) };
  }

  /** Frames analysed per second over the last few seconds. */
  get analysisFps(): number {
    const now = this.#deps.clock.monotonic();
    const recent = this.#analysed.filter((t) => t >= now - RATE_WINDOW_MS);
    return recent.length / (RATE_WINDOW_MS / 1000);
  }

  /** The room's light over the last hour, as the faces in view showed it. */
  lightSummary(): LightSummary {
    return this.#light.summary(this.#deps.clock.monotonic());
  }

  /** Whether most faces in view are too dark to read now (the room mood holds meanwhile). */
  get tooDark(): boolean {
    return this.#tooDark;
  }

  #noteLight(frame: VisionEvents['facesDetected'], now: number): void {
    const tooDark = frame.tooDark === true;
    if (frame.faces.length > 0) {
      const clarities = frame.faces.flatMap((f) => (f.light === undefined ? [] : [f.light.clarity]));
      this.#light.record(now, { tooDark, clarities });
    }
    this.#setTooDark(tooDark);
  }

  #setTooDark(tooDark: boolean): void {
    if (this.#tooDark === tooDark) return;
    this.#tooDark = tooDark;
    if (tooDark) this.#deps.log.info({ faces: this.#facesInView }, 'faces too dark to read expressions; the room mood holds');
    else this.#deps.log.info({ faces: this.#facesInView }, 'faces readable again');
    this.#deps.bus.emit('roomLightChanged', { tooDark });
  }

  #setPersonal(isPersonal: boolean): void {
    if (this.#isPersonal === isPersonal) return;
    this.#isPersonal = isPersonal;
    this.#deps.bus.emit('personalReadingChanged', { isPersonal });
  }

  #announceReadings(faces: VisionEvents['facesDetected']['faces']): void {
    const byEmotion = facesByEmotion(faces);
    const key = JSON.stringify(byEmotion);
    if (key === this.#byEmotion) return;
    this.#byEmotion = key;
    this.#deps.bus.emit('facesReadChanged', { byEmotion });
  }

  #setStatus(status: CameraStatus, detail: string | null): void {
    // The camera decides whether anything is known of the room: off, starting or lost, nothing is.
    // Forgotten before the status is told, so nobody hearing it reads the room from before.
    if (status !== 'on') this.#forgetRoom();
    this.#status = status;
    this.#offDetail = status === 'off' ? detail : null;
    this.#deps.bus.emit('cameraStateChanged', { status, detail });
  }

  /** Says the room's mood `label` from `at`, with the readings' `scores`. */
  #announceRoom(label: RoomMoodLabel, at: number, scores: Readonly<Record<string, number>>): void {
    const emotions = emotionScores(scores);
    const confidence = label === NOBODY ? 0 : (emotions[label] ?? 0);
    const room: RoomMood = { label, scores: emotions, faces: this.#facesInView, confidence, since: at };
    const previous = this.#room?.label ?? null;
    this.#room = room;
    this.#deps.bus.emit('roomMoodChanged', { mood: room, previous });
  }

  /** No faces and no room mood: the next mood is a fresh settled reading, never the one from before. */
  #forgetRoom(): void {
    // The screens drop the faces' emotions with the count of 0 below: the first frame after it says them again.
    this.#byEmotion = '{}';
    this.#setTooDark(false);
    if (this.#facesInView !== 0) {
      this.#facesInView = 0;
      this.#deps.bus.emit('facesInViewChanged', { faces: 0 });
    }
    if (this.#room !== null) {
      const previous = this.#room.label;
      this.#room = null;
      this.#deps.bus.emit('roomMoodChanged', { mood: null, previous });
    }
  }

  #applyRules(): Promise<void> {
    this.#switching = this.#switching.then(async () => {
      const signal = this.#signal;
      if (signal === undefined || signal.aborted) return;
      const off = this.#deps.offReason();
      this.#off = off;
      if (off !== null && this.#isRunning) {
        this.#deps.log.info({ why: off }, 'camera turned off');
        this.#isRunning = false;
        await this.#deps.vision.stop();
        // The vision loop's own "off" has usually said it already, with this reason.
        if (this.#status !== 'off' || this.#offDetail !== off) this.#setStatus('off', off);
      } else if (off !== null) {
        // Said once, and again only when the reason changes: the rules are looked at every 15 s.
        if (this.#status !== 'off' || this.#offDetail !== off) this.#setStatus('off', off);
      } else if (!this.#isRunning) {
        this.#setStatus('starting', null);
        this.#isRunning = true;
        await this.#deps.vision.start(signal);
      }
    });
    return this.#switching;
  }
}

/**
 * The faces counted by the emotion each shows as it votes on the room mood (its steady emotion;
 * the frame's reading for a face that does not say; `unsure` for one not yet read surely): most
 * first, ties by name, so the same room gives the same object.
 */
export function facesByEmotion(faces: VisionEvents['facesDetected']['faces']): Record<string, number> {
  const counts = new Map<string, number>();
  for (const face of faces) {
    const emotion = face.steadyEmotion === undefined ? face.emotion : (face.steadyEmotion ?? 'unsure');
    counts.set(emotion, (counts.get(emotion) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)));
}

function liveFaces(frame: VisionEvents['facesDetected'], sizes: FaceSizeSummary | undefined): LiveFaces {
  return {
    ...(sizes === undefined ? {} : { sizes: sizesView(sizes) }),
    at: frame.at,
    width: frame.width,
    height: frame.height,
    mood: frame.mood,
    faces: frame.faces.map((f) => ({
      trackId: f.trackId,
      box: [...f.box],
      emotion: f.emotion,
      confidence: f.confidence,
      probabilities: { ...f.probabilities },
    })),
    timing: { detectMs: frame.timing.detectMs, classifyMs: frame.timing.classifyMs, totalMs: frame.timing.totalMs },
  };
}

function sizesView(s: FaceSizeSummary): FaceSizesView {
  const { smallestPx, medianPx, largestPx, faces, frameWidth, frameHeight } = s;
  const minutes = Math.max(1, Math.round(s.overMs / 60_000));
  return { faces, smallestPx, medianPx, largestPx, frameWidth, frameHeight, minutes, advice: describeFaceSizes(s).advice ?? null };
}
