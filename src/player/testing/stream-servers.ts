import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How often the ICY title is sent, in bytes of audio (Icecast's usual interval). */
const META_INTERVAL = 8192;

export interface TestStream {
  url: string;
  /** How many times a player connected. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A web radio on 127.0.0.1, as Icecast serves one: an MP3 (a sine made by ffmpeg) sent at about
 * its bit rate, with `icy-name` and, for a player that asks for metadata (`Icy-MetaData: 1`),
 * `icy-metaint` and the ICY `StreamTitle` every `META_INTERVAL` bytes.
 */
export async function icyStream(options: { name: string; title: string; seconds?: number; host?: string }): Promise<TestStream> {
  const dir = await mkdtemp(join(tmpdir(), 'moodbox-icy-'));
  const file = join(dir, 'tone.mp3');
  const seconds = options.seconds ?? 30;
  await run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=440:d=${seconds}`, '-ac', '2', '-b:a', '64k', '-y', file]);
  const mp3 = await readFile(file);
  await rm(dir, { recursive: true, force: true });
  const text = Buffer.from(`StreamTitle='${options.title.replace(/'/g, '’')}';`);
  const meta = Buffer.alloc(1 + Math.ceil(text.length / 16) * 16);
  meta[0] = Math.ceil(text.length / 16);
  text.copy(meta, 1);
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createHttpServer((req, res) => {
    connections++;
    const wantsMeta = req.headers['icy-metadata'] === '1';
    res.writeHead(200, {
      'content-type': 'audio/mpeg',
      'icy-name': options.name,
      ...(wantsMeta ? { 'icy-metaint': String(META_INTERVAL) } : {}),
    });
    let offset = 0;
    // 64 kbit/s is 8 KiB a second: one metadata interval a second, after a head start of four.
    const send = (): void => {
      if (offset >= mp3.length || res.destroyed) {
        res.end();
        return;
      }
      res.write(mp3.subarray(offset, offset + META_INTERVAL));
      if (wantsMeta) res.write(offset === 0 ? meta : Buffer.from([0]));
      offset += META_INTERVAL;
    };
    for (let k = 0; k < 4; k++) send();
    const timer = setInterval(send, 1000);
    res.on('close', () => clearInterval(timer));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server, '/live', options.host);
  return {
    url,
    get connections() {
      return connections;
    },
    close: () => close(server, sockets),
  };
}

/** An HLS stream on 127.0.0.1 (`index.m3u8` and AAC segments made by ffmpeg), as many broadcasters serve one. */
export async function hlsStream(options: { seconds?: number } = {}): Promise<TestStream> {
  const dir = await mkdtemp(join(tmpdir(), 'moodbox-hls-'));
  const seconds = options.seconds ?? 30;
  await run('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `sine=f=330:d=${seconds}`,
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-f',
    'hls',
    '-hls_time',
    '2',
    '-hls_playlist_type',
    'vod',
    '-hls_segment_filename',
    join(dir, 'seg%03d.ts'),
    join(dir, 'index.m3u8'),
  ]);
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createHttpServer((req, res) => {
    connections++;
    const name = (req.url ?? '').split('/').pop() ?? '';
    if (!/^(index\.m3u8|seg\d{3}\.ts)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, name)).then(
      (body) => res.writeHead(200, { 'content-type': name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server, '/hls/index.m3u8');
  return {
    url,
    get connections() {
      return connections;
    },
    close: async () => {
      await close(server, sockets);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A station's playlist file on 127.0.0.1 (`.m3u` or `.pls`) listing `urls`, as many stations publish their streams. */
export async function playlistFile(urls: readonly string[], format: 'm3u' | 'pls', host?: string): Promise<TestStream> {
  const body =
    format === 'm3u'
      ? `#EXTM3U\n${urls.map((u) => `#EXTINF:-1,Stream\n${u}\n`).join('')}`
      : `[playlist]\n${urls.map((u, k) => `File${k + 1}=${u}\nTitle${k + 1}=Stream ${k + 1}\n`).join('')}NumberOfEntries=${urls.length}\nVersion=2\n`;
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createHttpServer((_req, res) => {
    connections++;
    res.writeHead(200, { 'content-type': format === 'm3u' ? 'audio/x-mpegurl' : 'audio/x-scpls' });
    res.end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server, `/listen.${format}`, host);
  return {
    url,
    get connections() {
      return connections;
    },
    close: () => close(server, sockets),
  };
}

/** A station that takes the connection and never answers: a player must give up after its timeout. */
export async function silentStream(): Promise<TestStream> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  const url = await listen(server, '/silent');
  return {
    url,
    get connections() {
      return connections;
    },
    close: () => close(server, sockets),
  };
}

/**
 * A hostile or broken station that never lets a player start: `trickle` answers with headers and
 * then one byte of audio every `everyMs`; `headers` sends header lines every `everyMs` and never
 * ends them. Each keeps the connection busy, so a network timeout alone never fires.
 */
export async function stallingStream(mode: 'trickle' | 'headers', everyMs: number): Promise<TestStream> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.resume();
    socket.write(mode === 'trickle' ? 'HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\n\r\n' : 'HTTP/1.1 200 OK\r\n');
    let n = 0;
    const timer = setInterval(
      () => socket.write(mode === 'trickle' ? Buffer.from([0xff]) : `x-padding-${n++}: ${'a'.repeat(8)}\r\n`),
      everyMs,
    );
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
  });
  const url = await listen(server, `/${mode}`);
  return {
    url,
    get connections() {
      return connections;
    },
    close: () => close(server, sockets),
  };
}

/** A URL on 127.0.0.1 where nothing listens (the connection is refused). */
export async function refusedUrl(): Promise<string> {
  const server = createTcpServer();
  const url = await listen(server, '/gone');
  await close(server, new Set());
  return url;
}

/** A station that answers every request with a redirect (`status`, 302 unless told) to `location`. */
export async function redirectTo(location: string, host?: string, status = 302): Promise<TestStream> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createHttpServer((_req, res) => {
    connections++;
    res.writeHead(status, { location });
    res.end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server, '/listen', host);
  return {
    url,
    get connections() {
      return connections;
    },
    close: () => close(server, sockets),
  };
}

/** Listens on `host` (127.0.0.1 unless told, `::1` for IPv6 loopback) and gives the URL of `path` there. */
async function listen(server: Server, path: string, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('Expected a TCP address');
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${path}`;
}

function close(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
