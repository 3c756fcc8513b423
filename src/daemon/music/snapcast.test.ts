import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioOutputArgs, resolveAudioOutput, SNAPCAST } from '../../player/audio-output.js';
import Database from 'better-sqlite3';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';
import { freePort } from '../testing/mosquitto.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The status of snapserver's stream `name` (`idle`, `playing`), from its JSON-RPC control port. */
function streamStatus(port: number, name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.once('error', () => resolve(undefined));
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'Server.GetStatus' })}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n').find((l) => l.includes('"id":1'));
      if (line === undefined) return;
      socket.destroy();
      const reply = JSON.parse(line) as { result: { server: { streams: Array<{ id: string; status: string }> } } };
      resolve(reply.result.server.streams.find((s) => s.id === name)?.status);
    });
  });
}

describe('multiroom through Snapcast', () => {
  it('resolves the snapcast output to raw PCM in snapserver’s sample format, into its pipe', () => {
    expect(resolveAudioOutput(SNAPCAST, {})).toBe('pcm');
    expect(audioOutputArgs(SNAPCAST)).toEqual([
      '--ao-pcm-file=/tmp/snapfifo',
      '--ao-pcm-waveheader=no',
      '--audio-format=s16',
      '--audio-samplerate=48000',
      '--audio-channels=stereo',
    ]);
    expect(audioOutputArgs('null')).toEqual([]);
  });

  it('with no pipe there, the daemon writes nothing, plays nothing, says why in health, and plays once snapserver makes the pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-snapcast-'));
    dirs.push(dir);
    const fifo = join(dir, 'snapfifo');
    const config = writeConfig(dir, {
      camera: { enabled: false },
      rfid: { enabled: false },
      player: { audioOutput: 'snapcast', snapcastPipe: fifo },
    });
    const daemon = await DaemonProcess.start({
      args: ['--config', config],
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dir, MOODBOX_PORT: '0' },
    });
    try {
      const player = async () => {
        const health = (await (await fetch(`${daemon.base}/api/health`)).json()) as {
          services: Array<{ name: string; status: string; detail?: string }>;
        };
        return health.services.find((s) => s.name === 'player');
      };
      expect(await player()).toMatchObject({
        status: 'degraded',
        detail: expect.stringContaining(`the Snapcast pipe ${fifo} does not exist`),
      });
      // The pipe is asked for again at every restart of mpv; three refusals later, still nothing is written there.
      await until(() => (daemon.lines.filter((l) => l['msg'] === 'mpv restart failed').length >= 3 ? true : undefined), 20_000);
      expect(existsSync(fifo)).toBe(false);
      const db = new Database(join(dir, 'moodbox.db'), { readonly: true });
      const completed = db.prepare("SELECT count(*) AS n FROM plays WHERE outcome = 'completed'").get() as { n: number };
      db.close();
      expect(completed.n).toBe(0);

      // snapserver starts and makes the pipe: mpv starts at its next try and the stream plays.
      const control = await freePort();
      const server = spawn(
        'snapserver',
        [
          `--stream.source=pipe://${fifo}?name=Moodbox&mode=create`,
          `--tcp.port=${control}`,
          '--tcp.bind_to_address=127.0.0.1',
          `--stream.port=${await freePort()}`,
          '--stream.bind_to_address=127.0.0.1',
          '--http.enabled=false',
          `--server.datadir=${dir}`,
          '--logging.sink=stderr',
        ],
        { stdio: 'ignore' },
      );
      children.push(server);
      await until(async () => ((await streamStatus(control, 'Moodbox')) === 'playing' ? true : undefined), 30_000);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(await until(async () => ((await player())?.status === 'ready' ? player() : undefined), 15_000)).toEqual({
        name: 'player',
        status: 'ready',
      });
    } finally {
      await daemon.stop('SIGKILL');
    }
  }, 90_000);

  it('a real snapserver gets the stream in its pipe while mpv plays through the snapcast output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-snapcast-'));
    dirs.push(dir);
    const fifo = join(dir, 'snapfifo');
    const [control, stream] = [await freePort(), await freePort()];
    const server = spawn(
      'snapserver',
      [
        `--stream.source=pipe://${fifo}?name=Moodbox&mode=create`,
        `--tcp.port=${control}`,
        '--tcp.bind_to_address=127.0.0.1',
        `--stream.port=${stream}`,
        '--stream.bind_to_address=127.0.0.1',
        '--http.enabled=false',
        `--server.datadir=${dir}`,
        '--logging.sink=stderr',
      ],
      { stdio: 'ignore' },
    );
    children.push(server);
    expect(await until(() => streamStatus(control, 'Moodbox'), 15_000)).toBe('idle');
    expect(existsSync(fifo)).toBe(true);

    const tone = join(dir, 'tone.wav');
    execFileSync('sox', ['-n', '-r', '44100', '-c', '2', tone, 'synth', '8', 'sine', '440']);
    const mpv = spawn(
      'mpv',
      [
        '--no-config',
        '--no-video',
        '--really-quiet',
        `--ao=${resolveAudioOutput(SNAPCAST, {})}`,
        ...audioOutputArgs(SNAPCAST),
        `--ao-pcm-file=${fifo}`,
        tone,
      ],
      { stdio: 'ignore' },
    );
    children.push(mpv);
    // snapserver reads the pipe in real time: the stream plays while mpv writes PCM into it.
    await until(async () => ((await streamStatus(control, 'Moodbox')) === 'playing' ? true : undefined), 15_000);
    expect(mpv.exitCode).toBeNull();
  }, 60_000);
});
