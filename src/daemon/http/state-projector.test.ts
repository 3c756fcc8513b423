import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { roomMoodOf, type RoomMood } from '../../kernel/room-mood.js';
import type { ServerMessage, ServiceHealthView } from './contract.js';
import { StateHub } from './state-hub.js';
import { initialScreenState, said, StateProjector } from './state-projector.js';
import { isQuietHours } from '../music/limits-policy.js';
import { PICK_REASONS } from '../../player/pick-reasons.js';
import { stopService } from '../../kernel/lifecycle.js';

const LEARNED_CALM = said('learned.moodHere', { own: { said: 'music.calm' }, mood: { said: 'music.calm' } });

const open: Array<{ projector: StateProjector; store: SqliteStore }> = [];
afterEach(async () => {
  for (const { projector, store } of open.splice(0)) {
    await projector.stop();
    store.close();
  }
});

async function setup(
  services: ServiceHealthView[] = [{ name: 'database', status: 'ready' }],
  options: { at?: number; quietHours?: (now: number) => boolean; quietUntil?: () => string | null } = {},
) {
  const clock = new FakeClock(options.at);
  const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: ':memory:' });
  const failures: Array<{ event: string; owner: string | undefined }> = [];
  const bus: MoodboxBus = new EventBus((_, event, owner) => void failures.push({ event, owner }));
  const hub = new StateHub(initialScreenState({ version: '1.2.3', demo: false }), { log: { error() {} } });
  const messages: ServerMessage[] = [];
  hub.subscribe((m) => messages.push(m), 'test');
  const health = { services };
  const { quietHours, quietUntil } = options;
  const projector = new StateProjector({
    bus,
    hub,
    clock,
    store,
    services: () => health.services,
    ...(quietHours === undefined ? {} : { quietHours: () => quietHours(clock.now()) }),
    ...(quietUntil === undefined ? {} : { quietUntil }),
  });
  await projector.start();
  open.push({ projector, store });
  const state = () => hub.snapshot().data;
  return { clock, store, bus, hub, messages, health, projector, state, failures };
}

describe('StateProjector', () => {
  it('shows nothing heard after it stopped, and a listener of its that fails is reported under its name', async () => {
    const { bus, state, projector, failures } = await setup();
    bus.emit('roomMoodChanged', { mood: undefined as unknown as RoomMood, previous: null });
    expect(failures).toEqual([{ event: 'roomMoodChanged', owner: 'StateProjector' }]);
    await stopService(projector, [bus]);
    const before = state();
    bus.emit('facesInViewChanged', { faces: 3 });
    bus.emit('roomMoodChanged', { mood: roomMoodOf('happy', 1000), previous: null });
    expect(state()).toEqual(before);
    expect(bus.listenerCount('facesInViewChanged') + bus.listenerCount('roomMoodChanged')).toBe(0);
  });

  it('shows the room mood with the kiosk line on why, and the faces in view as they change', async () => {
    const { bus, state } = await setup();
    bus.emit('facesInViewChanged', { faces: 2 });
    expect(state().mood).toEqual({
      current: null,
      confidence: 0,
      since: null,
      why: '2 faces in view',
      whySaid: { id: 'mood.inView', values: { faces: 2 } },
      faces: 2,
    });
    bus.emit('roomMoodChanged', {
      mood: { label: 'happy', scores: { happy: 0.734, neutral: 0.266 }, faces: 2, confidence: 0.734, since: 1000 },
      previous: null,
    });
    expect(state().mood).toEqual({
      current: 'happy',
      confidence: 0.73,
      since: 1000,
      why: '2 faces, mostly looking happy',
      whySaid: { id: 'mood.faces', values: { faces: 2, look: { said: 'look.happy' } } },
      faces: 2,
    });
    bus.emit('facesInViewChanged', { faces: 0 });
    expect(state().mood.why).toBe('The room looked happy');
    bus.emit('roomMoodChanged', { mood: roomMoodOf('nobody', 9000), previous: 'happy' });
    expect(state().mood).toMatchObject({ current: 'nobody', confidence: 0, why: 'Nobody in view for a while' });
  });

  it('says when the room is too dark to read and keeps its mood, and what it reads once the light is back', async () => {
    const { bus, state } = await setup();
    bus.emit('facesInViewChanged', { faces: 4 });
    bus.emit('roomMoodChanged', { mood: roomMoodOf('happy', 1000), previous: null });
    bus.emit('roomLightChanged', { tooDark: true });
    expect(state().mood).toMatchObject({
      current: 'happy',
      tooDark: true,
      why: '4 faces in view, too dark to read expressions; keeping the room happy',
    });
    bus.emit('facesInViewChanged', { faces: 0 });
    expect(state().mood.why).toBe('Too dark to see the room; keeping the room happy');
    bus.emit('facesInViewChanged', { faces: 4 });
    bus.emit('roomLightChanged', { tooDark: false });
    expect(state().mood).toMatchObject({ current: 'happy', tooDark: false, why: '4 faces, mostly looking happy' });
  });

  it("marks the mood while the face in front is read through the signed-in person's calibration (issue 19)", async () => {
    const { bus, state } = await setup();
    expect(state().mood.isPersonal).toBeUndefined();
    bus.emit('personalReadingChanged', { isPersonal: true });
    bus.emit('facesInViewChanged', { faces: 1 });
    expect(state().mood).toMatchObject({ isPersonal: true, faces: 1 });
    bus.emit('personalReadingChanged', { isPersonal: false });
    expect(state().mood.isPersonal).toBe(false);
  });

  it('shows the faces in view by the emotion each votes with, and none once nobody is in view (issue 37)', async () => {
    const { bus, state, messages } = await setup();
    expect(state().mood.byEmotion).toBeUndefined();
    bus.emit('facesInViewChanged', { faces: 18 });
    bus.emit('facesReadChanged', { byEmotion: { neutral: 11, happy: 6, sad: 1 } });
    expect(state().mood).toMatchObject({ faces: 18, byEmotion: { neutral: 11, happy: 6, sad: 1 } });
    expect(messages.at(-1)).toMatchObject({ type: 'mood/changed', data: { byEmotion: { neutral: 11, happy: 6, sad: 1 } } });
    bus.emit('facesInViewChanged', { faces: 0 });
    expect(state().mood).toMatchObject({ faces: 0, byEmotion: {} });
  });

  it('shows the tracks the director names, as the screens show them, and forgets them when the library changes', async () => {
    const { bus, store, state } = await setup();
    const a = store.tracks.upsert({ uri: '/music/a.flac', title: 'A', artist: 'Ann', album: 'One' });
    const b = store.tracks.upsert({ uri: '/music/b.flac', title: 'B', artist: 'Bo' });
    store.tracks.setMoods(a.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    bus.emit('playbackChanged', { status: 'playing', trackId: a.id, nextTrackId: b.id, positionMs: 61_400, volume: 55 });
    expect(state().player).toEqual({
      status: 'playing',
      nowPlaying: { id: a.id, title: 'A', artist: 'Ann', album: 'One', durationMs: null, coverUrl: null, moods: ['calm'] },
      positionMs: 61_000,
      next: expect.objectContaining({ id: b.id, title: 'B', moods: [] }),
      volume: 55,
    });
    bus.emit('suggestionsChanged', { trackIds: [b.id, 999, a.id] });
    expect(state().suggestions.map((t) => t.id)).toEqual([b.id, a.id]);
    // Each suggestion says why it was picked, when the director says so.
    // … and whose taste it comes from: the signed-in person's, or the room's.
    bus.emit('suggestionsChanged', {
      trackIds: [b.id, a.id],
      reasons: [
        { kind: 'liked', ...PICK_REASONS.liked('calm'), whose: 'person' },
        { kind: 'learned', text: 'calm songs go down well here; fits calm', said: LEARNED_CALM, whose: 'room' },
      ],
    });
    // … and the kind of reason, so that the kiosk words it for guests and says "few fit" once;
    // the reason as a message too, for the screens' languages.
    expect(state().suggestions.map(({ why, whySaid, isPersonalPick, whyKind }) => ({ why, whySaid, isPersonalPick, whyKind }))).toEqual([
      {
        why: 'you liked it; fits calm',
        whySaid: said('pick.liked', { mood: { said: 'music.calm' } }),
        isPersonalPick: true,
        whyKind: 'liked',
      },
      { why: 'calm songs go down well here; fits calm', whySaid: LEARNED_CALM, isPersonalPick: false, whyKind: 'learned' },
    ]);
    expect(state().player.nowPlaying).not.toHaveProperty('why');
    expect(state().player.nowPlaying).not.toHaveProperty('isPersonalPick');
    expect(state().player.nowPlaying).not.toHaveProperty('whyKind');
    // An admin tags B: the screens show the new tags once the library says it changed.
    store.tracks.setMoods(b.id, [{ mood: 'upbeat', weight: 1, origin: 'admin' }]);
    bus.emit('suggestionsChanged', { trackIds: [b.id] });
    expect(state().suggestions[0]?.moods).toEqual([]);
    bus.emit('libraryChanged', { tracks: 2, why: 'edit' });
    bus.emit('suggestionsChanged', { trackIds: [b.id, a.id] });
    expect(state().suggestions[0]?.moods).toEqual(['upbeat']);
  });

  it('shows who is signed in, and a notice about an unknown card for eight seconds', async () => {
    const { bus, clock, state } = await setup();
    bus.emit('personSignedIn', { user: { id: 3, name: 'Ada' } });
    expect(state().session).toEqual({ user: { id: 3, name: 'Ada' }, notice: null });
    bus.emit('unknownCardRead', { at: clock.now() });
    expect(state().session.user?.name).toBe('Ada');
    expect(state().session.notice).toContain('This card is not linked to anyone yet');
    clock.advance(7999);
    expect(state().session.notice).not.toBeNull();
    clock.advance(1);
    expect(state().session).toEqual({ user: { id: 3, name: 'Ada' }, notice: null });
    bus.emit('unknownCardRead', { at: clock.now() });
    bus.emit('personSignedOut', { user: { id: 3, name: 'Ada' }, reason: 'button' });
    expect(state().session).toEqual({ user: null, notice: null });
  });

  it('says whether a card reader is plugged in, through sign-ins and sign-outs (issue 28)', async () => {
    const { bus, state } = await setup();
    expect(state().session.hasCardReader).toBeUndefined();
    bus.emit('cardReaderChanged', { status: 'connected' });
    bus.emit('personSignedIn', { user: { id: 3, name: 'Ada' } });
    expect(state().session).toEqual({ user: { id: 3, name: 'Ada' }, notice: null, hasCardReader: true });
    bus.emit('cardReaderChanged', { status: 'absent' });
    bus.emit('personSignedOut', { user: { id: 3, name: 'Ada' }, reason: 'button' });
    expect(state().session).toEqual({ user: null, notice: null, hasCardReader: false });
  });

  it('keeps where the camera is off the public state: its file, device or address', async () => {
    const { bus, state } = await setup();
    for (const [detail, shown] of [
      ['no such video file: /home/moodbox/secret/clip.mp4', 'no such video file: (a file on the box)'],
      ['cannot open camera source /dev/video0: busy', 'cannot open camera source (a camera device): busy'],
      ['camera http://admin:hunter2@192.168.1.9/mjpeg does not answer', 'camera (an address) does not answer'],
      ['cannot open camera source ./clips/a.mp4', 'cannot open camera source (a file on the box)'],
    ] as const) {
      bus.emit('cameraStateChanged', { status: 'unavailable', detail });
      expect(state().camera.detail).toBe(shown);
    }
  });

  it('shows the camera, the library scan and the services health, and announces each change once', async () => {
    const { bus, clock, health, messages, state } = await setup();
    bus.emit('cameraStateChanged', { status: 'unavailable', detail: 'no frames' });
    bus.emit('cameraStateChanged', { status: 'unavailable', detail: 'no frames' });
    expect(state().camera).toEqual({ status: 'unavailable', detail: 'no frames' });
    bus.emit('libraryScanChanged', {
      scanning: true,
      done: 3,
      total: 10,
      tracks: 0,
      lastScan: null,
      analysis: { running: false, done: 0, total: 0, failed: 0 },
    });
    expect(state().library).toMatchObject({ scanning: true, done: 3, total: 10 });
    expect(state().services).toEqual([{ name: 'database', status: 'ready' }]);
    health.services = [{ name: 'database', status: 'degraded', detail: 'disk full' }];
    clock.advance(2000);
    expect(state().services).toEqual([{ name: 'database', status: 'degraded', detail: 'disk full' }]);
    // The health as it was at start, then one message per change.
    expect(messages.map((m) => m.type)).toEqual(['services/changed', 'camera/changed', 'library/changed', 'services/changed']);
  });

  // Issue 41: a request that waits, a vote or a like reached the admin's dashboard only with the next song.
  it("shows the guests' part as it changes: the requests in the queue and when guests last acted, each change once", async () => {
    const { bus, state, messages, clock } = await setup();
    expect(state().guests).toEqual({ open: 0, awaitingStaff: 0, changedAt: null });
    bus.emit('guestRequestsChanged', { open: 1, awaitingStaff: 1 });
    expect(state().guests).toEqual({ open: 1, awaitingStaff: 1, changedAt: clock.now() });
    clock.advance(1000);
    // Staff said yes: still in the queue, no longer waiting for them.
    bus.emit('guestRequestsChanged', { open: 1, awaitingStaff: 0 });
    expect(state().guests).toEqual({ open: 1, awaitingStaff: 0, changedAt: clock.now() });
    expect(messages.filter((m) => m.type === 'guests/changed').map((m) => ('data' in m ? m.data : null))).toEqual([
      { open: 1, awaitingStaff: 1, changedAt: clock.now() - 1000 },
      { open: 1, awaitingStaff: 0, changedAt: clock.now() },
    ]);
  });

  // Issue 58: the venue's QR mode reaches the kiosk at once when saved, and a guest's request keeps it.
  it("says the kiosk's QR mode in the guests' part, follows a saved change and keeps it through the guests' changes", async () => {
    const clock = new FakeClock();
    const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: ':memory:' });
    const bus: MoodboxBus = new EventBus(() => undefined);
    const hub = new StateHub(initialScreenState({ version: '1.2.3', demo: false }), { log: { error() {} } });
    const mode = { now: 'large' as 'card' | 'large' };
    const projector = new StateProjector({ bus, hub, clock, store, services: () => [], kioskQr: () => mode.now });
    await projector.start();
    open.push({ projector, store });
    expect(hub.snapshot().data.guests.kioskQr).toBe('large');
    bus.emit('guestRequestsChanged', { open: 2, awaitingStaff: 0 });
    expect(hub.snapshot().data.guests).toEqual({ open: 2, awaitingStaff: 0, changedAt: clock.now(), kioskQr: 'large' });
    mode.now = 'card';
    bus.emit('settingsChanged', { changed: ['guests.kioskQr'] });
    expect(hub.snapshot().data.guests.kioskQr).toBe('card');
  });

  it('says the camera reads the demo clip, a recording, so that no screen shows it as the room', async () => {
    const clock = new FakeClock();
    const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: ':memory:' });
    const bus: MoodboxBus = new EventBus(() => undefined);
    const hub = new StateHub(initialScreenState({ version: '1.2.3', demo: false }), { log: { error() {} } });
    const source = { now: 'demo' };
    const cameraClip = (): boolean => source.now === 'demo';
    const projector = new StateProjector({ bus, hub, clock, store, services: () => [], cameraClip });
    await projector.start();
    open.push({ projector, store });
    bus.emit('cameraStateChanged', { status: 'on', detail: null });
    expect(hub.snapshot().data.camera).toEqual({ status: 'on', detail: null, clip: true });
    source.now = '/dev/video0';
    bus.emit('cameraStateChanged', { status: 'on', detail: null });
    expect(hub.snapshot().data.camera).toEqual({ status: 'on', detail: null });
  });

  it('says whether it is the quiet hours, within a few seconds of their start and end, for the kiosk to go dark', async () => {
    const player = { quietHours: { from: '22:00', to: '07:00' } };
    const { clock, hub } = await setup(undefined, {
      at: new Date(2026, 10, 28, 21, 59, 0).getTime(),
      quietHours: (now) => isQuietHours(player, now),
    });
    expect(hub.snapshot().data.quietHours).toBe(false);
    clock.advance(62_000);
    expect(hub.snapshot().data.quietHours).toBe(true);
    clock.advance(9 * 3_600_000);
    expect(hub.snapshot().data.quietHours).toBe(false);
  });

  it('says the quiet hours at once when staff save them or take them away, as the music starts or stops at once', async () => {
    const player: { quietHours: { from: string; to: string } | null } = { quietHours: null };
    const { bus, hub } = await setup(undefined, {
      at: new Date(2026, 10, 28, 12, 0, 0).getTime(),
      quietHours: (now) => isQuietHours(player, now),
      quietUntil: () => player.quietHours?.to ?? null,
    });
    expect(hub.snapshot().data).toMatchObject({ quietHours: false, quietUntil: null });
    // No time passes: the screens hear it with the change, not at the next health round.
    player.quietHours = { from: '00:00', to: '23:59' };
    bus.emit('settingsChanged', { changed: ['player.quietHours'] });
    expect(hub.snapshot().data).toMatchObject({ quietHours: true, quietUntil: '23:59' });
    player.quietHours = null;
    bus.emit('settingsChanged', { changed: ['player.quietHours'] });
    expect(hub.snapshot().data).toMatchObject({ quietHours: false, quietUntil: null });
  });

  it('stops projecting once stopped as the daemon stops it', async () => {
    const { bus, projector, state } = await setup();
    await stopService(projector, [bus]);
    bus.emit('cameraStateChanged', { status: 'on', detail: null });
    expect(state().camera.status).toBe('off');
  });
});
