import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyAutoload from '@fastify/autoload';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { AuthService } from '../people/auth-service.js';
import type { FirstRun } from '../people/first-run.js';
import type { KioskPresence } from '../people/kiosk-presence.js';
import type { PeopleService } from '../people/people-service.js';
import type { LiveConfig } from '../config/live-config.js';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import type { Said } from '../../kernel/said.js';
import { AuthError } from '../people/auth-error.js';
import { isErrorCode, type ErrorCode } from './error-codes.js';
import type { Logger } from '../logging.js';
import type { StoreReads } from '../store/store-reads.js';
import { registerAccess, stateViews, withAccess, type StateViewer } from './access.js';
import { capSocketsPerAddress, registerHostCheck, systemNetwork, type OwnNetwork } from './host-check.js';
import { jsonLimitProblem, MAX_JSON_DEPTH } from './json-limits.js';
import { lazySerializers } from './lazy-serializers.js';
import type { ErrorBody, ServiceHealthView } from './contract.js';
import { actingFor } from './kiosk-person.js';
import type { ApplianceLibrary, CameraPreview, LiveFaces } from './routes/appliance.js';
import type { BackupRoutesOptions } from './routes/backups.js';
import { calibrationRequests } from './routes/calibration-requests.js';
import type { PersonalCalibrationService } from '../camera/personal-calibration-service.js';
import { meRequests } from './routes/me-requests.js';
import { playerRequests, type MusicControls } from './routes/player-requests.js';
import { screenRequests } from './routes/screen-requests.js';
import type { ScreenPower } from '../ops/screen-power.js';
import { sessionRequests } from './routes/session.js';
import type { MetricsSource } from './routes/metrics.js';
import { stateRequests } from './routes/state.js';
import type { TracksRoutesOptions } from './routes/tracks.js';
import type { StationsRoutesOptions } from './routes/stations.js';
import type { BlocksRoutesOptions } from './routes/blocks.js';
import { CLIENT_REQUEST_SPECS } from './schemas/client-requests.js';
import { ErrorBodySchema } from './schemas/common.js';
import { registerSecurityHeaders } from './security-headers.js';
import type { StateView } from './public-state.js';
import type { ScreenState } from './state-hub.js';
import { registerWs, type WsHandlers, type WsStats } from './ws.js';
import { TapLimiter } from './tap-limiter.js';
import type { SpotifyAccount } from '../../player/spotify/spotify-account.js';
import type { GuestService } from '../guests/guest-service.js';
import { registerGuests } from './guests/register-guests.js';
import type { StaffControls } from '../music/music-director.js';
import { guestUrlOf, systemGuestNetwork, type GuestUrlInput } from '../guests/guest-url.js';
import type { Actor } from '../store/store-reads.js';

export interface ServerDeps {
  log: Logger;
  clock: Clock;
  hub: ScreenState;
  store: StoreReads;
  auth: AuthService;
  presence: KioskPresence;
  /** The first admin of a box with none (`/api/first-run`); absent: no such routes (the demo makes its own admin). */
  firstRun?: FirstRun | undefined;
  /** The accounts, their data and self-registration (`PeopleService`): the users, cards, history and me routes call it. */
  people: PeopleService;
  settings: LiveConfig;
  /** Personal expression calibrations; absent when the camera is off (the `me/calibration*` requests say so). */
  calibration?: PersonalCalibrationService | undefined;
  /** The health of every service, in start order. */
  services: () => ServiceHealthView[];
  version: string;
  /** The built UI (`index.html`, `admin.html`, assets); the UI routes answer 503 while it is missing. */
  uiDir?: string;
  /** What the kiosk's player requests (`player/play`, `player/like`, `player/skip`) ask of the music. */
  music: MusicControls;
  /** Staff controls of the music for the admin panel (pause, skip, volume, a held mood); absent: no such routes. */
  staff?: StaffControls | undefined;
  /** Restarts the daemon for an actor, audited (it exits with a code its service manager restarts on); absent: no restart route. */
  restart?: ((actor: Actor) => void) | undefined;
  /** The library's mood tags, set by hand from the admin panel (audited). */
  trackMoods: TracksRoutesOptions['library'];
  /** The music library: rescans from the admin panel (progress is in the `library` state area) and cover images. */
  library?: ApplianceLibrary;
  /** The Spotify account of a home box with a Spotify app configured, for the admin panel's Spotify page. */
  spotify?: SpotifyAccount | undefined;
  /** The library's web radio stations, for the admin panel's Stations page; absent: no such routes. */
  stations?: StationsRoutesOptions['stations'] | undefined;
  /** The blocked songs and artists, for the admin panel's Library page; absent: no such routes. */
  blocks?: BlocksRoutesOptions['blocks'] | undefined;
  /** The emotion model in use (its manifest.json and report/ sit beside it), for the admin panel's model report. */
  modelPath?: string;
  /** The staff's backups and restores (`/api/admin/backups*`); absent: only the newest backup's download. */
  backups?: BackupRoutesOptions['backups'];
  /** The newest blurred camera preview (JPEG) for the admin live view; undefined while previews are off or none was taken yet. */
  preview?: CameraPreview;
  /**
   * The faces of the newest analysed camera frame (boxes, emotions, probabilities: never pixels) for the
   * admin live view, whether or not previews are on; undefined while the camera is not on or nothing was analysed yet.
   */
  faces?: LiveFaces;
  /** The box's own names and addresses, which the `Host` header must name. @default this machine's (`systemNetwork`) */
  network?: OwnNetwork;
  /** Prometheus metrics for `/metrics` (LAN only); absent: no such route (`metrics.enabled` off). */
  metrics?: (MetricsSource & { observeWebSocketClients(count: () => number): void }) | undefined;
  /** Guests from their phones (`/api/guest/*`, `/ws/guest`, the staff's view of their requests); absent: no such routes. */
  guests?: GuestService | undefined;
  /** The box's own display, dark while its kiosk screen sleeps in the quiet hours (`screen/sleep`); absent: left alone. */
  screen?: ScreenPower | undefined;
  /** The machine's interfaces and avahi's name, for the guest URL. @default this machine's (`systemGuestNetwork`) */
  guestNetwork?: () => Pick<GuestUrlInput, 'interfaces' | 'avahiName'>;
}

/** What the route modules read of the box (`app.moodbox`): the server's own parts, and who may see what of the state. */
export interface RouteDeps extends ServerDeps {
  viewOf: (viewer: StateViewer) => StateView;
  wsStats: () => WsStats;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The box's parts the route modules of `routes/` are built from, decorated before they load. */
    readonly moodbox: RouteDeps;
  }
}

/**
 * The files of `routes/` that are not route modules: the screens' WebSocket requests (`*-requests`,
 * handed to the one socket) and the guests' routes, registered with the guests' socket
 * (`guests/register-guests.ts`); tests and source maps.
 */
const ROUTES_NOT_LOADED = /(-requests|^guest|^guest-admin)\.[jt]s$|\.test\.|\.d\.ts$|\.map$/;

export interface ServerOptions {
  ws: { maxBufferedKiB: number; pingIntervalMs: number };
}

export type MoodboxServer = FastifyInstance & { wsStats: () => WsStats };

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  MB_ERR_NOT_FOUND: 404,
  MB_ERR_HTTP_NOT_FOUND: 404,
  MB_ERR_HTTP_BAD_REQUEST: 400,
  MB_ERR_HTTP_FORBIDDEN: 403,
  MB_ERR_CONFIG_INVALID: 400,
  MB_ERR_AUTH_FAILED: 401,
  MB_ERR_AUTH_REQUIRED: 401,
  MB_ERR_AUTH_THROTTLED: 429,
  MB_ERR_AUTH_POLICY: 400,
  MB_ERR_CONFLICT: 409,
  MB_ERR_CAMERA_NO_FACE: 409,
  MB_ERR_PLAYER_NOT_ALLOWED: 403,
  MB_ERR_PLAYER_TOO_FAST: 429,
  MB_ERR_PLAYER_MOOD: 409,
  // Bad Gateway: the station's server failed, not the box.
  MB_ERR_PLAYER_STREAM: 502,
  MB_ERR_SPOTIFY_AUTH: 409,
  MB_ERR_SPOTIFY_NO_DEVICE: 409,
  MB_ERR_SPOTIFY_RATE_LIMITED: 429,
  MB_ERR_SPOTIFY_UNREACHABLE: 502,
  MB_ERR_SPOTIFY_API: 502,
  MB_ERR_GUEST_CLOSED: 403,
  MB_ERR_GUEST_LIMIT: 429,
  MB_ERR_GUEST_REPEAT: 409,
  MB_ERR_MUSIC_BLOCKED: 409,
  MB_ERR_GUEST_MOOD: 409,
  MB_ERR_GUEST_NOT_PLAYING: 409,
  MB_ERR_GUEST_NOT_APPROVED: 409,
  MB_ERR_GUEST_NOT_ALLOWED: 403,
  MB_ERR_GUEST_TOO_FAST: 429,
  MB_ERR_GUEST_FULL: 429,
  // Insufficient Storage: the message says why (the disk is full, the file is read-only), nothing internal.
  MB_ERR_STORE_WRITE: 507,
  MB_ERR_STORE_BACKUP: 507,
  // The backup is fine to send, but not one Moodbox can put back: the message says why.
  MB_ERR_STORE_RESTORE: 422,
};

/**
 * Builds the HTTP server (API, OpenAPI description, WebSocket, UI) without listening, so tests can
 * use `inject()`. `main` listens.
 */
export async function buildServer(deps: ServerDeps, options: ServerOptions): Promise<MoodboxServer> {
  const app = Fastify({
    // Typed as fastify's base logger (pino's Logger is one) so the instance keeps fastify's default
    // generics and plugins type-check against it.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the widening is the point
    loggerInstance: deps.log as FastifyBaseLogger,
    // Per-request lines would flood the journal on a kiosk polled by its own screens.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // A long path parameter reaches its route's schema, which refuses it in Moodbox's words, not as a bare 414.
    routerOptions: { maxParamLength: 1000 },
    // On close every connection ends, idle or not: a client that keeps one open (a request body it
    // never finishes, a keep-alive socket) must not keep a stopping daemon from exiting.
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // First, so that every answer carries the headers: pages, assets, API, errors, refused upgrades.
  await registerSecurityHeaders(app);
  // Before anything reads a request: too many connections from one address, a Host of another site (DNS rebinding).
  capSocketsPerAddress(app, deps.log);
  registerHostCheck(app, deps.network ?? systemNetwork(deps.settings.current.server.host));
  app.addSchema(ErrorBodySchema);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const body = (code: string, message: string, said?: Said): ErrorBody => ({
      error: { code, message, ...(said === undefined ? {} : { said }) },
    });
    if (err.validation) {
      const context = err.validationContext ?? 'request';
      const problems = err.validation.map((v) => {
        const field = [context, ...v.instancePath.split('/').filter(Boolean)].join('.');
        const extra = (v.params as { additionalProperty?: string }).additionalProperty;
        return `${field}: ${v.message ?? 'is invalid'}${extra === undefined ? '' : ` (\`${extra}\`)`}`;
      });
      return reply.status(400).send(body('MB_ERR_HTTP_BAD_REQUEST', problems.join('; ')));
    }
    if (err instanceof MoodboxError) {
      const status = isErrorCode(err.code) ? STATUS_BY_CODE[err.code] : undefined;
      if (err instanceof AuthError && err.retryAfterMs > 0) void reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      if (status !== undefined) return reply.status(status).send(body(err.code, err.message, err.said));
    } else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send(body(err.statusCode === 404 ? 'MB_ERR_HTTP_NOT_FOUND' : 'MB_ERR_HTTP_BAD_REQUEST', err.message));
    }
    request.log.error({ err, url: request.url, method: request.method }, 'request failed');
    return reply.status(500).send(body('MB_ERR_INTERNAL', 'Internal error; the daemon log has the details.'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'MB_ERR_HTTP_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` } }),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Moodbox',
        version: deps.version,
        description: 'The Moodbox daemon: state, health, kiosk and admin operations. Live changes are pushed on the WebSocket `/ws`.',
      },
      tags: [
        { name: 'system', description: 'Health and the state snapshot.' },
        { name: 'kiosk', description: "Sign-in at the kiosk and the signed-in person's own data." },
        { name: 'admin', description: 'Operations for staff; sign-in as admin required (cookie + `x-csrf-token`).' },
        { name: 'guest', description: 'The guest page on phones in the room (`/guest`): an anonymous `mb_guest` cookie, rate-limited.' },
      ],
    },
  });
  registerJsonBodies(app);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  const adminLanOnly = (): boolean => deps.settings.current.server.adminLanOnly;
  await registerAccess(app, { auth: deps.auth }, { adminLanOnly });
  const viewOf = stateViews({ auth: deps.auth }, { adminLanOnly });

  const handlers: WsHandlers = {
    ...stateRequests({ hub: deps.hub }),
    ...sessionRequests({ presence: deps.presence }),
    ...playerRequests({
      music: deps.music,
      presence: deps.presence,
      taps: new TapLimiter({ clock: deps.clock, budget: () => deps.settings.current.player }),
      guests: deps.guests,
    }),
    ...meRequests({ presence: deps.presence, people: deps.people, store: deps.store, settings: deps.settings, guestUrl: () => guestUrl() }),
    ...calibrationRequests({ presence: deps.presence, calibration: deps.calibration }),
    ...screenRequests({ screen: deps.screen }),
  };
  // The screens' socket, in its access zone (the LAN while the box is kept to it).
  let wsStats: () => WsStats = () => ({ clients: 0, dropped: 0 });
  await app.register(
    withAccess('screens', async (zone) => {
      wsStats = registerWs(
        zone,
        {
          hub: deps.hub,
          clock: deps.clock,
          log: deps.log,
          specs: CLIENT_REQUEST_SPECS,
          handlers,
          actingFor: (credentials, what) => actingFor(credentials, deps, what),
          viewOf,
          onClose: (connection) => deps.screen?.forget(connection.id),
        },
        {
          maxBufferedBytes: options.ws.maxBufferedKiB * 1024,
          pingIntervalMs: options.ws.pingIntervalMs,
        },
      );
    }),
  );
  // The display is lit again when the daemon stops: nothing keeps it dark then.
  app.addHook('onClose', async () => deps.screen?.stop());
  // Every route module of routes/ (but the screens' WebSocket requests and the guests', registered with their socket above and below).
  app.decorate('moodbox', { ...deps, viewOf, wsStats });
  await app.register(fastifyAutoload, {
    dir: fileURLToPath(new URL('routes', import.meta.url)),
    ignorePattern: ROUTES_NOT_LOADED,
    forceESM: true,
  });
  const guestUrl = (): string | null => {
    const address = app.server.address();
    const { server } = deps.settings.current;
    return guestUrlOf({
      isOpen: deps.guests?.isOpen ?? false,
      publicUrl: server.publicUrl,
      host: server.host,
      port: typeof address === 'object' && address !== null ? address.port : server.port,
      ...(deps.guestNetwork ?? systemGuestNetwork)(),
    });
  };
  if (deps.guests !== undefined) await registerGuests(app, { ...deps, guests: deps.guests }, options.ws);
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await registerUi(app, deps.uiDir);

  return Object.assign(app, { wsStats });
}

/** The largest JSON body any route accepts (bytes). */
const BODY_LIMIT = 1024 * 1024;

/**
 * JSON bodies are checked for size and nesting before they are parsed (`jsonLimitProblem`), then
 * parsed by fastify's own parser, which refuses `__proto__` and `constructor.prototype` keys.
 */
function registerJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const problem = jsonLimitProblem(body, { maxDepth: MAX_JSON_DEPTH, maxBytes: BODY_LIMIT });
    if (problem !== undefined) {
      done(new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `${problem.message} in the request body`), undefined);
      return;
    }
    // fastify's parser answers through `done` (its type also allows an async parser).
    void parse(request, body as string, done);
  });
}

async function registerUi(app: FastifyInstance, uiDir: string | undefined): Promise<void> {
  const hasUi = uiDir !== undefined && existsSync(join(uiDir, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: uiDir,
      prefix: '/',
      index: false,
      wildcard: true,
      cacheControl: false,
      // Source maps are for the developer's machine: served, they hand out the UI's source.
      allowedPath: (path) => !path.endsWith('.map'),
    });
  }
  const page = { schema: { hide: true } } as const;
  const serve = (file: string) => async (_request: unknown, reply: FastifyReply) => {
    if (!hasUi || !existsSync(join(uiDir, file))) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The Moodbox screens are not built yet. Run `npm run build` in the Moodbox folder, then reload.');
    }
    return reply.header('cache-control', 'no-cache').sendFile(file);
  };
  app.get('/', page, serve('index.html'));
  app.get('/admin', page, serve('admin.html'));
  app.get('/guest', page, serve('guest.html'));
}
