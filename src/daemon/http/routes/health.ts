import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../../kernel/clock.js';
import type { ServiceHealthView } from '../contract.js';
import { HealthSchema } from '../schemas/common.js';

export interface HealthRoutesOptions {
  /** The health of every service, in start order. */
  services: () => ServiceHealthView[];
  version: string;
  clock: Clock;
}

/** `GET /api/health`: readiness, with the state of each service. 200 when ready, 503 otherwise. */
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
    async (_request, reply) => {
      const services = deps.services();
      const status = overall(services);
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
