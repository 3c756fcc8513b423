/**
 * The room mood: what the camera concluded about the people in view, shared by the vision
 * pipeline that makes it, the music that follows it and the screens that show it.
 */

/** The expressions the emotion model reads (FER+ labels), in the model's output order. */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral', 'contempt'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** The room mood when no face has been seen for a while. */
export const NOBODY = 'nobody';

/** An expression, or `nobody` when the room is empty. */
export type RoomMoodLabel = Emotion | typeof NOBODY;

/** Per-emotion scores, each 0–1 (a mean of smoothed face readings; they sum to about 1 when anyone is in view). */
export type EmotionScores = Readonly<Partial<Record<Emotion, number>>>;

export interface RoomMood {
  readonly label: RoomMoodLabel;
  /** The size-weighted mean of the smoothed face readings; empty when nobody is in view. */
  readonly scores: EmotionScores;
  /** Faces counting towards `scores`. */
  readonly faces: number;
  /** 0–1: the score of `label` (0 for `nobody`). */
  readonly confidence: number;
  /** When the room took this mood (ms since the epoch). */
  readonly since: number;
}

export function isEmotion(value: unknown): value is Emotion {
  return typeof value === 'string' && (EMOTIONS as readonly string[]).includes(value);
}

/** The known emotions of a label→score record (a model may carry labels the music has no use for). */
export function emotionScores(scores: Readonly<Record<string, number>>): EmotionScores {
  const out: Partial<Record<Emotion, number>> = {};
  for (const emotion of EMOTIONS) {
    const score = scores[emotion];
    if (score !== undefined && Number.isFinite(score)) out[emotion] = score;
  }
  return out;
}

/** A room mood from the label alone (a test, the CLI, a room read before the scores were kept). */
export function roomMoodOf(label: RoomMoodLabel, since = 0, faces = label === NOBODY ? 0 : 1): RoomMood {
  return label === NOBODY
    ? { label, scores: {}, faces: 0, confidence: 0, since }
    : { label, scores: { [label]: 1 }, faces, confidence: 1, since };
}
