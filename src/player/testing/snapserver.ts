import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

/** The ports of a test's snapserver: its JSON-RPC control port and its stream port, both on 127.0.0.1. */
export interface SnapserverPorts {
  control: number;
  stream: number;
}

/**
 * A real snapserver (Debian's `snapserver`) for a test, reading one pipe source named `Moodbox`
 * and no other (not those of /etc/snapserver.conf): `mode: 'create'` makes the FIFO `fifo` when it
 * is missing (snapserver's default), `read` reads the one there; `codec: 'pcm'` sends its listeners
 * raw PCM (for `SnapListener`), else they get FLAC. Its data folder is `dir`; it serves no HTTP.
 * `stop()` takes it away (the FIFO stays, with nobody reading it); `start()` brings it back on the
 * same ports.
 */
export class Snapserver {
  readonly ports: SnapserverPorts;
  readonly #args: string[];
  #process: ChildProcess | undefined;

  private constructor(args: string[], ports: SnapserverPorts) {
    this.#args = args;
    this.ports = ports;
  }

  /** Starts one on free ports. */
  static async start(dir: string, fifo: string, options: { mode?: 'create' | 'read'; codec?: 'pcm' } = {}): Promise<Snapserver> {
    const ports = { control: await freePort(), stream: await freePort() };
    // Not /etc/snapserver.conf: its stream `default` (/tmp/snapfifo) would be the one a listener gets.
    const config = join(dir, 'snapserver.conf');
    await writeFile(config, '');
    const server = new Snapserver(
      [
        `--config=${config}`,
        `--stream.source=pipe://${fifo}?name=Moodbox&mode=${options.mode ?? 'create'}`,
        `--tcp.port=${ports.control}`,
        '--tcp.bind_to_address=127.0.0.1',
        `--stream.port=${ports.stream}`,
        '--stream.bind_to_address=127.0.0.1',
        '--http.enabled=false',
        `--server.datadir=${dir}`,
        '--logging.sink=stderr',
        ...(options.codec === undefined ? [] : [`--stream.codec=${options.codec}`]),
      ],
      ports,
    );
    server.start();
    return server;
  }

  /** Starts it (again). */
  start(): void {
    if (this.#process !== undefined) return;
    this.#process = spawn('snapserver', this.#args, { stdio: 'ignore' });
  }

  /** Stops it (SIGTERM, as `systemctl stop` does) and resolves once it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }

  /** The status of its stream `Moodbox` (`idle`, `playing`), from its JSON-RPC control port; undefined while it does not answer. */
  streamStatus(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const socket = connect(this.ports.control, '127.0.0.1');
      let text = '';
      socket.once('error', () => resolve(undefined));
      socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'Server.GetStatus' })}\r\n`));
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const line = text.split('\n').find((l) => l.includes('"id":1'));
        if (line === undefined) return;
        socket.destroy();
        const reply = JSON.parse(line) as { result: { server: { streams: Array<{ id: string; status: string }> } } };
        resolve(reply.result.server.streams.find((s) => s.id === 'Moodbox')?.status);
      });
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
