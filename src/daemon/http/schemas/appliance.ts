import { Type, type Static } from 'typebox';

/** Cover files are named by the sha256 of their bytes; nothing else (no `/`, no `..`) matches. */
export const COVER_FILE_PATTERN = '^[0-9a-f]{64}\\.(jpg|png|webp|gif)$';

export const CoverParams = Type.Object({
  file: Type.String({ pattern: COVER_FILE_PATTERN, description: '`<sha256>.<jpg|png|webp|gif>`, as in a track view’s `coverUrl`.' }),
});

/** The plots the model's training writes to `models/report/`. */
export const REPORT_IMAGES = {
  'curves.png': 'PublicTest accuracy and training loss per epoch',
  'confusion.png': 'Confusion matrix on PublicTest',
  'calibration.png': 'Reliability: how often the model is right at each confidence, before and after calibration',
} as const;
export type ReportImage = keyof typeof REPORT_IMAGES;

export const ReportFileParams = Type.Object({
  file: Type.Enum(Object.keys(REPORT_IMAGES) as ReportImage[], { description: 'One of the report plots.' }),
});

export const ScanStartedSchema = Type.Object({
  scanning: Type.Boolean({ description: 'Always true: progress and the result follow in the `library` state area.' }),
  joined: Type.Boolean({ description: 'True when a scan was already running and this request joined it.' }),
});

export const ModelFigureSchema = Type.Object({
  file: Type.String({ description: 'The model file measured.' }),
  precision: Type.Enum(['int8', 'float']),
  isInUse: Type.Boolean({ description: 'True for the model the daemon loads.' }),
  usage: Type.String({ description: 'The FER-2013 split measured, e.g. `PublicTest`.' }),
  flipTta: Type.Boolean({ description: 'Whether each face was averaged with its mirror image.' }),
  n: Type.Integer({ description: 'Images measured.' }),
  accuracy: Type.Number({ minimum: 0, maximum: 1, description: 'Share of images whose FER-2013 label the model predicted.' }),
  macroRecall: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  ferPlusMajority: Type.Union([
    Type.Object({
      n: Type.Integer(),
      accuracy: Type.Number({ minimum: 0, maximum: 1, description: 'Share of images where the model agrees with the FER+ majority vote.' }),
    }),
    Type.Null(),
  ]),
  imagesPerSecond: Type.Union([Type.Number(), Type.Null()]),
});

export const ModelReportSchema = Type.Object({
  file: Type.String({ description: 'The model file in use (its key in models/manifest.json).' }),
  sha256: Type.String(),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  labels: Type.Array(Type.String(), { description: 'The emotion of each model output, in order.' }),
  flipTta: Type.Boolean({ description: 'Whether the daemon averages each face with its mirror image.' }),
  provenance: Type.String(),
  licence: Type.String(),
  sourceEpoch: Type.Union([Type.Integer(), Type.Null()], { description: 'The training epoch the weights come from.' }),
  quantization: Type.Union([Type.String(), Type.Null()], { description: 'How the weights were quantized; null for a float model.' }),
  figures: Type.Array(ModelFigureSchema, { description: 'Accuracy of every model in the manifest, with and without mirror averaging.' }),
  perClass: Type.Array(Type.Object({ label: Type.String(), n: Type.Integer(), recall: Type.Number({ minimum: 0, maximum: 1 }) }), {
    description: 'Recall per emotion of the model in use on PublicTest, measured the way the daemon runs it.',
  }),
  images: Type.Array(Type.Object({ file: Type.String(), title: Type.String(), url: Type.String() }), {
    description: 'The report plots that exist, with the admin URL that serves each.',
  }),
});

const share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

export const CameraFaceSchema = Type.Object({
  trackId: Type.Integer({ description: 'The face track: the same person keeps it while they stay in view.' }),
  box: Type.Array(Type.Number(), {
    minItems: 4,
    maxItems: 4,
    description: '`[x, y, width, height]` in pixels of the analysed frame (see `width` and `height`).',
  }),
  emotion: Type.String({ description: 'The most probable emotion of this face in this frame (not smoothed).' }),
  confidence: share('Its probability.'),
  probabilities: Type.Record(Type.String(), share('The probability of this emotion.'), {
    description: "Probability per emotion, in the model's label order.",
  }),
});

/** The newest analysed camera frame: labels, boxes and numbers only, never pixels. */
export const CameraFacesSchema = Type.Object({
  at: Type.Integer({ description: 'Epoch ms the frame was analysed.' }),
  width: Type.Integer({ description: 'Width of the analysed frame (px); boxes are in its pixels.' }),
  height: Type.Integer({ description: 'Height of the analysed frame (px).' }),
  mood: Type.String({ description: 'The room mood after this frame (smoothed): an emotion label or `nobody`.' }),
  faces: Type.Array(CameraFaceSchema, { description: 'The faces in the frame; empty when no one is in view.' }),
  timing: Type.Object(
    {
      detectMs: Type.Number({ description: 'Face detection.' }),
      classifyMs: Type.Number({ description: 'Emotion classification of every face.' }),
      totalMs: Type.Number({ description: 'The whole frame.' }),
    },
    { description: 'Time spent analysing the frame (ms).' },
  ),
  sizes: Type.Optional(
    Type.Object(
      {
        faces: Type.Integer({ description: 'Faces counted (a face seen in many sampled frames counts each time).' }),
        smallestPx: Type.Integer({ description: 'The smallest face (px: the longer side of its box).' }),
        medianPx: Type.Integer({ description: 'The median face (px).' }),
        largestPx: Type.Integer({ description: 'The largest face (px).' }),
        frameWidth: Type.Integer({ description: 'The camera frame the faces were seen in (px).' }),
        frameHeight: Type.Integer(),
        minutes: Type.Integer({ description: 'How far back the sizes reach (minutes).' }),
        advice: Type.Union([Type.String(), Type.Null()], {
          description: "What to change when faces appear small (the camera's place, 1280x720, the zoom); null when they are large enough.",
        }),
      },
      { description: 'How large faces appeared over the last minutes; absent when no face was seen in them.' },
    ),
  ),
  light: Type.Optional(
    Type.Object(
      {
        tooDarkNow: Type.Boolean({ description: 'Whether most faces in view are too dark to read expressions now (the room mood holds).' }),
        minutes: Type.Integer({ description: 'Minutes of the last hour with faces in view.' }),
        darkMinutes: Type.Integer({ description: 'Of those, the minutes in which most analysed frames were too dark to read.' }),
        medianClarity: Type.Union([Type.Number(), Type.Null()], {
          description: "The median clarity of the faces seen (their contrast over the camera's noise); null when none was seen.",
        }),
        byMinute: Type.Array(
          Type.Object({
            minutesAgo: Type.Integer({ description: 'How long ago the minute began (0: this minute).' }),
            dark: Type.Boolean({ description: 'Whether most of its frames were too dark to read.' }),
          }),
          { description: 'Each minute with faces in view, oldest first.' },
        ),
        advice: Type.Union([Type.String(), Type.Null()], {
          description: 'What helps (a lamp near the camera, backlight compensation) while faces are or were too dark; null otherwise.',
        }),
      },
      { description: 'The room’s light over the last hour, as the faces in view showed it.' },
    ),
  ),
});
export type CameraFaces = Static<typeof CameraFacesSchema>;

/** Image responses: documented for OpenAPI; the handlers send the bytes as they are. */
export const imageResponse = (types: readonly string[], description: string) => ({
  description,
  content: Object.fromEntries(types.map((type) => [type, { schema: Type.String({ contentMediaType: type }) }])),
});
