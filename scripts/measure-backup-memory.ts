// The daemon's memory while large backups pass through it (issue 59): a backup of about `--mib`
// MiB (a real Moodbox database, made bigger with long rows) downloaded twice at once and uploaded
// once beside them, through the admin API of the built daemon. Prints the daemon's resident size
// before, its peak during (VmHWM) and after, with the memory guard's ceiling (memory.ceilingMiB).
//
//   npm run build && node --import tsx scripts/measure-backup-memory.ts [--mib 1000] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/daemon/config/load-config.js';
import { mib, peakRssKiB, rssKiB } from '../src/daemon/ops/process-stats.js';
import { openSqliteStore } from '../src/daemon/store/sqlite-store.js';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } } });
const sizeMiB = Number(values.mib);
const root = new URL('../', import.meta.url).pathname;
const cli = join(root, 'dist/daemon/cli.js');
const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-backup-memory-'));
const PASSPHRASE = 'a long enough passphrase';
const silent = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {}, child: () => silent };

try {
  // A backup as the box makes them, grown to the size asked with long track rows.
  const backups = join(dataDir, 'backups');
  mkdirSync(backups, { recursive: true, mode: 0o700 });
  const big = join(backups, 'moodbox-manual-20261127T000000Z.db');
  const store = openSqliteStore(
    { clock: { now: () => Date.now(), monotonic: () => performance.now() } as never, log: silent },
    { path: big },
  );
  const row = 'x'.repeat(60_000);
  // Each title is kept twice (the row and the library's search index).
  const rows = Math.ceil((sizeMiB * 2 ** 20) / (2.07 * row.length));
  store.transaction(() => {
    for (let i = 0; i < rows; i++) store.tracks.upsert({ uri: `/music/${i}.ogg`, title: `${i} ${row}`, artist: 'Band', durationMs: 1000 });
  });
  store.close();
  const bytes = statSync(big).size;

  const added = spawnSync(process.execPath, [cli, 'user', 'add', 'Root', '--role', 'admin'], {
    env: { ...process.env, MOODBOX_DATA_DIR: dataDir, HOME: dataDir },
    input: `${PASSPHRASE}\n`,
    encoding: 'utf8',
  });
  if (added.status !== 0) throw new Error(`user add failed: ${added.stderr}`);

  const child = spawn(process.execPath, [cli, 'start'], {
    env: { MALLOC_ARENA_MAX: '2', ...process.env, MOODBOX_DATA_DIR: dataDir, MOODBOX_PORT: '0', HOME: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`the daemon exited (${code ?? 'signal'}) before it was ready`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const entry = JSON.parse(line) as { msg?: string; kiosk?: string };
        if (entry.msg === 'moodbox ready' && entry.kiosk) resolve(entry.kiosk.replace(/\/$/, ''));
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
  });
  const pid = child.pid ?? 0;
  try {
    const signIn = await fetch(`${base}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Root', passphrase: PASSPHRASE }),
    });
    if (!signIn.ok) throw new Error(`sign-in refused: ${signIn.status}`);
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // Settled: the library scanned, the first song playing.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const before = rssKiB(pid);
    const download = async (): Promise<number> => {
      const res = await fetch(`${base}/api/admin/backups/${encodeURIComponent('moodbox-manual-20261127T000000Z.db')}`, {
        headers: { cookie },
      });
      if (!res.ok || res.body === null) throw new Error(`download refused: ${res.status}`);
      let got = 0;
      for await (const chunk of Readable.fromWeb(res.body as never)) got += (chunk as Buffer).length;
      return got;
    };
    const upload = async (): Promise<number> => {
      const res = await fetch(`${base}/api/admin/backups/upload`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/vnd.sqlite3', 'content-length': String(bytes) },
        body: Readable.toWeb(createReadStream(big)) as never,
        duplex: 'half',
      });
      return res.status;
    };
    const started = performance.now();
    const [first, second, uploaded] = await Promise.all([download(), download(), upload()]);
    const seconds = (performance.now() - started) / 1000;
    const after = rssKiB(pid);
    const peak = peakRssKiB(pid);
    const ceiling = loadConfig({ env: {} }).config.memory.ceilingMiB;
    const result = {
      backupMiB: Math.round(bytes / 2 ** 20),
      downloadedMiB: [first, second].map((b) => Math.round(b / 2 ** 20)),
      uploadStatus: uploaded,
      seconds: Math.round(seconds * 10) / 10,
      rssBeforeMiB: mib(before),
      rssPeakMiB: mib(peak),
      rssAfterMiB: mib(after),
      ceilingMiB: ceiling,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else
      process.stdout.write(
        `backup ${result.backupMiB} MiB: two downloads (${result.downloadedMiB.join(' and ')} MiB) and one upload (HTTP ${uploaded}) at once in ${result.seconds} s\n` +
          `daemon RSS: ${result.rssBeforeMiB} MiB before, peak ${result.rssPeakMiB} MiB (VmHWM, since start), ${result.rssAfterMiB} MiB after; the memory guard's ceiling: ${ceiling} MiB\n`,
      );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
