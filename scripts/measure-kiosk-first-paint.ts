/**
 * The kiosk's first paint: how long after navigation start the kiosk first renders the daemon's
 * state (its `mb-first-render` mark) and paints it (`mb-painted`), in Debian's Chromium at 800x480,
 * median of N loads, for one or more builds of the screens (a `dist/ui` folder each). The state
 * comes from a socket routed inside the browser, so no daemon runs beside it.
 * Run: npx tsx scripts/measure-kiosk-first-paint.ts [loads] [dist/ui ...]
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { initialScreenState } from '../src/daemon/http/state-projector.js';

const loads = Number(process.argv[2] ?? 15);
const builds = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ['dist/ui'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
/** A room as the kiosk first sees it: a mood read, a song playing, one to come. */
const track = (id: number, title: string) => ({
  id,
  title,
  artist: 'Kites',
  album: 'A',
  durationMs: 200_000,
  coverUrl: null,
  moods: ['happy'],
});
const state = {
  ...initialScreenState({ version: '1', demo: false }),
  camera: { status: 'on' as const, detail: null },
  mood: { current: 'happy' as const, confidence: 0.8, since: 0, why: '1 face, looking happy', faces: 1 },
  player: { status: 'playing' as const, nowPlaying: track(1, 'Walking on Air'), positionMs: 80_000, next: track(2, 'Feather'), volume: 60 },
  suggestions: [3, 4, 5, 6, 7, 8].map((id) => track(id, `Song ${id}`)),
};
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const build of builds) {
    const root = resolve(build);
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const file = join(root, path === '/' ? 'index.html' : path);
      readFile(file).then(
        (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const render: number[] = [];
    const paint: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 800, height: 480 } });
      const page = await context.newPage();
      await page.routeWebSocket(/\/ws$/, (ws) => ws.send(JSON.stringify({ type: 'state/snapshot', seq: 0, data: state })));
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('mb-painted').length > 0);
      const [r, p] = await page.evaluate(() =>
        ['mb-first-render', 'mb-painted'].map((m) => performance.getEntriesByName(m)[0]?.startTime ?? NaN),
      );
      render.push(r ?? NaN);
      paint.push(p ?? NaN);
      await context.close();
    }
    server.close();
    console.log(
      `${build}: first render ${median(render).toFixed(0)} ms, first paint ${median(paint).toFixed(0)} ms (median of ${loads} loads)`,
    );
  }
} finally {
  await browser.close();
}
