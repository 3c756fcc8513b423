import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../../kernel/clock.js';
import { viewerOf, type StateViewer } from '../access.js';
import type { ServiceHealthView } from '../contract.js';
import { guestServices, type StateView } from '../public-state.js';
import { HealthSchema } from '../schemas/common.js';

export interface HealthRoutesOptions {
  /** The health of every service, in start order. */
  services: () => ServiceHealthView[];
  version: string;
  clock: Clock;
  /** What a viewer may see (`stateViews`): the services' detail on the box and for an admin only. */
  viewOf: (viewer: StateViewer) => StateView;
}

/**
 * `GET /api/health`: readiness, with the state of each service. 200 when ready, 503 otherwise. A
 * service's detail (the broker's address, the camera's device and the faces it sees) is for the
 * box and an admin only; anyone else gets each service's name and status.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, deps) => {
  const startedAt = deps.clock.monotonic();
  app.get(
    '/api/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['system'],
        summary: 'Readiness and the state of each service',
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (request, reply) => {
      const all = deps.services();
      const services = deps.viewOf(viewerOf(request)) === 'all' ? all : guestServices(all);
      const status = overall(all);
      return reply.status(status === 'ready' || status === 'degraded' ? 200 : 503).send({
        status,
        version: deps.version,
        uptimeS: Math.round((deps.clock.monotonic() - startedAt) / 100) / 10,
        memory: memory(),
        services,
      });
    },
  );
};

function memory(): { rssMiB: number; heapUsedMiB: number; externalMiB: number } {
  const usage = process.memoryUsage();
  const mib = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) };
}

function overall(services: ServiceHealthView[]): 'ready' | 'degraded' | 'starting' | 'failed' {
  if (services.some((s) => s.status === 'failed')) return 'failed';
  if (services.some((s) => s.status !== 'ready' && s.status !== 'degraded')) return 'starting';
  return services.some((s) => s.status === 'degraded') ? 'degraded' : 'ready';
}

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { services, version, clock, viewOf } = app.moodbox;
  await app.register(healthRoutes, { services, version, clock, viewOf });
}
