import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioOutputArgs, resolveAudioOutput, SNAPCAST } from '../../player/audio-output.js';
import { SnapListener, sweepPlaces } from '../../player/testing/snap-listener.js';
import { Snapserver } from '../../player/testing/snapserver.js';
import { makeTone } from '../../player/testing/tones.js';
import Database from 'better-sqlite3';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';

const children: ChildProcess[] = [];
const servers: Snapserver[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type ServiceHealth = { name: string; status: string; detail?: string };

/** The songs' sweep: 200 Hz at their start, 25 Hz higher each second, for 120 s. */
const SWEEP = { fromHz: 200, hzPerS: 25 };
const SWEEP_TONE = { hz: SWEEP.fromHz, sweepToHz: SWEEP.fromHz + SWEEP.hzPerS * 120, seconds: 120 };

/** The player's health as `/api/health` gives it. */
async function playerHealth(daemon: DaemonProcess): Promise<ServiceHealth | undefined> {
  const health = (await (await fetch(`${daemon.base}/api/health`)).json()) as { services: ServiceHealth[] };
  return health.services.find((s) => s.name === 'player');
}

/** The song playing and where, as `/api/state` gives it. */
async function playing(daemon: DaemonProcess): Promise<{ status: string; trackId: number | undefined; positionMs: number }> {
  const { data } = (await (await fetch(`${daemon.base}/api/state`)).json()) as {
    data: { player: { status: string; nowPlaying: { id: number } | null; positionMs: number } };
  };
  return { status: data.player.status, trackId: data.player.nowPlaying?.id, positionMs: data.player.positionMs };
}

/** Every play in the daemon's database, oldest first. */
function plays(dir: string): Array<{ trackId: number; outcome: string | null; ms: number | null }> {
  const db = new Database(join(dir, 'moodbox.db'), { readonly: true });
  try {
    return db.prepare('SELECT track_id AS trackId, outcome, ended_at - started_at AS ms FROM plays ORDER BY id').all() as Array<{
      trackId: number;
      outcome: string | null;
      ms: number | null;
    }>;
  } finally {
    db.close();
  }
}

function snapcastDaemon(dir: string, fifo: string, music: string) {
  const config = writeConfig(dir, {
    camera: { enabled: false },
    rfid: { enabled: false },
    library: { folders: [music] },
    player: { audioOutput: 'snapcast', snapcastPipe: fifo },
  });
  return { args: ['--config', config], env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dir, MOODBOX_PORT: '0' } };
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

  // Issue 38: with a library already known, the music plays at once at start; with no pipe that made the daemon exit 1.
  it('with no pipe there, the daemon starts with the music stopped and says why in health, also with a library it knows, and plays once snapserver makes the pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-snapcast-'));
    dirs.push(dir);
    const fifo = join(dir, 'snapfifo');
    const music = join(dir, 'music');
    await makeTone(music, { file: 'a.flac', hz: 440, seconds: 60 });
    await makeTone(music, { file: 'b.flac', hz: 550, seconds: 60 });
    const options = snapcastDaemon(dir, fifo, music);

    // A first start learns the library.
    const first = await DaemonProcess.start(options);
    try {
      await until(() => first.lines.find((l) => l['msg'] === 'music library loaded' && Number(l['tracks']) === 2), 60_000);
    } finally {
      await first.stop();
    }

    const daemon = await DaemonProcess.start(options);
    try {
      expect(await playerHealth(daemon)).toMatchObject({
        status: 'degraded',
        detail: expect.stringContaining(`the Snapcast pipe ${fifo} does not exist`) as string,
      });
      // The pipe is asked for again at every restart of mpv; three refusals later, still nothing is written there.
      await until(() => (daemon.lines.filter((l) => l['msg'] === 'mpv restart failed').length >= 3 ? true : undefined), 30_000);
      expect(existsSync(fifo)).toBe(false);
      expect(plays(dir)).toEqual([]);

      // snapserver starts and makes the pipe: mpv starts at its next try and the music plays.
      const server = await Snapserver.start(dir, fifo, { mode: 'create' });
      servers.push(server);
      await until(async () => ((await server.streamStatus()) === 'playing' ? true : undefined), 30_000);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(
        await until(async () => ((await playerHealth(daemon))?.status === 'ready' ? playerHealth(daemon) : undefined), 30_000),
      ).toEqual({
        name: 'player',
        status: 'ready',
      });
      expect(plays(dir).map((p) => p.outcome)).toEqual([null]);
    } finally {
      await daemon.stop('SIGKILL');
    }
  }, 180_000);

  // Issue 38: a restarted snapserver made mpv decode at full speed, and every song "completed" in seconds.
  it('a snapserver restart while the music plays records no play, and health says why until the music comes back by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-snapcast-'));
    dirs.push(dir);
    const fifo = join(dir, 'snapfifo');
    const music = join(dir, 'music');
    // Sweeps: the pitch of what the group hears tells where in the song it comes from.
    for (const i of [0, 1, 2]) await makeTone(music, { file: `song-${i}.flac`, ...SWEEP_TONE, volume: 0.5, tags: { title: `Song ${i}` } });
    const server = await Snapserver.start(dir, fifo, { mode: 'create', codec: 'pcm' });
    servers.push(server);
    expect(await until(() => server.streamStatus(), 15_000)).toBe('idle');

    const daemon = await DaemonProcess.start(snapcastDaemon(dir, fifo, music));
    try {
      await until(async () => ((await server.streamStatus()) === 'playing' ? true : undefined), 60_000);
      const before = await until(async () => {
        const now = await playing(daemon);
        return now.status === 'playing' && now.positionMs >= 2000 ? now : undefined;
      }, 60_000);
      expect(await playerHealth(daemon)).toEqual({ name: 'player', status: 'ready' });

      // snapserver goes away (`systemctl restart snapserver`, an upgrade): the music stops, and health says why.
      await server.stop();
      const down = await until(async () => {
        const health = await playerHealth(daemon);
        return health?.status === 'degraded' ? health : undefined;
      }, 60_000);
      expect(down.detail).toMatch(
        /^the audio output is not playing: .+ \(does snapserver read .+\?\); the music is stopped and tried again in \d+ s$/,
      );
      expect(plays(dir)).toEqual([{ trackId: before.trackId, outcome: null, ms: null }]);
      const stalled = await playing(daemon);
      expect(stalled.status).toBe('stalled');

      // It comes back: the same song resumes by itself, and health says why until then.
      const said: Array<ServiceHealth | undefined> = [];
      server.start();
      const listener = await SnapListener.to(server);
      const playingAt = until(async () => ((await playing(daemon)).status === 'playing' ? performance.now() : undefined), 120_000);
      await until(async () => {
        const health = await playerHealth(daemon);
        if (health?.status === 'ready') return true;
        said.push(health);
        return undefined;
      }, 120_000);
      expect(said.length).toBeGreaterThan(0);
      for (const health of said) {
        expect(health).toMatchObject({ status: 'degraded', detail: expect.stringMatching(/^the audio output is not playing: /) as string });
      }
      expect(await server.streamStatus()).toBe('playing');
      expect(await playing(daemon)).toMatchObject({ status: 'playing', trackId: before.trackId });
      // The group hears it go on from where it stopped (the state's place is to the second), not
      // from its start; the status said playing as the music came, not seconds after.
      const places = listener.chunks.flatMap((c) => sweepPlaces(c.samples, SWEEP));
      expect(places.length).toBeGreaterThan(0);
      expect(Math.min(...places)).toBeGreaterThanOrEqual(stalled.positionMs - 1500);
      expect((await playingAt) - (listener.firstHeard() ?? Number.NaN)).toBeLessThanOrEqual(1000);
      // No play was recorded for the songs that went nowhere: the one playing is still the play it was.
      expect(plays(dir)).toEqual([{ trackId: before.trackId, outcome: null, ms: null }]);
    } finally {
      await daemon.stop('SIGKILL');
    }
  }, 240_000);

  it('a real snapserver gets the stream in its pipe while mpv plays through the snapcast output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-snapcast-'));
    dirs.push(dir);
    const fifo = join(dir, 'snapfifo');
    const server = await Snapserver.start(dir, fifo, { mode: 'create' });
    servers.push(server);
    expect(await until(() => server.streamStatus(), 15_000)).toBe('idle');
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
    await until(async () => ((await server.streamStatus()) === 'playing' ? true : undefined), 15_000);
    expect(mpv.exitCode).toBeNull();
  }, 60_000);
});
