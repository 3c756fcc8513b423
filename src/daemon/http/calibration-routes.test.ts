import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../kernel/event-bus.js';
import { PersonalCalibrationService } from '../personal-calibration-service.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { resultFromLogits } from '../../vision/emotion-classifier.js';
import type { VisionEvents } from '../../vision/vision-pipeline.js';

const LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
let seed = 5;
const random = (): number => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};
const face = (top: string, cluster: number) => ({
  logits: Float32Array.from(LABELS, (l) => (l === top ? 1.5 : 0) + random() * 0.5),
  embedding: Float32Array.from({ length: 192 }, (_, j) => (j % 4 === cluster ? 2 : 0) + random() * 0.6),
});

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
  const path = join(mkdtempSync(join(tmpdir(), 'moodbox-calibration-http-')), 'moodbox.db');
  const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path });
  const events = new EventBus<VisionEvents>();
  let service: PersonalCalibrationService | undefined;
  const server = await buildTestServer({
    clock,
    store,
    calibration: ({ presence }) =>
      (service = new PersonalCalibrationService(
        {
          store: store.calibrations,
          clock,
          model: () => ({ labels: LABELS, sha256: 'b'.repeat(64), temperature: 1 }),
          signedIn: () => presence.user,
        },
        { events },
      )),
  });
  await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, 'test');
  const res = await server.app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Ada', pin: '4711' } });
  const token = res.json<{ token: string }>().token;
  const ada = store.users.list().find((u) => u.name === 'Ada');
  if (ada === undefined || service === undefined) throw new Error('setup failed');
  const show = (f: ReturnType<typeof face>): void =>
    events.emit('facesDetected', {
      frame: 1,
      at: clock.now(),
      width: 320,
      height: 240,
      faces: [
        { trackId: 1, box: [100, 60, 120, 120], emotion: 'x', confidence: 1, probabilities: {}, ...f, isTarget: true, personal: false },
      ],
      mood: 'neutral',
      timing: { detectMs: 1, classifyMs: 1, totalMs: 2 },
    });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    server.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload }) });
  return { ...server, clock, path, ada, service, show, call };
}

describe('calibration routes', () => {
  it('a signed-in person records, finishes, sees it in use, finds it in their export, and deletes it', async () => {
    const t = await setup();
    expect((await t.call('GET', '/api/me/calibration')).json()).toEqual({ recording: null, stored: null });
    expect((await t.call('POST', '/api/me/calibration/start')).statusCode).toBe(200);
    const noFace = await t.call('POST', '/api/me/calibration/samples', { expression: 'neutral' });
    expect([noFace.statusCode, noFace.json().error]).toEqual([
      409,
      { code: 'MB_ERR_CAMERA_NO_FACE', message: 'No face is in view: look at the camera.' },
    ]);
    const bad = await t.call('POST', '/api/me/calibration/samples', { expression: 'bored' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/expression/);
    for (const [expression, reads, cluster] of [
      ['neutral', 'sad', 0],
      ['happy', 'happy', 1],
    ] as const) {
      for (let i = 0; i < 9; i++) {
        t.show(face(reads, cluster));
        const res = await t.call('POST', '/api/me/calibration/samples', { expression });
        expect(res.statusCode).toBe(200);
        t.clock.advance(300);
      }
    }
    const finished = (await t.call('POST', '/api/me/calibration/finish')).json();
    expect(finished.recording).toBeNull();
    expect(finished.stored).toMatchObject({ used: true, samples: { neutral: 9, happy: 9 }, currentModel: true });

    // Their next reading of a resting face goes through the head.
    const resting = face('sad', 0);
    expect(t.service.personalize({ ...resultFromLogits(LABELS, resting.logits, 0), ...resting })?.label).toBe('neutral');

    const exported = (await t.call('GET', '/api/me/export')).json<{
      calibration: { samples: { logits: number[]; embedding: number[] }[] };
    }>();
    expect(exported.calibration.samples).toHaveLength(18);
    expect(exported.calibration.samples[0]?.embedding).toHaveLength(192);

    expect((await t.call('DELETE', '/api/me/calibration')).json()).toEqual({ recording: null, stored: null });
    expect((await t.call('GET', '/api/me/export')).json<{ calibration: unknown }>().calibration).toBeNull();
    const db = new Database(t.path, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM personal_calibrations').get() as { n: number }).n).toBe(0);
    db.close();
    t.store.close();
  });

  it('needs a signed-in person', async () => {
    const t = await setup();
    const res = await t.app.inject({ method: 'POST', url: '/api/me/calibration/start' });
    expect(res.statusCode).toBe(401);
    t.store.close();
  });
});
