import { Type } from 'typebox';
import { HHMM } from './schema-time.js';

/** The configuration's camera sections: `camera` (device, hours), `vision` (detector, frames) and `mood` (how faces become the room's mood). */

export const CameraSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Turn the camera off to stop all analysis.' }),
    hours: Type.Union(
      [
        Type.Null(),
        Type.Object(
          {
            from: Type.String({ pattern: HHMM, description: 'Local time HH:MM the camera turns on.' }),
            to: Type.String({ pattern: HHMM, description: 'Local time HH:MM the camera turns off.' }),
          },
          { additionalProperties: false },
        ),
      ],
      { default: null, description: 'When the camera may run each day (local time); null: always. `to` before `from` spans midnight.' },
    ),
    source: Type.String({
      default: 'demo',
      minLength: 1,
      description:
        'Where frames come from: `demo` (the bundled clip), a device (`/dev/video0` or `0`), a video file, an image sequence (`frames_%04d.png`), a GStreamer pipeline ending in `appsink` (run by `gst-launch-1.0`, package `gstreamer1.0-tools`), or an MJPEG URL.',
      requiresRestart: true,
      panel: 'camera-device',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const VisionSchema = Type.Object(
  {
    modelPath: Type.String({
      default: 'models/emotion-int8.onnx',
      minLength: 1,
      description: 'Emotion model (int8 ONNX); its manifest.json sits beside it. Relative paths start at the install folder.',
      requiresRestart: true,
      fileOnly: true,
    }),
    int8Check: Type.Union([Type.Literal('fallback'), Type.Literal('warn'), Type.Literal('off')], {
      default: 'fallback',
      description:
        'At start, compare the int8 model with its float original on built-in faces: `fallback` uses the float model when they disagree on this CPU, `warn` only logs it, `off` skips the check.',
      requiresRestart: true,
    }),
    analysisFps: Type.Number({
      default: 10,
      exclusiveMinimum: 0,
      maximum: 120,
      description:
        'Most camera frames analysed per second; slower machines skip frames on their own. A camera gives at most its own rate (30 at most); more serves the accelerated soak, whose clip runs faster.',
      requiresRestart: true,
    }),
    detector: Type.Union([Type.Literal('yunet'), Type.Literal('haar')], {
      default: 'yunet',
      description:
        "Face detector: `yunet`, a small CNN (finds more faces, turned or partly lit, at less cost), or `haar`, OpenCV's Haar cascade.",
      requiresRestart: true,
    }),
    detectWidth: Type.Integer({
      default: 320,
      minimum: 160,
      maximum: 1920,
      description:
        'Width (px) the yunet detector scales the frame to for a full scan; a place where a face is doubtful, and a face smaller than 16 px there, is looked at again in its own region at the full resolution. 320 finds as many faces as 480 on the labelled frames at about 40% of the cost, and 87–90% of the faces of 14–24 px in a crowd.',
      requiresRestart: true,
    }),
    mirrorUpToFaces: Type.Integer({
      default: 4,
      minimum: 0,
      maximum: 1000,
      description:
        "Read each face together with its mirror image (the model's flip-TTA, about 0.7 points more accurate, twice the work) only in frames with at most this many faces: a crowd's faces are read once each, at half the cost.",
      requiresRestart: true,
    }),
    alignFaces: Type.Boolean({
      default: true,
      description:
        'Turn each tilted face upright by its eyes before reading its expression (the yunet detector only): reads tilted heads better.',
      requiresRestart: true,
    }),
    cascadePath: Type.String({
      default: '/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml',
      minLength: 1,
      description: 'The Haar cascade for frontal faces (Debian package opencv-data), when `vision.detector` is `haar`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    minFacePx: Type.Integer({
      default: 12,
      minimum: 10,
      maximum: 1000,
      description:
        "Smallest face looked for, in pixels of the camera frame (the detector's box, about 0.9 of a head's height): 12 sees a café's tables, a face about 23 px wide at 3 m from a 640x480 camera; raise it to ignore people far away.",
      requiresRestart: true,
    }),
    preview: Type.Boolean({
      default: false,
      description: 'Keep a blurred, low-rate preview of the camera in memory for the admin live view.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MoodSchema = Type.Object(
  {
    dwellMs: Type.Integer({
      default: 3000,
      minimum: 0,
      maximum: 600000,
      description: 'How long another mood must lead before the room mood (and the music) changes (ms).',
      requiresRestart: true,
    }),
    nobodyAfterMs: Type.Integer({
      default: 10000,
      minimum: 1000,
      maximum: 3600000,
      description: 'With no face seen for this long the room counts as empty (ms).',
      requiresRestart: true,
    }),
    minConfidence: Type.Number({
      default: 0.35,
      minimum: 0,
      maximum: 1,
      description: 'A face reading less sure than this does not vote on the room mood (0–1).',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);
