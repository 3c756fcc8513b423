import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOODBOX_CLI, DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { auditAfter, auditedBy, lastAuditId, type AuditRow } from '../testing/daemon-audit.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';

const BASE = 'moodbox/home/den';

let broker: TestBroker;
let dir: string;

beforeAll(async () => {
  broker = await TestBroker.start();
  dir = mkdtempSync(join(tmpdir(), 'moodbox-mqtt-audit-'));
});

afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

// Issue 41: skip, volume and like from MQTT were carried out and audited by nobody. Every command from
// the broker is now a command of the service that owns the change, which writes the audit with who sent it.
describe('commands over MQTT, audited by the services that carry them out (real daemon, real Mosquitto)', () => {
  it('writes one audit line, naming Home Assistant or the fleet, for every command it carries out', async () => {
    const data = mkdtempSync(join(dir, 'box-'));
    const cli = spawnSync(process.execPath, [MOODBOX_CLI, 'user', 'add', 'Ada'], {
      input: '4711\n',
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data },
    });
    expect(cli.status, cli.stderr).toBe(0);
    const probe = await MqttProbe.connect(broker.url, [`${BASE}/#`]);
    const config = writeConfig(data, {
      site: { kind: 'home' },
      camera: { enabled: false },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      mqtt: { enabled: true, url: broker.url, site: 'home', box: 'den', heartbeatS: 5, fleet: true, homeAssistant: true },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data, MOODBOX_PORT: '0' },
    });
    /** Sends `payload` to `topic` and waits for the one audit line it writes. */
    const audited = async (topic: string, payload: string): Promise<AuditRow> => {
      const rows = await auditedBy(
        data,
        () => probe.publish(topic, payload),
        `${topic} ${payload}`,
        () => daemon.lines.slice(-5),
      );
      expect(rows, topic).toHaveLength(1);
      return rows[0] as AuditRow;
    };
    try {
      // A song plays and Ada is signed in at the kiosk: a like from Home Assistant is hers.
      await until(() => (probe.latest(`${BASE}/state`)?.['playing'] === true ? true : undefined), 60_000);
      const signIn = await fetch(`${daemon.base}/api/session/pin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada', pin: '4711' }),
      });
      expect(signIn.status).toBe(200);
      await until(() => (probe.latest(`${BASE}/state`)?.['signedIn'] === true ? true : undefined), 20_000);

      const ha = 'mqtt:homeassistant';
      const song = { trackId: expect.any(Number) as number };
      expect(await audited(`${BASE}/set/like`, 'PRESS')).toMatchObject({ actor: ha, action: 'player.like', detail: song });
      expect(await audited(`${BASE}/set/skip`, 'PRESS')).toMatchObject({ actor: ha, action: 'player.skip', detail: song });
      expect(await audited(`${BASE}/set/volume`, '40')).toMatchObject({ actor: ha, action: 'player.volume', detail: { wanted: 40 } });
      expect(await audited(`${BASE}/set/max_volume`, '90')).toMatchObject({
        actor: ha,
        action: 'settings.save',
        detail: { changed: ['player.maxVolume'] },
      });
      expect(await audited(`${BASE}/set/policy`, 'lift')).toMatchObject({
        actor: ha,
        action: 'settings.save',
        detail: { changed: ['player.policy'] },
      });
      expect(await audited(`${BASE}/set/source`, 'mixed')).toMatchObject({
        actor: ha,
        action: 'settings.save',
        detail: { changed: ['music.source'] },
      });
      expect(await audited(`${BASE}/set/camera`, 'ON')).toMatchObject({
        actor: ha,
        action: 'settings.save',
        detail: { changed: ['camera.enabled'] },
      });

      // A command refused (a volume out of range) changes nothing and writes nothing.
      const before = lastAuditId(data);
      await probe.publish(`${BASE}/set/volume`, '140');
      await until(() =>
        daemon.lines.some((l) => l['msg'] === 'home assistant command refused' && l['value'] === '140') ? true : undefined,
      );
      expect(auditAfter(data, before)).toEqual([]);

      const fleet = 'mqtt:fleet';
      const command = (name: string, message: Record<string, unknown>) => audited(`${BASE}/cmd/${name}`, JSON.stringify(message));
      expect(await command('volume-cap', { id: 'cap', value: 80 })).toMatchObject({
        actor: fleet,
        action: 'settings.save',
        detail: { changed: ['player.maxVolume'] },
      });
      expect(await command('quiet-hours', { id: 'quiet', value: { from: '22:00', to: '07:00' } })).toMatchObject({
        actor: fleet,
        action: 'settings.save',
        detail: { changed: ['player.quietHours'] },
      });
      expect(await command('camera-hours', { id: 'hours', value: { from: '08:00', to: '20:00' } })).toMatchObject({
        actor: fleet,
        action: 'settings.save',
        detail: { changed: ['camera.hours'] },
      });
      expect(await command('policy', { id: 'policy', value: 'match' })).toMatchObject({
        actor: fleet,
        action: 'settings.save',
        detail: { changed: ['player.policy'] },
      });
      expect(await command('rescan', { id: 'rescan' })).toMatchObject({ actor: fleet, action: 'library.scan' });
      expect(await command('restart', { id: 'restart' })).toMatchObject({ actor: fleet, action: 'daemon.restart' });
      expect(await daemon.exited).toMatchObject({ code: 75 });
    } finally {
      await daemon.stop('SIGKILL');
      await probe.close();
    }
  }, 180_000);
});
