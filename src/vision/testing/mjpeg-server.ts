import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface MjpegServer {
  /** `http://127.0.0.1:PORT/stream.mjpg` */
  readonly url: string;
  readonly port: number;
  /** Kills the server, cutting every client off, as a camera that goes away. */
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing comes, as a camera that hangs. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
  /** Sends only `jpegs[index]` from now on; resolves once `frames` of it went out. */
  show(index: number, frames: number): Promise<void>;
}

/**
 * Starts an MJPEG camera on 127.0.0.1 in a child process (`mjpeg-camera.mjs`): a server in this
 * process could not answer while OpenCV blocks the thread opening the stream. It cycles through
 * `jpegs`, one every `intervalMs`. Pass `port` to come back on the same address after `stop`.
 */
export async function startMjpegServer(options: { jpegs: readonly Buffer[]; intervalMs?: number; port?: number }): Promise<MjpegServer> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'mjpeg-camera.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(
    `${JSON.stringify({ port: options.port ?? 0, intervalMs: options.intervalMs ?? 40, jpegs: options.jpegs.map((j) => j.toString('base64')) })}\n`,
  );
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [undefined])])) as [string | undefined];
  if (first === undefined) throw new Error('the MJPEG test camera did not start');
  const { port } = JSON.parse(first) as { port: number };
  return {
    url: `http://127.0.0.1:${port}/stream.mjpg`,
    port,
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
    show: async (index, frames) => {
      const done = new Promise<void>((resolve, reject) => {
        const onLine = (text: string): void => {
          if ((JSON.parse(text) as { shown?: number }).shown !== index) return;
          lines.off('line', onLine);
          resolve();
        };
        lines.on('line', onLine);
        child.once('exit', () => reject(new Error('the MJPEG test camera stopped')));
      });
      child.stdin.write(`${JSON.stringify({ show: index, frames })}\n`);
      await done;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
