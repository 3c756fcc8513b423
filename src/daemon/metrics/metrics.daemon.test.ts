import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeTone } from '../../player/testing/tones.js';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';

const dir = mkdtempSync(join(tmpdir(), 'moodbox-metrics-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scrape(base: string): Promise<Map<string, MetricFamily>> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return new Map(parsePrometheusTextFormat(await res.text()).map((family) => [family.name, family]));
}

const value = (family: MetricFamily | undefined): number => Number(family?.metrics[0]?.value ?? Number.NaN);

describe('/metrics', () => {
  it('is off by default', async () => {
    const daemon = await DaemonProcess.start({
      args: ['--config', writeConfig(dir, { camera: { enabled: false }, rfid: { enabled: false }, player: { audioOutput: 'null' } })],
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: join(dir, 'off'), MOODBOX_PORT: '0' },
    });
    try {
      expect((await fetch(`${daemon.base}/metrics`)).status).toBe(404);
    } finally {
      await daemon.stop();
    }
  }, 60_000);

  it('serves frames, latencies, faces, mood changes, plays, WebSocket clients, RSS and event-loop lag in Prometheus text format', async () => {
    // The bundled demo clip, named: a box with a file and no camera line uses its own camera.
    const config = writeConfig(dir, {
      camera: { source: 'demo' },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      metrics: { enabled: true },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: join(dir, 'on'), MOODBOX_PORT: '0' },
    });
    try {
      const ws = new WebSocket(`${daemon.base.replace('http', 'ws')}/ws`);
      await new Promise((resolve) => ws.once('open', resolve));
      // The demo camera is analysed and the demo library plays: the counters move.
      const families = await until(async () => {
        const scraped = await scrape(daemon.base);
        const plays = scraped.get('moodbox_plays_total')?.metrics.length ?? 0;
        return value(scraped.get('moodbox_frames_analysed_total')) > 5 && plays > 0 ? scraped : undefined;
      }, 60_000);
      ws.close();
      expect(families.get('moodbox_detection_seconds')?.type).toBe('HISTOGRAM');
      expect(Number(families.get('moodbox_detection_seconds')?.metrics[0]?.count)).toBeGreaterThan(5);
      expect(families.get('moodbox_classification_seconds')?.type).toBe('HISTOGRAM');
      expect(families.get('moodbox_faces')?.type).toBe('GAUGE');
      expect(families.get('moodbox_mood_changes_total')?.type).toBe('COUNTER');
      expect(families.get('moodbox_plays_total')?.metrics[0]?.labels).toMatchObject({ source: 'local', reason: expect.any(String) });
      expect(families.get('moodbox_skips_total')?.type).toBe('COUNTER');
      // Counted by the root logger's hook from the first line, and served here (issue 81).
      expect(families.get('moodbox_errors_total')?.type).toBe('COUNTER');
      expect(value(families.get('moodbox_websocket_clients'))).toBe(1);
      expect(value(families.get('process_resident_memory_bytes'))).toBeGreaterThan(10 * 1024 * 1024);
      expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
    } finally {
      await daemon.stop();
    }
  }, 120_000);

  it('counts every play from the first one after a start', async () => {
    const music = join(dir, 'first-play-music');
    await makeTone(music, { file: 'a.flac', seconds: 40 });
    await makeTone(music, { file: 'b.flac', seconds: 40, hz: 660 });
    const config = writeConfig(dir, {
      camera: { enabled: false },
      rfid: { enabled: false },
      library: { folders: [music] },
      player: { audioOutput: 'null' },
      metrics: { enabled: true },
    });
    const env = { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: join(dir, 'first-play'), MOODBOX_PORT: '0' };
    // The first start scans the library; the second finds it in the database and plays at once.
    for (const run of ['first start', 'second start']) {
      const daemon = await DaemonProcess.start({ args: ['--config', config], env });
      try {
        const started = (): number => daemon.lines.filter((l) => l['msg'] === 'track started').length;
        await until(() => (started() > 0 ? true : undefined), 60_000);
        // Read while no song starts: the count of plays is the number of songs started.
        const counted = await until(async () => {
          const before = started();
          const plays = (await scrape(daemon.base)).get('moodbox_plays_total')?.metrics ?? [];
          const total = plays.reduce((sum, m) => sum + Number(m.value), 0);
          return started() === before ? { before, total } : undefined;
        }, 30_000);
        expect(counted.total, run).toBe(counted.before);
      } finally {
        await daemon.stop();
      }
    }
  }, 120_000);
});
