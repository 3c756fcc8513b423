import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastify from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJson } from '../../kernel/json.js';
import type { MoodboxServer } from '../http/build-server.js';
import { HttpService } from '../http/http-service.js';
import { LISTEN_FILE, listenFilePath, removeListenFile, writeListenFile } from './listen-file.js';

const dirs: string[] = [];
const services: HttpService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-listen-'));
  dirs.push(dir);
  return dir;
}

/** An HTTP service with a plain server answering /api/health, as the daemon's answers it. */
function service(listenFile: string | undefined, log = pino({ level: 'silent' })): HttpService {
  const built = new HttpService(
    {
      build: async () => {
        const app = fastify();
        app.get('/api/health', async () => ({ status: 'ready' }));
        return app as unknown as MoodboxServer;
      },
      log,
    },
    { host: '127.0.0.1', port: 0, listenFile },
  );
  services.push(built);
  return built;
}

describe('the listen file', () => {
  it("lies in systemd's runtime folder when there is one, else in the data folder", () => {
    expect(listenFilePath({ RUNTIME_DIRECTORY: '/run/moodbox' }, '/var/lib/moodbox')).toBe('/run/moodbox/listen.json');
    // systemd gives several folders colon-separated when a unit names several: the first is the daemon's.
    expect(listenFilePath({ RUNTIME_DIRECTORY: '/run/moodbox:/run/other' }, '/var/lib/moodbox')).toBe('/run/moodbox/listen.json');
    expect(listenFilePath({}, '/var/lib/moodbox')).toBe('/var/lib/moodbox/listen.json');
    expect(listenFilePath({ RUNTIME_DIRECTORY: '' }, '/data')).toBe(`/data/${LISTEN_FILE}`);
  });

  it('is written whole, readable by everyone past a strict umask, over the one before, with no temporary file left', async () => {
    const dir = tempDir();
    const file = join(dir, LISTEN_FILE);
    writeFileSync(file, '{"host":"127.0.0.1","port":8080}\n');
    const umask = process.umask(0o027);
    try {
      await writeListenFile(file, { host: '0.0.0.0', port: 9090 });
    } finally {
      process.umask(umask);
    }
    expect(readFileSync(file, 'utf8')).toBe('{"host":"0.0.0.0","port":9090}\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual([LISTEN_FILE]);
    await removeListenFile(file);
    await removeListenFile(file);
    expect(existsSync(file)).toBe(false);
  });
});

describe('the HTTP service says where it listens', () => {
  it('once it listens: the port it was given by the system (port 0), which answers; the file goes at the stop', async () => {
    const file = join(tempDir(), LISTEN_FILE);
    const http = service(file);
    expect(existsSync(file)).toBe(false);
    await http.start();
    const said = parseJson(readFileSync(file, 'utf8')) as { host: string; port: number };
    expect(said.host).toBe('127.0.0.1');
    expect(said.port).toBeGreaterThan(0);
    expect(http.address).toBe(`http://127.0.0.1:${said.port}`);
    const health = await fetch(`http://${said.host}:${said.port}/api/health`);
    expect(health.status).toBe(200);
    await http.stop();
    expect(existsSync(file)).toBe(false);
  });

  it('serves all the same when the file cannot be written, and says so in the log', async () => {
    const dir = tempDir();
    // A folder in the file's place: no rename can replace it.
    const file = join(dir, LISTEN_FILE);
    mkdirSync(file);
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const http = service(file, log);
    await http.start();
    expect(http.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('')).toContain('cannot write where the server listens');
    expect(readdirSync(dir)).toEqual([LISTEN_FILE]);
  });

  it('writes nothing where it is given no file', async () => {
    const dir = tempDir();
    const http = service(undefined);
    await http.start();
    expect(readdirSync(dir)).toEqual([]);
  });
});
