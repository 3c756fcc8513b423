import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTALL_DIR } from '../version.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, type TestServer } from '../testing/server.js';
import type { ApplianceLibrary } from './routes/appliance.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { LibraryService, type Scanner } from '../music/library-service.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { actors } from '../store/audit.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const PASSPHRASE = 'correct horse battery';
const COVER = `${'ab'.repeat(32)}.png`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

const dirs: string[] = [];
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.app.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mb-appliance-'));
  dirs.push(dir);
  return dir;
}

/** A library for its covers alone: no test here scans it. */
function coversOnly(coversDir: string): ApplianceLibrary {
  return {
    rescan: () => {
      throw new Error('Expected no scan in this test');
    },
    coversDir,
  };
}

/** The library service on `store`, with a scanner whose scans run until `finish()` is called. */
function testLibrary(store: SqliteStore, coversDir: string) {
  let release: () => void = () => undefined;
  let scans = 0;
  const scanner: Scanner = {
    scan: (root) =>
      new Promise((resolve) => {
        scans++;
        release = () => resolve({ root, files: 0, added: 0, updated: 0, unchanged: 0, missing: 0, failed: [], coversWritten: 0, ms: 1 });
      }),
  };
  const service = new LibraryService(
    { scanner, clock: new FakeClock(), log: silent, bus: new EventBus(throwingReporter), count: () => 0, folders: () => ['/music'], store },
    { scanAtStart: false },
  );
  const library: ApplianceLibrary = { rescan: (actor) => service.rescan(actor), coversDir };
  return {
    library,
    scans: () => scans,
    /** Ends the scan running, once the service has seen it end. */
    finish: async () => {
      const running = service.scan();
      release();
      await running;
    },
  };
}

async function server(options: Parameters<typeof buildTestServer>[0] = {}): Promise<TestServer> {
  const s = await buildTestServer({ clock: new FakeClock(), ...options });
  servers.push(s);
  await s.auth.createUser({ name: 'Boss', role: 'admin', secret: PASSPHRASE }, actors.cli);
  return s;
}

async function signIn(s: TestServer, name = 'Boss', passphrase = PASSPHRASE) {
  const res = await s.app.inject({ method: 'POST', url: '/api/admin/session', payload: { name, passphrase } });
  expect(res.statusCode).toBe(200);
  const body = res.json<{ csrfToken: string; user: { mustChangePin: boolean } }>();
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie, csrf: body.csrfToken, mustChangePin: body.user.mustChangePin, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

describe('GET /api/covers/:file', () => {
  it('serves a cover to anyone, with its type and a long cache', async () => {
    const covers = tempDir();
    writeFileSync(join(covers, COVER), PNG);
    const s = await server({ library: coversOnly(covers) });
    const res = await s.app.inject(`/api/covers/${COVER}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.rawPayload.equals(PNG)).toBe(true);
  });

  it('answers 404 for a cover that does not exist and 400 for a name that is not a cover', async () => {
    const covers = tempDir();
    writeFileSync(join(covers, '..', 'secret.txt'), 'no');
    const s = await server({ library: coversOnly(covers) });
    const missing = await s.app.inject(`/api/covers/${'cd'.repeat(32)}.jpg`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'MB_ERR_NOT_FOUND', message: expect.stringContaining('No cover') });
    for (const name of ['..%2Fsecret.txt', '..%2F..%2Fetc%2Fpasswd', `${'ab'.repeat(32)}.svg`, 'cover.jpg', `${'AB'.repeat(32)}.png`]) {
      const res = await s.app.inject(`/api/covers/${name}`);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code).toBe('MB_ERR_HTTP_BAD_REQUEST');
    }
  });

  it('serves nothing that is not an image of its named type: a database copied by an older scan, a link, a mislabelled image', async () => {
    const covers = tempDir();
    const database = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 7)]);
    const names = { database: `${'01'.repeat(32)}.png`, link: `${'02'.repeat(32)}.png`, mislabelled: `${'03'.repeat(32)}.jpg` };
    writeFileSync(join(covers, names.database), database);
    writeFileSync(join(covers, '..', 'outside.png'), PNG);
    symlinkSync(join(covers, '..', 'outside.png'), join(covers, names.link));
    writeFileSync(join(covers, names.mislabelled), PNG);
    const s = await server({ library: coversOnly(covers) });
    for (const [what, name] of Object.entries(names)) {
      const res = await s.app.inject(`/api/covers/${name}`);
      expect(res.statusCode, what).toBe(404);
      expect(res.rawPayload.includes(Buffer.from('SQLite format 3')), what).toBe(false);
    }
  });

  it('gives each track in the admin listing the URL of its cover', async () => {
    const s = await server();
    const withCover = s.store.tracks.upsert({ uri: '/m/a.flac', title: 'A', cover: COVER });
    s.store.tracks.upsert({ uri: '/m/b.flac', title: 'B' });
    const { headers } = await signIn(s);
    const page = (await s.app.inject({ url: '/api/admin/tracks', headers })).json<{
      items: Array<{ id: number; coverUrl: string | null }>;
    }>();
    expect(page.items.map((t) => t.coverUrl)).toEqual([`/api/covers/${COVER}`, null]);
    const saved = await s.app.inject({ method: 'PUT', url: `/api/admin/tracks/${withCover.id}/moods`, headers, payload: { moods: [] } });
    expect(saved.json().coverUrl).toBe(`/api/covers/${COVER}`);
  });
});

describe('PUT /api/admin/tracks/:id/moods', () => {
  it('tells the music the library changed, so new mood tags count at once, and audits who set them', async () => {
    const s = await server();
    const changed: string[] = [];
    s.bus.on('libraryChanged', ({ why }) => changed.push(why), 'test');
    const track = s.store.tracks.upsert({ uri: '/m/a.flac', title: 'A', artist: 'B' });
    const { headers } = await signIn(s);
    const saved = await s.app.inject({
      method: 'PUT',
      url: `/api/admin/tracks/${track.id}/moods`,
      headers,
      payload: { moods: [{ mood: 'calm', weight: 1 }] },
    });
    expect(saved.statusCode).toBe(200);
    expect(changed).toEqual(['edit']);
    const boss = s.store.users.byName('Boss')?.id;
    expect(s.store.audit.list({ action: 'track.moods' }).items).toMatchObject([
      { actor: `admin:${boss}`, target: 'B - A', detail: { moods: ['calm'] } },
    ]);
  });
});

describe('POST /api/admin/library/scan', () => {
  it('starts a scan, answers at once, joins a scan already running, and writes the audit log', async () => {
    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path: ':memory:' });
    const library = testLibrary(store, tempDir());
    const s = await server({ store, library: library.library });
    const { headers } = await signIn(s);
    const first = await s.app.inject({ method: 'POST', url: '/api/admin/library/scan', headers });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ scanning: true, joined: false });
    const second = await s.app.inject({ method: 'POST', url: '/api/admin/library/scan', headers });
    expect(second.json()).toEqual({ scanning: true, joined: true });
    expect(library.scans()).toBe(1);
    await library.finish();
    await s.app.inject({ method: 'POST', url: '/api/admin/library/scan', headers });
    expect(library.scans()).toBe(2);
    await library.finish();
    const audit = s.store.audit.list({ limit: 10, offset: 0 }).items.filter((e) => e.action === 'library.scan');
    expect(audit.map((e) => e.detail)).toEqual([{ joined: false }, { joined: true }, { joined: false }]);
  });

  it('needs an admin and the CSRF token', async () => {
    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path: ':memory:' });
    const library = testLibrary(store, tempDir());
    const s = await server({ store, library: library.library });
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/library/scan' })).statusCode).toBe(401);
    const { cookie } = await signIn(s);
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/library/scan', headers: { cookie } })).statusCode).toBe(403);
    expect(library.scans()).toBe(0);
  });
});

describe('the model report', () => {
  function modelDir(options: { images?: string[] } = {}): string {
    const dir = tempDir();
    const figure = (accuracy: number, flipTta: boolean) => ({
      n: 3589,
      accuracy,
      macroRecall: accuracy - 0.05,
      flipTta,
      usage: 'PublicTest',
      imagesPerSecond: 1000,
      ferPlusMajority: { n: 3579, accuracy: accuracy + 0.05 },
      perClass: { happy: { n: 895, correct: 800, recall: 0.89 }, sad: { n: 653, correct: 400, recall: flipTta ? 0.62 : 0.61 } },
    });
    const manifest = {
      models: {
        'emotion-float.onnx': {
          sha256: 'f'.repeat(64),
          labels: ['happy', 'sad'],
          flipTta: false,
          provenance: 'float run',
          licence: 'MIT',
          accuracy: { publicTest: figure(0.67, false), publicTestFlipTta: figure(0.675, true) },
        },
        'emotion-int8.onnx': {
          sha256: 'e'.repeat(64),
          bytes: 700000,
          labels: ['happy', 'sad'],
          flipTta: false,
          sourceEpoch: 56,
          quantization: { format: 'QDQ', weights: 'int8 per-channel', activations: 'uint8 per-tensor' },
          provenance: 'quantized from emotion-float.onnx',
          licence: 'MIT',
          accuracy: { publicTest: figure(0.669, false), publicTestFlipTta: figure(0.674, true) },
        },
      },
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    mkdirSync(join(dir, 'report'));
    for (const image of options.images ?? []) writeFileSync(join(dir, 'report', image), PNG);
    return join(dir, 'emotion-int8.onnx');
  }

  it('answers the entry of the model in use with every accuracy figure and the plots that exist', async () => {
    const s = await server({ modelPath: modelDir({ images: ['confusion.png'] }) });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/model', headers });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      file: 'emotion-int8.onnx',
      sha256: 'e'.repeat(64),
      bytes: 700000,
      labels: ['happy', 'sad'],
      flipTta: false,
      sourceEpoch: 56,
      quantization: 'int8 per-channel; uint8 per-tensor',
      provenance: 'quantized from emotion-float.onnx',
      licence: 'MIT',
      perClass: [
        { label: 'happy', n: 895, recall: 0.89 },
        { label: 'sad', n: 653, recall: 0.61 },
      ],
      images: [{ file: 'confusion.png', title: 'Confusion matrix on PublicTest', url: '/api/admin/model/report/confusion.png' }],
    });
    const rows = (report as { figures: Array<Record<string, unknown>> }).figures.map((f) => [
      f['file'],
      f['precision'],
      f['isInUse'],
      f['flipTta'],
      f['accuracy'],
      (f['ferPlusMajority'] as { accuracy: number }).accuracy,
    ]);
    expect(rows).toEqual([
      ['emotion-int8.onnx', 'int8', true, false, 0.669, 0.669 + 0.05],
      ['emotion-int8.onnx', 'int8', true, true, 0.674, 0.674 + 0.05],
      ['emotion-float.onnx', 'float', false, false, 0.67, 0.67 + 0.05],
      ['emotion-float.onnx', 'float', false, true, 0.675, 0.675 + 0.05],
    ]);
    const image = await s.app.inject({ url: '/api/admin/model/report/confusion.png', headers });
    expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/png']);
    expect((await s.app.inject({ url: '/api/admin/model/report/curves.png', headers })).statusCode).toBe(404);
    expect((await s.app.inject({ url: '/api/admin/model/report/manifest.json', headers })).statusCode).toBe(400);
    expect((await s.app.inject({ url: '/api/admin/model/report/..%2Fmanifest.json', headers })).statusCode).toBe(400);
  });

  it('reads the shipped manifest: int8 and float PublicTest figures with FER+ majority', async () => {
    const s = await server({ modelPath: join(INSTALL_DIR, 'models', 'emotion-int8.onnx') });
    const { headers } = await signIn(s);
    const report = (await s.app.inject({ url: '/api/admin/model', headers })).json<{
      file: string;
      figures: Array<{ precision: string; usage: string; accuracy: number; ferPlusMajority: { accuracy: number } | null }>;
    }>();
    expect(report.file).toBe('emotion-int8.onnx');
    expect(new Set(report.figures.map((f) => f.precision))).toEqual(new Set(['int8', 'float']));
    for (const f of report.figures) {
      expect(f.usage).toBe('PublicTest');
      expect(f.accuracy).toBeGreaterThan(0.5);
      expect(f.ferPlusMajority?.accuracy).toBeGreaterThan(0.5);
    }
  });

  it('answers 404 with the reason when there is no readable manifest', async () => {
    const s = await server({ modelPath: join(tempDir(), 'emotion-int8.onnx') });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/model', headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/manifest\.json cannot be read/);
  });
});

describe('GET /api/admin/camera/preview.jpg', () => {
  it('serves the newest preview, never cached', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const s = await server({ config: { vision: { preview: true } }, preview: () => ({ jpeg, at: 1234, width: 320, height: 240 }) });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/camera/preview.jpg', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-captured-at']).toBe('1234');
    expect(res.rawPayload.equals(jpeg)).toBe(true);
  });

  it('says how to turn the live view on when previews are off', async () => {
    const s = await server({ preview: () => undefined });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/camera/preview.jpg', headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({
      code: 'MB_ERR_NOT_FOUND',
      message: 'The live view is off: set vision.preview to true and restart Moodbox.',
      said: { id: 'camera.previewOff' },
    });
  });

  it('gives the camera status while previews are on but no frame is there', async () => {
    const s = await server({ config: { vision: { preview: true } }, preview: () => undefined });
    s.hub.update('camera', { status: 'unavailable', detail: 'cannot open /dev/video0' });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/camera/preview.jpg', headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      message: 'No preview: the camera is unavailable (cannot open /dev/video0).',
      said: { id: 'camera.noPreviewDetail', values: { status: { said: 'camera.state.unavailable' }, detail: 'cannot open /dev/video0' } },
    });
  });
});

describe('GET /api/admin/camera/faces', () => {
  const analysed = {
    at: 1234,
    width: 640,
    height: 480,
    mood: 'happy',
    faces: [
      {
        trackId: 3,
        box: [90, 100, 170, 170],
        emotion: 'happy',
        confidence: 0.875,
        probabilities: { angry: 0.01, disgust: 0, fear: 0.015, happy: 0.875, sad: 0.02, surprise: 0.03, neutral: 0.05 },
      },
      {
        trackId: 4,
        box: [410, 150, 120, 120],
        emotion: 'sad',
        confidence: 0.6,
        probabilities: { angry: 0.1, disgust: 0, fear: 0.1, happy: 0.05, sad: 0.6, surprise: 0.05, neutral: 0.1 },
      },
    ],
    timing: { detectMs: 12.5, classifyMs: 4.25, totalMs: 17 },
  };

  it('answers the faces of the newest analysed frame, never cached, also while previews are off', async () => {
    const s = await server({ faces: () => analysed });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/camera/faces', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual(analysed);
    // The model's label order is kept, for bars that stay in place.
    expect(Object.keys(res.json<typeof analysed>().faces[0]?.probabilities ?? {})).toEqual(
      Object.keys(analysed.faces[0]?.probabilities ?? {}),
    );
  });

  it('says how large faces appeared over the last minutes, and what to change', async () => {
    const sizes = {
      faces: 240,
      smallestPx: 14,
      medianPx: 19,
      largestPx: 41,
      frameWidth: 640,
      frameHeight: 480,
      minutes: 5,
      advice: 'most faces are under 24 px',
    };
    const s = await server({ faces: () => ({ ...analysed, sizes: { ...sizes, extra: 1 } as typeof sizes }) });
    const { headers } = await signIn(s);
    const body = (await s.app.inject({ url: '/api/admin/camera/faces', headers })).json<Record<string, unknown>>();
    expect(body['sizes']).toEqual(sizes);
  });

  it('answers a frame with no one in view as an empty list', async () => {
    const s = await server({ config: { vision: { preview: true } }, faces: () => ({ ...analysed, mood: 'nobody', faces: [] }) });
    const { headers } = await signIn(s);
    const res = await s.app.inject({ url: '/api/admin/camera/faces', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mood: 'nobody', faces: [] });
  });

  it('sends only the documented fields', async () => {
    const extra = { ...analysed, jpeg: 'pixels', faces: [{ ...analysed.faces[0], crop: [1, 2, 3] }] };
    const s = await server({ faces: () => extra as unknown as typeof analysed });
    const { headers } = await signIn(s);
    const body = (await s.app.inject({ url: '/api/admin/camera/faces', headers })).json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['at', 'faces', 'height', 'mood', 'timing', 'width']);
    expect(Object.keys((body['faces'] as Array<Record<string, unknown>>)[0] ?? {}).sort()).toEqual([
      'box',
      'confidence',
      'emotion',
      'probabilities',
      'trackId',
    ]);
  });

  it('says why there are no faces: camera turned off, not analysed yet, or unavailable', async () => {
    const off = await server();
    const offRes = await off.app.inject({ url: '/api/admin/camera/faces', headers: (await signIn(off)).headers });
    expect(offRes.statusCode).toBe(404);
    expect(offRes.json().error).toEqual({
      code: 'MB_ERR_NOT_FOUND',
      message: 'The camera is turned off in the configuration: set camera.enabled to true and restart Moodbox.',
      said: { id: 'camera.turnedOff' },
    });

    const s = await server({ faces: () => undefined });
    const { headers } = await signIn(s);
    s.hub.update('camera', { status: 'on', detail: null });
    const notYet = await s.app.inject({ url: '/api/admin/camera/faces', headers });
    expect(notYet.statusCode).toBe(404);
    expect(notYet.json().error.message).toBe('No faces yet: the camera has not delivered a frame to analyse. Try again in a moment.');
    s.hub.update('camera', { status: 'unavailable', detail: 'cannot open /dev/video0' });
    const unavailable = await s.app.inject({ url: '/api/admin/camera/faces', headers });
    expect(unavailable.json().error.message).toBe('No face analysis: the camera is unavailable (cannot open /dev/video0).');
  });

  it('needs an admin', async () => {
    const s = await server({ faces: () => analysed });
    expect((await s.app.inject('/api/admin/camera/faces')).statusCode).toBe(401);
  });
});

describe('a passphrase that must be changed', () => {
  async function demoAdmin(s: TestServer) {
    await s.auth.createUser({ name: 'admin', role: 'admin', secret: 'moodbox-demo-admin', mustChangePin: true }, actors.demo);
    return signIn(s, 'admin', 'moodbox-demo-admin');
  }

  it('closes every other admin route with 403 until a new one is chosen', async () => {
    const s = await server({ library: coversOnly(tempDir()) });
    const { headers, mustChangePin } = await demoAdmin(s);
    expect(mustChangePin).toBe(true);
    const session = await s.app.inject({ url: '/api/admin/session', headers });
    expect([session.statusCode, session.json().user.mustChangePin]).toEqual([200, true]);
    for (const [method, url] of [
      ['GET', '/api/admin/users'],
      ['GET', '/api/admin/settings'],
      ['POST', '/api/admin/library/scan'],
      ['PUT', '/api/admin/users/1/pin'],
    ] as const) {
      const res = await s.app.inject({ method, url, headers, ...(method === 'PUT' ? { payload: { pin: 'x'.repeat(12) } } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error).toEqual({
        code: 'MB_ERR_HTTP_FORBIDDEN',
        message: expect.stringMatching(/^Choose a new passphrase first/),
        said: { id: 'auth.changePassphraseFirst', values: { name: 'admin', route: '/api/admin/me/passphrase' } },
      });
    }
  });

  it('refuses a wrong current passphrase (403, the session stays), a short one and the same one', async () => {
    const s = await server();
    const { headers } = await demoAdmin(s);
    const change = (currentPassphrase: string, newPassphrase: string) =>
      s.app.inject({ method: 'POST', url: '/api/admin/me/passphrase', headers, payload: { currentPassphrase, newPassphrase } });
    const wrong = await change('not the passphrase', 'a new passphrase');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toEqual({
      code: 'MB_ERR_AUTH_FAILED',
      message: 'The current passphrase is not right.',
      said: { id: 'auth.currentPassphraseWrong' },
    });
    const short = await change('moodbox-demo-admin', 'short');
    expect([short.statusCode, short.json().error.code]).toEqual([400, 'MB_ERR_AUTH_POLICY']);
    const same = await change('moodbox-demo-admin', 'moodbox-demo-admin');
    expect([same.statusCode, same.json().error.message]).toEqual([400, 'Choose a passphrase other than the current one.']);
    expect((await s.app.inject({ url: '/api/admin/session', headers })).statusCode).toBe(200);
    expect(s.store.users.byName('admin')?.mustChangePin).toBe(true);
    const noCsrf = await s.app.inject({
      method: 'POST',
      url: '/api/admin/me/passphrase',
      headers: { cookie: headers.cookie },
      payload: { currentPassphrase: 'moodbox-demo-admin', newPassphrase: 'a new passphrase' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('sets the new passphrase, replaces the session, and opens the admin routes', async () => {
    const s = await server();
    const old = await demoAdmin(s);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/admin/me/passphrase',
      headers: old.headers,
      payload: { currentPassphrase: 'moodbox-demo-admin', newPassphrase: 'a much better passphrase' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ csrfToken: string; user: { name: string; mustChangePin: boolean } }>();
    expect(body.user).toMatchObject({ name: 'admin', mustChangePin: false });
    expect(body.csrfToken).not.toBe(old.csrf);
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toMatch(/^mb_admin=/);
    expect(cookie).not.toBe(old.cookie);
    expect((await s.app.inject({ url: '/api/admin/users', headers: old.headers })).statusCode).toBe(401);
    expect((await s.app.inject({ url: '/api/admin/users', headers: { cookie } })).statusCode).toBe(200);
    expect(s.store.users.byName('admin')?.mustChangePin).toBe(false);
    expect(
      (await s.app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'admin', passphrase: 'moodbox-demo-admin' } }))
        .statusCode,
    ).toBe(401);
    await signIn(s, 'admin', 'a much better passphrase');
    const actions = s.store.audit.list({ limit: 50, offset: 0 }).items.map((e) => e.action);
    expect(actions).toContain('user.pin');
  });

  it('lets an admin who need not change it change it too: the session ends, and only the new one signs in', async () => {
    const s = await server();
    const { headers } = await signIn(s);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/admin/me/passphrase',
      headers,
      payload: { currentPassphrase: PASSPHRASE, newPassphrase: 'another good passphrase' },
    });
    expect(res.statusCode).toBe(200);
    // The session signed in with the old one ends with it.
    expect((await s.app.inject({ url: '/api/admin/users', headers })).statusCode).toBe(401);
    const old = await s.app.inject({ method: 'POST', url: '/api/admin/session', payload: { name: 'Boss', passphrase: PASSPHRASE } });
    expect([old.statusCode, old.json().error.code, old.headers['set-cookie']]).toEqual([401, 'MB_ERR_AUTH_FAILED', undefined]);
    await signIn(s, 'Boss', 'another good passphrase');
    expect(s.store.audit.list({ action: 'user.pin' }).items).toMatchObject([{ target: 'Boss' }]);
  });
});

describe('OpenAPI', () => {
  it('describes the new routes, admin ones tagged admin', async () => {
    const s = await server();
    const doc = (await s.app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Record<string, { operationId: string; tags: string[]; responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    }>();
    const op = (path: string, method: string) => doc.paths[path]?.[method];
    expect(op('/api/covers/{file}', 'get')?.tags).toEqual(['kiosk']);
    expect(Object.keys(op('/api/covers/{file}', 'get')?.responses['200']?.content ?? {})).toContain('image/jpeg');
    for (const [path, method, id] of [
      ['/api/admin/library/scan', 'post', 'scanLibrary'],
      ['/api/admin/model', 'get', 'getModelReport'],
      ['/api/admin/model/report/{file}', 'get', 'getModelReportImage'],
      ['/api/admin/camera/preview.jpg', 'get', 'getCameraPreview'],
      ['/api/admin/camera/faces', 'get', 'getCameraFaces'],
      ['/api/admin/me/passphrase', 'post', 'changeOwnPassphrase'],
    ] as const) {
      expect(op(path, method)?.operationId, path).toBe(id);
      expect(op(path, method)?.tags, path).toEqual(['admin']);
    }
  });
});
