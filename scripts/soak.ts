// Soak run: starts Moodbox in demo mode (its own data folder, a free port) and samples the
// daemon's memory (RSS) and open file descriptors, and mpv's RSS, at a fixed interval; at the end
// it prints the first and last samples, the peak and the growth per hour.
//
//   npm run build && node --import tsx scripts/soak.ts [--minutes 30] [--every 30] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childNamed, mib, openFiles, rssKiB } from '../src/daemon/process-stats.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    every: { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const everyS = Number(values.every);
if (!(minutes > 0) || !(everyS > 0)) throw new RangeError('Expected --minutes and --every to be positive numbers');

const root = new URL('../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-soak-'));
// The built daemon, as systemd runs it; the sources through tsx when it is not built.
const built = join(root, 'dist/daemon/cli.js');
const entry = existsSync(built) ? [built] : ['--import', 'tsx', join(root, 'src/daemon/cli.ts')];
const child = spawn(process.execPath, [...entry, 'start'], {
  env: { ...process.env, MOODBOX_DATA_DIR: dataDir, MOODBOX_PORT: '0', HOME: dataDir },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let base = '';
const problems: string[] = [];
let buffer = '';
child.stdout.on('data', (chunk: Buffer) => {
  buffer += chunk.toString();
  const lines = buffer.split('\n');
  buffer = lines.pop() ?? '';
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as { msg?: string; kiosk?: string; level?: number };
      if (entry.msg === 'moodbox ready' && entry.kiosk) base = entry.kiosk.replace(/\/$/, '');
      if ((entry.level ?? 0) >= 50) problems.push(line);
    } catch {
      // not a log line
    }
  }
});
child.stderr.resume();

interface Sample {
  minute: number;
  rssMiB: number;
  fds: number;
  mpvRssMiB: number;
  heapMiB: number;
  externalMiB: number;
  mood: string | null;
  playing: string | null;
}
const samples: Sample[] = [];
const started = Date.now();
const pid = child.pid ?? 0;
while (base === '') {
  if (child.exitCode !== null) throw new Error('the daemon stopped before it was ready');
  await new Promise((r) => setTimeout(r, 200));
}
for (;;) {
  const state = (await (await fetch(`${base}/api/state`)).json()) as {
    data: { mood: { current: string | null }; player: { nowPlaying: { title: string } | null } };
  };
  const health = (await (await fetch(`${base}/api/health`)).json()) as { memory: { heapUsedMiB: number; externalMiB: number } };
  const mpv = childNamed(pid, 'mpv');
  const sample: Sample = {
    minute: Math.round(((Date.now() - started) / 60_000) * 10) / 10,
    rssMiB: mib(rssKiB(pid)),
    fds: openFiles(pid),
    mpvRssMiB: mpv === undefined ? 0 : mib(rssKiB(mpv)),
    heapMiB: health.memory.heapUsedMiB,
    externalMiB: health.memory.externalMiB,
    mood: state.data.mood.current,
    playing: state.data.player.nowPlaying?.title ?? null,
  };
  samples.push(sample);
  if (!values.json) process.stdout.write(`${JSON.stringify(sample)}\n`);
  if (Date.now() - started >= minutes * 60_000) break;
  await new Promise((r) => setTimeout(r, everyS * 1000));
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

const first = samples[0] as Sample;
const last = samples.at(-1) as Sample;
// Growth after the first five minutes (start-up, caches and the first loop of the clip settle).
const settled = samples.find((s) => s.minute >= Math.min(5, minutes / 2)) ?? first;
const hours = Math.max((last.minute - settled.minute) / 60, 1 / 60);
const summary = {
  minutes,
  samples: samples.length,
  rssMiB: { first: first.rssMiB, settled: settled.rssMiB, last: last.rssMiB, peak: Math.max(...samples.map((s) => s.rssMiB)) },
  heapMiB: { settled: settled.heapMiB, last: last.heapMiB },
  rssGrowthMiBPerHour: Math.round(((last.rssMiB - settled.rssMiB) / hours) * 10) / 10,
  fds: { first: first.fds, last: last.fds, max: Math.max(...samples.map((s) => s.fds)) },
  mpvRssMiB: { first: first.mpvRssMiB, last: last.mpvRssMiB },
  moodsSeen: [...new Set(samples.map((s) => s.mood))],
  errorsLogged: problems.length,
};
process.stdout.write(values.json ? `${JSON.stringify({ samples, summary })}\n` : `summary ${JSON.stringify(summary, null, 2)}\n`);
