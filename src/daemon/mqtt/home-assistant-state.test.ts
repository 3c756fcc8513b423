import { describe, expect, it } from 'vitest';
import type { CameraStatus, MoodboxBus, Playback } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { roomMoodOf, type Emotion, type RoomMood } from '../../kernel/room-mood.js';
import { loadConfig } from '../config/load-config.js';
import { FakeClock } from '../testing/fake-clock.js';
import { StateHub } from '../http/state-hub.js';
import { initialScreenState, StateProjector } from '../http/state-projector.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { homeAssistantProblems, homeAssistantView, type TemplatedEntity } from '../testing/home-assistant-templates.js';
import type { BoxControls } from './box-controls.js';
import { boxTopics } from './fleet-topics.js';
import { discoveryMessage } from './home-assistant.js';
import { MqttBridge } from './mqtt-bridge.js';
import type { MqttConnection } from './mqtt-connection.js';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent } as never;

/** A broker that takes every message and says nothing: only the state is read here. */
const nowhere: MqttConnection = {
  isConnected: false,
  publish() {},
  subscribe: () => () => {},
  onConnected: () => () => {},
  removeListeners: () => 0,
};

/**
 * The bridge over a box whose camera, room and song the test sets: announced on the bus as the
 * services do, and read through the screens' projection, as the daemon wires it.
 */
async function box(now: {
  camera: CameraStatus;
  room: RoomMood | null;
  faces: number;
  track?: { title: string; artist: string };
  /** No audio reaches the room, and why. */
  stalled?: string;
  /** Staff paused the music. */
  paused?: boolean;
  /** Staff hold the music to this mood. */
  held?: Emotion;
  /** The maximum volume saved a moment ago, before the player lowered its volume (70) to it. */
  maxVolume?: number;
}) {
  const loaded = loadConfig({ env: {} }).config;
  const config = { ...loaded, player: { ...loaded.player, maxVolume: now.maxVolume ?? loaded.player.maxVolume } };
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
  const track = now.track === undefined ? undefined : store.tracks.upsert({ uri: '/music/1.flac', ...now.track });
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const hub = new StateHub(initialScreenState({ version: '1.2.3', demo: false }), { log: { error() {} } });
  const projector = new StateProjector({ bus, hub, clock, store, services: () => [] });
  await projector.start();
  bus.emit('cameraStateChanged', { status: now.camera, detail: null });
  bus.emit('facesInViewChanged', { faces: now.faces });
  bus.emit('roomMoodChanged', { mood: now.room, previous: null });
  const playback: Playback = {
    status: track === undefined ? 'stopped' : now.stalled === undefined ? 'playing' : 'stalled',
    ...(now.stalled === undefined ? {} : { stalled: { cause: 'output' as const, detail: now.stalled } }),
    trackId: track?.id ?? null,
    nextTrackId: null,
    positionMs: 0,
    volume: 70,
  };
  bus.emit('playbackChanged', playback);
  if (now.held !== undefined) bus.emit('moodHeld', { label: now.held, until: clock.now() + 30 * 60_000, music: 'upbeat' });
  const bridge = new MqttBridge(
    {
      connection: nowhere,
      bus,
      clock,
      log: silent,
      controls: {} as BoxControls,
      view: {
        state: () => hub.snapshot().data,
        subscribe: (listener, owner) => hub.subscribe(() => listener(), owner),
        settings: () => config,
        isPausedByStaff: () => now.paused === true,
        health: () => [],
        rss: () => 0,
      },
    },
    {
      identity: { id: 'moodbox_home_lounge', name: 'Moodbox lounge', version: '1.2.3' },
      site: 'home',
      box: 'lounge',
      homeAssistant: { enabled: true, prefix: 'homeassistant' },
      fleet: { enabled: false, heartbeatMs: 60_000, shareNames: false },
      policies: ['match', 'lift'],
    },
  );
  const { payload } = discoveryMessage(
    { id: 'moodbox_home_lounge', name: 'Moodbox lounge', version: '1.2.3' },
    boxTopics('home', 'lounge'),
    {
      prefix: 'homeassistant',
      policies: ['match', 'lift'],
      hasCardReader: false,
    },
  );
  const state = bridge.state();
  await projector.stop();
  store.close();
  return { state, components: payload['components'] as Record<string, TemplatedEntity> };
}

describe("The box's state as Home Assistant reads it (issue 38)", () => {
  it('renders every template to a defined value when there is no mood: no template warning on every state message', async () => {
    const off = await box({ camera: 'off', room: roomMoodOf('happy'), faces: 2 });
    expect(off.state).not.toHaveProperty('mood');
    expect(homeAssistantProblems(off.components, [off.state])).toEqual([]);
    expect(homeAssistantView(off.components, off.state)).toMatchObject({
      mood: { available: false },
      confidence: { available: false },
      faces: { available: true, value: '0' },
      occupancy: { available: true, value: 'OFF' },
    });
    const seeing = await box({ camera: 'on', room: { ...roomMoodOf('happy'), confidence: 0.94 }, faces: 2 });
    expect(homeAssistantView(seeing.components, seeing.state)).toMatchObject({
      mood: { available: true, value: 'happy', problems: [] },
      confidence: { available: true, value: '94', problems: [] },
    });
  });

  it('turns Playing off and says why while no audio reaches the room, where it said playing (issue 62)', async () => {
    const track = { artist: 'Nina Simone', title: 'Sinnerman' };
    const playing = await box({ camera: 'on', room: null, faces: 0, track });
    expect(homeAssistantView(playing.components, playing.state)).toMatchObject({ playing: { value: 'ON' } });
    const stalled = await box({ camera: 'on', room: null, faces: 0, track, stalled: 'snapserver does not read the pipe' });
    expect(stalled.state).toMatchObject({ status: 'stalled', playing: false, stalled: 'snapserver does not read the pipe' });
    expect(homeAssistantProblems(stalled.components, [stalled.state])).toEqual([]);
    expect(homeAssistantView(stalled.components, stalled.state)).toMatchObject({ playing: { value: 'OFF' } });
  });

  it("shortens what plays to Home Assistant's 255 characters, where the whole would turn the sensor unknown", async () => {
    const composer = 'Johann Sebastian Bach; Academy of Ancient Music, Christopher Hogwood; '.repeat(3);
    const title = 'Brandenburg Concerto No. 5 in D major, BWV 1050: I. Allegro (arr. for harpsichord, flute and strings) ✓';
    const { state, components } = await box({ camera: 'on', room: null, faces: 0, track: { artist: composer, title } });
    const shown = homeAssistantView(components, state)['now_playing'];
    expect(shown?.problems).toEqual([]);
    expect([...(shown?.value ?? '')]).toHaveLength(255);
    expect(shown?.value).toMatch(new RegExp(`^${composer.slice(0, 60)}.*…$`, 'u'));
    // A short one is left whole.
    const short = await box({ camera: 'on', room: null, faces: 0, track: { artist: 'Nina Simone', title: 'Sinnerman' } });
    expect(homeAssistantView(short.components, short.state)['now_playing']?.value).toBe('Nina Simone – Sinnerman');
  });

  it('shows a staff pause and a held mood, and the hold `off` while the music follows the camera (issue 62)', async () => {
    const track = { artist: 'Nina Simone', title: 'Sinnerman' };
    const free = await box({ camera: 'on', room: null, faces: 0, track });
    expect(free.state).toMatchObject({ pausedByStaff: false, moodHoldMinutes: 60 });
    expect(free.state).not.toHaveProperty('moodHold');
    expect(homeAssistantView(free.components, free.state)).toMatchObject({
      paused: { available: true, value: 'OFF', problems: [] },
      mood_hold: { available: true, value: 'off', problems: [] },
      mood_hold_minutes: { available: true, value: '60', problems: [] },
    });
    const held = await box({ camera: 'on', room: null, faces: 0, track, paused: true, held: 'happy' });
    expect(held.state).toMatchObject({ pausedByStaff: true, moodHold: 'happy', moodHoldUntil: expect.any(Number) as number });
    expect(homeAssistantProblems(held.components, [held.state])).toEqual([]);
    expect(homeAssistantView(held.components, held.state)).toMatchObject({ paused: { value: 'ON' }, mood_hold: { value: 'happy' } });
  });

  it('never says a volume above the maximum just saved, where it said 70 of 50 until the player had lowered it (issue 62)', async () => {
    const lowered = await box({ camera: 'on', room: null, faces: 0, track: { artist: 'Nina Simone', title: 'Sinnerman' }, maxVolume: 50 });
    expect(lowered.state).toMatchObject({ volume: 50, maxVolume: 50 });
    expect(homeAssistantView(lowered.components, lowered.state)).toMatchObject({ volume: { value: '50' } });
  });
});
