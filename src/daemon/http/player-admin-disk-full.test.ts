import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { storeOnDisk } from '../testing/full-disk.js';
import { startStaffServer } from '../testing/staff-server.js';

// Issue 42, item 11: with the disk full, the volume and pause answered 507 but had acted, and
// nothing was audited. A 507 now means nothing changed.
// Issue 59: a skip, a song played now or queued, a held mood and its release answered 507 and had
// acted all the same (the song changed, the queue grew, the hold was set and cleared).

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Staff's music on a database whose disk `fill` fills to its last page and `space` empties, with an
 * admin signed in.
 */
async function staffOnDisk() {
  const clock = systemClock;
  const ids: number[] = [];
  const { store, fill, space, remove } = storeOnDisk(clock, (setup) => {
    for (let i = 1; i <= 3; i++) {
      const track = setup.tracks.upsert({ uri: `/music/calm-${i}.flac`, title: `calm ${i}`, artist: 'A' });
      setup.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
      ids.push(track.id);
    }
  });
  cleanups.push(remove);
  const { player, director, call, close } = await startStaffServer({ store, clock });
  cleanups.push(close);
  /** The staff lines of the audit log, oldest first, as action and detail. */
  const audited = (): Array<[string, Record<string, unknown>]> =>
    store.audit
      .list({ limit: 1000 })
      .items.filter((e) => e.actor.startsWith('admin:') && e.action !== 'session.sign-in')
      .map((e): [string, Record<string, unknown>] => [e.action, e.detail])
      .reverse();
  return { ids, store, player, director, call, fill, space, audited };
}

describe('staff controls on a full disk', () => {
  it('answers 507 for the volume, a pause and a resume, and changes nothing; once space returns each acts and is audited', async () => {
    const { player, director, call, fill, space, audited } = await staffOnDisk();
    expect((await call('PUT', '/api/admin/player/volume', { volume: 60 })).statusCode).toBe(200);
    fill();
    const before = audited().length;

    const volume = await call('PUT', '/api/admin/player/volume', { volume: 20 });
    expect(volume.statusCode).toBe(507);
    expect(player.state().volume).toBe(60);
    expect(director.staffView.wantedVolume).toBe(60);

    const pause = await call('POST', '/api/admin/player/pause');
    expect(pause.statusCode).toBe(507);
    expect(player.state().isPaused).toBe(false);
    expect(director.staffView.isPausedByStaff).toBe(false);
    expect(audited().length).toBe(before);

    // Space returns: the same calls act, and are audited.
    space();
    expect((await call('POST', '/api/admin/player/pause')).statusCode).toBe(200);
    expect(player.state().isPaused).toBe(true);
    fill();
    const resume = await call('POST', '/api/admin/player/resume');
    expect(resume.statusCode).toBe(507);
    expect(player.state().isPaused).toBe(true);
    expect(director.staffView.isPausedByStaff).toBe(true);
    space();
    expect((await call('PUT', '/api/admin/player/volume', { volume: 20 })).statusCode).toBe(200);
    expect(director.staffView.wantedVolume).toBe(20);
    expect(audited().length).toBe(before + 2);
  });

  it('answers 507 for a skip, a song played now or queued, taken out or moved, a held mood and its release, and changes nothing (issue 59)', async () => {
    const { ids, player, director, call, fill, space, audited } = await staffOnDisk();
    const [first = 0, second = 0, third = 0] = ids;
    expect((await call('POST', '/api/admin/player/play-now', { trackId: first })).statusCode).toBe(200);
    for (const trackId of [second, third]) expect((await call('POST', '/api/admin/player/queue', { trackId })).statusCode).toBe(200);
    const queued = () => player.state().upcoming.map((i) => [i.key, i.track.id, i.reason]);
    const playing = () => [player.state().current?.key, player.state().current?.track.id];
    const [nowPlaying, upcoming] = [playing(), queued()];
    expect(nowPlaying[1]).toBe(first);
    expect(upcoming.map(([, trackId]) => trackId)).toEqual([third, second]);
    const key = Number(upcoming[0]?.[0]);
    fill();
    const before = audited();

    const refusals: Array<[string, () => ReturnType<typeof call>]> = [
      ['skip', () => call('POST', '/api/admin/player/skip')],
      ['play now', () => call('POST', '/api/admin/player/play-now', { trackId: third })],
      ['play next', () => call('POST', '/api/admin/player/queue', { trackId: first })],
      ['take out', () => call('DELETE', `/api/admin/player/queue/${key}`)],
      ['move', () => call('PUT', `/api/admin/player/queue/${key}/position`, { position: 1 })],
      ['hold', () => call('PUT', '/api/admin/mood/hold', { label: 'happy', minutes: 30 })],
    ];
    for (const [what, refused] of refusals) {
      const res = await refused();
      expect([what, res.statusCode, res.json<{ error?: { code: string } }>().error?.code]).toEqual([what, 507, 'MB_ERR_STORE_WRITE']);
      // The song playing, the queue, the hold and the audit log are as they were.
      expect([what, playing(), queued(), director.staffView.hold, audited()]).toEqual([what, nowPlaying, upcoming, null, before]);
    }

    // A held mood, then its release on a full disk: it stays held.
    space();
    expect((await call('PUT', '/api/admin/mood/hold', { label: 'happy', minutes: 30 })).statusCode).toBe(200);
    const hold = director.staffView.hold;
    expect(hold).toMatchObject({ label: 'happy' });
    fill();
    const held = audited();
    const release = await call('DELETE', '/api/admin/mood/hold');
    expect(release.statusCode).toBe(507);
    expect(director.staffView.hold).toEqual(hold);
    expect(audited()).toEqual(held);

    // Space returns: each acts, and is audited with what it did.
    space();
    expect((await call('DELETE', '/api/admin/mood/hold')).statusCode).toBe(200);
    expect(director.staffView.hold).toBeNull();
    const skip = await call('POST', '/api/admin/player/skip');
    expect([skip.statusCode, skip.json()]).toEqual([200, { trackId: first }]);
    expect(player.state().current?.track.id).toBe(third);
    const next = await call('POST', '/api/admin/player/queue', { trackId: first });
    const nextKey = next.json<{ upcoming: Array<{ key: number }> }>().upcoming[0]?.key;
    expect(audited().slice(held.length)).toEqual([
      ['mood.release', { label: 'happy' }],
      ['player.skip', { trackId: first }],
      ['player.play-next', { trackId: first, title: 'calm 1', key: nextKey }],
    ]);
  });
});
