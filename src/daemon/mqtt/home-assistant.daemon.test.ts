import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOODBOX_CLI, DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { discoveryProblems } from '../testing/home-assistant-keys.js';
import {
  homeAssistantProblems,
  homeAssistantView as homeAssistant,
  type TemplatedEntity as Entity,
} from '../testing/home-assistant-templates.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';
import { systemClock } from '../../kernel/clock.js';
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
      // The log comes over the daemon's stdout, the state over the broker: the line may come after the state.
      await until(() =>
        daemon.lines.some((l) => l['msg'] === 'home assistant command refused' && l['value'] === 'loud') ? true : undefined,
      );

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
      // Its next try may be up to 16 s after the broker is back (the backoff doubles from 1 s while it is away).
      const again = await until(() => probe.heard(DISCOVERY)[0], 60_000);
      expect(discoveryProblems(again.topic, JSON.parse(again.payload) as Record<string, unknown>)).toEqual([]);
      await until(() => (probe.heard(`${BASE}/availability`).at(-1)?.payload === 'online' ? true : undefined));
      // The state follows the announcement, in a message of its own.
      expect(await until(() => probe.latest(`${BASE}/state`))).toMatchObject({ playing: true, volume: 40 });
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
  }, 180_000);

  it('tells the truth: no null and no "None", no mood or faces with the camera off, no source to choose at a business, a like only with someone signed in', async () => {
    const base = 'moodbox/test/truth';
    const discoveryTopic = 'homeassistant/device/moodbox_test_truth/config';
    const data = mkdtempSync(join(tmpdir(), 'moodbox-ha-truth-'));
    const cli = spawnSync(process.execPath, [MOODBOX_CLI, 'user', 'add', 'Ada'], {
      input: '4711\n',
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data },
    });
    expect(cli.status, cli.stderr).toBe(0);
    const probe = await MqttProbe.connect(broker.url, ['homeassistant/#', `${base}/#`]);
    const config = writeConfig(data, {
      // The bundled demo clip, named: a box with a file and no camera line uses its own camera.
      camera: { source: 'demo' },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      // A heartbeat far off: the health kept on the broker must be true without waiting for it.
      mqtt: { enabled: true, url: broker.url, site: 'test', box: 'truth', heartbeatS: 300 },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data, MOODBOX_PORT: '0' },
    });
    try {
      const discovery = await until(() => probe.heard(discoveryTopic)[0], 20_000);
      // The health the broker keeps says the broker is reached, once it is (issue 62: "unreachable" for up to 30 s).
      await until(() => {
        const services = probe.latest(`${base}/health`)?.['services'] as Array<{ name: string; status: string }> | undefined;
        return services?.find((s) => s.name === 'mqtt')?.status === 'ready' ? true : undefined;
      }, 15_000);
      const payload = JSON.parse(discovery.payload) as { components: Record<string, Entity> };
      expect(discoveryProblems(discovery.topic, payload as unknown as Record<string, unknown>)).toEqual([]);
      const { components } = payload;
      // A business plays its own library only: there is no source to choose.
      expect(components['source']).toBeUndefined();

      // The camera (the demo clip) sees someone: faces, occupancy and a mood, all available.
      const seeing = await until(() => {
        const latest = probe.latest(`${base}/state`);
        return latest !== undefined && Number(latest['faces']) > 0 && latest['mood'] !== undefined ? latest : undefined;
      }, 60_000);
      const shown = homeAssistant(components, seeing);
      expect(shown['mood']).toMatchObject({ available: true, value: seeing['mood'] });
      expect(shown['occupancy']).toMatchObject({ available: true, value: 'ON' });
      expect(shown['like']?.available).toBe(false);

      // The camera switched off from Home Assistant: the very state that says so has no faces, no occupancy and no mood.
      const sent = Date.now();
      await probe.publish(`${base}/set/camera`, 'OFF');
      const off = await until(() => probe.heard(`${base}/state`).find((m) => m.at >= sent && parse(m.payload)['cameraEnabled'] === false));
      const offState = parse(off.payload);
      expect(offState).toMatchObject({ faces: 0, occupied: false, cameraEnabled: false });
      expect(offState).not.toHaveProperty('mood');
      expect(homeAssistant(components, offState)).toMatchObject({
        mood: { available: false },
        confidence: { available: false },
        faces: { available: true, value: '0' },
        occupancy: { available: true, value: 'OFF' },
      });

      // A like from Home Assistant while nobody is signed in: the button is unavailable, and a press changes nothing.
      await probe.publish(`${base}/set/like`, 'PRESS');
      await until(() =>
        daemon.lines.some((l) => l['msg'] === 'home assistant command refused' && l['entity'] === 'like') ? true : undefined,
      );
      const signIn = await fetch(`${daemon.base}/api/session/pin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada', pin: '4711' }),
      });
      expect(signIn.status).toBe(200);
      const signedIn = await until(() => {
        const latest = probe.latest(`${base}/state`);
        return latest?.['signedIn'] === true && latest['playing'] === true ? latest : undefined;
      }, 30_000);
      expect(homeAssistant(components, signedIn)['like']?.available).toBe(true);
      await probe.publish(`${base}/set/like`, 'PRESS');
      await until(() => (daemon.lines.some((l) => l['msg'] === 'home assistant command' && l['entity'] === 'like') ? true : undefined));
      const db = new Database(join(data, 'moodbox.db'), { readonly: true });
      const likes = db.prepare("SELECT u.name AS name FROM feedback f JOIN users u ON u.id = f.user_id WHERE f.kind = 'like'").all();
      db.close();
      expect(likes).toEqual([{ name: 'Ada' }]);

      // Nothing the box published was null, and no entity ever showed "None".
      const states = probe.heard(`${base}/state`).map((m) => parse(m.payload));
      expect(states.filter((state) => JSON.stringify(state).includes('null'))).toEqual([]);
      // No template read a key that was not there, even for an entity unavailable then (issue 38).
      expect(homeAssistantProblems(components, states)).toEqual([]);
      for (const state of states) {
        for (const [id, entity] of Object.entries(homeAssistant(components, state))) {
          if (entity.available && entity.value !== undefined) expect(entity.value, id).not.toMatch(/^(None|null|undefined)?$/);
        }
      }

      // With the heartbeat 300 s away, each health message the box sent says a part's change of status,
      // never a count's alone (issue 81: the demo camera's faces sent it about once a second).
      const told = probe
        .heard(`${base}/health`)
        .map((m) => (parse(m.payload)['services'] as Array<{ name: string; status: string }>).map((s) => `${s.name}:${s.status}`).join());
      expect(told.length).toBeGreaterThan(0);
      expect(told.filter((statuses, i) => i > 0 && statuses === told[i - 1])).toEqual([]);
      // The state, too, is sent when it changes, never the same twice in a row.
      const sentStates = probe.heard(`${base}/state`).map((m) => m.payload);
      expect(sentStates.filter((state, i) => i > 0 && state === sentStates[i - 1])).toEqual([]);

      // A clean stop leaves a true state on the broker: nothing plays (issue 62: it said playing).
      await daemon.stop('SIGTERM');
      const kept = await MqttProbe.connect(broker.url, [`${base}/state`]);
      const retained = await until(() => kept.latest(`${base}/state`));
      await kept.close();
      expect(retained).toMatchObject({ status: 'stopped', playing: false });
      expect(retained).not.toHaveProperty('trackId');
    } finally {
      await daemon.stop('SIGKILL');
      await probe.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 150_000);
});

function parse(payload: string): Record<string, unknown> {
  return JSON.parse(payload) as Record<string, unknown>;
}
