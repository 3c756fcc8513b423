import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until.js';

/** Debian's broker (package `mosquitto`). */
export const MOSQUITTO = '/usr/sbin/mosquitto';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
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

/**
 * A real Mosquitto broker for a test, on a free port of 127.0.0.1, anonymous, without persistence.
 * `stop()` and `start()` take it away and bring it back on the same port (it forgets retained
 * messages then, as a broker without persistence does).
 */
export class TestBroker {
  readonly port: number;
  readonly #dir: string;
  #process: ChildProcess | undefined;
  #log = '';

  private constructor(port: number) {
    this.port = port;
    this.#dir = mkdtempSync(join(tmpdir(), 'moodbox-mosquitto-'));
    writeFileSync(
      join(this.#dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
      ].join('\n') + '\n',
    );
  }

  /** Starts a broker and resolves once it accepts connections. */
  static async start(): Promise<TestBroker> {
    const broker = new TestBroker(await freePort());
    await broker.start();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** The broker's process id while it runs. */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** What the broker wrote to stderr. */
  get log(): string {
    return this.#log;
  }

  async start(): Promise<void> {
    if (this.#process !== undefined) return;
    const child = spawn(MOSQUITTO, ['-c', join(this.#dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
    this.#process = child;
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`Expected mosquitto to keep running, got exit ${child.exitCode}: ${this.#log}`);
        return (await this.#accepts()) ? true : undefined;
      },
      10_000,
      () => `Expected mosquitto to listen on ${this.port} within 10 s, got nothing: ${this.#log}`,
    );
  }

  /** Stops the broker; every client loses its connection. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Stops the broker and removes its folder. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = tcpConnect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
