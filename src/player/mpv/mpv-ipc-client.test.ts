import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { connectSocket, MpvIpcClient, type MpvIpcEvents } from './mpv-ipc-client.js';

/** A stand-in for mpv's end of the socket: records the lines it reads, writes what the test says. */
interface FakeMpvEnd {
  lines: unknown[];
  write(text: string): void;
  /** Resolves once `n` lines have been read. */
  received(n: number): Promise<void>;
}

let dir: string;
const servers: Server[] = [];
const clients: MpvIpcClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-ipc-'));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.detach(new Error('test over'));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function connected(log: { debug(obj: object, msg: string): void; error(obj: object, msg: string): void } = silent) {
  const path = join(dir, `mpv-${servers.length}.sock`);
  let peer: Socket | undefined;
  const lines: unknown[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const accepted = new Promise<void>((resolve) => {
    server.once('connection', (socket: Socket) => {
      peer = socket;
      socket.setEncoding('utf8');
      let rest = '';
      socket.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) lines.push(JSON.parse(part));
        for (const wake of waiters.splice(0)) wake();
      });
      resolve();
    });
  });
  const client = new MpvIpcClient({ log });
  clients.push(client);
  const socket = await connectSocket(path);
  client.attach(socket);
  await accepted;
  const end: FakeMpvEnd = {
    lines,
    write: (text) => peer?.write(text),
    received: async (n) => {
      while (lines.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
  return { client, end, socket };
}

const silent = { debug() {}, error() {} };

describe('MpvIpcClient', () => {
  it('sends one JSON command per line and matches replies to commands by request id, in any order', async () => {
    const { client, end } = await connected();
    const volume = client.command(['get_property', 'volume']);
    const pause = client.command(['get_property', 'pause']);
    await end.received(2);
    expect(end.lines).toEqual([
      { command: ['get_property', 'volume'], request_id: 1 },
      { command: ['get_property', 'pause'], request_id: 2 },
    ]);
    end.write('{"data":false,"request_id":2,"error":"success"}\n{"data":80.0,"request_id":1,"error":"success"}\n');
    expect(await volume).toBe(80);
    expect(await pause).toBe(false);
  });

  it('rejects a command mpv refuses, with its reason', async () => {
    const { client, end } = await connected();
    const refused = client.command(['get_property', 'no-such-property']);
    await end.received(1);
    end.write('{"request_id":1,"error":"property not found"}\n');
    await expect(refused).rejects.toMatchObject({ code: 'MB_ERR_PLAYER_COMMAND', message: 'mpv refused a command: property not found' });
  });

  it("runs a command's onData before the events that follow its reply in the same read", async () => {
    const { client, end } = await connected();
    const order: string[] = [];
    client.events.on('startFile', ({ entryId }) => order.push(`start-file ${String(entryId)}`), 'test');
    const loaded = client.command(['loadfile', '/music/a.flac', 'replace'], (data) =>
      order.push(`entry ${String((data as { playlist_entry_id: number }).playlist_entry_id)}`),
    );
    await end.received(1);
    end.write('{"data":{"playlist_entry_id":4},"request_id":1,"error":"success"}\n{"event":"start-file","playlist_entry_id":4}\n');
    await loaded;
    expect(order).toEqual(['entry 4', 'start-file 4']);
  });

  it('emits file events and property changes, split across reads, and logs lines it cannot read', async () => {
    const debug: string[] = [];
    const { client, end, socket } = await connected({ debug: (_obj, msg) => debug.push(msg), error() {} });
    const seen: Array<[keyof MpvIpcEvents, unknown]> = [];
    for (const name of ['startFile', 'endFile', 'fileLoaded', 'propertyChanged'] as const) {
      client.events.on(name, (payload) => seen.push([name, payload]), 'test');
    }
    const ended = new Promise<void>((resolve) => client.events.on('endFile', () => resolve(), 'test'));
    // The first half is read on its own before the rest is written: two reads, one line.
    const firstRead = new Promise((resolve) => socket.once('data', resolve));
    end.write('{"event":"property-change","id":3,"name":"volume","da');
    await firstRead;
    end.write('ta":55.0}\nnot json\n{"event":"file-loaded"}\n{"event":"idle"}\n');
    end.write('{"event":"end-file","reason":"error","playlist_entry_id":2,"file_error":"loading failed"}\n');
    await ended;
    expect(seen).toEqual([
      ['propertyChanged', { id: 3, name: 'volume', data: 55 }],
      ['fileLoaded', {}],
      ['endFile', { entryId: 2, reason: 'error', fileError: 'loading failed' }],
    ]);
    expect(debug).toEqual(['unreadable line from mpv']);
  });

  it('rejects the commands still waiting when detached, and refuses commands while not connected', async () => {
    const { client, end } = await connected();
    const waiting = client.command(['get_property', 'volume']);
    await end.received(1);
    client.detach(new Error('mpv exited'));
    await expect(waiting).rejects.toThrow('mpv exited');
    expect(client.isConnected).toBe(false);
    await expect(client.command(['get_property', 'volume'])).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_START',
      message: 'mpv is not running',
    });
    expect(() => client.send(['quit'])).not.toThrow();
  });

  it('logs a listener that throws, and the other listeners still hear the event', async () => {
    const errors: string[] = [];
    const { client, end } = await connected({ debug() {}, error: (_obj, msg) => errors.push(msg) });
    client.events.on(
      'fileLoaded',
      () => {
        throw new Error('boom');
      },
      'test',
    );
    const heard = new Promise<void>((resolve) => client.events.on('fileLoaded', () => resolve(), 'test'));
    end.write('{"event":"file-loaded"}\n');
    await heard;
    expect(errors).toEqual(['an mpv event listener failed']);
  });
});
