import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { discoveryProblems } from '../testing/home-assistant-keys.js';
import { homeAssistantProblems, type TemplatedEntity } from '../testing/home-assistant-templates.js';
import { auditAfter, auditedBy, lastAuditId, type AuditRow } from '../testing/daemon-audit.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';

const DISCOVERY = 'homeassistant/device/moodbox_home_den/config';
const BASE = 'moodbox/home/den';
const HA = 'mqtt:homeassistant';

let broker: TestBroker;
let dir: string;

beforeAll(async () => {
  broker = await TestBroker.start();
  dir = mkdtempSync(join(tmpdir(), 'moodbox-ha-pause-'));
});

afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

// Issue 62, item 5: `set/pause` and `set/mood_hold` were refused ("Expected a Moodbox entity"), though
// the admin panel has both. They are now entities, carried out by the music's own commands and audited.
describe('pause and mood hold from Home Assistant (real daemon, real Mosquitto)', () => {
  it('announces a Paused switch and a Mood hold select with its time, pauses, holds and releases as staff do, audited, and refuses what is not a choice', async () => {
    const data = mkdtempSync(join(dir, 'box-'));
    const probe = await MqttProbe.connect(broker.url, ['homeassistant/#', `${BASE}/#`]);
    const config = writeConfig(data, {
      site: { kind: 'home' },
      camera: { enabled: false },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      mqtt: { enabled: true, url: broker.url, site: 'home', box: 'den', fleet: false, homeAssistant: true },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data, MOODBOX_PORT: '0' },
    });
    /** Waits for a state published by the box that passes `test`. */
    const state = (test: (s: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> =>
      until(
        () => {
          const latest = probe.latest(`${BASE}/state`);
          return latest !== undefined && test(latest) ? latest : undefined;
        },
        30_000,
        () => `the state never showed ${what}; last: ${JSON.stringify(probe.latest(`${BASE}/state`))}`,
      );
    /** Sends `payload` to Home Assistant's `entity` and waits for the one audit line it writes. */
    const audited = async (entity: string, payload: string): Promise<AuditRow> => {
      const rows = await auditedBy(
        data,
        () => probe.publish(`${BASE}/set/${entity}`, payload),
        `${entity} ${payload}`,
        () => daemon.lines.slice(-5),
      );
      expect(rows, entity).toHaveLength(1);
      return rows[0] as AuditRow;
    };
    const refused = (entity: string, payload: string) =>
      until(
        () =>
          daemon.lines.some((l) => l['msg'] === 'home assistant command refused' && l['entity'] === entity && l['value'] === payload)
            ? true
            : undefined,
        20_000,
      );
    try {
      // Discovery: the new entities, within the documented keys, and their templates render on the real state.
      const discovery = await until(() => probe.heard(DISCOVERY)[0], 20_000);
      const payload = JSON.parse(discovery.payload) as { components: Record<string, TemplatedEntity & Record<string, unknown>> };
      expect(discoveryProblems(discovery.topic, payload)).toEqual([]);
      expect(payload.components['paused']).toMatchObject({ platform: 'switch', command_topic: `${BASE}/set/paused` });
      expect(payload.components['mood_hold']).toMatchObject({ platform: 'select', command_topic: `${BASE}/set/mood_hold` });
      expect(payload.components['mood_hold_minutes']).toMatchObject({ platform: 'number', command_topic: `${BASE}/set/mood_hold_minutes` });
      const playing = await state((s) => s['playing'] === true, 'music playing');
      expect(playing).toMatchObject({ pausedByStaff: false, moodHoldMinutes: 60 });
      expect(playing).not.toHaveProperty('moodHold');
      expect(homeAssistantProblems(payload.components, [playing])).toEqual([]);

      // Paused: a staff pause, which only its end resumes.
      expect(await audited('paused', 'ON')).toMatchObject({ actor: HA, action: 'player.pause' });
      await state((s) => s['pausedByStaff'] === true && s['playing'] === false, 'the staff pause');
      expect(await audited('paused', 'OFF')).toMatchObject({ actor: HA, action: 'player.resume' });
      await state((s) => s['pausedByStaff'] === false && s['playing'] === true, 'the music back');

      // The hold time is Home Assistant's choice for its next hold: kept and shown, no change of the music, no audit line.
      const beforeTime = lastAuditId(data);
      await probe.publish(`${BASE}/set/mood_hold_minutes`, '30');
      await state((s) => s['moodHoldMinutes'] === 30, 'a hold time of 30 minutes');
      expect(auditAfter(data, beforeTime)).toEqual([]);

      // A mood held for that long, then `off`: the music follows the camera again.
      expect(await audited('mood_hold', 'happy')).toMatchObject({
        actor: HA,
        action: 'mood.hold',
        detail: { label: 'happy', minutes: 30 },
      });
      const held = await state((s) => s['moodHold'] === 'happy', 'the held mood');
      expect(homeAssistantProblems(payload.components, [held])).toEqual([]);
      expect(await audited('mood_hold', 'off')).toMatchObject({ actor: HA, action: 'mood.release', detail: { label: 'happy' } });
      await state((s) => !('moodHold' in s), 'no held mood');

      // What is not one of the entity's choices is refused, and changes and writes nothing.
      const before = lastAuditId(data);
      await probe.publish(`${BASE}/set/mood_hold`, 'ecstatic');
      await refused('mood_hold', 'ecstatic');
      await probe.publish(`${BASE}/set/paused`, 'maybe');
      await refused('paused', 'maybe');
      await probe.publish(`${BASE}/set/mood_hold_minutes`, '1441');
      await refused('mood_hold_minutes', '1441');
      expect(auditAfter(data, before)).toEqual([]);
      expect(probe.latest(`${BASE}/state`)).toMatchObject({ pausedByStaff: false, playing: true, moodHoldMinutes: 30 });
      expect(probe.latest(`${BASE}/state`)).not.toHaveProperty('moodHold');
    } finally {
      await daemon.stop();
      await probe.close();
    }
  }, 180_000);
});
