import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { registerAccess, withAccess } from './access.js';

const open: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

describe('who may call a route, by where it is', () => {
  /** A bare server ready for access zones, with nobody signed in. */
  async function bare(): Promise<FastifyInstance> {
    const app = Fastify();
    open.push(app);
    await registerAccess(app, { auth: { authenticate: () => undefined } }, { adminLanOnly: () => false });
    return app;
  }

  it('refuses to serve a route under /api/admin/ or /api/me/ registered outside a zone of theirs, so none opens one by mistake', async () => {
    const app = await bare();
    expect(() => app.get('/api/admin/backdoor', () => 'open')).toThrow(
      /Expected GET \/api\/admin\/backdoor in an access zone of admin, staff, ownAdminSession, adminSignIn \(every route under \/api\/admin\/ is\), got public/,
    );
    await expect(app.register(withAccess('kiosk', async (zone) => void zone.get('/api/admin/users', () => [])))).rejects.toThrow(
      /Expected GET \/api\/admin\/users in an access zone of admin, staff, ownAdminSession, adminSignIn .*, got kiosk/,
    );
  });

  it('answers a route by the zone it is registered in, and refuses a zone inside another', async () => {
    const app = await bare();
    await app.register(withAccess('admin', async (zone) => void zone.get('/api/admin/users', () => [])));
    await app.register(withAccess('kiosk', async (zone) => void zone.get('/api/me/history', () => [])));
    app.get('/api/health', () => ({ ok: true }));
    // A bare server has no error handler of the box's: the refusal comes back as fastify's, with its code.
    const answer = async (url: string) => (await app.inject(url)).json<{ code?: string; message?: string }>();
    expect(await answer('/api/admin/users')).toMatchObject({ code: 'MB_ERR_AUTH_REQUIRED', message: 'Sign in to the admin panel first.' });
    expect(await answer('/api/me/history')).toMatchObject({ code: 'MB_ERR_AUTH_REQUIRED', message: 'Sign in at the kiosk first.' });
    expect(await answer('/api/health')).toEqual({ ok: true });

    const nested = withAccess('admin', async (zone) => {
      await zone.register(withAccess('public', async (inner) => void inner.get('/api/admin/open', () => 'open')));
    });
    await expect((await bare()).register(nested)).rejects.toThrow(/Expected no access zone inside another, got public inside admin/);
  });

  it('asks a person to sign in at the kiosk on every route of their own data', async () => {
    const { app } = await buildTestServer({ clock: new FakeClock() });
    open.push(app);
    await app.ready();
    const doc = (await app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    const own = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/me/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), url: path })));
    expect(own.length).toBeGreaterThanOrEqual(4);
    for (const { method, url } of own) {
      const res = await app.inject({ method: method as 'GET', url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect([res.statusCode, res.json<{ error: { code: string } }>().error.code], `${method} ${url}`).toEqual([
        401,
        'MB_ERR_AUTH_REQUIRED',
      ]);
    }
  });
});
