import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { MEMORY_CHECK_MS, MemoryGuard, type MemoryReading } from './memory-guard.js';
import { FakeClock } from '../testing/fake-clock.js';
import { FakePlayer } from '../../player/testing/fake-player.js';

const MIB = 1024 * 1024;
const SONG_MS = 180_000;

function harness(options: { ceilingMiB?: number; graceS?: number; mpvCeilingMiB?: number } = {}) {
  const clock = new FakeClock();
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const restarts: string[] = [];
  const player = new FakePlayer({ clock }, { trackMs: SONG_MS });
  let reading: MemoryReading = { rss: 200 * MIB, heapUsed: 30 * MIB, heapTotal: 40 * MIB, external: 10 * MIB };
  const guard = new MemoryGuard(
    { clock, log, restart: (by) => void restarts.push(by.name), player, memory: () => reading },
    { ceilingMiB: options.ceilingMiB ?? 384, graceS: options.graceS ?? 600, mpvCeilingMiB: options.mpvCeilingMiB ?? 192 },
  );
  return {
    clock,
    lines,
    restarts,
    player,
    guard,
    setRss: (mib: number) => (reading = { ...reading, rss: mib * MIB }),
    setMpvRss: (mib: number | undefined) => (reading = { ...reading, mpvRss: mib === undefined ? undefined : mib * MIB }),
  };
}

const song = (id: number) => ({ track: { id, uri: `/music/${id}.mp3` }, reason: 'mood' as const });

describe('MemoryGuard', () => {
  it('does nothing while the daemon stays below its ceiling', async () => {
    const h = harness();
    await h.guard.start();
    await h.player.play([song(1), song(2), song(3)]);
    h.setRss(383);
    h.clock.advance(2 * SONG_MS);
    expect(h.restarts).toEqual([]);
    expect(h.guard.health().status).toBe('ready');
    await h.guard.stop();
  });

  it('above the ceiling, waits for the song to end, then says why and asks for a restart', async () => {
    const h = harness();
    await h.guard.start();
    await h.player.play([song(1), song(2)]);
    h.clock.advance(10_000);
    h.setRss(400);
    h.clock.advance(MEMORY_CHECK_MS);
    // Mid-song: nothing yet, but the health and the log say what is coming.
    expect(h.restarts).toEqual([]);
    expect(h.guard.health()).toMatchObject({ status: 'degraded' });
    expect(h.lines.at(-1)).toMatchObject({
      msg: 'memory above the ceiling; restarting at the end of this song',
      rssMiB: 400,
      ceilingMiB: 384,
    });
    h.clock.advance(SONG_MS - 10_000 - MEMORY_CHECK_MS - 1);
    expect(h.restarts).toEqual([]);
    h.clock.advance(1);
    expect(h.restarts).toEqual(['the memory guard']);
    expect(h.lines.at(-1)).toMatchObject({
      level: 50,
      msg: 'memory above the ceiling: restarting',
      when: 'between songs',
      rssMiB: 400,
      heapUsedMiB: 30,
      externalMiB: 10,
      nativeMiB: 350,
    });
    // Once only.
    h.clock.advance(2 * SONG_MS);
    expect(h.restarts).toHaveLength(1);
    await h.guard.stop();
  });

  it('restarts the daemon, and its mpv with it, between songs once mpv grows above its own ceiling', async () => {
    const h = harness();
    await h.guard.start();
    await h.player.play([song(1), song(2)]);
    h.setMpvRss(191);
    h.clock.advance(2 * MEMORY_CHECK_MS);
    expect(h.restarts).toEqual([]);
    // No mpv running (between a crash and its restart): nothing to judge.
    h.setMpvRss(undefined);
    h.clock.advance(MEMORY_CHECK_MS);
    expect(h.restarts).toEqual([]);
    h.setMpvRss(200);
    h.clock.advance(MEMORY_CHECK_MS);
    expect(h.guard.health()).toEqual({
      status: 'degraded',
      detail: "mpv's memory 200 MiB is above its ceiling of 192 MiB: restarting at the end of this song",
    });
    expect(h.lines.at(-1)).toMatchObject({ msg: "mpv's memory above the ceiling; restarting at the end of this song", mpvRssMiB: 200 });
    h.clock.advance(SONG_MS);
    expect(h.restarts).toEqual(['the memory guard']);
    expect(h.lines.at(-1)).toMatchObject({ level: 50, msg: "mpv's memory above the ceiling: restarting", when: 'between songs' });
    await h.guard.stop();
  });

  it('restarts at once when nothing plays, and after the grace time when no song ends', async () => {
    const idle = harness();
    await idle.guard.start();
    idle.setRss(500);
    idle.clock.advance(MEMORY_CHECK_MS);
    expect(idle.restarts).toEqual(['the memory guard']);
    expect(idle.lines.at(-1)).toMatchObject({ when: 'nothing plays' });
    await idle.guard.stop();

    const long = harness({ graceS: 60 });
    await long.guard.start();
    await long.player.play([song(1)]);
    await long.player.pause();
    long.setRss(500);
    long.clock.advance(MEMORY_CHECK_MS + 59_999);
    expect(long.restarts).toEqual([]);
    long.clock.advance(1);
    expect(long.restarts).toEqual(['the memory guard']);
    expect(long.lines.at(-1)).toMatchObject({ when: 'no song ended within 60 s' });
    await long.guard.stop();
  });

  it('reads the memory again before it restarts, and stands down when it is back under the ceiling (issue 42)', async () => {
    // A flood of guest sockets pushed the daemon from 373 to 693 MiB; by the end of the song it was back at 290.
    const h = harness({ graceS: 120 });
    await h.guard.start();
    await h.player.play([song(1), song(2), song(3)]);
    h.setRss(693);
    h.clock.advance(MEMORY_CHECK_MS);
    expect(h.guard.health().status).toBe('degraded');
    h.setRss(290);
    h.player.endCurrent();
    expect(h.restarts).toEqual([]);
    expect(h.guard.health()).toEqual({ status: 'ready' });
    expect(h.lines.at(-1)).toMatchObject({
      level: 30,
      msg: 'memory back under the ceiling: no restart',
      rssMiB: 290,
      when: 'between songs',
    });
    // Neither the grace timer nor the next song's end restarts it.
    h.clock.advance(2 * SONG_MS);
    expect(h.restarts).toEqual([]);
    // It goes on watching: memory that grows again, and stays, restarts the daemon.
    h.setRss(700);
    h.clock.advance(MEMORY_CHECK_MS);
    expect(h.guard.health().status).toBe('degraded');
    h.player.endCurrent();
    expect(h.restarts).toEqual(['the memory guard']);
    await h.guard.stop();
  });

  it('stands down at the end of the grace time too when memory came back down, and so for mpv', async () => {
    const h = harness({ graceS: 60 });
    await h.guard.start();
    await h.player.play([song(1)]);
    await h.player.pause();
    h.setRss(500);
    h.clock.advance(MEMORY_CHECK_MS);
    h.setRss(300);
    h.clock.advance(60_000);
    expect(h.restarts).toEqual([]);
    expect(h.lines.at(-1)).toMatchObject({ msg: 'memory back under the ceiling: no restart', when: 'no song ended within 60 s' });

    await h.player.resume();
    h.setMpvRss(250);
    h.clock.advance(MEMORY_CHECK_MS);
    expect(h.guard.health().status).toBe('degraded');
    h.setMpvRss(120);
    h.player.endCurrent();
    expect(h.restarts).toEqual([]);
    expect(h.lines.at(-1)).toMatchObject({ msg: "mpv's memory back under the ceiling: no restart", mpvRssMiB: 120 });
    await h.guard.stop();
  });

  it('never acts with a ceiling of 0', async () => {
    const h = harness({ ceilingMiB: 0 });
    await h.guard.start();
    h.setRss(10_000);
    h.clock.advance(10 * MEMORY_CHECK_MS);
    expect(h.restarts).toEqual([]);
  });
});
