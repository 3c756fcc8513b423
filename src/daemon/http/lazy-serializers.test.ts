import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazySerializers } from './lazy-serializers.js';

const RESPONSE = {
  200: { type: 'object', properties: { name: { type: 'string' }, plays: { type: 'integer' } } },
  404: { type: 'object', properties: { error: { type: 'string' } } },
} as const;

/** A server with two routes and fastify's serializer factory, counting the serializers it builds. */
async function server(): Promise<{ app: FastifyInstance; built: string[] }> {
  const built: string[] = [];
  const real = SerializerSelector();
  const counting: SerializerSelector.SerializerFactory = (external, options) => {
    const compile = real(external, options);
    return (route) => {
      built.push(`${route.method} ${route.url} ${route.httpStatus}`);
      return compile(route);
    };
  };
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: lazySerializers(counting) } } });
  app.get('/tracks/:id', { schema: { response: RESPONSE } }, async (request, reply) => {
    if ((request.params as { id: string }).id === '0') return reply.status(404).send({ error: 'no such track', stack: 'hidden' });
    return { name: 'Blue in Green', plays: 3, secret: 'not in the schema' };
  });
  app.get('/moods', { schema: { response: { 200: { type: 'array', items: { type: 'string' } } } } }, async () => ['calm']);
  await app.ready();
  return { app, built };
}

describe('lazySerializers', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('builds no serializer at start, and each one once, when its route first answers with that status', async () => {
    const made = await server();
    app = made.app;
    expect(made.built).toEqual([]);
    await app.inject({ method: 'GET', url: '/tracks/7' });
    await app.inject({ method: 'GET', url: '/tracks/8' });
    expect(made.built).toEqual(['GET /tracks/:id 200']);
    await app.inject({ method: 'GET', url: '/tracks/0' });
    expect(made.built).toEqual(['GET /tracks/:id 200', 'GET /tracks/:id 404']);
  });

  it('writes what the response schema says, as fastify does: unknown properties left out', async () => {
    app = (await server()).app;
    const found = await app.inject({ method: 'GET', url: '/tracks/7' });
    expect(found.json()).toEqual({ name: 'Blue in Green', plays: 3 });
    const missing = await app.inject({ method: 'GET', url: '/tracks/0' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'no such track' });
    expect((await app.inject({ method: 'GET', url: '/moods' })).json()).toEqual(['calm']);
  });
});
