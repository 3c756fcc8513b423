import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { discoveryProblems } from '../testing/home-assistant-keys.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';
import { systemClock } from '../kernel/clock.js';
import { FleetOperator } from './fleet-operator.js';

const DISCOVERY = 'homeassistant/device/moodbox_test_lounge/config';
const BASE = 'moodbox/test/lounge';

let broker: TestBroker;
let dir: string;

beforeAll(async () => {
  broker = await TestBroker.start();
  dir = mkdtempSync(join(tmpdir(), 'moodbox-ha-'));
});

afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

async function playing(daemon: DaemonProcess): Promise<string> {
  const res = await fetch(`${daemon.base}/api/state`);
  const body = (await res.json()) as { data: { player: { status: string } } };
  return body.data.player.status;
}

describe('Moodbox in Home Assistant, through a real Mosquitto broker', () => {
  it('announces itself, obeys a volume command, rides out the broker going away and back, and is marked offline by its last will on SIGKILL', async () => {
    const probe = await MqttProbe.connect(broker.url, ['homeassistant/#', `${BASE}/#`]);
    const config = writeConfig(dir, {
      camera: { enabled: false },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      mqtt: { enabled: true, url: broker.url, site: 'test', box: 'lounge', heartbeatS: 5, fleet: true },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dir, MOODBOX_PORT: '0' },
    });
    try {
      // Discovery: one device message, retained, following Home Assistant's documented keys.
      const discovery = await until(() => probe.heard(DISCOVERY)[0], 20_000);
      const payload = JSON.parse(discovery.payload) as Record<string, unknown>;
      expect(discoveryProblems(discovery.topic, payload)).toEqual([]);
      expect(Object.keys(payload['components'] as object)).toEqual(
        expect.arrayContaining([
          'mood',
          'confidence',
          'faces',
          'now_playing',
          'playing',
          'occupancy',
          'policy',
          'volume',
          'max_volume',
          'skip',
          'like',
          'camera',
        ]),
      );
      expect(probe.heard(`${BASE}/availability`).at(-1)?.payload).toBe('online');

      // The box plays, and its retained state says so.
      await until(() => (probe.latest(`${BASE}/state`)?.['playing'] === true ? true : undefined), 30_000);

      // A volume command from the broker, as Home Assistant's number entity sends it, changes the volume.
      await probe.publish(`${BASE}/set/volume`, '40');
      const state = await until(() => {
        const latest = probe.latest(`${BASE}/state`);
        return latest?.['volume'] === 40 ? latest : undefined;
      });
      expect(state).toMatchObject({ volume: 40, playing: true, maxVolume: 100, policy: 'match', cameraEnabled: false });

      // A setting from Home Assistant goes through the admin panel's rules: a policy it does not know is refused.
      await probe.publish(`${BASE}/set/policy`, 'loud');
      await probe.publish(`${BASE}/set/policy`, 'lift');
      await until(() => (probe.latest(`${BASE}/state`)?.['policy'] === 'lift' ? true : undefined));
      expect(daemon.lines.some((l) => l['msg'] === 'home assistant command refused' && l['value'] === 'loud')).toBe(true);

      // A fleet operator caps the volume of the whole site: saved like a setting from the admin panel.
      const operator = await FleetOperator.connect({ url: broker.url }, { clock: systemClock });
      const { answers } = await operator.send({ site: 'test', command: 'volume-cap', value: 30, expect: 1 });
      const refused = await operator.send({ site: 'test', box: 'lounge', command: 'volume-cap', value: 300, expect: 1 });
      await operator.close();
      expect(answers).toMatchObject([{ box: 'lounge', ok: true }]);
      expect(refused.answers).toMatchObject([{ box: 'lounge', ok: false, error: expect.stringContaining('player.maxVolume') }]);
      await until(() => (probe.latest(`${BASE}/state`)?.['maxVolume'] === 30 ? true : undefined));
      expect(probe.latest(`${BASE}/state`)).toMatchObject({ maxVolume: 30, volume: 30 });
      await probe.publish(`${BASE}/set/max_volume`, '100');
      await probe.publish(`${BASE}/set/volume`, '40');
      await until(() => (probe.latest(`${BASE}/state`)?.['volume'] === 40 ? true : undefined));

      // The broker goes away: the box plays on.
      await broker.stop();
      await until(() => (daemon.lines.some((l) => l['msg'] === 'mqtt broker unreachable; retrying') ? true : undefined));
      expect(await playing(daemon)).toBe('playing');
      const health = (await (await fetch(`${daemon.base}/api/health`)).json()) as { services: Array<{ name: string; status: string }> };
      expect(health.services.find((s) => s.name === 'mqtt')?.status).toBe('degraded');

      // It comes back: the box reconnects and announces itself again (a broker without persistence forgot it).
      probe.messages.length = 0;
      await broker.start();
      const again = await until(() => probe.heard(DISCOVERY)[0], 30_000);
      expect(discoveryProblems(again.topic, JSON.parse(again.payload) as Record<string, unknown>)).toEqual([]);
      await until(() => (probe.heard(`${BASE}/availability`).at(-1)?.payload === 'online' ? true : undefined));
      expect(probe.latest(`${BASE}/state`)).toMatchObject({ playing: true, volume: 40 });
      expect(await playing(daemon)).toBe('playing');

      // Home Assistant restarts and says it is online: the box announces itself again.
      const before = probe.heard(DISCOVERY).length;
      await probe.publish('homeassistant/status', 'online');
      await until(() => (probe.heard(DISCOVERY).length > before ? true : undefined));

      // Killed without a goodbye: the broker publishes the last will.
      await daemon.stop('SIGKILL');
      await until(() => (probe.heard(`${BASE}/availability`).at(-1)?.payload === 'offline' ? true : undefined));
    } finally {
      await daemon.stop('SIGKILL');
      await probe.close();
    }
  }, 120_000);
});
