import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaceSizeSummary } from '../../vision/face-sizes.js';
import type { VisionEvents } from '../../vision/vision-events.js';
import type { RoomMoodLabel } from '../../kernel/room-mood.js';
import { CameraService, facesByEmotion } from './camera-service.js';
import type { MoodboxBus, MoodboxEvents } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { stopService } from '../../kernel/lifecycle.js';

/** The vision loop's events without a camera: the test says what it saw. */
class ScriptedVision {
  readonly name = 'vision';
  readonly events = new EventBus<VisionEvents>(throwingReporter);
  faceSizes: FaceSizeSummary | undefined;
  starts = 0;
  stops = 0;

  async start(): Promise<void> {
    this.starts += 1;
    this.events.emit('cameraChanged', { state: 'on', at: 0 });
  }

  async stop(): Promise<void> {
    this.stops += 1;
    this.events.emit('cameraChanged', { state: 'off', at: 0 });
  }

  /** `personal`: the first face is the target, read through the signed-in person's calibration. */
  frame(faces: number, mood: RoomMoodLabel = 'neutral', personal = false, tooDark = false): void {
    this.events.emit('facesDetected', {
      tooDark,
      frame: 1,
      at: 1000,
      width: 640,
      height: 480,
      faces: Array.from({ length: faces }, (_, i) => ({
        trackId: i + 1,
        box: [10, 20, 80, 80] as const,
        emotion: 'happy',
        confidence: 0.8,
        probabilities: { happy: 0.8, neutral: 0.2 },
        ...(personal ? { isTarget: i === 0, personal: i === 0 } : {}),
      })),
      mood,
      timing: { detectMs: 4, classifyMs: 2, totalMs: 7 },
    });
  }
}

/** Lets the service's queued switching run. */
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

const open: Array<{ camera: CameraService; store: SqliteStore }> = [];
afterEach(async () => {
  for (const { camera, store } of open.splice(0)) {
    await camera.stop();
    store.close();
  }
});

async function setup(rules: { off: string | null } = { off: null }) {
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: ':memory:' });
  const failures: Array<{ event: string; owner: string | undefined }> = [];
  const bus: MoodboxBus = new EventBus((_, event, owner) => void failures.push({ event, owner }));
  const seen: Array<{ [K in keyof MoodboxEvents]: [K, MoodboxEvents[K]] }[keyof MoodboxEvents]> = [];
  for (const name of ['cameraStateChanged', 'facesInViewChanged', 'roomMoodChanged'] as const) {
    bus.on(name, (payload) => seen.push([name, payload] as (typeof seen)[number]), 'test');
  }
  const vision = new ScriptedVision();
  const warnings: string[] = [];
  const log = {
    ...pino({ level: 'silent' }),
    debug() {},
    info() {},
    error() {},
    warn: (_: object, msg: string) => void warnings.push(msg),
  };
  const camera = new CameraService({
    prepare: async () => {},
    release: async () => {},
    vision,
    clock,
    log,
    bus,
    offReason: () => rules.off,
  });
  await camera.start(new AbortController().signal);
  open.push({ camera, store });
  return { clock, store, bus, seen, vision, camera, warnings, rules, failures };
}

describe('CameraService', () => {
  it('says when the faces in view are too dark to read, how long the last hour was, and what to do; readable again after', async () => {
    const { bus, vision, camera, clock } = await setup();
    await settled();
    const light: boolean[] = [];
    bus.on('roomLightChanged', ({ tooDark }) => light.push(tooDark), 'test');
    vision.frame(4, 'happy');
    expect(camera.health().detail ?? '').not.toMatch(/too dark/);
    // Six minutes of a dim bar: every frame too dark.
    for (let s = 0; s < 360; s++) {
      clock.advance(1000);
      vision.frame(4, 'happy', false, true);
    }
    expect(light).toEqual([true]);
    expect(camera.tooDark).toBe(true);
    expect(camera.health().detail).toMatch(
      /faces too dark to read expressions now \(the room mood holds meanwhile\); too dark for 7 of the last 7 minutes with faces in view: a lamp/,
    );
    // The camera page draws the same hour.
    expect(camera.liveFaces()?.light).toMatchObject({
      tooDarkNow: true,
      minutes: 7,
      darkMinutes: 7,
      advice: expect.stringMatching(/^a lamp/),
    });
    expect(camera.liveFaces()?.light?.byMinute.every((m) => m.dark)).toBe(true);
    vision.frame(4, 'happy');
    expect(light).toEqual([true, false]);
    expect(camera.health().detail).toMatch(/faces readable now; too dark for 6 of the last 7 minutes/);
    expect(camera.liveFaces()?.light).toMatchObject({ tooDarkNow: false, darkMinutes: 6, advice: expect.stringMatching(/^a lamp/) });
    // The camera off: nothing is said of the room's light.
    await camera.stop();
    expect(camera.tooDark).toBe(false);
  });

  it('hears nothing once stopped, and a listener of its that fails is reported under its name', async () => {
    const { bus, vision, camera, seen, failures } = await setup();
    bus.emit('settingsChanged', { changed: undefined as unknown as string[] });
    expect(failures).toEqual([{ event: 'settingsChanged', owner: 'CameraService' }]);
    await stopService(camera, [bus, vision.events]);
    seen.length = 0;
    vision.frame(2, 'happy');
    vision.events.emit('moodChanged', { mood: 'happy', previous: 'neutral', at: 5000, scores: { happy: 0.6 } });
    bus.emit('settingsChanged', { changed: undefined as unknown as string[] });
    expect(seen).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(vision.events.listenerCount('facesDetected') + bus.listenerCount('settingsChanged')).toBe(0);
  });

  it('announces the room mood with its scores and faces', async () => {
    const { vision, camera, seen } = await setup();
    vision.frame(2, 'happy');
    vision.events.emit('moodChanged', { mood: 'happy', previous: 'neutral', at: 5000, scores: { happy: 0.6, sad: 0.3, neutral: 0.1 } });
    const room = { label: 'happy', scores: { happy: 0.6, sad: 0.3, neutral: 0.1 }, faces: 2, confidence: 0.6, since: 5000 };
    expect(seen).toEqual([
      ['cameraStateChanged', { status: 'starting', detail: null }],
      ['cameraStateChanged', { status: 'on', detail: null }],
      ['facesInViewChanged', { faces: 2 }],
      ['roomMoodChanged', { mood: room, previous: null }],
    ]);
    expect(camera.room).toEqual(room);
  });

  it('names in its health line the room mood the screens show, and none while the camera is off (issue 16)', async () => {
    const { vision, camera, bus, rules } = await setup();
    expect(camera.health().detail ?? '').not.toMatch(/mood/);
    vision.events.emit('moodChanged', { mood: 'happy', previous: 'nobody', at: 5000, scores: { happy: 0.7 } });
    expect(camera.health().detail).toMatch(/^camera on; room mood happy/);
    vision.events.emit('moodChanged', { mood: 'neutral', previous: 'happy', at: 9000, scores: { neutral: 0.6 } });
    expect(camera.health().detail).toMatch(/^camera on; room mood neutral/);
    rules.off = 'turned off by the admin';
    bus.emit('settingsChanged', { changed: ['camera.enabled'] });
    await settled();
    expect(camera.health().detail).toBe('camera off: turned off by the admin');
  });

  it('says the room is empty when the camera starts on an empty room, once, so the screens show nobody rather than nothing known', async () => {
    const { vision, seen, camera } = await setup();
    vision.frame(0, 'nobody');
    vision.frame(0, 'nobody');
    const moods = () => seen.flatMap((event) => (event[0] === 'roomMoodChanged' ? [event] : []));
    expect(moods()).toEqual([
      ['roomMoodChanged', { mood: { label: 'nobody', scores: {}, faces: 0, confidence: 0, since: 1000 }, previous: null }],
    ]);
    expect(camera.room?.label).toBe('nobody');
    // Someone walks in: the reading's own change is said as before.
    vision.frame(1, 'nobody');
    vision.events.emit('moodChanged', { mood: 'happy', previous: 'nobody', at: 5000, scores: { happy: 0.9 } });
    expect(moods().map(([, { mood, previous }]) => [mood?.label, previous])).toEqual([
      ['nobody', null],
      ['happy', 'nobody'],
    ]);
  });

  it('announces the faces in view only when their number changes, and keeps the newest frame for the live view', async () => {
    const { vision, camera, seen } = await setup();
    vision.frame(1);
    vision.frame(1);
    vision.frame(0);
    expect(seen.filter(([name]) => name === 'facesInViewChanged')).toEqual([
      ['facesInViewChanged', { faces: 1 }],
      ['facesInViewChanged', { faces: 0 }],
    ]);
    vision.frame(1);
    expect(camera.liveFaces()).toMatchObject({ width: 640, faces: [{ trackId: 1, box: [10, 20, 80, 80], emotion: 'happy' }] });
    vision.events.emit('previewCaptured', { at: 1, jpeg: Buffer.from([0xff, 0xd8]), width: 320, height: 240 });
    expect(camera.preview()?.width).toBe(320);
  });

  // Issue 37: the admin's camera page says how large faces appear in the room, and what to change.
  it('gives the live view how large faces appeared over the last minutes, with what to change when they are small', async () => {
    const { vision, camera } = await setup();
    vision.frame(1);
    expect(camera.liveFaces()?.sizes).toBeUndefined();
    const room = { faces: 240, smallestPx: 14, medianPx: 19, largestPx: 41, frameWidth: 640, frameHeight: 480, overMs: 300_000 };
    vision.faceSizes = room;
    vision.frame(3);
    expect(camera.liveFaces()?.sizes).toEqual({
      faces: 240,
      smallestPx: 14,
      medianPx: 19,
      largestPx: 41,
      frameWidth: 640,
      frameHeight: 480,
      minutes: 5,
      advice: expect.stringMatching(/^most faces are under 24 px, .*1280x720 camera/) as string,
    });
    vision.faceSizes = { ...room, smallestPx: 30, medianPx: 52, largestPx: 90, overMs: 40_000 };
    vision.frame(2);
    expect(camera.liveFaces()?.sizes).toMatchObject({ medianPx: 52, minutes: 1, advice: null });
  });

  it("says when the face in front is read through the signed-in person's calibration, and stops saying it with the camera off (issue 19)", async () => {
    const { vision, bus, rules } = await setup();
    const said: boolean[] = [];
    bus.on('personalReadingChanged', ({ isPersonal }) => said.push(isPersonal), 'test');
    vision.frame(1);
    vision.frame(2, 'happy', true);
    vision.frame(2, 'happy', true);
    vision.frame(1);
    vision.frame(1, 'happy', true);
    expect(said).toEqual([true, false, true]);
    rules.off = 'turned off by the admin';
    bus.emit('settingsChanged', { changed: ['camera.enabled'] });
    await settled();
    expect(said).toEqual([true, false, true, false]);
  });

  it('turns the camera off by the admin rules at once when the camera settings change, and forgets what it saw', async () => {
    const { vision, camera, seen, bus, rules } = await setup();
    vision.frame(1);
    vision.events.emit('previewCaptured', { at: 1, jpeg: Buffer.from([0xff, 0xd8]), width: 320, height: 240 });
    rules.off = 'outside camera hours (08:00–18:00)';
    bus.emit('settingsChanged', { changed: ['player.volume'] });
    await settled();
    expect(vision.stops).toBe(0);
    bus.emit('settingsChanged', { changed: ['camera.hours'] });
    await settled();
    expect(vision.stops).toBe(1);
    expect(camera.status).toBe('off');
    expect(seen.at(-1)).toEqual(['cameraStateChanged', { status: 'off', detail: 'outside camera hours (08:00–18:00)' }]);
    expect(camera.preview()).toBeUndefined();
    expect(camera.liveFaces()).toBeUndefined();
    rules.off = null;
    bus.emit('settingsChanged', { changed: ['camera.enabledNow'] });
    await settled();
    expect(vision.starts).toBe(2);
    expect(seen.at(-1)).toEqual(['cameraStateChanged', { status: 'on', detail: null }]);
  });

  it('knows nothing of the room while the camera does not see it: off, lost or starting, no faces and no mood, and none from before when it sees again (issue 38)', async () => {
    const { vision, camera, seen, bus, rules } = await setup();
    vision.frame(2, 'happy');
    vision.events.emit('moodChanged', { mood: 'happy', previous: 'nobody', at: 5000, scores: { happy: 0.9 } });
    expect(camera.room?.label).toBe('happy');
    seen.length = 0;
    rules.off = 'turned off by an admin';
    bus.emit('settingsChanged', { changed: ['camera.enabled'] });
    await settled();
    // Forgotten before the camera's state is told: nobody hearing "off" reads the old room.
    expect(seen).toEqual([
      ['facesInViewChanged', { faces: 0 }],
      ['roomMoodChanged', { mood: null, previous: 'happy' }],
      ['cameraStateChanged', { status: 'off', detail: 'turned off by an admin' }],
    ]);
    expect([camera.room, camera.facesInView]).toEqual([null, 0]);

    // On again: "starting", then "on", and still no mood until the vision loop reads a fresh one.
    seen.length = 0;
    rules.off = null;
    bus.emit('settingsChanged', { changed: ['camera.enabled'] });
    await settled();
    expect(seen).toEqual([
      ['cameraStateChanged', { status: 'starting', detail: null }],
      ['cameraStateChanged', { status: 'on', detail: null }],
    ]);
    expect(camera.room).toBeNull();
    vision.frame(1, 'sad');
    vision.events.emit('moodChanged', { mood: 'sad', previous: 'nobody', at: 9000, scores: { sad: 0.8 } });
    expect(camera.room).toMatchObject({ label: 'sad', faces: 1, since: 9000 });

    // Lost: the same. A frame still in flight when it was lost says nothing of the room.
    seen.length = 0;
    vision.events.emit('cameraChanged', { state: 'unavailable', at: 10_000, reason: 'no frames for 10 s' });
    vision.frame(3, 'happy');
    vision.events.emit('moodChanged', { mood: 'happy', previous: 'sad', at: 10_100, scores: { happy: 0.8 } });
    expect(seen).toEqual([
      ['facesInViewChanged', { faces: 0 }],
      ['roomMoodChanged', { mood: null, previous: 'sad' }],
      ['cameraStateChanged', { status: 'unavailable', detail: 'no frames for 10 s' }],
    ]);
    expect([camera.room, camera.facesInView, camera.liveFaces()]).toEqual([null, 0, undefined]);
  });

  it('says once that the camera is off by the rules, not again at every check, and again when the reason changes', async () => {
    const { clock, seen, rules } = await setup({ off: 'camera turned off by staff' });
    const offs = () => seen.filter(([name]) => name === 'cameraStateChanged');
    expect(offs()).toEqual([['cameraStateChanged', { status: 'off', detail: 'camera turned off by staff' }]]);
    clock.advance(60_000);
    await settled();
    expect(offs()).toHaveLength(1);
    rules.off = 'outside camera hours (08:00–18:00)';
    clock.advance(15_000);
    await settled();
    expect(offs()).toEqual([
      ['cameraStateChanged', { status: 'off', detail: 'camera turned off by staff' }],
      ['cameraStateChanged', { status: 'off', detail: 'outside camera hours (08:00–18:00)' }],
    ]);
  });
});

describe('the faces in view by emotion (issue 37)', () => {
  /** One frame whose faces vote with these steady emotions (null: not yet read surely); each frame's own reading is sad. */
  function frame(vision: ScriptedVision, steady: ReadonlyArray<string | null>): void {
    vision.events.emit('facesDetected', {
      frame: 1,
      at: 1000,
      width: 640,
      height: 480,
      faces: steady.map((steadyEmotion, i) => ({
        trackId: i + 1,
        box: [10 + 40 * i, 20, 30, 30] as const,
        emotion: 'sad',
        confidence: 0.5,
        probabilities: { sad: 0.5, neutral: 0.3, happy: 0.2 },
        steadyEmotion,
        voteWeight: 0.9,
      })),
      mood: 'neutral',
      timing: { detectMs: 4, classifyMs: 2, totalMs: 7 },
    });
  }

  it('counts each face by the emotion it votes with, most first, and says so only when the counts change', async () => {
    const { bus, vision } = await setup();
    const read: Array<Readonly<Record<string, number>>> = [];
    bus.on('facesReadChanged', ({ byEmotion }) => read.push(byEmotion), 'test');
    frame(vision, ['neutral', 'happy', 'neutral', null]);
    frame(vision, ['happy', 'neutral', 'neutral', null]);
    frame(vision, ['neutral', 'happy', 'happy', 'sad']);
    frame(vision, []);
    expect(read).toEqual([{ neutral: 2, happy: 1, unsure: 1 }, { happy: 2, neutral: 1, sad: 1 }, {}]);
    expect(read.map((r) => Object.keys(r))).toEqual([['neutral', 'happy', 'unsure'], ['happy', 'neutral', 'sad'], []]);
  });

  it('reads a room of 18 as the dashboard shows it', () => {
    const faces = [...Array<string>(11).fill('neutral'), ...Array<string>(6).fill('happy'), 'sad'].map((steadyEmotion, i) => ({
      trackId: i + 1,
      box: [0, 0, 30, 30] as const,
      emotion: 'happy',
      confidence: 0.6,
      probabilities: {},
      steadyEmotion,
    }));
    expect(facesByEmotion(faces)).toEqual({ neutral: 11, happy: 6, sad: 1 });
    // A face from a loop that does not say how it votes counts by its reading in the frame.
    expect(facesByEmotion([{ ...faces[0]!, steadyEmotion: undefined }])).toEqual({ happy: 1 });
  });
});
