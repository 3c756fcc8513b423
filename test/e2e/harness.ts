import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { DaemonProcess, MOODBOX_CLI, REPO_ROOT, until, writeConfig } from '../../src/daemon/testing/daemon-process.js';
import { makeTone } from '../../src/player/testing/tones.js';

export { until };
export type Daemon = DaemonProcess;

const run = promisify(execFile);
export const ROOT = REPO_ROOT;

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `moodbox-${prefix}-`));
}

/** Writes `config` as JSON and starts `moodbox start --config` with it (the built one, as installed); resolves once the daemon says it is ready. */
export async function startDaemon(dir: string, config: Record<string, unknown>, env: Record<string, string> = {}): Promise<Daemon> {
  return DaemonProcess.start({
    args: ['--config', writeConfig(dir, config)],
    // Readiness is waited for as long as DaemonProcess waits by default (60 s): beside a second suite
    // a daemon with a camera took more than 30 s (its camera service alone 15 s).
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, OPENCV4NODEJS_DISABLE_AUTOBUILD: '1', TZ: 'UTC', ...env },
  });
}

/** `moodbox user add NAME --role ROLE` on the data folder `dataDir`, its PIN or passphrase typed in, as an owner runs it. */
export function addUser(dataDir: string, name: string, role: 'admin' | 'member', secret: string): void {
  const result = spawnSync(process.execPath, [MOODBOX_CLI, 'user', 'add', name, '--role', role], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, MOODBOX_DATA_DIR: dataDir, NO_COLOR: '1', OPENCV4NODEJS_DISABLE_AUTOBUILD: '1' },
    input: `${secret}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`Expected \`moodbox user add ${name}\` to succeed, got: ${result.stderr}${result.stdout}`);
}

/** Signs `name` in to the admin panel at `base`: the headers its later calls carry (the session cookie, the CSRF token). */
export async function signInAdmin(base: string, name: string, passphrase: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, passphrase }),
  });
  if (res.status !== 200) throw new Error(`Expected the admin sign-in of ${name} to answer 200, got ${res.status}: ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'x-csrf-token': csrfToken };
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  return (await res.json()) as T;
}

/** Every state message the daemon pushes on `/ws` (its `link/alive` aside), with the time it arrived (ms, `Date.now()`). */
export function watchState(base: string): {
  messages: Array<{ at: number; type: string; data: Record<string, unknown> }>;
  close: () => void;
} {
  const messages: Array<{ at: number; type: string; data: Record<string, unknown> }> = [];
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
  ws.on('message', (raw) => {
    const m = JSON.parse((raw as Buffer).toString('utf8')) as { type: string; data: Record<string, unknown> };
    if (m.type !== 'link/alive') messages.push({ at: Date.now(), type: m.type, data: m.data });
  });
  return { messages, close: () => ws.terminate() };
}

/** Writes a sine tone at half of full scale, tagged with title and artist (`makeTone`: kept between runs). */
export async function tone(path: string, hz: number, seconds: number, tags: { title: string; artist: string }): Promise<void> {
  await makeTone(dirname(path), { file: basename(path), hz, seconds, volume: 0.5, tags });
}

/** A library of tones, three per mood (one frequency per mood), each by its own artist, tagged by a moods.csv sidecar. */
export async function toneLibrary(dir: string, hzByMood: Readonly<Record<string, number>>, seconds: number): Promise<string> {
  const lib = join(dir, 'music');
  mkdirSync(lib, { recursive: true });
  const rows = ['path,moods'];
  for (const [mood, hz] of Object.entries(hzByMood)) {
    for (let i = 1; i <= 3; i++) {
      const file = `${mood}-${i}.flac`;
      await tone(join(lib, file), hz, seconds, { title: `${mood} ${i}`, artist: `${mood} band ${i}` });
      rows.push(`${file},${mood}:1`);
    }
  }
  writeFileSync(join(lib, 'moods.csv'), `${rows.join('\n')}\n`);
  return lib;
}

/** The PCM format the listener records. */
export const PCM = { rate: 48_000, channels: 2, bytesPerSample: 4 } as const;

/**
 * A private PulseAudio server with one null sink, `moodbox`: mpv plays into it as into a sound
 * card (in real time, with a sound server's latency), and `parec` records its monitor. Every
 * 100 ms of what was played is reduced to its frequency (zero crossings of the left channel) and
 * stamped with the time it was heard: by the recording's own sample count, not by when this busy
 * process got round to reading it.
 */
export class PulseListener {
  readonly heard: Array<{ readonly at: number; hz: number; rms: number }> = [];
  /** The environment that sends a program's audio to the sink. */
  readonly env: Record<string, string>;
  /** mpv options that play into the sink. */
  readonly mpvArgs = ['--audio-device=pulse/moodbox'];
  readonly #server: ChildProcess;
  #recorder: ChildProcess | undefined;
  #pending = Buffer.alloc(0);
  /**
   * When the recording started, on this process's clock: each chunk read bounds it from above (it
   * cannot have arrived before it was recorded), so the earliest bound is the closest.
   */
  #startedAt = Number.POSITIVE_INFINITY;
  #framesRead = 0;
  #windows = 0;

  private constructor(server: ChildProcess, env: Record<string, string>) {
    this.#server = server;
    this.env = env;
  }

  static async start(dir: string): Promise<PulseListener> {
    const runtime = join(dir, 'pulse');
    const socket = join(runtime, 'native');
    const env = { HOME: dir, PULSE_RUNTIME_PATH: runtime, PULSE_STATE_PATH: runtime, PULSE_SERVER: `unix:${socket}` };
    const server = spawn(
      'pulseaudio',
      [
        '--daemonize=no',
        '-n',
        '--exit-idle-time=-1',
        '--use-pid-file=no',
        '--log-target=stderr',
        '-L',
        `module-null-sink sink_name=moodbox rate=${PCM.rate}`,
        '-L',
        `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      ],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'ignore' },
    );
    const listener = new PulseListener(server, env);
    await until(
      async () =>
        await run('pactl', ['info'], { env: { PATH: process.env['PATH'] ?? '', ...env } }).then(
          () => true,
          () => undefined,
        ),
      10_000,
      () => 'pulseaudio did not start',
    );
    listener.#record();
    return listener;
  }

  close(): void {
    this.#recorder?.kill('SIGKILL');
    this.#server.kill('SIGKILL');
  }

  /** The frequencies heard in [from, to), in order. */
  between(from: number, to: number): number[] {
    return this.heard.filter((h) => h.at >= from && h.at < to).map((h) => h.hz);
  }

  #record(): void {
    const recorder = spawn(
      'parec',
      ['-d', 'moodbox.monitor', '--raw', '--format=float32le', `--rate=${PCM.rate}`, `--channels=${PCM.channels}`, '--latency-msec=20'],
      { env: { PATH: process.env['PATH'] ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const window = (PCM.rate / 10) * PCM.channels * PCM.bytesPerSample;
    const frameBytes = PCM.channels * PCM.bytesPerSample;
    const windowMs = 100;
    recorder.stdout.on('data', (chunk: Buffer) => {
      this.#framesRead += chunk.length / frameBytes;
      this.#startedAt = Math.min(this.#startedAt, Date.now() - (this.#framesRead / PCM.rate) * 1000);
      this.#pending = Buffer.concat([this.#pending, chunk]);
      while (this.#pending.length >= window) {
        const end = ++this.#windows * windowMs;
        // Read when asked: a later chunk can still move the start earlier.
        const stamp = (): number => this.#startedAt + end;
        this.heard.push({
          get at() {
            return stamp();
          },
          ...analyse(this.#pending.subarray(0, window)),
        });
        this.#pending = this.#pending.subarray(window);
      }
    });
    this.#recorder = recorder;
  }
}

/** Frequency (zero crossings of the left channel) and loudness of a window of interleaved float PCM. */
function analyse(bytes: Buffer): { hz: number; rms: number } {
  const frameBytes = PCM.channels * PCM.bytesPerSample;
  const frames = bytes.length / frameBytes;
  let crossings = 0;
  let sum = 0;
  let previous = bytes.readFloatLE(0);
  for (let i = 0; i < frames; i++) {
    const v = bytes.readFloatLE(i * frameBytes);
    sum += v * v;
    if ((previous < 0 && v >= 0) || (previous >= 0 && v < 0)) crossings += 1;
    previous = v;
  }
  const rms = Math.sqrt(sum / frames);
  return { hz: rms < 0.01 ? 0 : Math.round((crossings / 2) * (PCM.rate / frames)), rms };
}
