import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioOutputArgs, SNAPCAST } from './audio-output.js';
import type { MpvPlayer } from './mpv-player.js';
import type { QueueEntry } from './play-queue.js';
import type { PlayerEvents } from './player.js';
import { MpvRig } from './testing/mpv-rig.js';
import { nextEvent } from './testing/player-contract.js';
import { reorderingMpv } from './testing/reordering-mpv.js';
import { Snapserver } from './testing/snapserver.js';
import { makeTone } from './testing/tones.js';

// Issue 38: a failed output is not a finished song.

const run = promisify(execFile);

const rig = new MpvRig('moodbox-mpv-output-');
let long: string;

beforeAll(async () => {
  await rig.open();
  long = await makeTone(rig.dir, { file: 'long.flac', hz: 660, seconds: 40 });
});
afterEach(() => rig.stopAll());
afterAll(() => rig.close());

/**
 * mpv as the player runs it, with the output the test gave it until the file `works` exists, and
 * mpv's `null` output (which plays in real time) from then on: an output that is mended.
 */
async function mendableMpv(name: string, works: string): Promise<string> {
  const path = join(rig.dir, name);
  await writeFile(path, `#!/bin/sh\n[ -f '${works}' ] && exec mpv "$@" --ao=null\nexec mpv "$@"\n`, { mode: 0o755 });
  return path;
}

const entry = (id: number, uri: string): QueueEntry => ({ track: { id, uri }, reason: 'mood', mood: 'calm', note: `fits calm (${id})` });

/** Resolves with 'queue ended' should the queue end (today's fake completions) before `awaited` settles. */
function orQueueEnded<T>(player: MpvPlayer, awaited: Promise<T>): Promise<T | 'queue ended'> {
  const ended = nextEvent(player, 'queueEnded', undefined, 120_000).then(
    () => 'queue ended' as const,
    () => new Promise<never>(() => undefined),
  );
  return Promise.race([awaited, ended]);
}

describe('MpvPlayer when its output fails (real mpv)', () => {
  // With the next song queued in mpv (gapless, the default), a busy machine can read the start of
  // the next song before the end of the one before: each end is judged by its own song's start.
  for (const order of ['as mpv says them', 'with each end read after the next start'] as const) {
    it(`stops when songs go through far faster than they play, records none as finished, and resumes the same play once the output plays again (events ${order})`, async () => {
      const name = order === 'as mpv says them' ? 'fast' : 'fast-reordered';
      const works = join(rig.dir, `${name}-mended`);
      const mendable = await mendableMpv(`${name}-mpv.sh`, works);
      // PCM into a regular file takes what mpv decodes as fast as it decodes: as a Snapcast pipe nobody reads any more does.
      const { player, history, log } = await rig.start({
        mpvPath: order === 'as mpv says them' ? mendable : await reorderingMpv(rig.dir, mendable),
        audioOutput: 'pcm',
        extraArgs: [`--ao-pcm-file=${join(rig.dir, `${name}-sink.raw`)}`],
        outputPace: 'real-time',
        outputRetryMs: 100,
      });
      const faults: Array<PlayerEvents['playerFaulted']> = [];
      player.events.on('playerFaulted', (fault) => faults.push(fault), 'test');
      const thirdFault = nextEvent(player, 'playerFaulted', () => faults.length >= 3, 60_000);
      await player.play([entry(1, long), entry(2, long)]);
      expect(await orQueueEnded(player, thirdFault), log.join(', ')).not.toBe('queue ended');

      // Tried again, twice as late each time; nothing started after the first song, nothing ended.
      expect(faults.slice(0, 3).map((f) => f.retryInMs)).toEqual([100, 200, 400]);
      expect(faults[0]?.error).toMatch(/^the audio output is not playing: \d+(\.\d)? s of music went through it in \d\.\d s$/);
      expect(player.health()).toEqual({
        status: 'degraded',
        detail: expect.stringMatching(/^the audio output is not playing: .+; the music is stopped and tried again in 0\.\d s$/) as string,
      });
      expect(log).toEqual(['started 1']);
      expect(history.plays).toEqual([{ id: 1, trackId: 1, reason: 'mood', mood: 'calm', note: 'fits calm (1)' }]);
      expect(player.state().current?.track.id).toBe(1);
      expect(player.state().positionMs).toBeLessThan(9000);

      // The output plays again: the music resumes by itself, as the same play, and the player is ready once 8 s went through in step.
      const restored = nextEvent(player, 'outputRestored', undefined, 60_000);
      await writeFile(works, '');
      await restored;
      expect(player.health()).toEqual({ status: 'ready' });
      expect(log).toEqual(['started 1']);
      expect(player.state()).toMatchObject({ current: { track: { id: 1 } }, upcoming: [{ track: { id: 2 } }], isPaused: false });
      await player.stop();
      expect(history.plays).toEqual([{ id: 1, trackId: 1, reason: 'mood', mood: 'calm', note: 'fits calm (1)', outcome: 'interrupted' }]);
    }, 120_000);
  }

  it('stops when a song makes no progress (a Snapcast pipe nobody reads, where mpv blocks), says why, and plays once snapserver reads it', async () => {
    const fifo = join(rig.dir, 'unread.fifo');
    await run('mkfifo', [fifo]);
    const { player, history, log } = await rig.start({
      audioOutput: 'pcm',
      extraArgs: audioOutputArgs(SNAPCAST, fifo),
      pcmPipe: fifo,
      outputStallMs: 3000,
      outputRetryMs: 100,
    });
    const started = nextEvent(player, 'trackStarted');
    const faulted = nextEvent(player, 'playerFaulted', undefined, 60_000);
    await player.play([entry(1, long)]);
    await started;
    const { error } = await faulted;
    expect(error).toMatch(/^the audio output is not playing: nothing went through it for \d+\.\d s \(does snapserver read .+\?\)$/);
    expect(error).toContain(`(does snapserver read ${fifo}?)`);
    expect(player.health()).toEqual({
      status: 'degraded',
      detail: expect.stringMatching(
        /^the audio output is not playing: nothing went through it for \d+\.\d s \(does snapserver read .+\?\); the music is stopped and tried again in/,
      ) as string,
    });
    expect(player.state()).toMatchObject({ current: { track: { id: 1 } }, positionMs: 0 });

    const restored = nextEvent(player, 'outputRestored', undefined, 60_000);
    rig.keep(await Snapserver.start(rig.dir, fifo, { mode: 'read' }));
    await restored;
    expect(player.health()).toEqual({ status: 'ready' });
    expect(player.state().positionMs).toBeGreaterThanOrEqual(8000);
    expect(log).toEqual(['started 1']);
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[1, undefined]]);
  }, 120_000);

  it('does not start mpv while the Snapcast pipe is missing, says so, keeps what it is asked to play, and plays it once snapserver makes the pipe', async () => {
    const fifo = join(rig.dir, 'snapfifo');
    const { player, log } = await rig.start({
      audioOutput: 'pcm',
      extraArgs: audioOutputArgs(SNAPCAST, fifo),
      pcmPipe: fifo,
      restartDelayMs: 100,
      restartMaxDelayMs: 400,
    });
    expect(player.pid).toBeUndefined();
    expect(player.health()).toEqual({
      status: 'degraded',
      detail: expect.stringContaining(`the Snapcast pipe ${fifo} does not exist`) as string,
    });
    // The music asks for a song while mpv waits for its output (as it does at start with a library): kept, not refused.
    await player.play([entry(1, long)]);
    await player.setVolume(60);
    expect(player.state()).toMatchObject({ current: { track: { id: 1 } }, volume: 60 });
    expect(log).toEqual([]);

    const started = nextEvent(player, 'trackStarted', undefined, 60_000);
    rig.keep(await Snapserver.start(rig.dir, fifo, { mode: 'create' }));
    expect((await started).item.track.id).toBe(1);
    await nextEvent(player, 'positionChanged', (p) => p.positionMs >= 1000, 30_000);
    expect(player.health()).toEqual({ status: 'ready' });
  }, 120_000);
});
