import type { RoomMoodLabel } from '../kernel/room-mood.js';

/** What the vision loop (`VisionPipeline`) tells its listeners and the admin panel. */

/** One face in an analysed frame. */
export interface FaceView {
  /** Track id: the same person keeps it while they stay in view. */
  readonly trackId: number;
  /** `[x, y, width, height]` in pixels of the frame. */
  readonly box: readonly [number, number, number, number];
  /** The most probable emotion in this frame (not smoothed). */
  readonly emotion: string;
  /** Its probability, 0–1. */
  readonly confidence: number;
  /** Probability per label, 0–1. */
  readonly probabilities: Readonly<Record<string, number>>;
  /** The model's raw scores and embedding (numbers, for the personal calibration); absent with models that do not give them. */
  readonly logits?: Float32Array;
  readonly embedding?: Float32Array;
  /** The face the signed-in person's calibration applies to: the largest, most centred one. */
  readonly isTarget?: boolean;
  /** Whether `emotion` and `probabilities` came from that person's own head. */
  readonly personal?: boolean;
  /** The face's emotion as it votes on the room mood (smoothed over its track); null while it has no sure reading. */
  readonly steadyEmotion?: string | null;
  /** Its vote weight by its size and light (0–1): how well the model reads a face that large and that well lit. */
  readonly voteWeight?: number;
  /** The face's light as measured on its crop (`light-measure.ts`), or on its square as framed when that is smaller than the crop (`vote-weight.ts`), and what it earns (0–1). */
  readonly light?: { readonly clarity: number; readonly brightness: number; readonly noise: number; readonly weight: number };
  /**
   * How old the reading shown is (ms): 0 when the face was read in this frame; a steady face is
   * read again at a lower pace (`read-pace.ts`) and shows its last reading meanwhile.
   */
  readonly readAgeMs?: number;
}

/** What the pipeline emits. */
// A type alias, not an interface: EventBus needs an index-signature-compatible map.
export type VisionEvents = {
  /** The camera turned on, became unavailable (with a reason, while it retries), or was turned off. */
  cameraChanged: { readonly state: 'on' | 'unavailable' | 'off'; readonly reason?: string; readonly at: number };
  /** One analysed frame: its faces (possibly none) and the room mood after it. */
  facesDetected: {
    readonly frame: number;
    readonly at: number;
    readonly width: number;
    readonly height: number;
    readonly faces: readonly FaceView[];
    readonly mood: RoomMoodLabel;
    /** Most faces in view are too dark or grainy to read: the room mood holds as it was. */
    readonly tooDark?: boolean;
    /** Time spent on the frame: detection, classification, all (ms). */
    readonly timing: { readonly detectMs: number; readonly classifyMs: number; readonly totalMs: number };
  };
  /** The room mood changed (after smoothing, hysteresis and dwell); `nobody` when the room emptied. */
  moodChanged: {
    readonly mood: RoomMoodLabel;
    readonly previous: RoomMoodLabel;
    readonly at: number;
    readonly scores: Readonly<Record<string, number>>;
  };
  /** A blurred, downscaled JPEG of the camera for the admin live view (only when `preview` is on). */
  previewCaptured: { readonly at: number; readonly jpeg: Buffer; readonly width: number; readonly height: number };
};

/** Counters for the admin panel and the benchmark. */
export interface VisionStats {
  readonly framesRead: number;
  readonly framesAnalysed: number;
  /** Frames dropped because analysis was busy or not yet due. */
  readonly framesSkipped: number;
  /** Duration of the last analysis (ms). */
  readonly lastAnalysisMs: number;
  /** Faces of confirmed tracks over the analysed frames, and how many of them were read (classified) then. */
  readonly facesSeen: number;
  readonly facesRead: number;
}
