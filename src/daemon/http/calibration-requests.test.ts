// A person signed in at the kiosk, by card or PIN, calibrates Moodbox to their expressions over
// `/ws` from the kiosk's own screen (or with their token elsewhere); other screens are refused, and
// deleting their account signs them out and leaves nothing of their calibration in memory.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { saidInEnglish } from '../../kernel/testing/said-in-english.js';
import type { Said } from '../../kernel/said.js';
import { PersonalCalibrationService } from '../camera/personal-calibration-service.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { resultFromLogits } from '../../vision/emotion-classifier.js';
import type { VisionEvents } from '../../vision/vision-events.js';
import { KIOSK_SCREEN, LAN_PAGE, socket } from '../testing/ws-socket.js';
import { actors } from '../store/audit.js';

const LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const CARD = '0004417733';
let seed = 5;
const random = (): number => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};
/** A face the model reads as `top`, whose embedding sits in cluster `cluster`. */
const face = (top: string, cluster: number) => ({
  logits: Float32Array.from(LABELS, (l) => (l === top ? 1.5 : 0) + random() * 0.5),
  embedding: Float32Array.from({ length: 192 }, (_, j) => (j % 4 === cluster ? 2 : 0) + random() * 0.6),
});

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

/**
 * The real server with a calibration service on a fake camera (`show` puts a face in view), an
 * admin (Boss), and Ada with a card, signed in at the kiosk by tapping it.
 */
async function kiosk(options: { camera?: boolean } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
  const events = new EventBus<VisionEvents>(throwingReporter);
  let service: PersonalCalibrationService | undefined;
  const server = await buildTestServer({
    clock,
    ...(options.camera === false
      ? {}
      : {
          calibration: ({ store, presence, bus }) =>
            (service = new PersonalCalibrationService(
              {
                store: store.calibrations,
                clock,
                model: () => ({ labels: LABELS, sha256: 'b'.repeat(64), temperature: 1 }),
                signedIn: () => presence.user,
                bus,
              },
              { events },
            )),
        }),
  });
  open.push(server.app);
  await service?.start();
  await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
  const ada = await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
  server.store.cards.link({ cardId: CARD, userId: ada.id });
  expect(server.presence.card(CARD, 'rfid')).toBe('signed-in');
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
  /** The face in view read through the signed-in person's calibration: its label, or undefined for the generic reading. */
  const personalLabel = (f: ReturnType<typeof face>): string | undefined =>
    service?.personalize({ ...resultFromLogits(LABELS, f.logits, 0), ...f })?.label;
  /** Records nine faces for each of two expressions: their resting face reads as sad to the generic model. */
  const record = async (ask: (type: string, data?: unknown) => Promise<Record<string, unknown>>): Promise<void> => {
    for (const [expression, reads, cluster] of [
      ['neutral', 'sad', 0],
      ['happy', 'happy', 1],
    ] as const) {
      for (let i = 0; i < 9; i++) {
        show(face(reads, cluster));
        expect(await ask('me/calibration/sample', { expression })).toMatchObject({ status: 'ok' });
        clock.advance(300);
      }
    }
  };
  return { ...server, clock, ada, show, personalLabel, record };
}

describe('the calibration requests on /ws', () => {
  it('a person signed in by card calibrates from the kiosk screen, is read through it, and deletes it', async () => {
    const box = await kiosk();
    const screen = await socket(box.app, KIOSK_SCREEN);
    expect(await screen.ask('me/calibration')).toEqual(expect.objectContaining({ status: 'ok', data: { recording: null, stored: null } }));
    expect(await screen.ask('me/calibration/start')).toMatchObject({ status: 'ok', data: { recording: { samples: {} }, stored: null } });
    // Nobody in view: its own code, so the kiosk can say "Look at the camera".
    expect(await screen.ask('me/calibration/sample', { expression: 'neutral' })).toMatchObject({
      status: 'error',
      error: { code: 'MB_ERR_CAMERA_NO_FACE', message: 'No face is in view: look at the camera.' },
    });
    const bad = await screen.ask('me/calibration/sample', { expression: 'bored' });
    expect(bad).toMatchObject({ status: 'error', error: { code: 'MB_ERR_HTTP_BAD_REQUEST' } });
    expect((bad['error'] as { message: string }).message).toMatch(/expression/);
    await box.record((type, data) => screen.ask(type, data));
    expect(await screen.ask('me/calibration')).toMatchObject({ data: { recording: { samples: { neutral: 9, happy: 9 } } } });

    const finished = await screen.ask('me/calibration/finish');
    expect(finished).toMatchObject({
      status: 'ok',
      data: { recording: null, stored: { used: true, samples: { neutral: 9, happy: 9 }, currentModel: true } },
    });
    expect(box.store.calibrations.get(box.ada.id)?.samples).toHaveLength(18);
    // Their resting face, which the generic model reads as sad, now reads as neutral.
    expect(box.personalLabel(face('sad', 0))).toBe('neutral');

    // A cancelled redo keeps what is stored.
    await screen.ask('me/calibration/start');
    expect(await screen.ask('me/calibration/cancel')).toMatchObject({ data: { recording: null, stored: { used: true } } });

    expect(await screen.ask('me/calibration/delete')).toEqual(
      expect.objectContaining({ status: 'ok', data: { recording: null, stored: null } }),
    );
    expect(box.store.calibrations.get(box.ada.id)).toBeUndefined();
    expect(box.personalLabel(face('sad', 0))).toBeUndefined();
  });

  it('a screen that is not the kiosk’s and holds no token is refused; with the person’s token it calibrates', async () => {
    const box = await kiosk();
    const page = await socket(box.app, LAN_PAGE);
    for (const [type, data] of [
      ['me/calibration', undefined],
      ['me/calibration/start', undefined],
      ['me/calibration/sample', { expression: 'happy' }],
      ['me/calibration/finish', undefined],
      ['me/calibration/cancel', undefined],
      ['me/calibration/delete', undefined],
    ] as const) {
      expect(await page.ask(type, data), type).toMatchObject({
        status: 'error',
        error: { code: 'MB_ERR_AUTH_REQUIRED', message: expect.stringContaining('Sign in on this screen') },
      });
    }
    // Nothing was started for Ada by the refused requests.
    const screen = await socket(box.app, KIOSK_SCREEN);
    expect(await screen.ask('me/calibration')).toMatchObject({ data: { recording: null, stored: null } });

    // Ada signs in with her PIN on that page: her token lets it act for her.
    const signed = await box.auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'test', kind: 'kiosk' });
    box.presence.signedIn(signed);
    expect(await page.ask('me/calibration/start', undefined, signed.token)).toMatchObject({ status: 'ok' });
    await box.record((type, data) => page.ask(type, data, signed.token));
    expect(await page.ask('me/calibration/finish', undefined, signed.token)).toMatchObject({ data: { stored: { used: true } } });
    // Her export holds every recorded number.
    const exported = await box.app.inject({ method: 'GET', url: '/api/me/export', headers: { authorization: `Bearer ${signed.token}` } });
    const samples = exported.json<{ calibration: { samples: { logits: number[]; embedding: number[] }[] } }>().calibration.samples;
    expect(samples).toHaveLength(18);
    expect(samples[0]?.embedding).toHaveLength(192);
  });

  it('refuses every calibration request while nobody is signed in, and says when the camera is off', async () => {
    const box = await kiosk();
    box.presence.signOut('button');
    const screen = await socket(box.app, KIOSK_SCREEN);
    for (const type of ['me/calibration', 'me/calibration/start', 'me/calibration/delete']) {
      expect(await screen.ask(type), type).toMatchObject({
        status: 'error',
        error: { code: 'MB_ERR_AUTH_REQUIRED', message: expect.stringContaining('nobody is signed in') },
      });
    }

    const off = await kiosk({ camera: false });
    const offScreen = await socket(off.app, KIOSK_SCREEN);
    const refused = (await offScreen.ask('me/calibration/start')) as {
      status: string;
      error: { code: string; message: string; said: Said };
    };
    expect(refused).toMatchObject({ status: 'error', error: { code: 'MB_ERR_CONFLICT', said: { id: 'calibration.cameraOff' } } });
    // The kiosk says it in its language; API clients read the same sentence in English.
    expect(refused.error.message).toBe(saidInEnglish(refused.error.said));
    expect(refused.error.message).toContain('camera is off');
  });

  it('signs a person out at once when an admin deletes them, and keeps nothing of their calibration for whoever comes next', async () => {
    const box = await kiosk();
    const screen = await socket(box.app, KIOSK_SCREEN);
    await screen.ask('me/calibration/start');
    await box.record((type, data) => screen.ask(type, data));
    await screen.ask('me/calibration/finish');
    expect(box.personalLabel(face('sad', 0))).toBe('neutral');
    // A redo in progress when the account goes.
    await screen.ask('me/calibration/start');
    box.show(face('happy', 1));
    await screen.ask('me/calibration/sample', { expression: 'happy' });

    const signIn = await box.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const headers = {
      cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken,
    };
    const deleted = await box.app.inject({ method: 'DELETE', url: `/api/admin/users/${box.ada.id}?history=remove`, headers });
    expect(deleted.statusCode).toBe(204);
    expect(box.presence.user).toBeNull();
    expect(box.kioskChanges.at(-1)).toBeNull();
    expect(box.store.calibrations.get(box.ada.id)).toBeUndefined();
    expect(await screen.ask('me/calibration')).toMatchObject({ status: 'error', error: { code: 'MB_ERR_AUTH_REQUIRED' } });

    // The next account takes the freed id (SQLite reuses the highest rowid): it is read like
    // everyone else, and finds no recording of Ada's.
    const bea = await box.auth.createUser({ name: 'Bea', role: 'member', secret: '1357' }, actors.cli);
    expect(bea.id).toBe(box.ada.id);
    box.presence.signedIn(await box.auth.signInWithSecret({ name: 'Bea', secret: '1357', device: 'test', kind: 'kiosk' }));
    expect(box.personalLabel(face('sad', 0))).toBeUndefined();
    expect(await screen.ask('me/calibration')).toMatchObject({ status: 'ok', data: { recording: null, stored: null } });
  });
});
