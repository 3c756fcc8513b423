import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, PulseListener, ROOT, startDaemon, tempDir, toneLibrary, until, watchState, type Daemon } from './harness.js';

const CLIP = join(ROOT, 'src/vision/testing/fixtures/happy-then-sad.mp4');
/** When the clip's face turns from happy to sad (s). */
const SAD_FROM_S = 8;
const DWELL_MS = 2000;
/** One tone per mood: what the listener hears proves which mood's music played. */
const HZ = { upbeat: 880, mellow: 330, calm: 550 } as const;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function near(hz: number, target: number): boolean {
  return Math.abs(hz - target) <= target * 0.05;
}

describe('the whole appliance', () => {
  it('plays happy music while the face is happy, and cuts to mood-fitting music once it turns sad', async () => {
    const dir = tempDir('e2e');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const library = await toneLibrary(dir, HZ, 60);
    const listener = await PulseListener.start(dir);
    cleanups.push(() => listener.close());

    const daemon: Daemon = await startDaemon(
      dir,
      {
        dataDir: join(dir, 'data'),
        server: { port: 0 },
        log: { level: 'info' },
        camera: { source: CLIP },
        mood: { dwellMs: DWELL_MS },
        library: { folders: [library] },
        // Songs change at once (no hold, a short fade): this measures how fast a change of song is, not when one is right.
        player: {
          audioOutput: 'pulse',
          mpvArgs: listener.mpvArgs,
          switchOnMoodChange: true,
          transitions: { cutDistance: 0, cutHoldMs: 0, fadeMs: 300, fadeBars: 0 },
        },
        rfid: { enabled: false },
      },
      listener.env,
    );
    cleanups.push(() => daemon.child.kill('SIGKILL'));
    const state = watchState(daemon.base);
    cleanups.push(() => state.close());

    // The clip starts when the camera opens.
    // The clip starts when the camera opens (the daemon logs it; same machine, same clock).
    const cameraOn = await until(
      () => daemon.lines.find((l) => l['msg'] === 'camera on'),
      20_000,
      () => daemon.stderr(),
    );
    const turnsSad = Number(cameraOn['time']) + SAD_FROM_S * 1000;
    // After the face turns sad: the first moment mellow music is heard and stays (five readings in a
    // row), waited for as it happens rather than for a fixed time, which a busy machine can outrun.
    const mellowFrom = (): { at: number } | undefined => {
      const after = listener.heard.filter((h) => h.at >= turnsSad);
      return after.find((_, i) => after.slice(i, i + 5).length === 5 && after.slice(i, i + 5).every((x) => near(x.hz, HZ.mellow)));
    };
    const firstMellow = await until(
      mellowFrom,
      60_000,
      () =>
        `heard after the change: ${listener.heard
          .filter((h) => h.at >= turnsSad)
          .map((h) => h.hz)
          .join(' ')}`,
    );

    // What was heard and what the daemon said, from the moment the camera opened (s): printed with
    // MOODBOX_E2E_DEBUG=1, and part of every failure below, so that a failure on a busy machine says
    // whether the room or the sound was late.
    const t0 = Number(cameraOn['time']);
    const timeline = [
      `heard: ${listener.heard.map((h) => `${((h.at - t0) / 1000).toFixed(1)}:${h.hz}`).join(' ')}`,
      ...daemon.lines
        .filter((l) => l['msg'] === 'room mood changed' || l['msg'] === 'track started')
        .map((l) => `${((Number(l['time']) - t0) / 1000).toFixed(2)} ${String(l['msg'])} ${JSON.stringify(l['mood'] ?? '')}`),
    ].join('\n');
    if (process.env['MOODBOX_E2E_DEBUG'] === '1') process.stdout.write(`${timeline}\n`);
    const moods = state.messages.filter((m) => m.type === 'mood/changed' && m.data['since'] !== null);
    // When the daemon says the room turned (its own clock, `since`): the test's copy of the message
    // can arrive seconds later when this process is busy.
    const happyAt = moods.find((m) => m.data['current'] === 'happy')?.data['since'] as number | undefined;
    const sadAt = moods.find((m) => m.data['current'] === 'sad')?.data['since'] as number | undefined;
    expect(happyAt, `the room turned happy\n${timeline}`).toBeDefined();
    expect(sadAt, `the room turned sad\n${timeline}`).toBeDefined();

    // Happy music in the last two seconds of the happy room (from a second into the happy song at
    // the earliest): until the room settled on sad, by the daemon's own word. The clip's time is no
    // measure of it: a busy machine reads the clip late.
    const happyStarted = Number(daemon.lines.find((l) => l['msg'] === 'track started' && l['mood'] === 'happy')?.['time']);
    // Only the tones count: on a busy machine the sound can drop out for a moment, and a window of
    // silence (0 Hz) or one cut by a dropout (a tone at a fraction of its pitch) is no other song.
    const whileHappy = listener.between(Math.max(happyStarted + 1000, (sadAt ?? 0) - 2000), sadAt ?? 0);
    const happyTone = whileHappy.filter((hz) => near(hz, HZ.upbeat)).length;
    const otherTones = whileHappy.filter((hz) => near(hz, HZ.mellow) || near(hz, HZ.calm)).length;
    expect(happyTone, `heard while happy: ${whileHappy.join(' ')}\n${timeline}`).toBeGreaterThan(5);
    expect(happyTone / (happyTone + otherTones), `heard while happy: ${whileHappy.join(' ')}\n${timeline}`).toBeGreaterThan(0.9);

    const heardAt = firstMellow.at;
    const fromFace = Math.round(heardAt - turnsSad);
    const fromMood = Math.round(heardAt - (sadAt ?? 0));
    // The figures for DESIGN.md's budget (settled mood → fitting audio ≤ 1 s beyond the dwell) are
    // `moodbox bench e2e`'s, measured on a quiet machine; here they are printed, and the test holds
    // what a listener hears: the mellow song comes after the room settled on sad, not before, and
    // it cut the happy one (each song is 60 s long) instead of waiting for its end.
    process.stdout.write(`e2e: sad face → mellow audio ${fromFace} ms (dwell ${DWELL_MS}); settled mood → audio ${fromMood} ms\n`);
    expect(fromFace).toBeGreaterThanOrEqual(DWELL_MS);
    expect(fromMood).toBeGreaterThanOrEqual(0);
    expect(heardAt - happyStarted).toBeLessThan(60_000);

    // The daemon's own account agrees: what plays now fits the sad room, and the history says why.
    const snapshot = await getJson<{ data: { mood: { current: string }; player: { nowPlaying: { moods: string[] } } } }>(
      `${daemon.base}/api/state`,
    );
    expect(snapshot.data.mood.current).toBe('sad');
    expect(snapshot.data.player.nowPlaying.moods).toContain('mellow');
    // Its log says so too, read as it comes: a busy machine hands this process the daemon's lines late.
    const started = (): unknown[] => daemon.lines.filter((l) => l['msg'] === 'track started').map((l) => l['mood']);
    await until(
      () => (started().includes('sad') ? true : undefined),
      20_000,
      () => `tracks started for moods: ${started().join(', ')}\n${timeline}`,
    );
    expect(started()).toEqual(expect.arrayContaining(['happy', 'sad']));
  }, 90_000);
});
