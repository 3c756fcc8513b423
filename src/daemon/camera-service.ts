import type { MoodState } from './http/contract.js';
import type { StateHub } from './http/state-hub.js';
import type { Clock, Timer } from './kernel/clock.js';
import type { Service, ServiceHealth } from './kernel/lifecycle.js';
import type { StatsRepository } from './store/store.js';
import type { VisionEvents } from '../vision/vision-pipeline.js';
import type { EventBus } from './kernel/event-bus.js';

/** How often the camera's on/off rules (admin switch, camera hours) are checked (ms). */
const RULES_CHECK_MS = 15_000;
const NOBODY = 'nobody';
/** The analysis rate is counted over this window (ms). */
const RATE_WINDOW_MS = 5000;

/** The vision loop as the camera service drives it (`VisionPipeline` fits). */
export interface VisionLoop extends Service {
  readonly events: EventBus<VisionEvents>;
}

export interface CameraServiceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CameraServiceDeps {
  /** Loads the model and the cascade (once, at start). */
  prepare: (signal: AbortSignal) => Promise<void>;
  /** Releases what `prepare` loaded. */
  release: () => Promise<void>;
  /** Which emotion model runs and why (e.g. the float one after the int8 check), for the health line. */
  model?: () => string | undefined;
  vision: VisionLoop;
  clock: Clock;
  log: CameraServiceLog;
  hub: StateHub;
  stats: Pick<StatsRepository, 'logMood'>;
  /** Why the camera must be off now (the admin turned it off, outside camera hours), or null. */
  offReason: () => string | null;
  /** Told each time the room mood changes (an emotion label or `nobody`). */
  onRoomMood: (mood: string) => void;
}

/**
 * Runs the vision loop while the admin's rules allow the camera, and turns what it sees into the
 * room mood the kiosk shows, the mood log the dashboard charts, and the music's cue. Frames never
 * leave the vision loop: only labels, counts and scores come out of here.
 */
export class CameraService implements Service {
  readonly name = 'camera';
  readonly #deps: CameraServiceDeps;
  #isRunning = false;
  #off: string | null = null;
  #timer: Timer | undefined;
  #unsubscribe: Array<() => void> = [];
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
    this.#unsubscribe = [
      events.on('cameraChanged', ({ state, reason }) => {
        if (state === 'unavailable') deps.log.warn({ reason }, 'camera unavailable; retrying');
        else deps.log.info({ state }, 'camera');
        deps.hub.update('camera', {
          status: state,
          detail: state === 'off' ? (this.#off ?? 'stopped') : state === 'unavailable' ? (reason ?? 'no frames') : null,
        });
      }),
      events.on('facesDetected', ({ faces }) => {
        const now = deps.clock.monotonic();
        this.#analysed.push(now);
        while ((this.#analysed[0] ?? now) < now - RATE_WINDOW_MS) this.#analysed.shift();
        const mood = deps.hub.snapshot().data.mood;
        if (mood.faces === faces.length) return;
        deps.hub.update('mood', { ...mood, faces: faces.length, why: why(mood.current, faces.length) });
      }),
      events.on('moodChanged', ({ mood, at, scores }) => {
        const faces = deps.hub.snapshot().data.mood.faces;
        const confidence = mood === NOBODY ? 0 : Math.round((scores[mood] ?? 0) * 100) / 100;
        const state: MoodState = { current: mood, confidence, since: at, why: why(mood, faces), faces };
        deps.hub.update('mood', state);
        try {
          deps.stats.logMood({ at, mood, confidence, faces });
        } catch (err) {
          // A full disk must not stop the music; the mood log catches up with the next change.
          deps.log.error({ err }, 'cannot record the mood change');
        }
        deps.onRoomMood(mood);
      }),
    ];
    await this.#applyRules();
    this.#timer = deps.clock.setInterval(() => {
      void this.#applyRules().catch((err: unknown) => deps.log.error({ err }, 'cannot switch the camera'));
    }, RULES_CHECK_MS);
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    await this.#switching;
    if (this.#isRunning) await this.#deps.vision.stop();
    this.#isRunning = false;
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    await this.#deps.release();
  }

  health(): ServiceHealth {
    const model = this.#deps.model?.();
    const withModel = (h: ServiceHealth): ServiceHealth =>
      model === undefined ? h : { ...h, detail: `${h.detail ?? 'camera on'}; ${model}` };
    if (this.#off !== null) return withModel({ status: 'ready', detail: `camera off: ${this.#off}` });
    const vision = this.#deps.vision.health?.() ?? { status: 'ready' };
    const fps = this.analysisFps;
    return withModel(fps === 0 ? vision : { ...vision, detail: `${vision.detail ?? 'camera on'}; ${fps.toFixed(1)} frames/s analysed` });
  }

  /** Frames analysed per second over the last few seconds. */
  get analysisFps(): number {
    const now = this.#deps.clock.monotonic();
    const recent = this.#analysed.filter((t) => t >= now - RATE_WINDOW_MS);
    return recent.length / (RATE_WINDOW_MS / 1000);
  }

  /** Applies the admin's rules now (after a settings change); the service also checks them on its own. */
  applyRules(): Promise<void> {
    return this.#applyRules();
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
        this.#deps.hub.update('camera', { status: 'off', detail: off });
      } else if (off !== null) {
        this.#deps.hub.update('camera', { status: 'off', detail: off });
      } else if (!this.#isRunning) {
        this.#deps.hub.update('camera', { status: 'starting', detail: null });
        this.#isRunning = true;
        await this.#deps.vision.start(signal);
      }
    });
    return this.#switching;
  }
}

/** The kiosk's short line on why Moodbox reads the room as it does. */
export function why(mood: string | null, faces: number): string | null {
  if (mood === null) return faces === 0 ? null : `${plural(faces, 'face')} in view`;
  if (mood === NOBODY) return faces === 0 ? 'Nobody in view for a while' : `${plural(faces, 'face')} in view`;
  const look = LOOKS[mood] ?? mood;
  if (faces === 0) return `The room looked ${look}`;
  if (faces === 1) return `1 face, looking ${look}`;
  return `${faces} faces, mostly looking ${look}`;
}

const LOOKS: Readonly<Record<string, string>> = {
  happy: 'happy',
  sad: 'sad',
  angry: 'tense',
  surprise: 'surprised',
  fear: 'worried',
  disgust: 'displeased',
  neutral: 'relaxed',
  contempt: 'unimpressed',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
