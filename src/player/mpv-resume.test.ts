import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioOutputArgs, SNAPCAST } from './audio-output.js';
import type { QueueEntry } from './play-queue.js';
import { MpvRig } from './testing/mpv-rig.js';
import { nextEvent } from './testing/player-contract.js';
import { SnapListener, sweepPlaces } from './testing/snap-listener.js';
import { Snapserver } from './testing/snapserver.js';
import { makeTone } from './testing/tones.js';

// A Snapcast group hears a song resumed after an outage from where it stopped, and nothing of it
// from before; the player says it plays as soon as the music flows again.

const rig = new MpvRig('moodbox-mpv-resume-');
beforeAll(() => rig.open());
afterEach(() => rig.stopAll());
afterAll(() => rig.close());

/** The song: its pitch tells where in it a stretch of audio comes from (200 Hz at 0 s, 50 Hz more each second). */
const SWEEP = { fromHz: 200, hzPerS: 50 };
const SONG_S = 60;
const OUTAGES = 10;
/** How far before the resume point a place read from the pitch may lie and still be the resume point (ms). */
const READ_SLACK_MS = 150;

const entry = (id: number, uri: string): QueueEntry => ({ track: { id, uri }, reason: 'mood', mood: 'calm', note: '' });

describe('MpvPlayer resuming into a Snapcast group (real mpv, real snapserver)', () => {
  it(`after each of ${OUTAGES} snapserver restarts during a song, its listener hears nothing from before where the song resumed, and the player says it plays again as the music reaches the listener, not seconds later`, async () => {
    const song = await makeTone(rig.dir, {
      file: 'sweep.flac',
      hz: SWEEP.fromHz,
      sweepToHz: SWEEP.fromHz + SWEEP.hzPerS * SONG_S,
      seconds: SONG_S,
      volume: 0.5,
    });
    const fifo = join(rig.dir, 'snapfifo');
    const server = rig.keep(await Snapserver.start(rig.dir, fifo, { mode: 'create', codec: 'pcm' }));
    let listener = await SnapListener.to(server);
    const { player } = await rig.start(
      {
        audioOutput: 'pcm',
        extraArgs: audioOutputArgs(SNAPCAST, fifo),
        pcmPipe: fifo,
        outputStallMs: 1500,
        outputRetryMs: 200,
        outputRetryMaxMs: 400,
        restartDelayMs: 100,
        restartMaxDelayMs: 400,
      },
      15_000,
    );
    await player.play([entry(1, song)]);

    /** Per outage: where the song resumed, the earliest place the listener heard after, and how long after it first heard music the player said it plays (ms). */
    const outages: Array<{ resumeMs: number; earliestMs: number; saidLateMs: number }> = [];
    let resumeMs = 0;
    for (let i = 0; i < OUTAGES; i++) {
      // The song flows, 1 s past where it resumed.
      await nextEvent(player, 'positionChanged', (p) => p.positionMs >= resumeMs + 1000 && player.state().stalled === undefined, 30_000);
      const stalled = nextEvent(player, 'stalledChanged', ({ stalled }) => stalled !== null, 30_000);
      const faulted = nextEvent(player, 'playerFaulted', () => true, 30_000);
      // snapserver goes away (`systemctl restart snapserver`), with its listener.
      await server.stop();
      listener.close();
      await stalled;
      await faulted;
      // Stalled, and mpv taken down: where the song is to resume.
      resumeMs = player.state().positionMs;
      const flows = nextEvent(player, 'stalledChanged', ({ stalled }) => stalled === null, 30_000).then(() => performance.now());
      server.start();
      listener = await SnapListener.to(server);
      const saidAt = await flows;
      await nextEvent(player, 'positionChanged', (p) => p.positionMs >= resumeMs + 1000, 30_000);
      const places = listener.chunks.flatMap((c) => sweepPlaces(c.samples, SWEEP));
      const heardAt = listener.firstHeard();
      expect(heardAt).toBeDefined();
      outages.push({ resumeMs, earliestMs: Math.min(...places), saidLateMs: Math.round(saidAt - (heardAt ?? 0)) });
    }
    // Nothing from before where the song resumed, in any outage.
    expect(outages.filter((o) => o.earliestMs < o.resumeMs - READ_SLACK_MS)).toEqual([]);
    // Playing again as the music reaches the listener (mpv's output opening for the song), not
    // 2 s of music later; 250 ms for a busy machine.
    expect(outages.filter((o) => o.saidLateMs > 250)).toEqual([]);
  }, 240_000);
});
