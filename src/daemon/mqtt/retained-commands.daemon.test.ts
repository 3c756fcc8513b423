import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, until, writeConfig, type LogLine } from '../testing/daemon-process.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';

// Issue 42, item 4 and its LOW items: a command published with retain while the box is connected
// was obeyed (MQTT 5 clears the flag on a live delivery unless the subscription asks to keep it,
// and MQTT 3.1.1 always clears it); `set/max_volume` with an empty payload set 0, `0x14` meant 20,
// a fleet `volume-cap` without a value reset the cap; Home Assistant's volume and skip were not audited.
// Issue 80: ` 50`, `50.0` and `045` were taken as volumes.

const BASE = 'moodbox/cafe/lounge';

let broker: TestBroker;
let dir: string;

beforeAll(async () => {
  broker = await TestBroker.start();
  dir = mkdtempSync(join(tmpdir(), 'moodbox-retained-'));
});

afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startBox(data: string, protocolVersion: 4 | 5): Promise<DaemonProcess> {
  const config = writeConfig(data, {
    camera: { enabled: false },
    rfid: { enabled: false },
    library: { folders: [], scanAtStart: false },
    player: { audioOutput: 'null', autoplay: false },
    mqtt: { enabled: true, url: broker.url, site: 'cafe', box: 'lounge', fleet: true, homeAssistant: true, protocolVersion },
  });
  const daemon = await DaemonProcess.start({
    args: ['--config', config],
    env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data, MOODBOX_PORT: '0' },
  });
  await until(() => (daemon.lines.some((l) => l['msg'] === 'connected to the mqtt broker') ? true : undefined), 20_000);
  return daemon;
}

function logged(daemon: DaemonProcess, match: (line: LogLine) => boolean): Promise<LogLine> {
  return until(
    () => daemon.lines.find(match),
    20_000,
    () => `no such log line; last: ${JSON.stringify(daemon.lines.slice(-5))}`,
  );
}

describe('commands the broker keeps, and payloads that are not what they say, against the real daemon and Mosquitto', () => {
  for (const protocolVersion of [5, 4] as const) {
    const name = protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1';
    it(`over ${name}: never obeys a command published with retain while connected, refuses loose payloads, and audits Home Assistant's volume`, async () => {
      const data = mkdtempSync(join(dir, `v${protocolVersion}-`));
      const probe = await MqttProbe.connect(broker.url, [`${BASE}/state`, `${BASE}/cmd-result`]);
      const daemon = await startBox(data, protocolVersion);
      try {
        await until(() => probe.latest(`${BASE}/state`));

        // Published with retain (as `mosquitto_pub -r` does) while the box listens: not obeyed.
        await probe.publish(`${BASE}/set/volume`, '7', { retain: true });
        await logged(
          daemon,
          (l) => l['msg'] === 'home assistant command ignored: the broker kept it (retained)' && l['topic'] === `${BASE}/set/volume`,
        );
        await probe.publish(`${BASE}/cmd/restart`, JSON.stringify({ id: `restart-live-${protocolVersion}` }), { retain: true });
        await logged(
          daemon,
          (l) => String(l['msg']).startsWith('fleet command ignored: the broker kept it') && l['topic'] === `${BASE}/cmd/restart`,
        );

        // Payloads that only look like numbers, and a fleet setting without its value: refused.
        await probe.publish(`${BASE}/set/max_volume`, '');
        await logged(daemon, (l) => l['msg'] === 'home assistant command refused' && l['entity'] === 'max_volume' && l['value'] === '');
        await probe.publish(`${BASE}/set/max_volume`, '0x14');
        await logged(daemon, (l) => l['msg'] === 'home assistant command refused' && l['value'] === '0x14');
        // Issue 80: a volume written loosely was read as a number (` 50` and `50.0` as 50, `045` as 45).
        for (const loose of [' 50', '50.0', '045']) {
          await probe.publish(`${BASE}/set/volume`, loose);
          await logged(daemon, (l) => l['msg'] === 'home assistant command refused' && l['entity'] === 'volume' && l['value'] === loose);
        }
        await probe.publish(`${BASE}/cmd/volume-cap`, JSON.stringify({ id: `cap-none-${protocolVersion}` }));
        const capped = await until(() =>
          probe
            .heard(`${BASE}/cmd-result`)
            .map((m) => JSON.parse(m.payload) as Record<string, unknown>)
            .find((r) => r['id'] === `cap-none-${protocolVersion}`),
        );
        expect(capped).toMatchObject({ ok: false, error: expect.stringContaining('Expected `value` (player.maxVolume') });

        // A command sent without retain, after all of them, is obeyed: the box heard and judged everything before it.
        await probe.publish(`${BASE}/set/volume`, '40');
        const state = await until(() => {
          const latest = probe.latest(`${BASE}/state`);
          return latest?.['volume'] === 40 ? latest : undefined;
        });
        expect(state).toMatchObject({ volume: 40, maxVolume: 100 });
        const volumes = probe.heard(`${BASE}/state`).map((m) => JSON.parse(m.payload) as { volume: number; maxVolume: number });
        expect(volumes.map((s) => s.volume)).not.toContain(7);
        expect(volumes.map((s) => s.volume)).not.toContain(50);
        expect(volumes.map((s) => s.volume)).not.toContain(45);
        expect(volumes.map((s) => s.maxVolume).every((v) => v === 100)).toBe(true);
        expect(daemon.lines.some((l) => l['msg'] === 'shutting down' || l['msg'] === 'restart requested')).toBe(false);
        expect(daemon.child.exitCode).toBeNull();

        // Home Assistant's volume is audited with its source; the kept 7 left no row.
        const db = new Database(join(data, 'moodbox.db'), { readonly: true, fileMustExist: true });
        try {
          const rows = db.prepare(`SELECT actor, action, detail FROM audit_log WHERE actor LIKE 'mqtt:%' ORDER BY id`).all();
          expect(rows).toEqual([
            { actor: 'mqtt:homeassistant', action: 'player.volume', detail: JSON.stringify({ wanted: 40, applied: 40 }) },
          ]);
        } finally {
          db.close();
        }
      } finally {
        await daemon.stop();
        await probe.publish(`${BASE}/set/volume`, '', { retain: true });
        await probe.publish(`${BASE}/cmd/restart`, '', { retain: true });
        await probe.close();
      }
    }, 120_000);
  }
});
