import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { GuestState, StateSnapshot } from '../http/contract.js';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { homeAssistantProblems, homeAssistantView, type TemplatedEntity } from '../testing/home-assistant-templates.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';

const BASE = 'moodbox/test/blind';
const DISCOVERY = 'homeassistant/device/moodbox_test_blind/config';

let broker: TestBroker;
let dir: string;

beforeAll(async () => {
  broker = await TestBroker.start();
  dir = mkdtempSync(join(tmpdir(), 'moodbox-camera-off-'));
});

afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

function parse(payload: string): Record<string, unknown> {
  return JSON.parse(payload) as Record<string, unknown>;
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

/** The screens' state over the kiosk's WebSocket, as the kiosk and the admin panel get it. */
async function wsState(base: string): Promise<StateSnapshot> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
  try {
    return await new Promise<StateSnapshot>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (data) => {
        const message = JSON.parse((data as Buffer).toString('utf8')) as { transaction?: string; data?: StateSnapshot };
        if (message.transaction === 'now' && message.data !== undefined) resolve(message.data);
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'state/get', transaction: 'now' })));
    });
  } finally {
    ws.close();
  }
}

async function facesMetric(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const family = parsePrometheusTextFormat(text).find((f) => f.name === 'moodbox_faces');
  return Number(family?.metrics[0]?.value ?? 0);
}

describe('the camera off, on every surface (issue 38)', () => {
  it('claims no mood, no faces and no occupancy anywhere while the camera is off, and none from before when it is on again', async () => {
    const probe = await MqttProbe.connect(broker.url, ['homeassistant/#', `${BASE}/#`]);
    const config = writeConfig(dir, {
      // The bundled demo clip, named: a configured box with no camera line uses its own camera.
      camera: { source: 'demo' },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      metrics: { enabled: true },
      mqtt: { enabled: true, url: broker.url, site: 'test', box: 'blind', heartbeatS: 5 },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dir, MOODBOX_PORT: '0' },
    });
    try {
      const discovery = await until(() => probe.heard(DISCOVERY)[0], 20_000);
      const components = (parse(discovery.payload) as { components: Record<string, TemplatedEntity> }).components;

      // The demo camera sees someone and reads a mood.
      await until(
        async () => {
          const { data } = await json<{ data: StateSnapshot }>(`${daemon.base}/api/state`);
          return data.mood.current !== null && data.mood.current !== 'nobody' && data.mood.faces > 0 ? data : undefined;
        },
        90_000,
        () => 'the demo camera read no mood',
      );
      expect(await facesMetric(daemon.base)).toBeGreaterThan(0);

      // Settings → the camera off (Home Assistant's switch saves the same setting as the admin panel).
      const offAt = Date.now();
      await probe.publish(`${BASE}/set/camera`, 'OFF');
      const off = await until(async () => {
        const { data } = await json<{ data: StateSnapshot }>(`${daemon.base}/api/state`);
        return data.camera.status === 'off' ? data : undefined;
      });
      const nothingKnown = { current: null, confidence: 0, since: null, why: null, faces: 0 };
      // The state the kiosk, the admin panel and /api/state read.
      expect(off.mood).toMatchObject(nothingKnown);
      expect((await wsState(daemon.base)).mood).toMatchObject(nothingKnown);
      // The guest page: no mood, and it says the camera is off.
      const guest = await json<GuestState>(`${daemon.base}/api/guest/state`);
      expect(guest.mood).toEqual({
        label: null,
        why: 'The camera is off: the music plays without it',
        whySaid: { id: 'camera.off' },
        isHeld: false,
      });
      // Home Assistant: occupancy off, the mood unavailable, and no template reading a key that is not there.
      const haOff = await until(() => {
        const heard = probe.heard(`${BASE}/state`).filter((m) => m.at >= offAt && parse(m.payload)['cameraEnabled'] === false);
        return heard.at(-1);
      });
      const haState = parse(haOff.payload);
      expect(haState).toMatchObject({ faces: 0, occupied: false, camera: 'off' });
      expect(haState).not.toHaveProperty('mood');
      expect(homeAssistantView(components, haState)).toMatchObject({
        mood: { available: false },
        confidence: { available: false },
        faces: { available: true, value: '0' },
        occupancy: { available: true, value: 'OFF' },
      });
      // The metrics: nobody in view.
      expect(await facesMetric(daemon.base)).toBe(0);
      // The music plays on without the camera.
      expect(off.player.status).toBe('playing');

      // The camera on again: nothing is said of the room before a fresh reading.
      const onAt = Date.now();
      await probe.publish(`${BASE}/set/camera`, 'ON');
      const firstOn = await until(() => probe.heard(`${BASE}/state`).find((m) => m.at >= onAt && parse(m.payload)['camera'] === 'on'));
      expect(parse(firstOn.payload)).not.toHaveProperty('mood');
      const fresh = await until(
        async () => {
          const { data } = await json<{ data: StateSnapshot }>(`${daemon.base}/api/state`);
          return data.camera.status === 'on' && data.mood.current !== null ? data : undefined;
        },
        90_000,
        () => 'no fresh mood after the camera came back',
      );
      expect(fresh.mood.since).toBeGreaterThanOrEqual(onAt);
      // Every state the broker heard since the camera came back either has no mood or one read after it.
      const since = probe.heard(`${BASE}/state`).filter((m) => m.at >= onAt);
      const beforeFresh = since.filter((m) => parse(m.payload)['camera'] !== 'on');
      expect(beforeFresh.filter((m) => parse(m.payload)['mood'] !== undefined)).toEqual([]);
      expect(
        homeAssistantProblems(
          components,
          since.map((m) => parse(m.payload)),
        ),
      ).toEqual([]);
    } finally {
      await daemon.stop('SIGKILL');
      await probe.close();
    }
  }, 240_000);
});
