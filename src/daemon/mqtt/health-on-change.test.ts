import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import type { ServiceHealth } from '../../kernel/lifecycle.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import type { Log } from '../../kernel/log.js';
import { FakeClock } from '../testing/fake-clock.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe, type HeardMessage } from '../testing/mqtt-probe.js';
import type { BoxControls } from './box-controls.js';
import { boxTopics } from './fleet-topics.js';
import { MqttBridge, type BoxState } from './mqtt-bridge.js';
import type { MqttConnection } from './mqtt-connection.js';
import { MqttJsConnection } from './mqtt-js-connection.js';

const HEARTBEAT_MS = 30_000;
const silent = pino({ level: 'silent' });

let broker: TestBroker;

beforeAll(async () => {
  broker = await TestBroker.start();
});

afterAll(async () => {
  await broker.close();
});

/** What the box sent while connected, as the broker was handed it (the probe may miss some across a reconnection). */
interface Sent {
  topic: string;
  payload: string;
}

/** The connection, with a record of every publish made while it was connected. */
function recording(connection: MqttConnection): { connection: MqttConnection; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    connection: {
      get isConnected() {
        return connection.isConnected;
      },
      publish(topic, payload, options) {
        if (connection.isConnected) sent.push({ topic, payload });
        connection.publish(topic, payload, options);
      },
      subscribe: (filter, listener, owner) => connection.subscribe(filter, listener, owner),
      onConnected: (listener, owner) => connection.onConnected(listener, owner),
      removeListeners: (owner) => connection.removeListeners(owner),
    },
  };
}

/**
 * A box as the demo runs it, one second at a time on a fake clock: the camera's health line says
 * the faces it saw and the frames it analysed, which change every second, the memory moves, and the
 * state's face count follows the room now and then. Its bridge talks to the real test broker.
 */
async function demoBox(name: string) {
  const clock = new FakeClock();
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const config = loadConfig({ env: {} }).config;
  const real = new MqttJsConnection(
    { log: silent, clock: systemClock },
    {
      url: broker.url,
      clientId: `moodbox-demo-${name}`,
      availability: { topic: boxTopics('demo', name).availability, online: 'online', offline: 'offline' },
      minReconnectMs: 100,
      maxReconnectMs: 200,
      keepaliveS: 30,
    },
  );
  const { connection, sent } = recording(real);
  /** The messages of the bridge's warnings, and a wait for the next one. */
  const warned: string[] = [];
  let onWarn: (() => void) | undefined;
  const log: Log = {
    debug() {},
    info() {},
    error() {},
    warn(_obj, msg) {
      warned.push(msg);
      onWarn?.();
    },
  };
  let second = 0;
  let listeners: Array<() => void> = [];
  /** Each part's status, the camera's and the broker connection's aside; a test turns one degraded. */
  const statuses = new Map<string, ServiceHealth['status']>(
    ['screens', 'database', 'backups', 'retention', 'settings', 'history', 'player', 'library', 'music', 'memory'].map((n) => [n, 'ready']),
  );
  const faces = (): number => 1 + (Math.floor(second / 15) % 3);
  const state = (): BoxState => ({
    camera: { status: 'on' },
    mood: { current: 'happy', confidence: 0.8, faces: faces() },
    player: { status: 'playing', nowPlaying: { id: 1, title: 'Sinnerman', artist: 'Nina Simone' }, volume: 60 },
    session: { user: null },
    dayPlan: null,
  });
  const health = (): Array<{ name: string } & ServiceHealth> => [
    ...[...statuses].map(([part, status]) => ({
      name: part,
      status,
      ...(part === 'library' ? { detail: `24 tracks${second < 20 ? ', analysing' : ''}` } : {}),
    })),
    {
      name: 'camera',
      status: 'ready',
      detail: `camera on; ${2 + (second % 5)} faces seen in the last minute; ${(4.5 + (second % 3) / 10).toFixed(1)} frames/s analysed`,
    },
    { name: 'mqtt', ...real.health() },
  ];
  const bridge = new MqttBridge(
    {
      connection,
      bus,
      clock,
      log,
      controls: { music: { skip: () => Promise.reject(new Error('nothing to skip')) } } as unknown as BoxControls,
      view: {
        state,
        subscribe(listener) {
          listeners.push(listener);
          return () => (listeners = listeners.filter((l) => l !== listener));
        },
        settings: () => config,
        isPausedByStaff: () => false,
        health,
        rss: () => (200 + (second % 7)) * 1048576,
      },
    },
    {
      identity: { id: `moodbox_demo_${name}`, name: `Moodbox ${name}`, version: '1.2.3' },
      site: 'demo',
      box: name,
      homeAssistant: { enabled: true, prefix: 'homeassistant' },
      fleet: { enabled: true, heartbeatMs: HEARTBEAT_MS, shareNames: false },
      policies: ['match', 'lift'],
    },
  );
  return {
    bridge,
    real,
    sent,
    topics: boxTopics('demo', name),
    statuses,
    warned,
    /** Resolves at the bridge's next warning. */
    warning: () => new Promise<void>((resolve) => (onWarn = resolve)),
    /** Resolves once the box has (re)connected and every connection listener has run. */
    connected: () =>
      new Promise<void>((resolve) => {
        const off = real.onConnected(() => {
          off();
          resolve();
        });
      }),
    /** One second of the demo: the projection changes (the screens' position, faces, health read every 2 s). */
    tick(): void {
      second += 1;
      clock.advance(1000);
      bus.emit('roomMoodChanged', { mood: { ...roomMoodOf('happy'), faces: faces() }, previous: 'happy' });
      for (const listener of listeners) listener();
    },
    async stop(): Promise<void> {
      await bridge.stop();
      await real.stop();
    },
  };
}

/** Resolves with the first message on `topic` that `test` accepts, heard from now on. */
function next(probe: MqttProbe, topic: string, test: (payload: string) => boolean = () => true): Promise<HeardMessage> {
  return new Promise((resolve) => {
    const onMessage = (heard: string, payload: Buffer, packet: { retain: boolean }): void => {
      const text = payload.toString('utf8');
      if (heard !== topic || !test(text)) return;
      probe.client.off('message', onMessage);
      resolve({ topic: heard, payload: text, retain: packet.retain, at: Date.now() });
    };
    probe.client.on('message', onMessage);
  });
}

/** Waits until the broker has handed the probe everything the box sent before now: a marker sent after it, on the same connection, arrives last. */
let markers = 0;

async function drained(probe: MqttProbe, connection: MqttConnection, topic: string): Promise<void> {
  markers += 1;
  const marker = `drained-${markers}`;
  const heard = next(probe, topic, (payload) => payload === marker);
  connection.publish(topic, marker, { qos: 1 });
  await heard;
}

describe('the broker hears changes, not noise (issue 81)', () => {
  it('sends the health at most 4 times in a minute of the demo: at the start and the heartbeats, never for a count', async () => {
    const box = await demoBox('minute');
    const probe = await MqttProbe.connect(broker.url, [`moodbox/demo/minute/#`]);
    const connected = next(probe, box.topics.availability, (payload) => payload === 'online');
    await box.real.start();
    await connected;
    await box.bridge.start();
    for (let s = 0; s < 60; s++) box.tick();
    await drained(probe, box.real, 'moodbox/demo/minute/marker');

    const health = probe.heard(box.topics.health);
    // Before: 61 (issue 81 counted 68 on a real demo box), one for each change of the camera's line.
    expect(health.length).toBeLessThanOrEqual(4);
    // The start's, and one at each heartbeat (30 s, 60 s), each with the counts as they were then.
    expect(health).toHaveLength(3);
    const last = JSON.parse(health.at(-1)?.payload ?? '{}') as { services: Array<{ name: string; detail?: string }> };
    expect(last.services.find((s) => s.name === 'camera')?.detail).toBe(
      'camera on; 2 faces seen in the last minute; 4.5 frames/s analysed',
    );
    // The state says the faces in view: sent when they change (1 → 2 → 3 → 1 faces), never the same one twice.
    const states = probe.heard(box.topics.state).map((m) => m.payload);
    expect(states.map((s) => (JSON.parse(s) as { faces: number }).faces)).toEqual([1, 2, 3, 1, 2]);
    await box.stop();
    await probe.close();
  });

  it("sends a part's change of status at once, and its detail alone only at the heartbeat", async () => {
    const box = await demoBox('status');
    const probe = await MqttProbe.connect(broker.url, [`moodbox/demo/status/#`]);
    const connected = next(probe, box.topics.availability, (payload) => payload === 'online');
    await box.real.start();
    await connected;
    await box.bridge.start();
    for (let s = 0; s < 10; s++) box.tick();
    box.statuses.set('music', 'degraded');
    for (let s = 0; s < 6; s++) box.tick();
    box.statuses.set('music', 'ready');
    for (let s = 0; s < 14; s++) box.tick();
    await drained(probe, box.real, 'moodbox/demo/status/marker');

    const told = probe.heard(box.topics.health).map((m) => JSON.parse(m.payload) as { status: string; at: number });
    // The start, the music degraded at 11 s and ready again at 17 s, each at once, then the heartbeat at 30 s: nothing for the counts between.
    expect(told.map((h) => h.status)).toEqual(['ready', 'degraded', 'ready', 'ready']);
    await box.stop();
    await probe.close();
  });

  it('gives a new connection the state and the health once each, and a refused command sends nothing again', async () => {
    const box = await demoBox('again');
    const connected = box.connected();
    await box.real.start();
    await connected;
    await box.bridge.start();
    box.tick();
    const count = (topic: string, from: number): number => box.sent.slice(from).filter((m) => m.topic === topic).length;

    // The broker restarts and forgets what it kept: it is told again, once.
    const reconnected = box.connected();
    await broker.stop();
    const from = box.sent.length;
    await broker.start();
    await reconnected;
    expect(count('homeassistant/device/moodbox_demo_again/config', from)).toBe(1);
    // Before: twice each (the connection's and Home Assistant's announcement's).
    expect(count(box.topics.state, from)).toBe(1);
    expect(count(box.topics.health, from)).toBe(1);
    const told = JSON.parse(box.sent.filter((m) => m.topic === box.topics.health).at(-1)?.payload ?? '{}') as {
      services: Array<{ name: string; status: string }>;
    };
    expect(told.services.find((s) => s.name === 'mqtt')?.status).toBe('ready');

    // Home Assistant asks for what the box refuses: the state it reads did not change, and is not sent again.
    const probe = await MqttProbe.connect(broker.url);
    const before = box.sent.length;
    const refused = box.warning();
    await probe.publish(box.topics.set('skip'), 'PRESS');
    await refused;
    expect(box.warned).toEqual(['home assistant command refused']);
    expect(count(box.topics.state, before)).toBe(0);
    expect(count(box.topics.health, before)).toBe(0);
    await box.stop();
    await probe.close();
  });
});
