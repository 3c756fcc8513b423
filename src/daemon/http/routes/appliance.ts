import type { FastifyInstance } from 'fastify';
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readCoverFile } from '../../../player/library/cover-files.js';
import { MoodboxError } from '../../../kernel/errors.js';
import { LIBRARY_REFUSALS } from '../../music/library-refusals.js';
import { CAMERA_PAGE_REFUSALS } from '../http-refusals.js';
import type { StateSnapshot } from '../contract.js';
import { ErrorRef } from '../schemas/common.js';
import {
  CameraFacesSchema,
  type CameraFaces,
  CoverParams,
  imageResponse,
  ModelReportSchema,
  REPORT_IMAGES,
  ReportFileParams,
  ScanStartedSchema,
} from '../schemas/appliance.js';
import type { Actor } from '../../store/store-reads.js';
import { parseJson } from '../../../kernel/json.js';
import { withAccess } from '../access.js';

const COVER_TYPES = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;
/** Cover names are content hashes: the bytes behind a name never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The music library as these routes use it: rescans from the admin panel and cover images. */
export interface ApplianceLibrary {
  /** Rescans the music folders for `actor` (audited), joining a scan already running; answers at once. */
  rescan(actor: Actor): { joined: boolean };
  coversDir: string;
}

/** The newest blurred camera preview (JPEG), or undefined while previews are off or none was taken yet. */
export type CameraPreview = () => { jpeg: Buffer; at: number; width: number; height: number } | undefined;

/** The faces of the newest analysed camera frame (never pixels), or undefined while the camera is not on or nothing was analysed yet. */
export type LiveFaces = () => CameraFaces | undefined;

export interface ApplianceRoutesOptions {
  library: ApplianceLibrary | undefined;
  modelPath: string | undefined;
  preview: CameraPreview | undefined;
  faces: LiveFaces | undefined;
  /** The state snapshot now (the camera's status explains a missing preview or face analysis). */
  state: () => StateSnapshot;
  /** Whether the camera was started with `vision.preview` on. */
  isPreviewEnabled: () => boolean;
}

/**
 * The box's own things: cover images (public, for the kiosk), library rescans, the emotion model's
 * report and the camera's live view: its blurred preview and the faces it found (admin).
 */
export const applianceRoutes: FastifyPluginAsyncTypebox<ApplianceRoutesOptions> = async (app, deps) => {
  await app.register(coverRoutes, deps);
  await app.register(withAccess('admin', applianceAdminRoutes), deps);
};

/** Cover images, for anyone: the kiosk shows them. */
const coverRoutes: FastifyPluginAsyncTypebox<ApplianceRoutesOptions> = async (app, deps) => {
  app.get(
    '/api/covers/:file',
    {
      schema: {
        operationId: 'getCover',
        tags: ['kiosk'],
        summary: 'A cover image from the library',
        description: 'Names are content hashes, so a cover may be cached for good.',
        params: CoverParams,
        response: { 200: imageResponse(Object.values(COVER_TYPES), 'The image.'), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const ext = file.slice(file.lastIndexOf('.') + 1) as keyof typeof COVER_TYPES;
      // Served only as what it is named: a regular file holding an image of that type, within the
      // cover limit (a covers folder written by an older Moodbox may hold copies of anything a
      // music folder linked to).
      const cover = deps.library === undefined ? undefined : await readCoverFile(join(deps.library.coversDir, file)).catch(() => undefined);
      if (cover === undefined || cover.type !== ext) throw new MoodboxError('MB_ERR_NOT_FOUND', `No cover ${file}.`);
      const bytes = Buffer.from(cover.data.buffer, cover.data.byteOffset, cover.data.byteLength);
      return reply.type(COVER_TYPES[ext]).header('cache-control', IMMUTABLE).send(bytes);
    },
  );
};

/** Library rescans, the model's report and the camera's live view, for admins. */
const applianceAdminRoutes: FastifyPluginAsyncTypebox<ApplianceRoutesOptions> = async (app, deps) => {
  app.post(
    '/api/admin/library/scan',
    {
      schema: {
        operationId: 'scanLibrary',
        tags: ['admin'],
        summary: 'Rescan the music folders',
        description:
          'Starts a scan of the configured folders and answers at once; a scan already running is joined. ' +
          'Progress (`done`, `total`) and the result (`lastScan`) are pushed in the `library` state area.',
        response: { 202: ScanStartedSchema, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const library = deps.library;
      if (library === undefined) throw LIBRARY_REFUSALS.none();
      // The scan runs on: the answer says so; the library service logs and publishes its outcome.
      const { joined } = library.rescan(request.adminActor);
      return reply.status(202).send({ scanning: true, joined });
    },
  );

  app.get(
    '/api/admin/model',
    {
      schema: {
        operationId: 'getModelReport',
        tags: ['admin'],
        summary: 'The emotion model in use: its manifest entry, accuracy figures and report plots',
        response: { 200: ModelReportSchema, 404: ErrorRef },
      },
    },
    async () => {
      if (deps.modelPath === undefined) throw CAMERA_PAGE_REFUSALS.noModel();
      return modelReport(deps.modelPath);
    },
  );

  app.get(
    '/api/admin/model/report/:file',
    {
      schema: {
        operationId: 'getModelReportImage',
        tags: ['admin'],
        summary: 'A plot of the model report (training curves, confusion matrix)',
        params: ReportFileParams,
        response: { 200: imageResponse(['image/png'], 'The plot.'), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const bytes = deps.modelPath === undefined ? undefined : await readIfExists(join(dirname(deps.modelPath), 'report', file));
      if (bytes === undefined) throw new MoodboxError('MB_ERR_NOT_FOUND', `The model report has no ${file}.`);
      // The plots change when the model is replaced, under the same name.
      return reply.type('image/png').header('cache-control', 'no-cache').send(bytes);
    },
  );

  app.get(
    '/api/admin/camera/preview.jpg',
    {
      schema: {
        operationId: 'getCameraPreview',
        tags: ['admin'],
        summary: "The camera's newest blurred preview",
        description:
          'The vision pipeline blurs the whole frame, so no one can be recognised; nothing is stored. `x-captured-at` gives the epoch ms it was taken. ' +
          '404 while the live view is off (`vision.preview`), the camera is off, or no frame was taken yet.',
        response: { 200: imageResponse(['image/jpeg'], 'The preview.'), 404: ErrorRef },
      },
    },
    async (_request, reply) => {
      const preview = deps.preview?.();
      if (preview === undefined) throw whyNoPreview(deps);
      return reply
        .type('image/jpeg')
        .header('cache-control', 'no-store')
        .header('x-captured-at', String(preview.at))
        .header('x-frame-size', `${preview.width}x${preview.height}`)
        .send(preview.jpeg);
    },
  );

  app.get(
    '/api/admin/camera/faces',
    {
      schema: {
        operationId: 'getCameraFaces',
        tags: ['admin'],
        summary: 'The faces in the newest analysed camera frame',
        description:
          'Where each face is (a box in pixels of the analysed frame), its track, its emotion and the probability of every emotion, ' +
          'with the room mood and the analysis time. Labels, boxes and numbers only: no pixels. Available whether or not the live view ' +
          '(`vision.preview`) is on; nothing is stored. 404 while the camera is off or no frame was analysed yet.',
        response: { 200: CameraFacesSchema, 404: ErrorRef },
      },
    },
    async (_request, reply) => {
      const faces = deps.faces?.();
      if (faces === undefined) throw whyNoFaces(deps);
      return reply.header('cache-control', 'no-store').send(faces);
    },
  );
};

/** Why there are no faces to show (404). */
function whyNoFaces(deps: ApplianceRoutesOptions): MoodboxError {
  if (deps.faces === undefined) return CAMERA_PAGE_REFUSALS.turnedOff();
  const camera = deps.state().camera;
  if (camera.status === 'on') return CAMERA_PAGE_REFUSALS.noFacesYet();
  return CAMERA_PAGE_REFUSALS.noAnalysis(camera.status, camera.detail);
}

/** Why there is no preview to show (404). */
function whyNoPreview(deps: ApplianceRoutesOptions): MoodboxError {
  const isCameraOff = deps.preview === undefined;
  if (!deps.isPreviewEnabled()) return CAMERA_PAGE_REFUSALS.previewOff(isCameraOff);
  if (isCameraOff) return CAMERA_PAGE_REFUSALS.turnedOff();
  const camera = deps.state().camera;
  if (camera.status === 'on') return CAMERA_PAGE_REFUSALS.noPreviewYet();
  return CAMERA_PAGE_REFUSALS.noPreview(camera.status, camera.detail);
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const int = (v: unknown): number | null => (Number.isSafeInteger(v) ? (v as number) : null);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/**
 * The admin panel's model report from `manifest.json` beside `modelPath`. Fields other than the
 * ones the daemon checks at start-up are read leniently: a figure the manifest lacks is null.
 */
async function modelReport(modelPath: string) {
  const dir = dirname(modelPath);
  const manifestPath = join(dir, 'manifest.json');
  const file = basename(modelPath);
  let manifest: unknown;
  try {
    manifest = parseJson(await readFile(manifestPath, 'utf8'));
  } catch (err) {
    throw new MoodboxError('MB_ERR_NOT_FOUND', `The model manifest ${manifestPath} cannot be read (${(err as Error).message}).`, {
      cause: err,
    });
  }
  const models = isObject(manifest) && isObject(manifest['models']) ? manifest['models'] : {};
  const entry = models[file];
  if (!isObject(entry)) throw new MoodboxError('MB_ERR_NOT_FOUND', `${manifestPath} has no entry for ${file}.`);

  const figures = Object.entries(models).flatMap(([name, model]) => {
    if (!isObject(model) || !isObject(model['accuracy'])) return [];
    const precision = isObject(model['quantization']) || /int8/.test(name) ? ('int8' as const) : ('float' as const);
    return Object.values(model['accuracy']).flatMap((figure) => {
      if (!isObject(figure)) return [];
      const accuracy = num(figure['accuracy']);
      const n = int(figure['n']);
      if (accuracy === null || n === null) return [];
      const ferPlus = isObject(figure['ferPlusMajority']) ? figure['ferPlusMajority'] : undefined;
      const ferPlusAccuracy = num(ferPlus?.['accuracy']);
      return [
        {
          file: name,
          precision,
          isInUse: name === file,
          usage: str(figure['usage'], 'PublicTest'),
          flipTta: figure['flipTta'] === true,
          n,
          accuracy,
          macroRecall: num(figure['macroRecall']),
          ferPlusMajority: ferPlusAccuracy === null ? null : { n: int(ferPlus?.['n']) ?? 0, accuracy: ferPlusAccuracy },
          imagesPerSecond: num(figure['imagesPerSecond']),
        },
      ];
    });
  });
  // The in-use model first, then int8 before float, then without mirror averaging first.
  const rank = { int8: 0, float: 1 } as const;
  figures.sort(
    (a, b) =>
      Number(b.isInUse) - Number(a.isInUse) ||
      rank[a.precision] - rank[b.precision] ||
      a.file.localeCompare(b.file) ||
      Number(a.flipTta) - Number(b.flipTta),
  );

  const flipTta = entry['flipTta'] === true;
  const accuracy = isObject(entry['accuracy']) ? entry['accuracy'] : {};
  const asRun = Object.values(accuracy).find((f) => isObject(f) && f['flipTta'] === flipTta);
  const perClassRaw = isObject(asRun) && isObject(asRun['perClass']) ? asRun['perClass'] : {};
  const perClass = Object.entries(perClassRaw).flatMap(([label, c]) =>
    isObject(c) && num(c['recall']) !== null ? [{ label, n: int(c['n']) ?? 0, recall: num(c['recall']) ?? 0 }] : [],
  );

  const images = [];
  for (const [name, title] of Object.entries(REPORT_IMAGES)) {
    if (await exists(join(dir, 'report', name))) {
      images.push({ file: name, title, url: `/api/admin/model/report/${name}` });
    }
  }

  const quantization = isObject(entry['quantization']) ? entry['quantization'] : undefined;
  return {
    file,
    sha256: str(entry['sha256']),
    bytes: int(entry['bytes']),
    labels: Array.isArray(entry['labels']) ? entry['labels'].filter((l): l is string => typeof l === 'string') : [],
    flipTta,
    provenance: str(entry['provenance']),
    licence: str(entry['licence']),
    sourceEpoch: int(entry['sourceEpoch']),
    quantization:
      quantization === undefined
        ? null
        : [str(quantization['weights']), str(quantization['activations'])].filter(Boolean).join('; ') ||
          str(quantization['format']) ||
          'int8',
    figures,
    perClass,
    images,
  };
}

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { library, modelPath, preview, faces, hub, settings } = app.moodbox;
  // Restart-only: the camera keeps previews as the settings were when it started, i.e. now.
  const isPreviewOn = settings.current.vision.preview;
  await app.register(applianceRoutes, {
    library,
    modelPath,
    preview,
    faces,
    state: () => hub.snapshot().data,
    isPreviewEnabled: () => isPreviewOn,
  });
}
