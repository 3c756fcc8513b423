import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../daemon/testing/fake-clock.js';
import { OutputWatch, type OutputFailure, type OutputWatchOptions } from './output-watch.js';

/** A watch on a fake clock, with what it reported. */
function watch(options: OutputWatchOptions = {}, isTaken?: () => boolean) {
  const clock = new FakeClock();
  const failures: OutputFailure[] = [];
  const restored: number[] = [];
  const flowing: number[] = [];
  const output = new OutputWatch(
    {
      clock,
      failed: (failure) => failures.push(failure),
      restored: () => restored.push(clock.monotonic()),
      flowing: () => flowing.push(clock.monotonic()),
      isTaken,
    },
    options,
  );
  /** Plays from `from` to `to` (ms of the song) in `wallMs`, one position every 250 ms of the song; false once one was refused. */
  const play = (from: number, to: number, wallMs: number): boolean => {
    const steps = Math.round((to - from) / 250);
    for (let i = 1; i <= steps; i++) {
      clock.advance(wallMs / steps);
      if (!output.position(from + ((to - from) * i) / steps)) return false;
    }
    return true;
  };
  return { clock, output, failures, restored, flowing, play };
}

describe('OutputWatch (issue 38: a failed output is not a finished song)', () => {
  // Issue 62: on a busy machine mpv's last positions are read late, so a song raced through its last
  // seconds can look in step with the clock; an end reached while nothing takes the audio was unheard.
  it('takes an end reached while nothing takes the audio (a Snapcast pipe nobody reads) as unheard, however in step it looked', () => {
    let isRead = true;
    const { output, failures, play } = watch({}, () => isRead);
    output.songStarted({ canStall: true });
    output.position(0);
    expect(play(0, 26_000, 26_000)).toBe(true);
    isRead = false;
    expect(play(26_000, 30_000, 3_500)).toBe(true);
    expect(output.songEnded({ durationMs: 30_000 })).toBe(false);
    expect(failures.map((f) => f.error)).toEqual([
      'the audio output is not playing: the song reached its end while nothing took the audio',
    ]);
  });

  it('takes a song that plays in real time as played, to its end', () => {
    const { output, failures, play } = watch();
    output.songStarted({ canStall: true });
    output.position(0);
    expect(play(0, 60_000, 60_000)).toBe(true);
    expect(output.songEnded()).toBe(true);
    expect(failures).toEqual([]);
    expect(output.problem).toBeUndefined();
  });

  it('fails an output that takes 8 s of a song far faster than it plays, and resumes from where it was last heard', () => {
    const { output, failures, play } = watch();
    output.songStarted({ canStall: true });
    output.position(0);
    expect(play(0, 20_000, 20_000)).toBe(true);
    // snapserver went away: mpv decodes the rest at full speed.
    expect(play(20_000, 60_000, 400)).toBe(false);
    expect(failures).toEqual([
      {
        error: expect.stringMatching(/^the audio output is not playing: 8\.\d s of music went through it in 0\.\d s$/) as string,
        retryInMs: 2000,
        resumeAtMs: expect.any(Number) as number,
      },
    ]);
    // It resumes where the song was when it left the clock behind, give or take what an output buffers (1 s).
    expect(failures[0]?.resumeAtMs).toBeGreaterThanOrEqual(20_000);
    expect(failures[0]?.resumeAtMs).toBeLessThanOrEqual(21_000);
    expect(output.problem).toBe(failures[0]?.error);
  });

  it('fails a song that reaches its end far too soon, over its last 4 s or more', () => {
    const { output, failures, play } = watch();
    output.songStarted({ canStall: false });
    output.position(0);
    expect(play(0, 8000, 8000)).toBe(true);
    expect(play(8000, 13_000, 100)).toBe(true);
    expect(output.songEnded()).toBe(false);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.resumeAtMs).toBeGreaterThanOrEqual(8000);
    expect(failures[0]?.resumeAtMs).toBeLessThanOrEqual(9000);
  });

  it('leaves a PCM file written as fast as mpv decodes alone', () => {
    const { output, failures, play } = watch({ pace: 'untimed' });
    output.songStarted({ canStall: true });
    output.position(0);
    expect(play(0, 60_000, 300)).toBe(true);
    expect(output.songEnded()).toBe(true);
    expect(failures).toEqual([]);
  });

  it('fails a song that makes no progress while it plays, and never one that is paused or a station', () => {
    const { clock, output, failures } = watch({ stallMs: 10_000 });
    output.songStarted({ canStall: false });
    clock.advance(60_000);
    expect(failures).toEqual([]);
    output.songStarted({ canStall: true });
    output.paused(true);
    clock.advance(60_000);
    expect(failures).toEqual([]);
    output.paused(false);
    output.position(3000);
    clock.advance(9999);
    expect(failures).toEqual([]);
    clock.advance(1);
    expect(failures).toEqual([
      { error: 'the audio output is not playing: nothing went through it for 10 s', retryInMs: 2000, resumeAtMs: 3000 },
    ]);
  });

  it('waits twice as long after each failure in a row, up to 60 s, until 8 s go through in step with the clock again', () => {
    const { clock, output, failures, restored, play } = watch({ stallMs: 1000 });
    for (let i = 0; i < 7; i++) {
      output.songStarted({ canStall: true });
      clock.advance(1000);
    }
    expect(failures.map((f) => f.retryInMs)).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    output.songStarted({ canStall: true });
    output.position(0);
    expect(play(0, 7750, 7750)).toBe(true);
    expect(restored).toEqual([]);
    expect(output.problem).toMatch(/nothing went through it/);
    expect(play(7750, 8000, 250)).toBe(true);
    expect(restored).toHaveLength(1);
    expect(output.problem).toBeUndefined();
    expect(failures).toHaveLength(7);
    // 8 s of which 3 went through before the output failed again is no sign that it works.
    output.songStarted({ canStall: true });
    output.position(0);
    expect(play(0, 3000, 3000)).toBe(true);
    expect(play(3000, 8000, 20)).toBe(true);
    expect(play(8000, 16_000, 30)).toBe(false);
    expect(restored).toHaveLength(1);
    expect(failures.at(-1)?.retryInMs).toBe(2000);
    output.songStarted({ canStall: true });
    clock.advance(1000);
    expect(failures.at(-1)?.retryInMs).toBe(4000);
  });

  it('starts judging again after a jump to where the song was (the seek after a restart)', () => {
    const { output, failures, play } = watch();
    output.songStarted({ canStall: true });
    output.position(0);
    output.jumped(45_000);
    output.position(45_000);
    expect(play(45_000, 60_000, 15_000)).toBe(true);
    expect(output.songEnded()).toBe(true);
    expect(failures).toEqual([]);
  });

  it('fails a song whose end comes right after its first position when the file says how long it is', () => {
    const { clock, output, failures } = watch();
    output.songStarted({ canStall: true, entry: 1 });
    output.position(0);
    output.duration(40_000);
    clock.advance(50);
    expect(output.songEnded({ entry: 1 })).toBe(false);
    expect(failures).toEqual([
      { error: 'the audio output is not playing: 40 s of music went through it in 0.1 s', retryInMs: 2000, resumeAtMs: 0 },
    ]);
  });

  it("judges only the song playing: an entry's end read after the next one started was judged at that start", () => {
    const { clock, output, failures, play } = watch();
    output.songStarted({ canStall: true, entry: 1 });
    output.position(0);
    expect(play(0, 30_000, 30_000)).toBe(true);
    expect(output.isWatching(1)).toBe(true);
    // The player judges entry 1's end when entry 2 starts, then entry 2 plays.
    expect(output.songEnded({ entry: 1, durationMs: 30_000 })).toBe(true);
    output.songStarted({ canStall: true, entry: 2 });
    expect(output.isWatching(1)).toBe(false);
    clock.advance(100);
    // mpv's end-file for entry 1, read late: nothing to judge, and entry 2 is still watched.
    expect(output.songEnded({ entry: 1, durationMs: 30_000 })).toBe(true);
    expect(output.isWatching(2)).toBe(true);
    output.position(0);
    expect(play(0, 20_000, 200)).toBe(false);
    expect(failures).toHaveLength(1);
  });

  // The player's state is what the listener hears: it plays again at the first sign of music
  // flowing, not seconds later, and a song racing into an output that takes nothing is not that.
  it('says audio flows at the first step a song (re)started makes in step with the clock while the output takes it, and not while it races or stands still', () => {
    let isRead = false;
    const { clock, output, flowing, play } = watch({ stallMs: 60_000 }, () => isRead);
    // Restarted at 20 s while nobody reads the pipe: it stands still a while, then races.
    output.songStarted({ canStall: true, positionMs: 20_000 });
    clock.advance(5000);
    output.position(20_000);
    expect(play(20_000, 27_000, 70)).toBe(true);
    expect(flowing).toEqual([]);
    // Read again, and restarted there: it flows at its first 250 ms gone through in step.
    isRead = true;
    output.jumped(27_000);
    output.position(27_000);
    expect(flowing).toEqual([]);
    expect(play(27_000, 27_250, 250)).toBe(true);
    expect(flowing).toEqual([clock.monotonic()]);
    expect(play(27_250, 40_000, 12_750)).toBe(true);
    expect(flowing).toHaveLength(1);
    // An output that buffers takes its first half second at once: that is the music flowing too.
    output.jumped(40_000);
    output.position(40_000);
    clock.advance(5);
    output.position(40_500);
    expect(flowing).toEqual([expect.any(Number), clock.monotonic()]);
  });

  it('says audio flows as soon as the output takes up a song (re)started, unless it is paused', () => {
    const { clock, output, flowing } = watch({ stallMs: 60_000 });
    output.songStarted({ canStall: true, positionMs: 20_000 });
    output.position(20_000);
    clock.advance(3000);
    expect(flowing).toEqual([]);
    output.outputOpened();
    expect(flowing).toEqual([clock.monotonic()]);
    output.outputOpened();
    expect(flowing).toHaveLength(1);
    // Paused when mpv came back: the music flows once it plays, not when the output opened.
    output.paused(true);
    output.jumped(30_000);
    output.outputOpened();
    expect(flowing).toHaveLength(1);
    output.paused(false);
    output.position(30_000);
    clock.advance(250);
    output.position(30_250);
    expect(flowing).toEqual([expect.any(Number), clock.monotonic()]);
  });

  it('takes the output configured after the first position of a song (re)started as the music flowing, and not before it', () => {
    const { clock, output, flowing } = watch({ stallMs: 60_000 });
    output.songStarted({ canStall: true, positionMs: 20_000 });
    // mpv loading the file configures its output before it says where the song is.
    output.outputConfigured();
    expect(flowing).toEqual([]);
    output.position(20_000);
    clock.advance(1000);
    output.outputConfigured();
    expect(flowing).toEqual([clock.monotonic()]);
  });

  it('fails an end raced through near the end of a song, too short to judge by speed, and resumes where it was heard', () => {
    const { output, failures, play } = watch();
    output.songStarted({ canStall: true, entry: 1 });
    output.position(0);
    output.duration(40_000);
    expect(play(0, 36_000, 36_000)).toBe(true);
    // The output fails at 36 s: mpv decodes the last 4 s at once, and goes on to the next entry (gapless).
    expect(play(36_000, 40_000, 40)).toBe(true);
    expect(output.songEnded({ entry: 1 })).toBe(false);
    expect(failures).toEqual([
      {
        error: 'the audio output is not playing: the song reached its end 4.0 s before it could be heard',
        retryInMs: 2000,
        resumeAtMs: expect.any(Number) as number,
      },
    ]);
    // Where it was heard last, give or take what an output buffers (1 s).
    expect(failures[0]?.resumeAtMs).toBeGreaterThanOrEqual(36_000);
    expect(failures[0]?.resumeAtMs).toBeLessThanOrEqual(37_000);
  });

  it('takes an end as heard when it comes in step with the clock, also right after a position', () => {
    const { output, failures, play } = watch();
    output.songStarted({ canStall: true, entry: 1 });
    output.position(0);
    output.duration(40_000);
    expect(play(0, 39_750, 39_750)).toBe(true);
    expect(output.songEnded({ entry: 1 })).toBe(true);
    expect(failures).toEqual([]);
  });
});
