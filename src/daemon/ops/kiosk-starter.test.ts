import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTEN_FILE, writeListenFile } from './listen-file.js';

const STARTER = join(import.meta.dirname, '..', '..', '..', 'systemd', 'moodbox-kiosk.sh');
/** The browser's stand-in: says its process and the address it was given (its last argument), then runs until it is ended. */
const BROWSER = ['bash', '-c', 'echo "browser $$: $*"; exec sleep infinity', 'browser', '--kiosk'];

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function runtimeDir(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-kiosk-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: join(dir, LISTEN_FILE) };
}

/** A daemon's stand-in that answers /api/health on a free port of 127.0.0.1. */
async function daemon(): Promise<number> {
  const server: Server = createServer((request, response) => {
    response.statusCode = request.url === '/api/health' ? 200 : 404;
    response.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** Runs the starter as moodbox-kiosk.service does, with the browser's stand-in; resolves once the browser runs. */
async function start(
  listenFile: string,
  env: Record<string, string> = {},
): Promise<{
  url: string;
  browser: number;
  child: ChildProcessByStdio<null, Readable, Readable>;
  stderr: () => string;
  exit: Promise<number | null>;
}> {
  const child = spawn(STARTER, [listenFile, ...BROWSER], {
    env: { PATH: process.env['PATH'] ?? '', MOODBOX_KIOSK_WAIT_S: '0', MOODBOX_KIOSK_CHECK_S: '0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exit;
    }
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const said = /^browser (\d+): --kiosk (\S+)$/.exec(line);
  if (said === null) throw new Error(`Expected the browser's command line, got ${line}; ${stderr}`);
  return { url: said[2] ?? '', browser: Number(said[1]), child, stderr: () => stderr, exit };
}

describe('the kiosk screen’s starter (moodbox-kiosk.service)', () => {
  it('opens the page where the daemon says it listens, once it answers there, as the browser’s last argument', async () => {
    const { file } = runtimeDir();
    const port = await daemon();
    await writeListenFile(file, { host: '127.0.0.1', port });
    const kiosk = await start(file, { MOODBOX_KIOSK_WAIT_S: '60' });
    expect(kiosk.url).toBe(`http://127.0.0.1:${port}/`);
    expect(kiosk.stderr()).toContain(`moodbox-kiosk: showing http://127.0.0.1:${port}/`);
  });

  it('reaches a daemon that listens on every address through the loopback', async () => {
    const { file } = runtimeDir();
    await writeListenFile(file, { host: '0.0.0.0', port: 9090 });
    expect((await start(file)).url).toBe('http://127.0.0.1:9090/');
    await writeListenFile(file, { host: '::', port: 9091 });
    expect((await start(file)).url).toBe('http://[::1]:9091/');
    await writeListenFile(file, { host: '::1', port: 9092 });
    expect((await start(file)).url).toBe('http://[::1]:9092/');
  });

  it('takes nothing else from the service user’s file: a link, a pipe, a name, a port out of range or any other text give the default page', async () => {
    const { dir, file } = runtimeDir();
    const good = join(dir, 'elsewhere.json');
    await writeListenFile(good, { host: '127.0.0.1', port: 9090 });
    const plants: Array<() => void> = [
      () => symlinkSync(good, file),
      () => spawnSync('mkfifo', [file]),
      () => writeFileSync(file, '{"host":"evil.example","port":9090}\n'),
      () => writeFileSync(file, '{"host":"127.0.0.1","port":70000}\n'),
      () => writeFileSync(file, '{"host":"127.0.0.1","port":0}\n'),
      () => writeFileSync(file, '{"host":"999.1.1.1","port":9090}\n'),
      () => writeFileSync(file, '{"host":"127.0.0.1/x?","port":9090}\n'),
      () => writeFileSync(file, '{"host":"127.0.0.1","port":9090,"path":"/x"}\n'),
      () => writeFileSync(file, 'garbage'),
    ];
    for (const plant of plants) {
      rmSync(file, { force: true });
      plant();
      const kiosk = await start(file);
      expect(kiosk.url).toBe('http://127.0.0.1:8080/');
      kiosk.child.kill('SIGTERM');
      await kiosk.exit;
    }
    rmSync(file, { force: true });
    expect((await start(file)).url).toBe('http://127.0.0.1:8080/');
  });

  it('ends the browser and itself when the daemon comes back listening elsewhere, for the unit to start the screen there', async () => {
    const { file } = runtimeDir();
    await writeListenFile(file, { host: '127.0.0.1', port: 9090 });
    const kiosk = await start(file);
    expect(kiosk.url).toBe('http://127.0.0.1:9090/');
    // The daemon stops (its runtime folder goes) and comes back at the same address: the screen stays.
    rmSync(file);
    await writeListenFile(file, { host: '127.0.0.1', port: 9090 });
    // Then at a port moved from the admin panel.
    await writeListenFile(file, { host: '127.0.0.1', port: 9191 });
    expect(await kiosk.exit).toBe(0);
    expect(kiosk.stderr()).toContain('moodbox-kiosk: the daemon now listens at http://127.0.0.1:9191/: starting the screen again there');
  });

  it('ends with the browser, with its exit status, for the unit to bring both back', async () => {
    const { file } = runtimeDir();
    const kiosk = await start(file);
    process.kill(kiosk.browser, 'SIGKILL');
    expect(await kiosk.exit).toBe(137);
  });
});
