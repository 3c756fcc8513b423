import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
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
    const config = writeConfig(dir, { rfid: { enabled: false }, player: { audioOutput: 'null' }, metrics: { enabled: true } });
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
      expect(value(families.get('moodbox_websocket_clients'))).toBe(1);
      expect(value(families.get('process_resident_memory_bytes'))).toBeGreaterThan(10 * 1024 * 1024);
      expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
    } finally {
      await daemon.stop();
    }
  }, 120_000);
});
