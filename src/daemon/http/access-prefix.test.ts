import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { registerAccess, routeAccess } from './access.js';

const open: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

describe('who may call a route, by where it is', () => {
  it('gives every route under /api/admin/ to the admins and under /api/me/ to the person signed in at the kiosk; the sign-in is open', () => {
    expect(routeAccess('/api/admin/users/:id', {})).toBe('admin');
    expect(routeAccess('/api/me/history', {})).toBe('kiosk');
    expect(routeAccess('/api/admin/session', { isAdminSignIn: true })).toBe('public');
    expect(routeAccess('/api/session', { access: 'kiosk' })).toBe('kiosk');
    expect(routeAccess('/api/guest/state', {})).toBe('public');
    expect(routeAccess(undefined, {})).toBe('public');
  });

  it('refuses to serve a route under a prefix that names an access of its own, so none opens one by mistake', async () => {
    const app = Fastify();
    open.push(app);
    await registerAccess(app, { auth: { authenticate: () => undefined } as never }, { adminLanOnly: () => false });
    expect(() => app.get('/api/admin/backdoor', { config: { access: 'public' } }, () => 'open')).toThrow(
      /Expected no `access` on GET \/api\/admin\/backdoor: every route under \/api\/admin\/ is admin's/,
    );
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
