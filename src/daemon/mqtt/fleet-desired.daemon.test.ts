import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, runMoodbox, until, writeConfig, type LogLine } from '../testing/daemon-process.js';
import { auditAfter, type AuditRow } from '../testing/daemon-audit.js';
import { TestBroker } from '../testing/mosquitto.js';
import { MqttProbe } from '../testing/mqtt-probe.js';

const BASE = 'moodbox/cafe/lounge';
const DESIRED = 'moodbox/cafe/all/desired/volume-cap';

let broker: TestBroker;
let dir: string;

beforeAll(async () => {
  broker = await TestBroker.start();
  dir = mkdtempSync(join(tmpdir(), 'moodbox-fleet-desired-'));
});

afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A box of the `cafe` site that takes fleet commands, on the test broker; `data` keeps its database across starts. */
async function startBox(data: string): Promise<DaemonProcess> {
  const config = writeConfig(data, {
    camera: { enabled: false },
    rfid: { enabled: false },
    library: { folders: [], scanAtStart: false },
    player: { audioOutput: 'null', autoplay: false },
    mqtt: { enabled: true, url: broker.url, site: 'cafe', box: 'lounge', fleet: true, homeAssistant: false },
  });
  const daemon = await DaemonProcess.start({
    args: ['--config', config],
    env: { PATH: process.env['PATH'] ?? '', HOME: data, MOODBOX_DATA_DIR: data, MOODBOX_PORT: '0' },
  });
  await until(() => (daemon.lines.some((l) => l['msg'] === 'connected to the mqtt broker') ? true : undefined), 20_000);
  return daemon;
}

/** `moodbox fleet send …` as an operator runs it, against the test broker. */
function send(...args: string[]): Promise<{ stdout: string; code: number }> {
  return runMoodbox(['fleet', 'send', ...args, '--url', broker.url]);
}

/** The fleet's lines in the audit log, oldest first, read from the box's own database file. */
function fleetAudit(data: string): AuditRow[] {
  return auditAfter(data, 0).filter((row) => row.actor === 'mqtt:fleet');
}

function logged(daemon: DaemonProcess, match: (line: LogLine) => boolean, what: string): Promise<LogLine> {
  return until(
    () => daemon.lines.find(match),
    30_000,
    () => `the box never logged ${what}; its fleet lines: ${JSON.stringify(daemon.lines.filter((l) => /fleet/.test(String(l['msg']))))}`,
  );
}

// Issue 62, item 3: a site-wide `volume-cap 55` sent while box1 was offline never reached it. The broker
// now keeps the site's last setting of each kind (retained), and a box applies it once when it comes back.
describe("a site's settings reach a box that was away (real daemons, real Mosquitto)", () => {
  it('applies a site-wide setting sent while it was offline once when it comes back, audited once, and not again at the next start', async () => {
    const data = mkdtempSync(join(dir, 'lounge-'));
    const probe = await MqttProbe.connect(broker.url, [`${BASE}/state`, `${BASE}/cmd-result`]);
    try {
      // The box has been on the broker, and is stopped: the operator's list shows it offline.
      const first = await startBox(data);
      await until(() => probe.latest(`${BASE}/state`));
      await first.stop();

      const sent = await send('volume-cap', '55', '--site', 'cafe');
      expect(sent.code).toBe(1);
      expect(sent.stdout).toContain('lounge               offline: will be told when it comes back');
      expect(sent.stdout).toContain('0 of 1 boxes did it');

      // It comes back: it applies the site's setting, as a fleet command, and answers.
      const second = await startBox(data);
      try {
        const applied = await logged(
          second,
          (l) => l['msg'] === 'fleet setting from the site' && l['command'] === 'volume-cap',
          'the setting',
        );
        await until(() => (probe.latest(`${BASE}/state`)?.['maxVolume'] === 55 ? true : undefined), 30_000);
        await until(() => probe.heard(`${BASE}/cmd-result`).find((m) => (JSON.parse(m.payload) as { id: string }).id === applied['id']));
        expect(fleetAudit(data)).toMatchObject([{ action: 'settings.save', detail: { changed: ['player.maxVolume'] } }]);
        expect(fleetAudit(data)).toHaveLength(1);
      } finally {
        await second.stop();
      }

      // The next start hears the same setting from the broker, and leaves it: applied once, audited once.
      const third = await startBox(data);
      try {
        await logged(
          third,
          (l) => l['msg'] === 'fleet setting ignored: already applied' && l['command'] === 'volume-cap',
          'the setting known',
        );
        expect(fleetAudit(data)).toHaveLength(1);
        expect(third.lines.some((l) => l['msg'] === 'fleet setting from the site')).toBe(false);

        // Online, it hears the next one twice (the command, and the site's kept setting) and carries it out once.
        const online = await send('volume-cap', '65', '--site', 'cafe', '--json');
        expect(online.code).toBe(0);
        const { answers, kept } = JSON.parse(online.stdout) as { answers: Array<{ id: string; ok: boolean }>; kept: boolean };
        expect(kept).toBe(true);
        expect(answers).toMatchObject([{ ok: true }]);
        const id = answers[0]?.id;
        await logged(
          third,
          (l) =>
            (l['msg'] === 'fleet setting ignored: already carried out' || l['msg'] === 'fleet command ignored: already carried out') &&
            l['id'] === id,
          'the second copy ignored',
        );
        expect(fleetAudit(data)).toHaveLength(2);
      } finally {
        await third.stop();
      }
    } finally {
      await probe.publish(DESIRED, '', { retain: true });
      await probe.close();
    }
  }, 180_000);
});
