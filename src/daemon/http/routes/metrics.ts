import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf, withAccess, type StateViewer } from '../access.js';
import type { StateView } from '../public-state.js';
import { ErrorRef } from '../schemas/common.js';

/** What `/metrics` needs: the metrics in Prometheus's text format. */
export interface MetricsSource {
  /** The metrics `view` may read: `guest` gets no count of the faces in view. */
  render(view: StateView): Promise<{ contentType: string; body: string }>;
}

export interface MetricsRoutesOptions {
  metrics: MetricsSource;
  /** What a caller may see (`stateViews`), as for the state. */
  viewOf: (viewer: StateViewer) => StateView;
}

/**
 * `GET /metrics` in Prometheus's text format, for a Prometheus on the LAN: served only to loopback
 * and private addresses (the `lan` access, whatever `server.adminLanOnly` says), and only when
 * `metrics.enabled` is on. It carries counts and timings, never a name or a picture; the number of
 * faces in view only to the box itself and an admin signed in, as the state (`stateViews`).
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<MetricsRoutesOptions> = async (app, { metrics, viewOf }) => {
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        tags: ['metrics'],
        summary: "Moodbox's Prometheus metrics (text format), to the LAN only; the faces in view to the box and admins only",
        response: {
          200: { description: 'Prometheus text format', content: { 'text/plain': { schema: Type.String() } } },
          403: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const { contentType, body } = await metrics.render(viewOf(viewerOf(request)));
      return reply.type(contentType).send(body);
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { metrics, wsStats, viewOf } = app.moodbox;
  if (metrics === undefined) return;
  metrics.observeWebSocketClients(() => wsStats().clients);
  await app.register(withAccess('lan', metricsRoutes), { metrics, viewOf });
}
