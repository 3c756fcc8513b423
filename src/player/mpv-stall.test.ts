import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioOutputArgs, SNAPCAST } from './audio-output.js';
import type { MpvPlayer } from './mpv-player.js';
import type { QueueEntry } from './play-queue.js';
import { MpvRig, type RiggedPlayer } from './testing/mpv-rig.js';
import { nextEvent } from './testing/player-contract.js';
import { Snapserver } from './testing/snapserver.js';
import { makeTone } from './testing/tones.js';

// Issue 62: the player's state is what the listener hears, and an output failure loses no song.

const run = promisify(execFile);

const rig = new MpvRig('moodbox-mpv-stall-');
beforeAll(() => rig.open());
afterEach(() => rig.stopAll());
afterAll(() => rig.close());

const entry = (id: number, uri: string): QueueEntry => ({ track: { id, uri }, reason: 'mood', mood: 'calm', note: '' });

/** A player writing into the Snapcast pipe `fifo`, its plays recorded, and what it started and ended. */
async function startPlayer(fifo: string): Promise<RiggedPlayer> {
  return rig.start(
    {
      audioOutput: 'pcm',
      extraArgs: audioOutputArgs(SNAPCAST, fifo),
      pcmPipe: fifo,
      outputStallMs: 2000,
      outputRetryMs: 300,
      outputRetryMaxMs: 1200,
      restartDelayMs: 100,
      restartMaxDelayMs: 400,
    },
    15_000,
  );
}

/**
 * Takes the output away with `cut` while song 1 plays at `atMs` or later, and gives it back with
 * `mend` once the player failed twice without it (a retry found it still gone). Checks that the
 * state is stalled, not playing, all that while, and that song 1 goes on within 1 s of where it
 * was heard. Resolves with where it was heard.
 */
async function outage(player: MpvPlayer, atMs: number, cut: () => Promise<void>, mend: () => Promise<void>): Promise<number> {
  // Heard, and flowing: on a busy machine the output may have stalled on its own before (it then
  // resumed as below); the outage starts once the song plays again.
  await nextEvent(
    player,
    'positionChanged',
    (p) => p.item.track.id === 1 && p.positionMs >= atMs && player.state().stalled === undefined,
    60_000,
  );
  expect(player.state().stalled).toBeUndefined();
  const heardMs = player.state().positionMs;
  let faults = 0;
  const twice = nextEvent(player, 'playerFaulted', () => ++faults >= 2, 60_000);
  const stalled = nextEvent(player, 'stalledChanged', ({ stalled }) => stalled !== null, 60_000);
  await cut();
  expect((await stalled).stalled).toMatchObject({
    cause: 'output',
    detail: expect.stringMatching(/^the audio output is not playing/) as string,
  });
  await twice;
  // Still the same song, set back to where it was heard, and said to be stalled: nothing plays.
  const during = player.state();
  expect(during).toMatchObject({ current: { track: { id: 1 } }, isPaused: false, stalled: { cause: 'output' } });
  expect(Math.abs(during.positionMs - heardMs)).toBeLessThanOrEqual(1000);
  const flows = nextEvent(player, 'stalledChanged', ({ stalled }) => stalled === null, 60_000);
  const resumed = nextEvent(player, 'positionChanged', () => true, 60_000);
  await mend();
  const first = await resumed;
  await flows;
  // It goes on from where it was heard, neither from the start nor from where mpv raced to.
  expect(first.item.track.id).toBe(1);
  expect(first.positionMs).toBeGreaterThanOrEqual(during.positionMs - 1000);
  expect(first.positionMs).toBeLessThanOrEqual(during.positionMs + 4000);
  expect(player.state().stalled).toBeUndefined();
  return heardMs;
}

describe('MpvPlayer while its output fails (real mpv)', () => {
  it('with a real snapserver stopped twice during one song (the second time near its end, the next song queued in mpv), says it is stalled, resumes the song where it was heard, and records one play that completed', async () => {
    const song = await makeTone(rig.dir, { file: 'one.flac', hz: 440, seconds: 14 });
    const next = await makeTone(rig.dir, { file: 'two.flac', hz: 550, seconds: 30 });
    const fifo = join(rig.dir, 'snapfifo');
    const server = rig.keep(await Snapserver.start(rig.dir, fifo, { mode: 'create' }));
    await expect.poll(() => server.streamStatus(), { timeout: 15_000 }).toBe('idle');
    const { player, history, log } = await startPlayer(fifo);
    await player.play([entry(1, song), entry(2, next)]);

    await outage(
      player,
      4000,
      () => server.stop(),
      async () => server.start(),
    );
    // The second time with 4 s of the song left: mpv races through its end into the next song.
    await outage(
      player,
      10_000,
      () => server.stop(),
      async () => server.start(),
    );

    await nextEvent(player, 'trackEnded', undefined, 60_000);
    expect(log.slice(0, 2)).toEqual(['started 1', 'ended 1 completed']);
    expect(history.plays.filter((p) => p.trackId === 1)).toEqual([expect.objectContaining({ trackId: 1, outcome: 'completed' })]);
  }, 180_000);

  it('with a FIFO whose reader vanishes, says it is stalled until a reader comes back, and resumes the same play where it was heard', async () => {
    const song = await makeTone(rig.dir, { file: 'long.flac', hz: 660, seconds: 60 });
    const fifo = join(rig.dir, 'reader.fifo');
    await run('mkfifo', [fifo]);
    // snapserver reading the FIFO as it plays, killed outright: its reader vanishes.
    let reader = rig.keep(await Snapserver.start(rig.dir, fifo, { mode: 'read' }));
    const { player, history, log } = await startPlayer(fifo);
    await player.play([entry(1, song)]);

    await outage(
      player,
      3000,
      () => reader.stop('SIGKILL'),
      async () => {
        reader = rig.keep(await Snapserver.start(rig.dir, fifo, { mode: 'read' }));
      },
    );
    expect(log).toEqual(['started 1']);
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[1, undefined]]);
    await player.stop();
    expect(history.plays.map((p) => [p.trackId, p.outcome])).toEqual([[1, 'interrupted']]);
  }, 120_000);
});
