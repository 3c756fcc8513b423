// The camera's analysis with many screens connected: starts Moodbox (the built one, its own data
// folder, a free port on loopback) reading the demo clip at 10 frames/s with a library of tones,
// counts the frames analysed (`moodbox_frames_analysed_total` on /metrics) over a window alone,
// then over the same window with N screens holding /ws, and prints both rates, the pushes each
// screen got and the daemon's CPU time. Prints, without asserting anything: on a shared machine the
// rest of the machine moves the rate more than the screens do, so read it on a quiet one.
//
//   npm run build && node --import tsx scripts/bench-screens.ts [--screens 50] [--seconds 10] [--json]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { cpuSeconds } from '../src/daemon/ops/process-stats.js';
import { DaemonProcess, REPO_ROOT, until, writeConfig } from '../src/daemon/testing/daemon-process.js';
import { makeTone } from '../src/player/testing/tones.js';

const { values } = parseArgs({
  options: {
    screens: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const screenCount = Number(values.screens);
const seconds = Number(values.seconds);
if (!(Number.isInteger(screenCount) && screenCount >= 1 && screenCount <= 500))
  throw new RangeError(`Expected \`--screens\` to be 1–500, got \`${values.screens}\``);
if (!(seconds >= 2 && seconds <= 300)) throw new RangeError(`Expected \`--seconds\` to be 2–300, got \`${values.seconds}\``);

const dir = mkdtempSync(join(tmpdir(), 'moodbox-bench-screens-'));
const music = join(dir, 'music');
mkdirSync(music);
const rows = ['path,moods'];
for (const [mood, hz] of [
  ['calm', 440],
  ['upbeat', 880],
] as const) {
  for (let i = 1; i <= 3; i++) {
    const file = `${mood}-${i}.flac`;
    await makeTone(music, { file, hz, seconds: 30, volume: 0.5, tags: { title: `${mood} ${i}`, artist: `${mood} band ${i}` } });
    rows.push(`${file},${mood}:1`);
  }
}
writeFileSync(join(music, 'moods.csv'), `${rows.join('\n')}\n`);
const config = writeConfig(dir, {
  dataDir: join(dir, 'data'),
  server: { port: 0 },
  rfid: { enabled: false },
  player: { audioOutput: 'null' },
  library: { folders: [music] },
  camera: { source: join(REPO_ROOT, 'demo/camera.mp4') },
  vision: { analysisFps: 10 },
  metrics: { enabled: true },
});
const daemon = await DaemonProcess.start({
  args: ['--config', config],
  env: { PATH: process.env['PATH'] ?? '', HOME: dir, OPENCV4NODEJS_DISABLE_AUTOBUILD: '1', TZ: 'UTC' },
});
const pid = daemon.child.pid ?? 0;

async function analysed(): Promise<number> {
  const text = await (await fetch(`${daemon.base}/metrics`)).text();
  const match = /^moodbox_frames_analysed_total (\d+)$/m.exec(text);
  if (match === null) throw new Error('Expected /metrics to count the frames analysed');
  return Number(match[1]);
}

/** Frames analysed per second of wall time, and the daemon's CPU seconds, over one window. */
async function window(): Promise<{ framesPerS: number; cpuS: number }> {
  const frames = await analysed();
  const cpu = cpuSeconds(pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsedS = (performance.now() - started) / 1000;
  return { framesPerS: ((await analysed()) - frames) / elapsedS, cpuS: cpuSeconds(pid) - cpu };
}

const sockets: WebSocket[] = [];
try {
  // The clip is read once the camera has started: wait for the first frame, then one window to settle.
  await until(async () => ((await analysed()) > 0 ? true : undefined), 60_000);
  await window();
  const alone = await window();

  const pushes = Array.from({ length: screenCount }, () => 0);
  for (let i = 0; i < screenCount; i++) {
    const ws = new WebSocket(`${daemon.base.replace('http', 'ws')}/ws`);
    // The daemon's word that it is alive (`link/alive`) is no push of the state.
    ws.on('message', (raw: Buffer) => {
      if (!raw.toString().includes('"type":"link/alive"')) pushes[i] = (pushes[i] ?? 0) + 1;
    });
    sockets.push(ws);
  }
  await until(() => (pushes.every((n) => n > 0) ? true : undefined), 60_000);
  const before = [...pushes];
  const crowded = await window();
  const during = pushes.map((n, i) => n - (before[i] ?? 0));
  const report = {
    screens: screenCount,
    seconds,
    alone,
    crowded,
    pushesPerScreen: { min: Math.min(...during), max: Math.max(...during) },
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else
    process.stdout.write(
      [
        `analysis alone: ${alone.framesPerS.toFixed(1)} frames/s, daemon ${alone.cpuS.toFixed(1)} s CPU in ${seconds} s`,
        `with ${screenCount} screens: ${crowded.framesPerS.toFixed(1)} frames/s, daemon ${crowded.cpuS.toFixed(1)} s CPU in ${seconds} s`,
        `pushes per screen in the window: ${report.pushesPerScreen.min}–${report.pushesPerScreen.max}`,
        '',
      ].join('\n'),
    );
} finally {
  for (const ws of sockets) ws.terminate();
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
}
