import type { Clock } from '../../kernel/clock.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { CalibrationRepository, StoredCalibration } from '../store/store.js';
import { resultFromLogits, type EmotionResult } from '../../vision/emotion-classifier.js';
import { fitPersonalHead, personalLogits, type CalibrationSample, type PersonalHead } from '../../vision/personal-calibration.js';
import type { VisionEvents } from '../../vision/vision-events.js';
import { CALIBRATION_REFUSALS } from './calibration-refusals.js';

/** A face reading older than this is not recorded (ms): the person may have left. */
export const FRESH_FACE_MS = 1500;
/** The expressions a guided session may ask for. */
export const CALIBRATION_EXPRESSIONS = ['neutral', 'happy', 'sad', 'surprise', 'angry'] as const;

/** The emotion model in use, as the head needs it. */
export interface CalibrationModel {
  readonly labels: readonly string[];
  readonly sha256: string;
  readonly temperature: number;
}

/** What a person's screen shows of their calibration (numbers and words, no samples). */
export interface CalibrationView {
  readonly recording: { readonly samples: Readonly<Record<string, number>>; readonly startedAt: number } | null;
  readonly stored: {
    readonly used: boolean;
    readonly reason: string;
    readonly kind: PersonalHead['kind'];
    readonly validation: PersonalHead['validation'];
    readonly samples: Readonly<Record<string, number>>;
    /** False when the emotion model changed since: the head is not applied then. */
    readonly currentModel: boolean;
    readonly updatedAt: number;
  } | null;
}

export interface PersonalCalibrationDeps {
  store: CalibrationRepository;
  clock: Clock;
  /** The emotion model in use; undefined while the camera is off. */
  model: () => CalibrationModel | undefined;
  /** Who is signed in at the kiosk. */
  signedIn: () => { id: number } | null;
  /** The kiosk's sign-outs (the app's bus): a person's recording and cached calibration go when they leave. */
  bus: {
    on(event: 'personSignedOut', listener: (payload: { readonly user: { readonly id: number } }) => void, owner: object): () => void;
  };
}

/**
 * Records a signed-in person's faces for their calibration (the target face of each analysed
 * frame: logits and embedding, never pixels), fits and stores their head, and reads their face
 * through it while they are signed in. Sessions live in memory until `finish`, or until they sign out.
 */
export class PersonalCalibrationService implements Service {
  readonly name = 'calibration';
  readonly #deps: PersonalCalibrationDeps;
  #latest: { at: number; logits: Float32Array; embedding: Float32Array | undefined } | undefined;
  readonly #sessions = new Map<number, { startedAt: number; samples: CalibrationSample[] }>();
  /** Stored calibrations read by `personalize`, by person; dropped on save, delete and sign-out. */
  readonly #cache = new Map<number, StoredCalibration | null>();

  readonly #vision: { events: EventBus<VisionEvents> };

  constructor(deps: PersonalCalibrationDeps, vision: { events: EventBus<VisionEvents> }) {
    this.#deps = deps;
    this.#vision = vision;
  }

  /** Follows the camera's target face and the kiosk's sign-outs. */
  async start(): Promise<void> {
    const deps = this.#deps;
    this.#vision.events.on(
      'facesDetected',
      ({ faces }) => {
        const target = faces.find((f) => f.isTarget);
        this.#latest =
          target?.logits === undefined
            ? undefined
            : // A steady face is read at a lower pace and shows its last reading meanwhile: its age is the reading's.
              { at: this.#deps.clock.now() - (target.readAgeMs ?? 0), logits: target.logits, embedding: target.embedding };
      },
      this,
    );
    // Signed out (by the button, a card, the idle timeout, or their account deleted or disabled):
    // nothing of theirs stays in memory, and a later person with the same id cannot be read through it.
    deps.bus.on(
      'personSignedOut',
      ({ user }) => {
        this.#sessions.delete(user.id);
        this.#cache.delete(user.id);
      },
      this,
    );
  }

  /** Forgets every recording and calibration kept in memory; the lifecycle ends the subscriptions. */
  async stop(): Promise<void> {
    this.#sessions.clear();
    this.#cache.clear();
    this.#latest = undefined;
  }

  /** Begins (or begins again: "redo") a recording for the person; what is stored stays until `finish`. */
  begin(userId: number): CalibrationView {
    this.#model();
    this.#sessions.set(userId, { startedAt: this.#deps.clock.now(), samples: [] });
    return this.view(userId);
  }

  /** Records the current target face as `expression`; 409 when no face is in view. */
  record(userId: number, expression: string): CalibrationView {
    const session = this.#sessions.get(userId);
    if (session === undefined) throw CALIBRATION_REFUSALS.notRecording();
    if (!(CALIBRATION_EXPRESSIONS as readonly string[]).includes(expression)) {
      throw CALIBRATION_REFUSALS.badExpression(CALIBRATION_EXPRESSIONS, expression);
    }
    const face = this.#latest;
    if (face === undefined || this.#deps.clock.now() - face.at > FRESH_FACE_MS) {
      throw CALIBRATION_REFUSALS.noFace();
    }
    session.samples.push({
      expression,
      logits: Array.from(face.logits),
      ...(face.embedding === undefined ? {} : { embedding: Array.from(face.embedding) }),
    });
    return this.view(userId);
  }

  /** Fits the head on the recording, stores both, and ends the recording. */
  finish(userId: number): CalibrationView {
    const session = this.#sessions.get(userId);
    if (session === undefined) throw CALIBRATION_REFUSALS.notRecording();
    const model = this.#model();
    const head = fitPersonalHead(model.labels, session.samples);
    this.#deps.store.save({ userId, modelSha256: model.sha256, samples: session.samples, head }, this.#deps.clock.now());
    this.#sessions.delete(userId);
    this.#cache.delete(userId);
    return this.view(userId);
  }

  /** Drops a recording in progress without touching what is stored. */
  cancel(userId: number): CalibrationView {
    this.#sessions.delete(userId);
    return this.view(userId);
  }

  /** Deletes the person's stored calibration and any recording; false when there was none stored. */
  remove(userId: number): boolean {
    this.#sessions.delete(userId);
    this.#cache.delete(userId);
    return this.#deps.store.remove(userId);
  }

  view(userId: number): CalibrationView {
    const session = this.#sessions.get(userId);
    const stored = this.#deps.store.get(userId);
    const counts: Record<string, number> = {};
    for (const s of session?.samples ?? []) counts[s.expression] = (counts[s.expression] ?? 0) + 1;
    return {
      recording: session === undefined ? null : { samples: counts, startedAt: session.startedAt },
      stored:
        stored === undefined
          ? null
          : {
              used: stored.head.used,
              reason: stored.head.reason,
              kind: stored.head.kind,
              validation: stored.head.validation,
              samples: stored.head.samples,
              currentModel: stored.modelSha256 === this.#deps.model()?.sha256,
              updatedAt: stored.updatedAt,
            },
    };
  }

  /**
   * The signed-in person's reading of their face, or undefined for the generic one (nobody signed
   * in, no calibration, not used, another model, no logits).
   */
  personalize(result: EmotionResult): EmotionResult | undefined {
    const user = this.#deps.signedIn();
    const model = this.#deps.model();
    if (user === null || model === undefined || result.logits === undefined) return undefined;
    let stored = this.#cache.get(user.id);
    if (stored === undefined) {
      stored = this.#deps.store.get(user.id) ?? null;
      this.#cache.set(user.id, stored);
    }
    if (stored === null || !stored.head.used || stored.modelSha256 !== model.sha256) return undefined;
    const logits = personalLogits(stored.head, result.logits, result.embedding);
    return {
      ...resultFromLogits(model.labels, logits, 0, undefined, model.temperature),
      logits: result.logits,
      ...(result.embedding ? { embedding: result.embedding } : {}),
    };
  }

  #model(): CalibrationModel {
    const model = this.#deps.model();
    if (model === undefined) throw CALIBRATION_REFUSALS.cameraOff();
    return model;
  }
}
