import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, type TestServer } from '../testing/server.js';
import { actors } from '../store/audit.js';

const PASSPHRASE = 'a long enough passphrase';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.app.close()));
});

async function signedIn(name: string): Promise<{ s: TestServer; headers: Record<string, string> }> {
  const s = await buildTestServer({ clock: new FakeClock() });
  servers.push(s);
  await s.auth.createUser({ name, role: 'admin', secret: PASSPHRASE }, actors.cli);
  const res = await s.app.inject({ method: 'POST', url: '/api/admin/session', payload: { name, passphrase: PASSPHRASE } });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  return { s, headers: { cookie, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken } };
}

describe("the admin panel's language, kept with the account", () => {
  it('is the browser’s until chosen, then the chosen one on every sign-in, and the browser’s again on `auto`', async () => {
    const { s, headers } = await signedIn('Inès');
    const language = async (): Promise<string | null> =>
      (await s.app.inject({ url: '/api/admin/session', headers })).json<{ user: { language: string | null } }>().user.language;
    expect(await language()).toBeNull();
    const set = (value: string) =>
      s.app.inject({ method: 'PUT', url: '/api/admin/session/language', headers, payload: { language: value } });
    const chosen = await set('fr');
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().user).toMatchObject({ name: 'Inès', language: 'fr' });
    expect(await language()).toBe('fr');
    // Another device: the same account signs in and gets French.
    const again = await s.app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'Inès', passphrase: PASSPHRASE } });
    expect(again.json().user.language).toBe('fr');
    // The music languages the person likes are another preference, and stay.
    s.store.users.update(s.store.users.byName('Inès')?.id ?? -1, { preferences: { languages: ['pt'], screenLanguage: 'fr' } });
    await set('auto');
    expect(await language()).toBeNull();
    expect(s.store.users.byName('Inès')?.preferences).toEqual({ languages: ['pt'] });
  });

  it('refuses what is not a language code, and a change without the CSRF token', async () => {
    const { s, headers } = await signedIn('Sam');
    const bad = await s.app.inject({ method: 'PUT', url: '/api/admin/session/language', headers, payload: { language: 'french' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('language');
    const noCsrf = await s.app.inject({
      method: 'PUT',
      url: '/api/admin/session/language',
      headers: { cookie: headers['cookie'] ?? '' },
      payload: { language: 'de' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(s.store.users.byName('Sam')?.preferences.screenLanguage).toBeUndefined();
  });
});
